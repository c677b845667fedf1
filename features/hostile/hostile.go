// Package hostile is the table of values that break a naive implementation
// of the endpoint and are valid here: SQL LIKE and glob wildcards, HTML,
// JSON and CSV specials, backslashes before quotes, characters beyond the
// Basic Multilingual Plane, combining and right-to-left characters, every
// length limit counted in bytes, code points and UTF-16 units on both
// sides, lines near 64 KiB, and the patterns and accents a LIKE, a glob or
// an accent-insensitive collation takes for another value. The scenarios (values.feature, through the
// {hostile:NAME} placeholder) and autosync explore draw from this one
// table.
package hostile

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Value is one hostile but valid text value.
type Value struct {
	// Name names the value in the feature files: {hostile:NAME}.
	Name string
	// Text is the value itself.
	Text string
	// Breaks says which naive implementation it breaks.
	Breaks string
}

// Values returns the values that a server must store and quote exactly:
// each is a valid text value (R-ROW-15) that a message quoting it must
// quote as it is, and that matches no other value.
func Values() []Value {
	return []Value{
		{"percent", "100%", "SQL LIKE: % matches any run of characters"},
		{"underscore", "a_b", "SQL LIKE: _ matches any one character"},
		{"star", "a*", "glob: * matches anything"},
		{"question", "a?", "glob: ? matches any one character"},
		{"bracket", "[a]", "glob and LIKE in SQL Server: [a] is a class"},
		{"less-than", "<b>x</b>", "HTML: written unescaped, or escaped as &lt;"},
		{"ampersand", "Tom & Jerry", "HTML: escaped as &amp;"},
		{"apostrophe", "O'Brien", "SQL and messages that quote with '"},
		{"double-quote", `say "hi"`, `JSON: a " not escaped breaks the answer; CSV: doubled inside quotes`},
		{"backslash-quote", `C:\dir\"x`, `PHP's fgetcsv: a backslash before a quote escapes it`},
		{"trailing-backslash", `C:\dir\`, `a backslash before the closing quote (PHP's fgetcsv reads on)`},
		{"comma", "Smith, Jr", "CSV: must be quoted"},
		{"formula", "=1+1", "spreadsheets: a formula"},
		{"json", `{"a":1}`, "JSON written by hand"},
		{"printf", "%s%d", "printf-style formatting of messages"},
		{"astral", "𝒜𝒷𝒸", "characters beyond the BMP: two UTF-16 units, four bytes each"},
		{"emoji", "📚🎓", "characters beyond the BMP that MySQL's utf8 (three bytes) cannot store"},
		{"combining", "Zoe\u0308 Jose\u0301", "combining marks: two code points, one character on screen"},
		{"precomposed", "Zoë José", "the same text precomposed (NFC): another value than the combining one"},
		{"hebrew", "שרה כהן", "right-to-left letters (not format characters)"},
		{"arabic", "مريم", "right-to-left letters (not format characters)"},
		{"cjk", "王小明", "three bytes a character"},
	}
}

// Lookup returns the value named name, or the length value of that name.
func Lookup(name string) (string, bool) {
	for _, v := range Values() {
		if v.Name == name {
			return v.Text, true
		}
	}
	for _, l := range Lengths() {
		if l.Name == name {
			return l.Text, true
		}
	}
	return "", false
}

// Length is a text of a given length, counted three ways, beside the
// 255-character limit of text fields (R-ROW-15), which counts code points.
type Length struct {
	// Name names the value: {hostile:NAME}.
	Name string
	// Text is the value.
	Text string
	// Bytes, CodePoints and UTF16 are its length counted three ways.
	Bytes, CodePoints, UTF16 int
	// Valid says the value is within the limit: at most 255 code points.
	Valid bool
	// Breaks says which counting refuses or lets it through wrongly.
	Breaks string
}

// MaxText is the limit of a text field, in code points (R-ROW-15).
const MaxText = 255

// Lengths returns texts on both sides of the 255-character limit, each
// counted three ways.
func Lengths() []Length {
	mk := func(name, unit string, n int, tail string, breaks string) Length {
		t := strings.Repeat(unit, n) + tail
		cp := utf8.RuneCountInString(t)
		return Length{Name: name, Text: t, Bytes: len(t), CodePoints: cp, UTF16: len(utf16.Encode([]rune(t))), Valid: cp <= MaxText, Breaks: breaks}
	}
	return []Length{
		mk("ascii-255", "x", 255, "", "at the limit"),
		mk("ascii-256", "x", 256, "", "over the limit"),
		mk("two-byte-255", "é", 255, "", "510 bytes: counting bytes refuses it"),
		mk("two-byte-256", "é", 256, "", "over the limit in code points"),
		mk("three-byte-255", "王", 255, "", "765 bytes: counting bytes refuses it"),
		mk("astral-64", "𝒜", 64, "", "256 bytes: counting bytes refuses it"),
		mk("astral-128", "𝒜", 128, "", "256 UTF-16 units: counting as Java, C# or JavaScript do refuses it"),
		mk("astral-255", "𝒜", 255, "", "510 UTF-16 units, 1,020 bytes: at the limit in code points"),
		mk("astral-256", "𝒜", 256, "", "over the limit in code points"),
		mk("combining-127", "e\u0301", 127, "x", "255 code points, 128 characters on screen"),
		mk("combining-128", "e\u0301", 128, "", "256 code points, 128 on screen: counting what shows lets it through"),
	}
}

// Variant is a value that a naive implementation confuses with another:
// Of(v) is valid and differs from v, but a server that matches with SQL
// LIKE, a glob, or another normal form takes it for v. Declared values
// (R-ROW-8, R-ROW-14) must refuse it; unique values (R-ROW-10, R-ROW-11)
// must take it as a value of its own.
type Variant struct {
	// Name names the variant: {hostile:NAME:VALUE} in the feature files.
	Name string
	// Of returns the variant of v.
	Of func(v string) string
	// Breaks says which matching takes it for v.
	Breaks string
}

// Variants returns the ways of writing another value that a naive match
// takes for v.
func Variants() []Variant {
	each := func(r string) func(string) string {
		return func(v string) string { return strings.Repeat(r, utf8.RuneCountInString(v)) }
	}
	lastAs := func(r string) func(string) string {
		return func(v string) string {
			rs := []rune(v)
			return string(rs[:len(rs)-1]) + r
		}
	}
	return []Variant{
		{"like-any", func(string) string { return "%" }, "SQL LIKE: % matches every value"},
		{"like-suffix", func(v string) string { return v + "%" }, "SQL LIKE: v% matches v"},
		{"like-each", each("_"), "SQL LIKE: one _ a character matches v"},
		{"like-last", lastAs("_"), "SQL LIKE: the last character as _ matches v"},
		{"glob-any", func(string) string { return "*" }, "glob: * matches every value"},
		{"glob-each", each("?"), "glob: one ? a character matches v"},
		{"glob-last", lastAs("?"), "glob: the last character as ? matches v"},
		{"glob-class", func(v string) string {
			rs := []rune(v)
			return "[" + string(rs[0]) + "]" + string(rs[1:])
		}, "glob: [c] matches c"},
	}
}

// Folds returns the ways of writing another value that a collation folding
// more than letter case takes for v: MySQL's accent-insensitive collations
// (utf8mb4_0900_ai_ci, the default, and the _general_ci ones) take é for e.
// Unique values and usernames must take each as a value of its own.
func Folds() []Variant {
	return []Variant{
		{"accent-last", accentLast, "an accent-insensitive collation: the last letter accented matches v"},
	}
}

// accentLast returns v with an acute accent on its last ASCII letter,
// precomposed where Unicode has the letter (é), else as a combining mark;
// v with an accent on its end when it has no such letter.
func accentLast(v string) string {
	i := strings.LastIndexFunc(v, func(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) })
	if i < 0 {
		return v + "\u0301"
	}
	return v[:i] + norm.NFC.String(v[i:i+1]+"\u0301") + v[i+1:]
}

// VariantOf returns the variant or fold named name of v.
func VariantOf(name, v string) (string, bool) {
	if v == "" {
		return "", false
	}
	for _, x := range append(Variants(), Folds()...) {
		if x.Name == name {
			return x.Of(v), true
		}
	}
	return "", false
}

// CSV returns v as one quoted CSV field: quotes doubled, in quotes.
func CSV(v string) string {
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// LongLine is a cell of n bytes for a column the server ignores: a line
// of a file that holds it is longer than line-based readers take (64 KiB
// for bufio.Scanner, 8 KiB for some).
func LongLine(n int) string {
	return strings.Repeat("lorem ipsum ", n/12+1)[:n]
}
