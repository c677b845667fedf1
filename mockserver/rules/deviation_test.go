package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autosync/autosync/features"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeviationsLiveInOnePlace: a deviation is named, and so checked, only
// in the deviation files (deviation.go and deviation_*.go, here and in the
// server); the rule functions do not know deviations exist.
func TestDeviationsLiveInOnePlace(t *testing.T) {
	names := map[string]bool{}
	for _, d := range AllDeviations() {
		require.NotEmpty(t, d.String())
		require.NotEmpty(t, d.Rule(), "%s breaks a rule", d)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "deviation.go", nil, 0)
	require.NoError(t, err)
	for _, decl := range f.Decls {
		if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.CONST && isDeviationBlock(g) {
			for _, spec := range g.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if n.Name != "endDeviations" {
						names[n.Name] = true
					}
				}
			}
		}
	}
	require.Len(t, names, len(AllDeviations()), "every deviation constant is found")

	for _, dir := range []string{".", ".."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, file := range files {
			if base := filepath.Base(file); strings.HasSuffix(base, "_test.go") || base == "deviation.go" || strings.HasPrefix(base, "deviation_") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
			require.NoError(t, err)
			ast.Inspect(f, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && names[id.Name] {
					t.Errorf("%s names the deviation %s: deviations live in the deviation files alone", file, id.Name)
				}
				return true
			})
		}
	}
}

// isDeviationBlock reports whether a const block declares deviations: its
// first constant is of type Deviation.
func isDeviationBlock(g *ast.GenDecl) bool {
	if len(g.Specs) == 0 {
		return false
	}
	id, ok := g.Specs[0].(*ast.ValueSpec).Type.(*ast.Ident)
	return ok && id.Name == "Deviation"
}

// TestEveryRuleIsBroken: every rule of the catalogue is broken by at least
// one deviation, so that the proof (steps/deviations) shows the suite and
// explore failing a server that breaks it.
func TestEveryRuleIsBroken(t *testing.T) {
	broken := map[string]bool{}
	for _, d := range AllDeviations() {
		broken[d.Rule()] = true
	}
	for _, r := range features.Rules() {
		assert.True(t, broken[r.ID], "%s: no deviation breaks it; add one (CONTRIBUTING.md, A new rule)", r.ID)
	}
}
