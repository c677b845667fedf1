package reports_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/internal/reportschema"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeJSON writes r as JSON and checks it against api/report.schema.json.
func writeJSON(t *testing.T, r *reports.Report) map[string]any {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteJSON(&b))
	require.NoError(t, reportschema.Validate(b.Bytes()), "%s", b.String())
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	return doc
}

// TestJSONReport: every status, an exchange with its answer and one cut
// off, a run stopped by the preflight, an interrupted one: each report is
// of the schema, and says per rule and per scenario what happened.
func TestJSONReport(t *testing.T) {
	answered := &target.Exchange{Method: "POST", URL: "https://autoimport:REDACTED@school.example/api/import/users",
		Header: http.Header{"Authorization": {"Basic REDACTED"}, "Content-Type": {"multipart/form-data; boundary=x"}},
		Sent:   "username,enabled\nann,Y\n", Status: 200, AnswerHeader: http.Header{"Content-Type": {"application/json"}},
		Answer: []byte(`{"success":true,"summary":"1 users processed. 1 users created. 0 users updated. 0 users failed."}`),
		Curl:   `curl -u "autoimport:$AUTOSYNC_PASSWORD" -F file=@users.csv https://school.example/api/import/users`}
	cut := &target.Exchange{Method: "POST", URL: "https://school.example/api/import/users", Err: "connection reset by peer"}
	var scenarios []*reports.ScenarioResult
	for s := reports.Skipped; s <= reports.Errored; s++ {
		scenarios = append(scenarios, &reports.ScenarioResult{Feature: "Result", URI: "result.feature", Name: "scenario " + s.String(),
			Rules: []string{features.RES2}, Kinds: []string{"documented"}, Status: s, Duration: time.Millisecond})
	}
	scenarios[reports.Failed].Failure = `summary: got "1 users processed. …" want "1 user processed. …"`
	scenarios[reports.Failed].Exchanges = []*target.Exchange{answered}
	scenarios[reports.Errored].Exchanges = []*target.Exchange{cut}
	scenarios[reports.Differs].Differs = []string{"summary wording"}
	scenarios[reports.Skipped].Reason = "no non-admin account in the profile"

	t.Run("every status", func(t *testing.T) {
		doc := writeJSON(t, &reports.Report{Target: "https://school.example", Seed: 7, RunID: "abc", Started: time.Now(), Scenarios: scenarios})
		assert.EqualValues(t, 1, doc["exitCode"])
		assert.Equal(t, "autosync verify", doc["command"])
		rules := doc["rules"].([]any)
		assert.Len(t, rules, len(features.Rules()))
		for _, r := range rules {
			rule := r.(map[string]any)
			if rule["id"] == features.RES2 {
				assert.Equal(t, "error", rule["status"], "the most serious of its scenarios")
				assert.Len(t, rule["scenarios"], len(scenarios))
			} else {
				assert.Equal(t, "not run", rule["status"])
			}
		}
		failed := doc["scenarios"].([]any)[reports.Failed].(map[string]any)
		assert.Equal(t, "failed", failed["status"])
		assert.Contains(t, failed["failure"], "want")
		x := failed["exchanges"].([]any)[0].(map[string]any)
		assert.EqualValues(t, 200, x["status"])
		assert.Equal(t, []any{"Basic REDACTED"}, x["header"].(map[string]any)["Authorization"])
		assert.Contains(t, x["answer"].(map[string]any)["body"], "1 users processed")
		gone := doc["scenarios"].([]any)[reports.Errored].(map[string]any)["exchanges"].([]any)[0].(map[string]any)
		assert.Equal(t, "connection reset by peer", gone["error"])
		assert.NotContains(t, gone, "answer")
		assert.Equal(t, map[string]any{"skipped": 1.0, "unsupported": 1.0, "passed": 1.0, "differs": 1.0, "failed": 1.0, "error": 1.0}, doc["counts"])
	})
	t.Run("stopped by the preflight", func(t *testing.T) {
		doc := writeJSON(t, &reports.Report{Target: "https://school.example", Stopped: &target.PreflightError{Check: "account", Code: target.ExitUsage,
			Lines: []string{"the target refused --username autoimport (status 401)"}}})
		assert.EqualValues(t, 2, doc["exitCode"])
		assert.Equal(t, "account", doc["stopped"].(map[string]any)["check"])
		assert.Empty(t, doc["scenarios"])
	})
	t.Run("interrupted explore", func(t *testing.T) {
		r := &reports.Report{Command: "autosync explore", Target: "http://autosync.builtin", Scenarios: scenarios[reports.Passed : reports.Passed+1]}
		r.Interrupt()
		doc := writeJSON(t, r)
		assert.Equal(t, true, doc["interrupted"])
		assert.EqualValues(t, 130, doc["exitCode"])
		assert.Len(t, doc["notes"], 1)
	})
}

// TestReportSchemaRejects: the schema is strict enough to catch a report
// that drifted from it, or that shows a credential.
func TestReportSchemaRejects(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, (&reports.Report{Target: "t", Scenarios: []*reports.ScenarioResult{{Name: "s", Status: reports.Failed,
		Exchanges: []*target.Exchange{{Method: "POST", URL: "u", Header: http.Header{"Authorization": {"Basic REDACTED"}}, Status: 200}}}}}).WriteJSON(&b))
	good := b.String()
	require.NoError(t, reportschema.Validate([]byte(good)))
	for name, bad := range map[string]string{
		"a password shown":  strings.Replace(good, "Basic REDACTED", "Basic YXV0b2ltcG9ydDphdXRvaW1wb3J0", 1),
		"an unknown status": strings.Replace(good, `"status": "failed"`, `"status": "broken"`, 1),
		"a field more":      strings.Replace(good, `"version": 1,`, `"version": 1, "extra": true,`, 1),
		"no counts":         strings.Replace(good, `"counts"`, `"count"`, 1),
	} {
		require.NotEqual(t, good, bad, name)
		assert.Error(t, reportschema.Validate([]byte(bad)), name)
	}
}
