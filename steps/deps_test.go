package steps

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// imports lists the packages the non-test Go files of dir import.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out = append(out, p)
		}
	}
	require.NotEmpty(t, out, dir)
	return out
}

// TestTheSuiteDoesNotImportTheServer: the suite's expectations come from the
// feature text and fixtures alone. If the steps, the features or the
// fixtures used the server's code, the server and the suite would agree by
// construction and prove nothing.
func TestTheSuiteDoesNotImportTheServer(t *testing.T) {
	for _, dir := range []string{".", "../target", "../reports", "../features", "../fixtures"} {
		for _, p := range imports(t, dir) {
			assert.NotContains(t, p, "/mockserver", "%s imports %s", dir, p)
		}
	}
}

// TestTheRuleEngineKnowsNoHTTP: the engine and the store are used offline
// by lint and fake.
func TestTheRuleEngineKnowsNoHTTP(t *testing.T) {
	for _, dir := range []string{"../mockserver/rules", "../mockserver/internal/engine", "../mockserver/store", "../mockserver/internal/storage"} {
		for _, p := range imports(t, dir) {
			assert.False(t, strings.HasPrefix(p, "net/http") || strings.Contains(p, "httpmock"), "%s imports %s", dir, p)
			assert.NotEqual(t, "github.com/autosync/autosync/mockserver", p, "%s imports the server", dir)
		}
	}
}

// TestToolsDoNotImportTheServer: lint, fake and push judge files with the
// rule engine alone; the HTTP server is not theirs to need.
func TestToolsDoNotImportTheServer(t *testing.T) {
	for _, dir := range []string{"../cmd/autosync/internal/lint", "../cmd/autosync/internal/push", "../fixtures/fake"} {
		for _, p := range imports(t, dir) {
			assert.NotEqual(t, "github.com/autosync/autosync/mockserver", p, "%s imports the server", dir)
		}
	}
}

// TestUnsafeStaysInside: unsafe is used only by the reader's batches and
// the store's internals, so no unsafe value reaches a caller.
func TestUnsafeStaysInside(t *testing.T) {
	allowed := map[string]bool{"../mockserver/internal/engine/reader.go": true}
	for _, dir := range []string{"../api", "../cmd/autosync", "../cmd/autosync/internal/lint", "../cmd/autosync/internal/push",
		"../internal/safe", "../internal/probe", "../internal/atomicfile", "../features", "../fixtures", "../fixtures/fake", "../mockserver", "../mockserver/mocktest",
		"../mockserver/rules", "../mockserver/internal/engine", "../mockserver/internal/seam", "../mockserver/deviant", "../mockserver/store", ".", "../target", "../target/builtin", "../reports", "../explore"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || allowed[f] {
				continue
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range file.Imports {
				assert.NotEqual(t, `"unsafe"`, imp.Path.Value, "%s imports unsafe", f)
			}
		}
	}
}

// TestTheTargetAndReportsDoNotNeedGodog: a client that judges a target by
// other means than the Gherkin suite (autosync explore, and any other)
// reaches the target and the reports without the suite's godog steps, so
// that it neither builds nor links them. go list -deps follows every
// import, the standard library's and the modules' too. The Gherkin parser
// alone (cucumber's gherkin and messages modules) is allowed: explore reads
// the scenarios' values with it (package features/examples).
func TestTheTargetAndReportsDoNotNeedGodog(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "go list reads the imports")
	pkgs := []string{"../target", "../target/builtin", "../reports", "../explore", "../clientcheck"}
	out, err := exec.Command(goCmd, append([]string{"list", "-deps", "-f", "{{.ImportPath}} {{.Imports}}"}, pkgs...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Contains(t, string(out), "github.com/autosync/autosync/explore ", "go list listed the packages")
	for _, line := range strings.Split(string(out), "\n") {
		pkg, _, _ := strings.Cut(line, " ")
		parser := strings.HasPrefix(pkg, "github.com/cucumber/gherkin/") || strings.HasPrefix(pkg, "github.com/cucumber/messages/")
		assert.False(t, strings.Contains(pkg, "godog") || strings.Contains(pkg, "/cucumber/") && !parser || pkg == "github.com/autosync/autosync/steps",
			"%s is a dependency of %v: a client of the target and the reports would build the suite", pkg, pkgs)
	}
}
