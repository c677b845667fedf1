package features_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/autosync/autosync/features"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the rules and edges tables of docs/rules.md from the catalogue")

const (
	tableStart = "<!-- The rules table is written from features/catalogue.go: go test ./features -update -->\n"
	tableEnd   = "<!-- end of the rules table -->\n"
)

// TestREADMERulesTable: the rules table (docs/rules.md) is the catalogue,
// so the two cannot disagree.
func TestREADMERulesTable(t *testing.T) {
	readmeSection(t, tableStart, tableEnd, features.MarkdownTable(), "rules table")
}

// TestREADMEEdgesTable: the coverage matrix (docs/rules.md) is the
// catalogue's.
func TestREADMEEdgesTable(t *testing.T) {
	readmeSection(t,
		"<!-- The edges table is written from features/edges.go: go test ./features -update -->\n",
		"<!-- end of the edges table -->\n", features.CoverageTable(), "edges table")
}

// readmeSection holds the text of docs/rules.md between the markers start
// and end to want, or with -update writes want there.
func readmeSection(t *testing.T, start, end, want, what string) {
	t.Helper()
	const path = "../docs/rules.md"
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	readme := string(b)
	i := strings.Index(readme, start)
	j := strings.Index(readme, end)
	require.True(t, i >= 0 && j > i, "%s marks its %s with %q and %q", path, what, start, end)
	got := readme[i+len(start) : j]
	if *update && got != want {
		readme = readme[:i+len(start)] + want + readme[j:]
		require.NoError(t, os.WriteFile(path, []byte(readme), 0o644))
		return
	}
	assert.Equal(t, want, got, "the %s of %s differs from the catalogue: run go test ./features -update", what, path)
}

// TestREADMEGoIsExamples: every Go snippet in the README and the pages
// under docs/ is the body of an Example test, so it compiles and its
// output is checked.
func TestREADMEGoIsExamples(t *testing.T) {
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
	found := 0
	for _, page := range docPages(t) {
		b, err := os.ReadFile(page)
		require.NoError(t, err)
		snippets := strings.Split(string(b), "```go\n")[1:]
		found += len(snippets)
		for _, s := range snippets {
			code, _, ok := strings.Cut(s, "```")
			require.True(t, ok)
			assert.Contains(t, examples.String(), code, "a snippet of %s that no Example test holds", page)
		}
	}
	require.NotZero(t, found)
}

// docPages lists the README and the pages under docs/.
func docPages(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob("../docs/*.md")
	require.NoError(t, err)
	require.NotEmpty(t, pages)
	return append([]string{"../README.md", "../CONTRIBUTING.md"}, pages...)
}

// mdLink is a Markdown link or image to a file of the repository: its
// path and its fragment.
var mdLink = regexp.MustCompile(`\]\(([^)\s#]*)(?:#([^)\s]*))?\)`)

// mdHeading is a heading line; fenced code is taken out before it is used.
var mdHeading = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)

var fence = regexp.MustCompile("(?ms)^```.*?^```")

// anchors returns the fragments GitHub makes of a page's headings.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range mdHeading.FindAllStringSubmatch(fence.ReplaceAllString(text, ""), -1) {
		out[slug(m[1])] = true
	}
	return out
}

// slug is the fragment GitHub makes of a heading's text.
func slug(heading string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return '-'
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		}
		return -1
	}, strings.TrimSpace(heading))
}

// sectionHeading is a heading of a section or subsection (## or ###).
var sectionHeading = regexp.MustCompile(`(?m)^(##|###) (.+)$`)

// TestREADMEContents: the README's contents name every section and
// subsection of the pages under docs/ and every section of the README
// itself, so that a heading added to a page is found from the front page.
func TestREADMEContents(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(b)
	start := strings.Index(readme, "\n## Contents\n")
	require.GreaterOrEqual(t, start, 0, "the README has a Contents section")
	contents := readme[start+len("\n## Contents\n"):]
	contents = contents[:strings.Index(contents, "\n## ")]
	for _, m := range sectionHeading.FindAllStringSubmatch(fence.ReplaceAllString(readme, ""), -1) {
		if m[1] == "##" && m[2] != "Contents" {
			assert.Contains(t, contents, "](#"+slug(m[2])+")", "the README's contents lead to its section %q", m[2])
		}
	}
	pages, err := filepath.Glob("../docs/*.md")
	require.NoError(t, err)
	for _, page := range pages {
		b, err := os.ReadFile(page)
		require.NoError(t, err)
		for _, m := range sectionHeading.FindAllStringSubmatch(fence.ReplaceAllString(string(b), ""), -1) {
			link := "](docs/" + filepath.Base(page) + "#" + slug(m[2]) + ")"
			assert.Contains(t, contents, link, "the README's contents lead to %q of %s", m[2], page)
		}
	}
}

// TestDocsLinks: every link from the README, CONTRIBUTING.md and the pages
// under docs/ to a file of the repository finds the file, and the heading
// its fragment names, so that a page split or a heading renamed leaves no
// reader at a dead end.
func TestDocsLinks(t *testing.T) {
	for _, page := range docPages(t) {
		b, err := os.ReadFile(page)
		require.NoError(t, err)
		text := fence.ReplaceAllString(string(b), "")
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			path, frag := m[1], m[2]
			if strings.Contains(path, "://") || strings.HasPrefix(path, "mailto:") {
				continue
			}
			to := page
			if path != "" {
				to = filepath.Join(filepath.Dir(page), path)
			}
			target, err := os.ReadFile(to)
			if !assert.NoError(t, err, "%s links to %s, which is not there", page, path) || frag == "" {
				continue
			}
			assert.True(t, anchors(string(target))[frag], "%s links to %s#%s: no such heading", page, path, frag)
		}
	}
}

// TestREADMEIsAFrontPage: the README says what autosync is, the two
// commands and an example for each reader, and leads to the pages under
// docs/; what a reader of one kind needs goes on that kind's page.
func TestREADMEIsAFrontPage(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	readme := string(b)
	assert.LessOrEqual(t, strings.Count(readme, "\n"), 300, "the README is a front page: put the text on its page under docs/")
	for _, want := range []string{"make run", "make test", "## Contents"} {
		assert.Contains(t, readme, want)
	}
	pages, err := filepath.Glob("../docs/*.md")
	require.NoError(t, err)
	for _, page := range pages {
		assert.Contains(t, readme, "](docs/"+filepath.Base(page)+")", "the README's contents lead to %s", page)
	}
}
