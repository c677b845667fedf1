package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinaryHasNoDeviations: the rules the reference server breaks on
// purpose (mockserver.WithDeviations, rules.NewDeviant) are test code;
// the autosync binary links none of it.
func TestBinaryHasNoDeviations(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "autosync")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command("go", "tool", "nm", bin).Output()
	require.NoError(t, err)
	symbols := string(out)
	require.Contains(t, symbols, "mockserver/rules.(*Engine).Import", "the engine is linked, so its symbols are listed")
	for _, line := range strings.Split(symbols, "\n") {
		for _, test := range []string{"rules.Deviations", "rules.NewDeviant", "rules.deviationNames", "mockserver.(*server).deviant", "mockserver.(*answer)", "mockserver.WithDeviations"} {
			assert.NotContains(t, line, test, "test-only code in the binary")
		}
	}
}
