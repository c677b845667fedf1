package engine

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is R-ROW-13's reading of an e-mail address: RFC 5322's
// addr-spec, without the obsolete forms, comments or folding white space.
// The local part is a dot-atom (ann.smith+library) or a quoted string
// ("john doe", with \" and \\ escaped); the domain is a dot-atom, which
// needs no dot (localhost), or an IPv4 address literal ([192.0.2.1]). As
// RFC 6532 allows, atoms and quoted strings may hold characters beyond
// ASCII. An IPv6 literal ([IPv6:2001:db8::1]) is refused: R-ROW-13 names
// IPv4 alone, and no school's patron has one.

// simpleEmail accepts the everyday address: a dot-atom of ASCII atext, "@",
// and a dot-atom domain of letters, digits and hyphens. Every address it
// accepts, addrSpec accepts too (a fuzz test holds it to that); it is the
// fast path, which decides nearly every address a school sends.
func simpleEmail(v string) bool {
	at := strings.IndexByte(v, '@')
	if at <= 0 || at == len(v)-1 {
		return false
	}
	return asciiDotAtom(v[:at], atextChar) && asciiDotAtom(v[at+1:], domainChar)
}

// asciiDotAtom reports whether s is dot-separated runs of ASCII characters
// of class.
func asciiDotAtom(s string, class uint8) bool {
	prevDot := true // no leading dot
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if prevDot {
				return false
			}
			prevDot = true
			continue
		}
		if emailChars[c]&class == 0 {
			return false
		}
		prevDot = false
	}
	return !prevDot // no trailing dot
}

// emailChars classes the ASCII bytes of an address.
var emailChars = func() (t [256]uint8) {
	for c := range 128 {
		b := byte(c)
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' {
			t[c] = domainChar | atextChar
		} else if strings.IndexByte("!#$%&'*+/=?^_`{|}~", b) >= 0 {
			t[c] = atextChar
		}
		if 0x21 <= b && b <= 0x7e && b != '"' && b != '\\' {
			t[c] |= qtextChar
		}
	}
	return t
}()

const (
	atextChar  = 1 << iota // allowed in an atom: the local part's, or the domain's
	domainChar             // allowed in the fast path's domain labels
	qtextChar              // allowed unescaped in a quoted string
)

// addrSpec reports whether v is an addr-spec: local "@" domain, the local
// part a dot-atom or a quoted string, the domain a dot-atom or an IPv4
// address literal. A quoted local part may hold "@", so the domain is
// what follows the last one.
func addrSpec(v string) bool {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 {
		return false
	}
	local, domain := v[:at], v[at+1:]
	return (dotAtom(local) || quotedString(local)) && (dotAtom(domain) || ipv4Literal(domain))
}

// dotAtom reports whether s is atoms joined by single dots: atext, or any
// character beyond ASCII but a control or format character (RFC 6532).
func dotAtom(s string) bool {
	prevDot := true // no leading dot
	for _, r := range s {
		switch {
		case r == '.':
			if prevDot {
				return false
			}
			prevDot = true
			continue
		case r < utf8.RuneSelf && emailChars[r]&atextChar == 0,
			r >= utf8.RuneSelf && !wideText(r):
			return false
		}
		prevDot = false
	}
	return !prevDot // no trailing dot
}

// quotedString reports whether s is one quoted string: printable ASCII but
// the quote and the backslash, spaces, characters beyond ASCII, and pairs
// of a backslash and a printable character or a space. A tab, though RFC
// 5322 allows it, is a control character (R-ROW-15), and so is refused.
func quotedString(s string) bool {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return false
	}
	s = s[1 : len(s)-1]
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\':
			if i+1 >= len(s) || s[i+1] < ' ' || s[i+1] > '~' {
				return false // a backslash escapes a printable character or a space, and nothing else
			}
			size = 2
		case r == ' ':
		case r < utf8.RuneSelf && emailChars[r]&qtextChar == 0, // the closing quote too early, or a control character
			r >= utf8.RuneSelf && !wideText(r): // not UTF-8, or a control or format character
			return false
		}
		i += size
	}
	return true
}

// wideText reports whether r, beyond ASCII, may stand in an address as
// RFC 6532 allows: valid, and no control or format character.
func wideText(r rune) bool {
	return r != utf8.RuneError && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r)
}

// ipv4Literal reports whether s is an IPv4 address literal, [192.0.2.1],
// each part a decimal number from 0 to 255 written without leading zeros.
func ipv4Literal(s string) bool {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	a, err := netip.ParseAddr(s[1 : len(s)-1])
	return err == nil && a.Is4()
}
