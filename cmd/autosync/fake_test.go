package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFakeCommand runs the README's examples and checks --expect against a
// separately started reference server.
func TestFakeCommand(t *testing.T) {
	dir := t.TempDir()
	base, _, _ := startServe(t, nil, "--quiet")
	url := withCreds(base, "autoimport", "autoimport") + "/api/import/users"

	e, out, errOut := testEnv(nil)
	require.Equal(t, exitOK, run(context.Background(), e, []string{"fake", "-n", "5000", "--seed", "7"}), errOut.String())
	school := out.String()
	assert.Len(t, strings.Split(strings.TrimSpace(school), "\n"), 5001)
	assert.Contains(t, errOut.String(), "5000 rows (")
	e, again, _ := testEnv(nil)
	run(context.Background(), e, []string{"fake", "-n", "5000", "--seed", "7"})
	assert.Equal(t, school, again.String(), "same seed, same bytes")
	status, body := postCSV(t, http.DefaultClient, url, school)
	assert.Equal(t, 200, status)
	assert.Equal(t, `{"success":true,"summary":"5000 users processed. 5000 users created. 0 users updated. 0 users failed."}`, body)

	schoolFile := filepath.Join(dir, "users.csv")
	require.NoError(t, os.WriteFile(schoolFile, []byte(school), 0o644))
	e, nightly, errOut := testEnv(nil)
	require.Equal(t, exitOK, run(context.Background(), e, []string{"fake", "--update-from", schoolFile, "--seed", "8"}), errOut.String())
	status, body = postCSV(t, http.DefaultClient, url, nightly.String())
	assert.Equal(t, 200, status)
	assert.Contains(t, body, "users updated. 0 users failed.")
	assert.Contains(t, body, " 100 users created.", "2% new enrolments of 5,000")

	expectFile := filepath.Join(dir, "expected.json")
	e, faulty, errOut := testEnv(nil)
	require.Equal(t, exitOK, run(context.Background(), e, []string{"fake", "-n", "500", "--seed", "3", "--invalid", "0.1", "--expect", expectFile}), errOut.String())
	assert.Contains(t, errOut.String(), "with a fault: ")
	want, err := os.ReadFile(expectFile)
	require.NoError(t, err)
	// A server that already holds other patrons would answer differently:
	// --expect is for an empty server.
	fresh, _, _ := startServe(t, nil, "--quiet")
	status, body = postCSV(t, http.DefaultClient, withCreds(fresh, "autoimport", "autoimport")+"/api/import/users", faulty.String())
	assert.Equal(t, 200, status)
	assert.Equal(t, string(want), body)
	var v struct{ Success bool }
	require.NoError(t, json.Unmarshal(want, &v))
	assert.False(t, v.Success)
}

func TestFakeUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--fault", "nonsense"}, `unknown fault "nonsense"`},
		{[]string{"--dialect", "ebcdic"}, `unknown dialect "ebcdic"`},
		{[]string{"--columns", "username,shoesize"}, `"shoesize" is not a recognised column`},
		{[]string{"--columns", "enabled"}, "must include username"},
		{[]string{"--update-from", "/no/such/file"}, "--update-from"},
		{[]string{"--invalid", "2"}, "not between 0 and 1"},
	} {
		for _, seed := range [][]string{{"--seed", "1"}, nil} {
			e, _, errOut := testEnv(nil)
			assert.Equal(t, exitUsage, run(context.Background(), e, append(append([]string{"fake"}, seed...), tt.args...)), tt.args)
			assert.Contains(t, errOut.String(), tt.want)
			// One line, the command named once, and no seed for a run
			// that wrote nothing.
			assert.Equal(t, 1, strings.Count(errOut.String(), "\n"), "%v: %q", tt.args, errOut)
			assert.Equal(t, 1, strings.Count(errOut.String(), "fake:"), "%v: %q", tt.args, errOut)
			assert.NotContains(t, errOut.String(), "seed", tt.args)
		}
	}
	e, out, _ := testEnv(nil)
	assert.Equal(t, exitOK, run(context.Background(), e, []string{"fake", "-h"}))
	assert.Contains(t, out.String(), "--update-from FILE")
	assert.Contains(t, out.String(), "bad-email (R-ROW-13)")
}

// TestFakeBadNights: --deactivate and --rekey write a bad night from an
// earlier file, and are refused without one.
func TestFakeBadNights(t *testing.T) {
	e, out, errOut := testEnv(nil)
	require.Equal(t, exitOK, run(context.Background(), e, []string{"fake", "-n", "200", "--seed", "7"}), errOut.String())
	school := filepath.Join(t.TempDir(), "users.csv")
	require.NoError(t, os.WriteFile(school, []byte(out.String()), 0o600))

	e, night, errOut := testEnv(nil)
	require.Equal(t, exitOK, run(context.Background(), e, []string{"fake", "--update-from", school, "--seed", "8", "--deactivate", "1"}), errOut.String())
	lines := strings.Split(strings.TrimSpace(night.String()), "\n")
	assert.Greater(t, len(lines), 150, "every enabled patron switched off")
	for _, l := range lines[1:] {
		assert.Equal(t, "N", strings.Split(l, ",")[1], l)
	}

	e, night, errOut = testEnv(nil)
	require.Equal(t, exitOK, run(context.Background(), e, []string{"fake", "--update-from", school, "--seed", "8", "--rekey"}), errOut.String())
	assert.Len(t, strings.Split(strings.TrimSpace(night.String()), "\n"), 201, "every patron again")
	assert.Contains(t, night.String(), "\np000001,")

	e, _, errOut = testEnv(nil)
	assert.Equal(t, exitUsage, run(context.Background(), e, []string{"fake", "--rekey"}))
	assert.Contains(t, errOut.String(), "give --update-from the earlier file")
}

// TestPushJSONOnBadFlags: a push whose flags cannot be read still prints
// one JSON document with --json.
func TestPushJSONOnBadFlags(t *testing.T) {
	e, out, errOut := testEnv(nil)
	assert.Equal(t, exitUsage, run(context.Background(), e, []string{"push", "--json", "--no-such-flag", "users.csv"}))
	assert.Contains(t, errOut.String(), "unknown flag --no-such-flag")
	var doc struct {
		Success bool
		Push    struct {
			ExitCode int
			Outcome  string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out.String()), &doc), out.String())
	assert.Equal(t, 2, doc.Push.ExitCode)
	assert.Equal(t, "usage", doc.Push.Outcome)
}
