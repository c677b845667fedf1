package reports_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/reports"
)

// TestDocsListTheFormats: the pages that list the report formats list
// exactly those of the table, so a format added to Formats and forgotten
// there fails here.
func TestDocsListTheFormats(t *testing.T) {
	var names []string
	for _, f := range reports.Formats {
		names = append(names, f.Name)
	}
	for _, tt := range []struct{ page, line string }{
		{"../docs/vendors.md", "| `--format F` |"},
		{"../docs/layout.md", "reports/ "},
	} {
		b, err := os.ReadFile(tt.page)
		require.NoError(t, err)
		var row string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, tt.line) {
				row = l
			}
		}
		require.NotEmpty(t, row, "%s has a line starting %q", tt.page, tt.line)
		var listed []string
		for _, w := range regexp.MustCompile("[a-z]+").FindAllString(row, -1) {
			if _, ok := reports.Named(w); ok && !contains(listed, w) {
				listed = append(listed, w)
			}
		}
		assert.Equal(t, names, listed, "%s: %s", tt.page, row)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
