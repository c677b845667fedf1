package explore

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// TestGenerationReachesUnlistedValues: a run's episodes hold what no list
// of edges names: characters outside the Basic Multilingual Plane, LIKE
// wildcards in a declared value, an admin id's form as a barcode, texts
// around 255 counted in bytes, sequences of three imports or more, and a
// refused request with an empty file.
func TestGenerationReachesUnlistedValues(t *testing.T) {
	g := &generator{level: "K", group: "Senior School"}
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for range 1000 {
		ep := g.episode(r)
		uploads := 0
		for _, st := range ep {
			if st.kind == upload {
				uploads++
			}
			if st.kind == credentials && st.file != nil && st.file.empty {
				seen["a refusal with an empty file"] = true
			}
			if st.file == nil || st.file.empty {
				continue
			}
			for _, row := range st.file.rows {
				for i, cell := range row {
					col := ""
					if i < len(st.file.header) {
						col = headerName(st.file.header[i])
					}
					v := unquote(cell)
					if strings.ContainsFunc(v, func(c rune) bool { return c > 0xffff }) {
						seen["outside the BMP"] = true
					}
					if col == "academiclevel" && strings.ContainsAny(v, "%_") {
						seen["a wildcard in a declared value"] = true
					}
					if col == "librarybarcode" && v == "{P}A1" {
						seen["an admin id's form as a barcode"] = true
					}
					if n := len(v); n > 255 && utf8.RuneCountInString(v) <= 255 {
						seen["more than 255 bytes in at most 255 code points"] = true
					}
				}
			}
		}
		if uploads >= 3 {
			seen["a sequence of three imports"] = true
		}
	}
	for _, want := range []string{"outside the BMP", "a wildcard in a declared value", "an admin id's form as a barcode",
		"more than 255 bytes in at most 255 code points", "a sequence of three imports", "a refusal with an empty file"} {
		assert.True(t, seen[want], "no episode of 1000 has %s", want)
	}
}

// TestLengthMarks: a cell that ends in a length mark is exactly that many
// characters once its prefix, of whatever length, is written, quoted or
// not; the rest of the file is as it was. The scenarios' padded usernames
// reach explore so, in its file of their values.
func TestLengthMarks(t *testing.T) {
	for _, prefix := range []string{"p-", "ci-run-7x12-"} {
		file := withPrefix("username,librarybarcode\n{P}n1{len:255:𝒜},\"{P}B5{len:256:x}\"\r\n{P}n2,x\n", prefix)
		lines := strings.Split(file, "\n")
		first, second, _ := strings.Cut(strings.TrimSuffix(lines[1], "\r"), ",")
		assert.Equal(t, 255, utf8.RuneCountInString(first), prefix)
		assert.True(t, strings.HasPrefix(first, prefix+"n1𝒜"))
		assert.Equal(t, 256, utf8.RuneCountInString(strings.Trim(second, `"`)), prefix)
		assert.True(t, strings.HasSuffix(strings.Trim(second, `"`), "xx"))
		assert.Equal(t, prefix+"n2,x", lines[2])
		assert.NotContains(t, file, "{len:")

		names := usernames(examplesFile().render(prefix))
		assert.True(t, slices.ContainsFunc(names, func(n string) bool {
			return strings.HasPrefix(n, prefix+"bob") && utf8.RuneCountInString(n) == 256
		}), "the scenarios' username one past the limit, padded to it")
	}
}

// TestDigitsStandForThePrefix: {D} is the prefix in digits alone, the same
// for one prefix and another for another, so a barcode of digits is the
// episode's own; the scenarios' barcodes of digits reach explore so.
func TestDigitsStandForThePrefix(t *testing.T) {
	a, b := withPrefix("{D}9849,00{D}9849", "x1-"), withPrefix("{D}9849", "x2-")
	first, second, _ := strings.Cut(a, ",")
	assert.Regexp(t, `^[1-9][0-9]{9}9849$`, first)
	assert.Equal(t, "00"+first, second)
	assert.NotEqual(t, first, b)
	assert.Equal(t, a, withPrefix("{D}9849,00{D}9849", "x1-"))
	assert.Contains(t, string(examplesFile().render("x1-")), ",00"+first)
}

// TestAddedStepsAreCounted: the steps a run ends with are as many as the
// run reserves for them.
func TestAddedStepsAreCounted(t *testing.T) {
	assert.Len(t, (&generator{level: "K", group: "Senior School"}).addedSteps(), addedSteps)
}
