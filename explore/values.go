package explore

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/autosync/autosync/features/hostile"
)

// The values made here are not listed edges: they are drawn, character by
// character, from classes that break naive implementations (SQL LIKE and
// glob wildcards, HTML, JSON and CSV specials, backslashes before quotes,
// characters outside the Basic Multilingual Plane, combining and
// right-to-left marks), at lengths drawn around every limit counted three
// ways (bytes, code points, UTF-16 units). The reference judges each one,
// so nothing here says what the answer should be.

// alphabets are the classes a free value's characters come from.
var alphabets = [][]rune{
	[]rune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
	[]rune("%_*?[]^$.|+()"),                  // LIKE, glob and regular-expression wildcards
	[]rune("<>&'\"/;=`"),                     // HTML and JSON specials
	[]rune(",\"\\ \t"),                       // CSV specials, a backslash, white space
	[]rune("éüßñøÆœçÅ"),                      // two bytes in UTF-8
	[]rune("€中文日本語한국"),                       // three bytes
	[]rune("😀𝒜𝔘🏫𐐷"),                          // outside the BMP: four bytes, two UTF-16 units
	[]rune("\u0301\u0308\u200d\u200c"),       // combining marks and joiners
	[]rune("\u05d0\u05d1\u0627\u0644\u200f"), // right to left
}

// freeText makes a text of n code points drawn from one or two classes.
func freeText(r *rand.Rand, n int) string {
	a := alphabets[r.IntN(len(alphabets))]
	b := alphabets[r.IntN(len(alphabets))]
	var s strings.Builder
	for range n {
		if r.IntN(3) == 0 {
			s.WriteRune(b[r.IntN(len(b))])
		} else {
			s.WriteRune(a[r.IntN(len(a))])
		}
	}
	return s.String()
}

// freeLength draws a length around one of the limits a text meets: a few
// characters, or 255 (code points, bytes and UTF-16 units of a wide
// character land on either side), or bcrypt's 72 bytes.
func freeLength(r *rand.Rand) int {
	switch r.IntN(6) {
	case 0:
		return 254 + r.IntN(3)
	case 1:
		return 127 + r.IntN(2) // 255 bytes or UTF-16 units of a wide character, either side
	case 2:
		return 63 + r.IntN(3) // 255 bytes of a four-byte character, either side
	case 3:
		return 70 + r.IntN(4)
	}
	return 1 + r.IntN(12)
}

// freeValue makes a value of column c that no list holds: a text from the
// classes above, an identifier with the prefix and such a tail, a year of
// any width and sign, a boolean in any letter case with any padding.
func (g *generator) freeValue(r *rand.Rand, c string) string {
	var v string
	switch c {
	case "username":
		v = "{P}f" + freeText(r, 1+r.IntN(6))
	case "librarybarcode", "adminsystemid":
		held := pick(r, []string{"{P}B1", "{P}A1"})
		switch r.IntN(4) {
		case 0: // an identifier of the other column: a barcode and an admin id never collide
			v = held
		case 1: // a variant a LIKE or a glob takes for a value another patron holds
			v, _ = hostile.VariantOf(pick(r, []string{"like-suffix", "like-last", "glob-last"}), held)
		case 2: // a value of the table, or its other normal form
			v = "{P}" + pick(r, hostile.Values()).Text
		default:
			v = "{P}" + freeText(r, 1+r.IntN(6))
		}
	case "enabled", "staffmember":
		w := []rune(pick(r, []string{"y", "yes", "true", "1", "n", "no", "false", "0", "t", "f", "on", "off", "si", "ja"}))
		for i := range w {
			if r.IntN(2) == 0 {
				w[i] = []rune(strings.ToUpper(string(w[i])))[0]
			}
		}
		v = pad(r, string(w))
	case "graduationyear":
		v = pad(r, fmt.Sprintf(pick(r, []string{"%d", "%04d", "%05d", "+%d", "-%d", "%d.0", "%x"}), r.IntN(10000)))
	case "gender":
		v = pad(r, pick(r, []string{"m", "f", "M", "F", "x", "u", "ｍ", "Ｆ", "male"}))
	case "emailaddress":
		v = freeText(r, 1+r.IntN(8)) + pick(r, []string{"@", "@@", "", " @"}) + freeText(r, 1+r.IntN(8)) + pick(r, []string{".example", ".", ""})
	case "password":
		v = freeText(r, freeLength(r))
	case "academiclevel":
		v, _ = hostile.VariantOf(pick(r, hostile.Variants()).Name, g.level)
	case "presentationgrouplabel":
		v, _ = hostile.VariantOf(pick(r, hostile.Variants()).Name, g.group)
	default:
		switch r.IntN(3) {
		case 0:
			v = pick(r, hostile.Values()).Text
		case 1:
			v = pick(r, hostile.Lengths()).Text
		default:
			v = freeText(r, freeLength(r))
		}
	}
	return csvCell(v)
}

// pad adds white space of any kind around v, sometimes.
func pad(r *rand.Rand, v string) string {
	if r.IntN(3) > 0 {
		return v
	}
	ws := []string{" ", "\t", "\u00a0", "\u3000", "  "}
	return pick(r, ws) + v + pick(r, append(ws, ""))
}

// csvCell writes v as a CSV cell: quoted when it must be, and sometimes
// when it need not be.
func csvCell(v string) string {
	if strings.ContainsAny(v, ",\"\r\n") || strings.HasPrefix(v, " ") {
		return quote(v)
	}
	return v
}
