package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/autosync/autosync/internal/reportschema"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonReport is the part of a --report json=FILE report these tests read.
type jsonReport struct {
	Command  string `json:"command"`
	ExitCode int    `json:"exitCode"`
	Stopped  *struct {
		Check string `json:"check"`
	} `json:"stopped"`
	Rules []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"rules"`
	Scenarios []struct {
		Name      string            `json:"name"`
		Status    string            `json:"status"`
		Failure   string            `json:"failure"`
		Exchanges []json.RawMessage `json:"exchanges"`
	} `json:"scenarios"`
}

// readJSONReport reads a written report, checked against
// api/report.schema.json.
func readJSONReport(t *testing.T, path string) jsonReport {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, reportschema.Validate(b))
	var r jsonReport
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

func (r jsonReport) rule(id string) string {
	for _, rr := range r.Rules {
		if rr.ID == id {
			return rr.Status
		}
	}
	return ""
}

// TestJSONReportWritten: verify and explore write --report json=FILE of
// the schema: a broken rule with its failing scenarios, their difference
// and exchanges; a run the preflight stopped; explore's findings.
func TestJSONReportWritten(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	deviant := httptestServer(t, mockserver.New(deviant.With("always-plural-users")))
	profile := []string{"--target", deviant, "--password-env", "PW", "--academic-level", "K", "--presentation-group", "Senior School",
		"--created-out", filepath.Join(dir, "created.txt"), "--format", "progress"}

	t.Run("verify, a rule broken", func(t *testing.T) {
		file := filepath.Join(dir, "verify.json")
		e, _, errOut := testEnv(map[string]string{"PW": "autoimport"})
		code := run(context.Background(), e, append([]string{"verify", "--explore", "0", "--tags", "@R-RES-2", "--report", "json=" + file}, profile...))
		require.Equal(t, 1, code, errOut.String())
		r := readJSONReport(t, file)
		assert.Equal(t, "autosync verify", r.Command)
		assert.Equal(t, 1, r.ExitCode)
		assert.Equal(t, "failed", r.rule("R-RES-2"))
		assert.Equal(t, "not run", r.rule("R-AUTH-1"))
		failed := 0
		for _, s := range r.Scenarios {
			if s.Status == "failed" {
				failed++
				assert.Contains(t, s.Failure, "want", s.Name)
				assert.NotEmpty(t, s.Exchanges, s.Name)
			}
		}
		assert.Positive(t, failed)
	})
	t.Run("verify, stopped by the preflight", func(t *testing.T) {
		file := filepath.Join(dir, "stopped.json")
		e, _, errOut := testEnv(map[string]string{"PW": "wrong"})
		code := run(context.Background(), e, append([]string{"verify", "--report", "json=" + file}, profile...))
		require.Equal(t, 2, code, errOut.String())
		r := readJSONReport(t, file)
		require.NotNil(t, r.Stopped)
		assert.Equal(t, "account", r.Stopped.Check)
	})
	t.Run("explore", func(t *testing.T) {
		file := filepath.Join(dir, "explore.json")
		e, _, errOut := testEnv(map[string]string{"PW": "autoimport"})
		code := run(context.Background(), e, append([]string{"explore", "--runs", "20", "--seed", "5", "--report", "json=" + file}, profile...))
		r := readJSONReport(t, file)
		assert.Equal(t, "autosync explore", r.Command)
		assert.Equal(t, code, r.ExitCode, errOut.String())
		assert.NotEmpty(t, r.Scenarios)
	})
}
