package features_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/autosync/autosync/features"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the README's rules table from the catalogue")

const (
	tableStart = "<!-- The rules table is written from features/catalogue.go: go test ./features -update -->\n"
	tableEnd   = "<!-- end of the rules table -->\n"
)

// TestREADMERulesTable: the README's rules table is the catalogue, so the
// two cannot disagree.
func TestREADMERulesTable(t *testing.T) {
	const path = "../README.md"
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	readme := string(b)
	start := strings.Index(readme, tableStart)
	end := strings.Index(readme, tableEnd)
	require.True(t, start >= 0 && end > start, "the README marks its rules table with %q and %q", tableStart, tableEnd)
	got := readme[start+len(tableStart) : end]
	want := features.MarkdownTable()
	if *update && got != want {
		readme = readme[:start+len(tableStart)] + want + readme[end:]
		require.NoError(t, os.WriteFile(path, []byte(readme), 0o644))
		return
	}
	assert.Equal(t, want, got, "the README's rules table differs from the catalogue: run go test ./features -update")
}
