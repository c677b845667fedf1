package explore

import (
	"math/rand/v2"
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
