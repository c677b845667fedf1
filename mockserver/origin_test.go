package mockserver_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// send makes a request with the admin's credentials, as a browser that has
// logged in to the page sends them to any request for this server.
func send(t *testing.T, srv *mocktest.Server, method, path, contentType string, body []byte, header http.Header) int {
	t.Helper()
	req, err := http.NewRequest(method, mocktest.BaseURL+path, bytes.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	resp, err := srv.Client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func multipartCSV(csv string) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "users.csv")
	fw.Write([]byte(csv))
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// TestCrossSiteRequestsRefused: another site's page cannot reset the
// server, queue faults or import through the admin's browser, whatever the
// path; a script, and the page itself, can.
func TestCrossSiteRequestsRefused(t *testing.T) {
	upload, uploadType := multipartCSV("username,enabled,staffmember,graduationyear\nmallory,Y,N,2029\n")
	requests := []struct {
		name, method, path, contentType string
		body                            []byte
	}{
		{"reset", http.MethodPost, "/_mock/reset", "", nil},
		{"a text/plain form queueing faults", http.MethodPost, "/_mock/faults", "text/plain", []byte(`{"delay":"10m","times":1000000}`)},
		{"a multipart form importing", http.MethodPost, api.ImportPath, uploadType, upload},
	}
	browsers := map[string]http.Header{
		"Sec-Fetch-Site cross-site":  {"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}},
		"Sec-Fetch-Site same-site":   {"Sec-Fetch-Site": {"same-site"}},
		"another Origin only":        {"Origin": {"https://evil.example"}},
		"an opaque Origin (sandbox)": {"Origin": {"null"}},
	}
	for _, rq := range requests {
		for how, header := range browsers {
			t.Run(rq.name+", "+how, func(t *testing.T) {
				srv := mocktest.New()
				srv.Post(t, []byte(oneStudent))
				status := send(t, srv, rq.method, rq.path, rq.contentType, rq.body, header)
				assert.Equal(t, http.StatusForbidden, status)
				_, patrons := srv.Get(t, "/_mock/patrons")
				assert.Contains(t, string(patrons), `"username":"ann"`, "nothing was reset")
				assert.NotContains(t, string(patrons), "mallory", "nothing was imported")
				_, faults := srv.Get(t, "/_mock/faults")
				assert.NotContains(t, string(faults), "delay", "no fault was queued")
			})
		}
	}
	t.Run("a script, or the page itself", func(t *testing.T) {
		srv := mocktest.New()
		for _, header := range []http.Header{nil, {"Sec-Fetch-Site": {"same-origin"}, "Origin": {mocktest.BaseURL}}, {"Sec-Fetch-Site": {"none"}}} {
			assert.Equal(t, http.StatusOK, send(t, srv, http.MethodPost, api.ImportPath, uploadType, upload, header))
		}
	})
}

// TestUnknownHostRefused: with the names it is reached by, the server
// answers nothing for another name, so a rebinding attack's name that
// resolves to it reads no patron; IP addresses and localhost always work.
func TestUnknownHostRefused(t *testing.T) {
	srv := mocktest.New(mockserver.WithHosts("library-test.school.example"))
	srv.Post(t, []byte(oneStudent))
	for host, want := range map[string]int{
		"attacker.example":                 http.StatusMisdirectedRequest,
		"attacker.example:8080":            http.StatusMisdirectedRequest,
		"127.0.0.1:8080":                   http.StatusOK,
		"[::1]:8080":                       http.StatusOK,
		"localhost:8080":                   http.StatusOK,
		"library-test.school.example:8443": http.StatusOK,
		"LIBRARY-TEST.school.example.":     http.StatusOK,
	} {
		req, err := http.NewRequest(http.MethodGet, mocktest.BaseURL+"/_mock/patrons", nil)
		require.NoError(t, err)
		req.Host = host
		req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
		resp, err := srv.Client.Do(req)
		require.NoError(t, err)
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, host)
		if want != http.StatusOK {
			assert.NotContains(t, body.String(), "ann", host)
			assert.Contains(t, body.String(), "--host", host)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
		}
	}
}

// TestFormTokenIsPerSession: each browser session gets its own token, and
// one session's token does not post another's form.
func TestFormTokenIsPerSession(t *testing.T) {
	srv := mocktest.New()
	_, home := uiGet(t, srv, "/")
	mine := tokenField.FindStringSubmatch(home)
	require.NotNil(t, mine)

	other := *srv.Client
	other.Jar, _ = cookiejar.New(nil)
	otherSrv := &mocktest.Server{Client: &other}
	_, otherHome := uiGet(t, otherSrv, "/")
	theirs := tokenField.FindStringSubmatch(otherHome)
	require.NotNil(t, theirs)
	assert.NotEqual(t, mine[1], theirs[1], "another session, another token")

	resp := uiPost(t, otherSrv, "/ui/import", mine[1], oneStudent, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a token from another session")
	resp = uiPost(t, otherSrv, "/ui/import", theirs[1], oneStudent, nil)
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "the session's own token")
}

// TestAuthenticatedAnswersAreNotKept: every answer says not to sniff its
// type, not to cache it and not to send its address on.
func TestAuthenticatedAnswersAreNotKept(t *testing.T) {
	srv := mocktest.New()
	for _, path := range []string{"/_mock/patrons", "/_mock/imports", "/_mock/faults", "/ui/patrons", "/", api.ImportPath} {
		req, err := http.NewRequest(http.MethodGet, mocktest.BaseURL+path, nil)
		require.NoError(t, err)
		req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
		resp, err := srv.Client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
		assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"), path)
		assert.Equal(t, "same-origin", resp.Header.Get("Referrer-Policy"), path)
	}
}
