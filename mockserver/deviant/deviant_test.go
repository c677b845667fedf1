package deviant

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/autosync/autosync/features"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryEntryIsWhole: every deviation has a name of its own, breaks a
// rule of the catalogue, and does one thing: rewrite the judges, or wrap
// the server.
func TestEveryEntryIsWhole(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range features.Rules() {
		ids[r.ID] = true
	}
	names := map[string]bool{}
	for _, d := range All() {
		assert.NotEmpty(t, d.Name())
		assert.False(t, names[d.Name()], "%s: two deviations have that name", d)
		names[d.Name()] = true
		assert.True(t, ids[d.Rule()], "%s breaks %q, which is no rule of the catalogue", d, d.Rule())
		assert.True(t, (d.judges == nil) != (d.wrap == nil), "%s: an entry rewrites the judges or wraps the server, one of them", d)
		got, ok := Lookup(d.Name())
		assert.True(t, ok)
		assert.Equal(t, d.Rule(), got.Rule())
	}
	_, ok := Lookup("no-such-deviation")
	assert.False(t, ok)
	assert.Panics(t, func() { With("no-such-deviation") })
}

// TestEveryRuleIsBroken: every rule of the catalogue is broken by at least
// one deviation, so that the proof (steps/deviations) shows the suite and
// explore failing a server that breaks it.
func TestEveryRuleIsBroken(t *testing.T) {
	broken := map[string]bool{}
	for _, d := range All() {
		broken[d.Rule()] = true
	}
	for _, r := range features.Rules() {
		assert.True(t, broken[r.ID], "%s: no deviation breaks it; add one (CONTRIBUTING.md, A new rule)", r.ID)
	}
}

// TestOnlyTestsImportDeviant: no package of the module imports deviant
// but in its tests, so nothing built for use can break a rule on purpose.
func TestOnlyTestsImportDeviant(t *testing.T) {
	if testing.Short() {
		t.Skip("lists the module's packages: run without -short")
	}
	t.Parallel()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "github.com/autosync/autosync/...").Output()
	require.NoError(t, err)
	const self = "github.com/autosync/autosync/mockserver/deviant"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			assert.NotEqual(t, self, imp, "%s imports deviant outside its tests", pkg)
		}
	}
}

// TestJudgesMakeTheServerSerial: a server whose engine has a deviation's
// judges runs one import or check at a time, since those judges remember
// the rows of the file they are in; one whose deviations wrap it alone
// need not.
func TestJudgesMakeTheServerSerial(t *testing.T) {
	judged, _ := Lookup("repeat-counted-as-created")
	wrapped, _ := Lookup("options-answered")
	require.NotNil(t, judged.judges)
	require.NotNil(t, wrapped.wrap)
	assert.True(t, build([]Deviation{judged}).Serial)
	assert.True(t, build([]Deviation{wrapped, judged}).Serial)
	assert.False(t, build([]Deviation{wrapped}).Serial)
}
