package mockserver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func faultRequest(t *testing.T, srv *mocktest.Server, method, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, mocktest.BaseURL+"/_mock/faults", strings.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	resp, err := srv.Client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

const oneStudent = "username,enabled,staffmember,graduationyear\nann,Y,N,2029\n"

// TestFaultsOnDemand: each fault form, queued through /_mock/faults, strikes
// the next import requests as many times as asked, and shows in the history.
func TestFaultsOnDemand(t *testing.T) {
	srv := mocktest.New()
	status, body := faultRequest(t, srv, http.MethodPost, `{"status": 503, "times": 2}`)
	require.Equal(t, http.StatusOK, status, body)
	faultRequest(t, srv, http.MethodPost, `{"status": 500, "body": "html"}`)
	_, list := faultRequest(t, srv, http.MethodGet, "")
	assert.JSONEq(t, `[{"status":503,"times":2},{"status":500,"body":"html","times":1}]`, list)

	for range 2 {
		status, answer := srv.Post(t, []byte(oneStudent))
		assert.Equal(t, http.StatusServiceUnavailable, status)
		assert.JSONEq(t, `{"success":false,"summary":"Service Unavailable (a fault from /_mock/faults); nothing was imported."}`, string(answer))
	}
	status, answer := srv.Post(t, []byte(oneStudent))
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Contains(t, string(answer), "<h1>500 Internal Server Error</h1>")
	_, patrons := srv.Get(t, "/_mock/patrons")
	assert.JSONEq(t, `[]`, string(patrons), "nothing was imported")

	status, answer = srv.Post(t, []byte(oneStudent))
	assert.Equal(t, http.StatusOK, status, "the queue is spent")
	assert.Contains(t, string(answer), "1 user created")

	faultRequest(t, srv, http.MethodPost, `{"reset": true}`)
	_, err := srv.Client.Do(mustImport(t, oneStudent))
	assert.Error(t, err, "the connection is reset")

	faultRequest(t, srv, http.MethodPost, `{"truncate": true}`)
	resp, err := srv.Client.Do(mustImport(t, oneStudent))
	if err == nil {
		var v any
		assert.Error(t, json.NewDecoder(resp.Body).Decode(&v), "the answer is cut off")
		resp.Body.Close()
	}

	faultRequest(t, srv, http.MethodPost, `{"delay": "20ms"}`)
	status, _ = srv.Post(t, []byte(oneStudent))
	assert.Equal(t, http.StatusOK, status, "a delay, then the import")

	faultRequest(t, srv, http.MethodPost, `{"status": 429, "times": 5}`)
	_, list = faultRequest(t, srv, http.MethodDelete, "")
	assert.JSONEq(t, `[]`, list)

	_, hist := srv.Get(t, "/_mock/imports")
	var entries []struct {
		Status int    `json:"status"`
		Fault  string `json:"fault"`
	}
	require.NoError(t, json.Unmarshal(hist, &entries))
	var got []string
	for _, e := range entries {
		got = append(got, e.Fault)
	}
	assert.Equal(t, []string{"503", "503", "500 html", "", "reset", "truncate", "delay 20ms"}, got)
}

func TestFaultRefusals(t *testing.T) {
	srv := mocktest.New()
	for _, body := range []string{`{}`, `{"status": 200}`, `{"status": 503, "reset": true}`, `{"delay": "forever"}`, `{"colour": 1}`, `not json`, `{"status": 503, "times": -1}`} {
		status, answer := faultRequest(t, srv, http.MethodPost, body)
		assert.Equal(t, http.StatusBadRequest, status, body)
		assert.Contains(t, answer, `"success":false`, body)
	}
}

func TestParseRandomFault(t *testing.T) {
	for spec, want := range map[string]string{"503:0.1": "503", "500html:0.05": "500 html", "reset:1": "reset", "truncate:0.5": "truncate", "delay=5s:0.2": "delay 5s"} {
		f, err := mockserver.ParseRandomFault(spec)
		require.NoError(t, err, spec)
		assert.Equal(t, want, f.String(), spec)
	}
	for _, spec := range []string{"503", "503:0", "503:2", "200:0.1", "teapot:0.1", "delay=x:0.1"} {
		_, err := mockserver.ParseRandomFault(spec)
		assert.Error(t, err, spec)
	}
	// At rate 1 every import meets it.
	f, _ := mockserver.ParseRandomFault("503:1")
	srv := mocktest.New(mockserver.WithRandomFaults(f))
	status, _ := srv.Post(t, []byte(oneStudent))
	assert.Equal(t, http.StatusServiceUnavailable, status)
}

func mustImport(t *testing.T, csv string) *http.Request {
	t.Helper()
	req, err := mockserver.NewImportRequest(t.Context(), mocktest.BaseURL+"/api/import/users", "users.csv", []byte(csv))
	require.NoError(t, err)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	return req
}

// TestAbandonedDelayNotApplied: a client that gives up during a delay
// fault and retries gets its retry applied, and the import it gave up on
// is never applied after it.
func TestAbandonedDelayNotApplied(t *testing.T) {
	srv := httptest.NewServer(mockserver.New())
	defer srv.Close()
	url := strings.Replace(srv.URL, "://", "://autoimport:autoimport@", 1)
	c := &http.Client{}
	req, err := http.NewRequest(http.MethodPost, url+"/_mock/faults", strings.NewReader(`{"delay":"1s"}`))
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	impatient := &http.Client{Timeout: 200 * time.Millisecond}
	abandoned, err := mockserver.NewImportRequest(context.Background(), url+"/api/import/users", "users.csv",
		[]byte("username,enabled,staffmember,graduationyear,formclass\nann,Y,N,2029,abandoned\n"))
	require.NoError(t, err)
	_, err = impatient.Do(abandoned)
	require.Error(t, err, "the client gives up during the delay")
	status, body := mocktest.Post(t, c, url+"/api/import/users", []byte("username,enabled,staffmember,graduationyear,formclass\nann,Y,N,2029,retry\n"), "", "")
	require.Equal(t, http.StatusOK, status, string(body))
	time.Sleep(1500 * time.Millisecond) // past the delay

	req, err = http.NewRequest(http.MethodGet, url+"/_mock/patrons/ann", nil)
	require.NoError(t, err)
	resp, err = c.Do(req)
	require.NoError(t, err)
	patron, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(patron), `"formclass":"retry"`, "the abandoned import did not overwrite the retry")
	req, _ = http.NewRequest(http.MethodGet, url+"/_mock/imports", nil)
	resp, err = c.Do(req)
	require.NoError(t, err)
	history, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(history), "The client gave up")
}

// TestFaultQueueBounded: the queue holds so many faults, each for so many
// imports, and refuses a body with more after its object.
func TestFaultQueueBounded(t *testing.T) {
	srv := mocktest.New()
	post := func(body string) int {
		req, err := http.NewRequest(http.MethodPost, mocktest.BaseURL+"/_mock/faults", strings.NewReader(body))
		require.NoError(t, err)
		req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
		resp, err := srv.Client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusBadRequest, post(`{"delay":"10m","times":1000000}`))
	assert.Equal(t, http.StatusBadRequest, post(`{"status":503}{"status":500}`), "trailing data")
	assert.Equal(t, http.StatusBadRequest, post(`{"status":503} x`), "trailing data")
	for range 100 {
		require.Equal(t, http.StatusOK, post(`{"status":503}`))
	}
	assert.Equal(t, http.StatusBadRequest, post(`{"status":503}`), "the 101st")
}
