package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommandLineSaysItOnce: each mistake a first-time user made is
// answered in one plain line that names what to change.
func TestCommandLineSaysItOnce(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name     string
		args     []string
		code     int
		want     string
		notWant  string
		onStdout bool
	}{
		{"verify on a closed port", []string{"verify", "--explore", "0", "--target", "http://127.0.0.1:1", "--password", "x", "--academic-level", "7", "--presentation-group", "S"},
			3, "target unreachable: http://127.0.0.1:1/api/import/users: connect: connection refused", "target unreachable: target unreachable", true},
		{"lint of a folder", []string{"lint", dir}, exitUsage, "is a folder: name the CSV file in it", "read: read", false},
		{"fake with a negative -n", []string{"fake", "-n", "-5"}, exitUsage, "-n -5: give how many patrons", "seed", false},
		{"serve without a port", []string{"serve", "--addr", "nohost"}, exitUsage, `--addr "nohost": give HOST:PORT`, "default password", false},
		{"help version", []string{"help", "version"}, exitOK, "Usage: autosync version", "", true},
		{"help fake", []string{"help", "fake"}, exitOK, "Exit codes: 0 written", "--n rows", true},
		{"fake's -n", []string{"help", "fake"}, exitOK, "  -n rows", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errOut := testEnv(nil)
			code := run(context.Background(), e, tt.args)
			assert.Equal(t, tt.code, code, "stderr: %s", errOut.String())
			got := errOut.String()
			if tt.onStdout {
				got = out.String()
			}
			assert.Contains(t, got, tt.want)
			if tt.notWant != "" {
				assert.NotContains(t, got, tt.notWant)
			}
			if !tt.onStdout {
				assert.LessOrEqual(t, strings.Count(strings.TrimSpace(got), "\n"), 5, "a few lines: %s", got)
			}
		})
	}
}

// TestHelpSaysWhatTheCommandTakes: each command's help lists its own flags
// and formats only, each default said once; explore refuses verify's suite
// flags, naming what to run instead, rather than taking them silently.
func TestHelpSaysWhatTheCommandTakes(t *testing.T) {
	for _, c := range commands() {
		e, out, _ := testEnv(nil)
		require.Equal(t, exitOK, run(context.Background(), e, []string{"help", c.name}), c.name)
		for _, line := range strings.Split(out.String(), "\n") {
			assert.LessOrEqual(t, strings.Count(line, "(default"), 1, "%s: %q", c.name, line)
			assert.NotContains(t, line, "(default 0s)", c.name)
		}
	}
	e, out, _ := testEnv(nil)
	require.Equal(t, exitOK, run(context.Background(), e, []string{"help", "explore"}))
	for _, verifys := range []string{"--list", "--coverage", "--explore N", "--tags", "cucumber"} {
		assert.NotContains(t, out.String(), verifys, "explore's help")
	}
	assert.Contains(t, out.String(), "--runs N")
	for _, args := range [][]string{{"--explore", "5"}, {"--explore=5"}, {"--list"}, {"--tags", "@documented"}, {"--list", "--coverage"}} {
		e, _, errOut := testEnv(nil)
		assert.Equal(t, exitUsage, run(context.Background(), e, append([]string{"explore"}, args...)), "%v", args)
		assert.Contains(t, errOut.String(), "is verify's: autosync ", "%v", args)
		assert.Equal(t, 1, strings.Count(errOut.String(), "explore:"), "%v: %q", args, errOut)
	}
}
