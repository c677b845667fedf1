package deviations_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
)

// TestBrokenAnswersFailTheSuite: answers that are not the documented JSON
// fail the suite, whatever else is right; the preflight notes them at the
// top of the report but does not stop the run.
func TestBrokenAnswersFailTheSuite(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(*http.Response) *http.Response
		rule  string
		note  bool
	}{
		{"non-JSON body", func(r *http.Response) *http.Response {
			return builtin.Replace(r, "text/plain", []byte("OK"))
		}, "R-RES-1", true},
		{"HTML error pages", func(r *http.Response) *http.Response {
			if r.StatusCode < 400 {
				return r
			}
			return builtin.Replace(r, "text/html", []byte("<html><body><h1>Error</h1></body></html>"))
		}, "R-AUTH-2", false},
		{"500 for every import", func(r *http.Response) *http.Response {
			if r.Request.Method != http.MethodPost {
				return r
			}
			r.StatusCode = http.StatusInternalServerError
			return builtin.Replace(r, "application/json", []byte(`{"success":false,"summary":"Internal error."}`))
		}, "R-HTTP-1", true},
		{"wrong content type", func(r *http.Response) *http.Response {
			return builtin.Replace(r, "text/html", must(io.ReadAll(r.Body)))
		}, "R-HTTP-6", false},
		{"truncated JSON", func(r *http.Response) *http.Response {
			b := must(io.ReadAll(r.Body))
			return builtin.Replace(r, "application/json; charset=utf-8", b[:len(b)/2])
		}, "R-RES-2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			report := runAgainst(t, builtin.Spoiled(tt.spoil))
			assert.Equal(t, target.ExitFailed, report.ExitCode())
			assert.Contains(t, report.FailedRules(), tt.rule)
			assert.Equal(t, tt.note, len(report.Notes) > 0, "notes: %q", report.Notes)
		})
	}
}

// must returns b, for a spoil that reads the reference's answer whole.
func must(b []byte, _ error) []byte { return b }
