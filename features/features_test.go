package features_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/steps"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCatalogueCoverage: every rule of the catalogue has a scenario, every
// scenario names known rules and one kind that its rules have, and scenario
// names are unique (they are report lines and subtest names).
func TestCatalogueCoverage(t *testing.T) {
	catalogue := map[string]features.Rule{}
	for _, r := range features.Rules() {
		require.NotContains(t, catalogue, r.ID, "rule listed twice")
		require.NotEmpty(t, r.Kinds, r.ID)
		require.NotEmpty(t, r.Statement, r.ID)
		if slices.Contains(r.Kinds, features.Documented) {
			assert.NotEmpty(t, r.Quote, "%s is documented: quote the source", r.ID)
		}
		catalogue[r.ID] = r
	}
	scenarios, err := steps.Scenarios()
	require.NoError(t, err)
	require.NotEmpty(t, scenarios)

	covered := map[string]bool{}
	names := map[string]bool{}
	for _, sc := range scenarios {
		assert.False(t, names[sc.Name], "scenario name used twice: %q", sc.Name)
		names[sc.Name] = true
		var ids, kinds []string
		for _, tag := range sc.Tags {
			name := strings.TrimPrefix(tag, "@")
			switch {
			case strings.HasPrefix(name, "R-"):
				ids = append(ids, name)
			case name == "documented" || name == "evidence" || name == "decided":
				kinds = append(kinds, name)
			}
		}
		assert.NotEmpty(t, ids, "%s: %q names no rule", sc.URI, sc.Name)
		assert.Len(t, kinds, 1, "%s: %q needs exactly one kind tag", sc.URI, sc.Name)
		for _, id := range ids {
			rule, ok := catalogue[id]
			if !assert.True(t, ok, "%s: %q tags unknown rule %s", sc.URI, sc.Name, id) {
				continue
			}
			covered[id] = true
			for _, k := range kinds {
				assert.Contains(t, rule.Kinds, features.Kind(k), "%s: %q is @%s but %s is not", sc.URI, sc.Name, k, id)
			}
		}
	}
	for id := range catalogue {
		assert.True(t, covered[id], "rule %s has no scenario", id)
	}
}

// TestEdgesCovered: every rule has edges, in dimensions that exist, and
// every edge names a scenario of its rule; so a cell of the coverage matrix
// without a scenario fails here.
func TestEdgesCovered(t *testing.T) {
	scenarios, err := steps.Scenarios()
	require.NoError(t, err)
	tagged := map[string]map[string]bool{} // scenario name → its rule tags
	for _, sc := range scenarios {
		tags := map[string]bool{}
		for _, tag := range sc.Tags {
			tags[strings.TrimPrefix(tag, "@")] = true
		}
		tagged[sc.Name] = tags
	}
	edges := features.Edges()
	known := map[string]bool{}
	for _, r := range features.Rules() {
		known[r.ID] = true
		assert.NotEmpty(t, edges[r.ID], "rule %s has no edges in features/edges.go", r.ID)
	}
	for id, list := range edges {
		assert.True(t, known[id], "edges of %s, which the catalogue lacks", id)
		seen := map[string]bool{}
		for _, e := range list {
			assert.Contains(t, features.Dimensions(), e.Dimension, "%s: %q", id, e.Name)
			assert.False(t, seen[e.Name], "%s: the edge %q is listed twice", id, e.Name)
			seen[e.Name] = true
			tags, ok := tagged[e.Scenario]
			if assert.True(t, ok, "%s, %s %q: no scenario is named %q", id, e.Dimension, e.Name, e.Scenario) {
				assert.True(t, tags[id], "%s, %s %q: the scenario %q is not tagged @%s", id, e.Dimension, e.Name, e.Scenario, id)
			}
		}
	}
}

// goFiles lists the project's Go files, tests or not.
func goFiles(t *testing.T, tests bool) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != ".." || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, ".go") && strings.HasSuffix(path, "_test.go") == tests {
			out = append(out, path)
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

var ruleID = regexp.MustCompile(`^"R-(HTTP|AUTH|CSV|ROW|RES)-[0-9]+"$`)

// TestRulesByName: code names a rule by its identifier (features.ROW1),
// never by a string, so that a rule the catalogue lacks does not build.
func TestRulesByName(t *testing.T) {
	for _, path := range goFiles(t, false) {
		declares := strings.HasSuffix(path, filepath.Join("features", "catalogue.go"))
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		require.NoError(t, err)
		ast.Inspect(file, func(n ast.Node) bool {
			if d, ok := n.(*ast.GenDecl); ok && declares && d.Tok == token.CONST {
				return false // the identifiers themselves
			}
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && ruleID.MatchString(lit.Value) {
				t.Errorf("%s names the rule %s by a string: use features.%s", path, lit.Value,
					strings.ReplaceAll(strings.TrimPrefix(strings.Trim(lit.Value, `"`), "R-"), "-", ""))
			}
			return true
		})
	}
}

// TestEveryRuleHasCodeAndTest: every rule of the catalogue is named by the
// server's code that implements it (an identifier or its doc), and by a
// test or a fixture named after it; TestCatalogueCoverage holds its
// scenarios.
func TestEveryRuleHasCodeAndTest(t *testing.T) {
	read := func(paths []string) string {
		var b strings.Builder
		for _, p := range paths {
			src, err := os.ReadFile(p)
			require.NoError(t, err)
			b.Write(src)
		}
		return b.String()
	}
	var server []string
	for _, p := range goFiles(t, false) {
		if strings.Contains(p, string(filepath.Separator)+"mockserver"+string(filepath.Separator)) && !strings.Contains(p, string(filepath.Separator)+"deviant"+string(filepath.Separator)) {
			server = append(server, p)
		}
	}
	code, tests := read(server), read(goFiles(t, true))
	fixtures, err := os.ReadDir("../fixtures")
	require.NoError(t, err)
	for _, r := range features.Rules() {
		ident := "features." + strings.ReplaceAll(strings.TrimPrefix(r.ID, "R-"), "-", "")
		mention := regexp.MustCompile(regexp.QuoteMeta(r.ID) + `\b`)
		assert.True(t, strings.Contains(code, ident) || mention.MatchString(code), "%s: no code of the server names it (%s, or %s in its doc)", r.ID, ident, r.ID)
		fixture := slices.ContainsFunc(fixtures, func(e os.DirEntry) bool {
			return strings.HasPrefix(e.Name(), strings.ToLower(r.ID)+"-")
		})
		assert.True(t, fixture || strings.Contains(tests, ident) || mention.MatchString(tests), "%s: no test or fixture names it", r.ID)
	}
}
