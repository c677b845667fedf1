package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRulesIsTheEngineFace: package rules names every exported name of
// the engine (mockserver/internal/engine) as its own, and nothing else,
// but for the names that exist for the judges' seam alone, which only
// mockserver/deviant uses: a name the engine gains is either part of the
// public face or of the seam, never forgotten.
func TestRulesIsTheEngineFace(t *testing.T) {
	engine := exported(t, "../internal/engine")
	face := exported(t, ".")
	deviant := ""
	files, err := filepath.Glob("../deviant/*.go")
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		deviant += string(b)
	}
	for name := range face {
		assert.True(t, engine[name], "rules.%s is not the engine's", name)
	}
	for name := range engine {
		seam := regexp.MustCompile(`\bengine\.` + name + `\b`).MatchString(deviant)
		switch {
		case face[name] && seam:
			t.Errorf("engine.%s is both public (rules.%s) and used by the seam alone: one of them", name, name)
		case !face[name] && !seam:
			t.Errorf("engine.%s is neither in rules.go nor used by mockserver/deviant: name it in rules.go", name)
		}
	}
}

// exported returns the exported top-level names of the package in dir.
func exported(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	names := map[string]bool{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							names[s.Name.Name] = true
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								names[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	return names
}
