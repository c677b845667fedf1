package steps_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeRecorder serves with the reference server and records every request
// that changed something: an import that processed a row, or a request
// other than GET or HEAD to /_mock/.
type writeRecorder struct {
	h      http.Handler
	mu     sync.Mutex
	writes []string
}

func (w *writeRecorder) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, r)
	var answer struct {
		Summary string `json:"summary"`
	}
	json.Unmarshal(rec.Body.Bytes(), &answer)
	changed := strings.HasPrefix(r.URL.Path, "/_mock/") && r.Method != http.MethodGet && r.Method != http.MethodHead ||
		rec.Code == http.StatusOK && strings.Contains(answer.Summary, "processed") && !strings.HasPrefix(answer.Summary, "0 users processed")
	if changed {
		w.mu.Lock()
		w.writes = append(w.writes, r.Method+" "+r.URL.Path+": "+answer.Summary)
		w.mu.Unlock()
	}
	for k, v := range rec.Header() {
		rw.Header()[k] = v
	}
	rw.WriteHeader(rec.Code)
	rw.Write(rec.Body.Bytes())
}

// TestReadOnlyChangesNothing: a --read-only run against a server that
// records writes makes none, and the reference keeps no patron; the
// refusals, methods, paths and authentication still run and pass, and
// what would import is skipped, saying why.
func TestReadOnlyChangesNothing(t *testing.T) {
	srv := mockserver.New(mockserver.WithMaxBody(builtin.BodyLimit))
	rec := &writeRecorder{h: srv}
	tgt := builtin.HandlerTarget(rec)
	tgt.ReadOnly = true
	report, err := steps.Run(context.Background(), steps.Config{Target: tgt, Strict: true, Concurrency: 4})
	require.NoError(t, err)
	assert.Empty(t, rec.writes, "a read-only run changed the target")
	assert.Empty(t, report.Created)

	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1/_mock/patrons", nil)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	srv.ServeHTTP(w, req)
	assert.JSONEq(t, "[]", w.Body.String(), "no patron was stored")

	ran := map[string]bool{}
	for _, s := range report.Scenarios {
		switch s.Status {
		case reports.Passed:
			for _, r := range s.Rules {
				ran[r] = true
			}
		case reports.Skipped:
			if strings.Contains(s.Reason, "--read-only") {
				continue
			}
			if !strings.Contains(s.Reason, "non-admin") && !strings.Contains(s.Reason, "body limit") {
				t.Errorf("%s: skipped: %s", s.Name, s.Reason)
			}
		default:
			t.Errorf("%s: %s %s", s.Name, s.Status, s.Failure)
		}
	}
	for _, rule := range []string{"R-AUTH-2", "R-AUTH-4", "R-HTTP-3", "R-HTTP-4", "R-HTTP-6", "R-CSV-1"} {
		assert.True(t, ran[rule], "%s still runs read-only", rule)
	}
	assert.Equal(t, 0, report.ExitCode())
	c := report.Counts()
	t.Logf("read-only: %d scenarios passed, %d skipped, of %d", c[reports.Passed], c[reports.Skipped], len(report.Scenarios))
}

// TestReadOnlyIsNeededHere: the recorder sees the writes of a run that is
// not read-only, so its silence above means something.
func TestReadOnlyIsNeededHere(t *testing.T) {
	rec := &writeRecorder{h: mockserver.New(mockserver.WithMaxBody(builtin.BodyLimit))}
	report, err := steps.Run(context.Background(), steps.Config{Target: builtin.HandlerTarget(rec), Tags: "@R-AUTH-1", Strict: true})
	require.NoError(t, err)
	assert.NotEmpty(t, rec.writes)
	assert.NotEmpty(t, report.Created)
}
