package features_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autosync/autosync/features"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the README's rules and edges tables from the catalogue")

const (
	tableStart = "<!-- The rules table is written from features/catalogue.go: go test ./features -update -->\n"
	tableEnd   = "<!-- end of the rules table -->\n"
)

// TestREADMERulesTable: the README's rules table is the catalogue, so the
// two cannot disagree.
func TestREADMERulesTable(t *testing.T) {
	readmeSection(t, tableStart, tableEnd, features.MarkdownTable(), "rules table")
}

// TestREADMEEdgesTable: the README's coverage matrix is the catalogue's.
func TestREADMEEdgesTable(t *testing.T) {
	readmeSection(t,
		"<!-- The edges table is written from features/edges.go: go test ./features -update -->\n",
		"<!-- end of the edges table -->\n", features.CoverageTable(), "edges table")
}

// readmeSection holds the README's text between the markers start and end
// to want, or with -update writes want there.
func readmeSection(t *testing.T, start, end, want, what string) {
	t.Helper()
	const path = "../README.md"
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	readme := string(b)
	i := strings.Index(readme, start)
	j := strings.Index(readme, end)
	require.True(t, i >= 0 && j > i, "the README marks its %s with %q and %q", what, start, end)
	got := readme[i+len(start) : j]
	if *update && got != want {
		readme = readme[:i+len(start)] + want + readme[j:]
		require.NoError(t, os.WriteFile(path, []byte(readme), 0o644))
		return
	}
	assert.Equal(t, want, got, "the README's %s differs from the catalogue: run go test ./features -update", what)
}

// TestREADMEGoIsExamples: every Go snippet in the README is the body of an
// Example test, so it compiles and its output is checked.
func TestREADMEGoIsExamples(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	var examples strings.Builder
	for _, dir := range []string{"../mockserver", "../mockserver/rules", "../steps"} {
		files, err := filepath.Glob(filepath.Join(dir, "example_test.go"))
		require.NoError(t, err)
		for _, f := range files {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			// Example bodies are indented one tab more than a snippet.
			examples.WriteString(strings.ReplaceAll(string(src), "\n\t", "\n"))
		}
	}
	snippets := strings.Split(string(b), "```go\n")[1:]
	require.NotEmpty(t, snippets)
	for _, s := range snippets {
		code, _, ok := strings.Cut(s, "```")
		require.True(t, ok)
		assert.Contains(t, examples.String(), code, "a README snippet that no Example test holds")
	}
}
