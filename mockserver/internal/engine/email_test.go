package engine

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAddrSpec: R-ROW-13 reads an address as RFC 5322's addr-spec: a
// dot-atom or quoted local part, a dot-atom domain or an IPv4 literal.
func TestAddrSpec(t *testing.T) {
	tests := []struct {
		name, v string
		want    bool
	}{
		{"everyday", "ann.smith+library@mail.school-7.example.edu", true},
		{"atext specials", "O'Neil_B!#$%&*/=?^`{|}~-@example.edu", true},
		{"a domain without a dot", "a@localhost", true},
		{"beyond ASCII (RFC 6532)", "zoë@école.example", true},
		{"a quoted word", `"john"@example.com`, true},
		{"a quoted space", `"john doe"@example.com`, true},
		{"an escaped quote", `"say \"hi\""@example.com`, true},
		{"an escaped backslash", `"back\\slash"@example.com`, true},
		{"an escaped space", `"a\ b"@example.com`, true},
		{"an @ inside the quotes", `"a@b"@example.com`, true},
		{"specials inside the quotes", `"a,b;c<d>[e]"@example.com`, true},
		{"an empty quoted string", `""@example.com`, true},
		{"beyond ASCII inside the quotes", `"zoë smith"@example.com`, true},
		{"an IPv4 literal", "a@[192.0.2.1]", true},
		{"a quoted part and an IPv4 literal", `"a b"@[10.0.0.1]`, true},

		{"no @", "no-at-sign.example.edu", false},
		{"two @", "jane@@school.example", false},
		{"no local part", "@example.edu", false},
		{"no domain", "jane@", false},
		{"a display name", "Jane <jane@example.edu>", false},
		{"a quoted display name", `"Jane" <jane@example.edu>`, false},
		{"angle brackets alone", "<jane@example.edu>", false},
		{"a comment", "jane@example.edu (Jane)", false},
		{"an unquoted space", "jane smith@example.edu", false},
		{"two dots", "jane@example..edu", false},
		{"a leading dot", ".jane@example.edu", false},
		{"a trailing dot in the domain", "jane@example.edu.", false},
		{"an unterminated quote", `"john doe@example.com`, false},
		{"a quote closed too early", `"john"doe"@example.com`, false},
		{"a quoted string and an atom", `"john".doe@example.com`, false},
		{"a quote ending in a backslash", `"john\"@example.com`, false},
		{"a tab inside the quotes", "\"john\tdoe\"@example.com", false},
		{"a control character inside the quotes", "\"john\x01doe\"@example.com", false},
		{"DEL inside the quotes", "\"john\x7fdoe\"@example.com", false},
		{"an escaped control character", "\"john\\\x01\"@example.com", false},
		{"a C1 control inside the quotes", "\"john\u0085\"@example.com", false},
		{"a zero-width space inside the quotes", "\"jo\u200bhn\"@example.com", false},
		{"not UTF-8 inside the quotes", "\"jo\xffhn\"@example.com", false},
		{"a zero-width space in an atom", "jo\u200bhn@example.com", false},
		{"a quoted domain", `john@"example.com"`, false},
		{"an IPv6 literal", "a@[IPv6:2001:db8::1]", false},
		{"an untagged IPv6 literal", "a@[2001:db8::1]", false},
		{"an IPv4-mapped IPv6 literal", "a@[::ffff:192.0.2.1]", false},
		{"a general literal", "a@[example]", false},
		{"an IPv4 literal out of range", "a@[256.0.0.1]", false},
		{"an IPv4 literal with a leading zero", "a@[01.2.3.4]", false},
		{"an IPv4 literal of three parts", "a@[1.2.3]", false},
		{"an IPv4 literal padded", "a@[ 1.2.3.4 ]", false},
		{"an unclosed literal", "a@[1.2.3.4", false},
		{"an IPv4 address unbracketed is a dot-atom", "a@192.0.2.1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, addrSpec(tt.v) || simpleEmail(tt.v), "%q", tt.v)
		})
	}
}

// FuzzSimpleEmailIsSubsetOfAddrSpec: the fast path may only accept what
// addrSpec accepts, or it would change R-ROW-13.
func FuzzSimpleEmailIsSubsetOfAddrSpec(f *testing.F) {
	for _, s := range []string{"a@b", "a.b@c.d", "a..b@c", ".a@b", "a.@b", "a@b.", "a@-b", "o'brien@x.edu", "a+b@c", "a@b@c", "a@[1.2.3.4]", "\"a b\"@c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if simpleEmail(v) && !addrSpec(v) {
			t.Fatalf("simpleEmail accepts %q, addrSpec does not", v)
		}
	})
}

// FuzzAddrSpecAgreesWithNetMail: on an address without quotes or brackets,
// addrSpec accepts what net/mail reads as a bare address, no more and no
// less: the two readings of a dot-atom agree.
func FuzzAddrSpecAgreesWithNetMail(f *testing.F) {
	for _, s := range []string{"a@b", "a.b@c.d", "a..b@c", ".a@b", "a.@b", "a@b.", "a@-b", "o'brien@x.edu", "a+b@c", "a@b@c", "zoë@école.example", "a b@c", "a@b (c)", "A <a@b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsAny(v, "\"[]\\") || strings.ContainsFunc(v, func(r rune) bool { return r >= 0x80 && !wideText(r) || r < 0x20 || r == 0x7f }) {
			return // quoted strings and literals are read by hand; net/mail lets control characters through
		}
		a, err := mail.ParseAddress(v)
		netMail := err == nil && a.Name == "" && a.Address == v
		if got := addrSpec(v); got != netMail {
			t.Fatalf("addrSpec(%q) = %v, net/mail says %v (%v)", v, got, netMail, err)
		}
	})
}
