package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinaryHasNoDeviations: the rules the reference server breaks on
// purpose (package mockserver/deviant, through engine.NewWith and
// mockserver.WithSeam) are test code; the autosync binary links none of it.
func TestBinaryHasNoDeviations(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "autosync")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command("go", "tool", "nm", bin).Output()
	require.NoError(t, err)
	symbols := string(out)
	require.Contains(t, symbols, "mockserver/internal/engine.(*Engine).Import", "the engine is linked, so its symbols are listed")
	for _, line := range strings.Split(symbols, "\n") {
		for _, test := range []string{"mockserver/deviant.", "engine.NewWith", "mockserver.WithSeam"} {
			assert.NotContains(t, line, test, "test-only code in the binary")
		}
	}
}

// TestNoProgramAtStartUp: no command runs another program as it starts
// (godog's builder ran "go env GOTOOLDIR", see noexec). A "go" first on
// the PATH that leaves a mark shows it.
func TestNoProgramAtStartUp(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(dir, "ran")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go"), []byte("#!/bin/sh\necho \"$@\" >> '"+mark+"'\n"), 0o755))
	self, err := os.Executable()
	require.NoError(t, err)
	for _, args := range [][]string{{"version"}, {"help"}, {"lint", "--help"}} {
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), "AUTOSYNC_RUN_MAIN=1", "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, _ := cmd.CombinedOutput()
		require.NotEmpty(t, out, "autosync %v ran", args)
		ran, _ := os.ReadFile(mark)
		assert.Empty(t, string(ran), "autosync %v started go at start-up", args)
	}
}
