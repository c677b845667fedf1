package mockserver_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAnswersDeclaredInOneFile: every answer the server refuses a request
// with (an apiError) is declared in errors.go, so that they can be read,
// and their wording kept alike, in one place.
func TestAnswersDeclaredInOneFile(t *testing.T) {
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if name == "errors.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.CompositeLit); ok {
				if id, ok := lit.Type.(*ast.Ident); ok && id.Name == "apiError" {
					assert.Fail(t, "an answer declared outside errors.go", "%s: declare it in errors.go", fset.Position(lit.Pos()))
				}
			}
			return true
		})
	}
}
