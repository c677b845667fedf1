package mockserver_test

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func uiGet(t *testing.T, srv *mocktest.Server, path string) (int, string) {
	t.Helper()
	status, body := srv.Get(t, path)
	return status, string(body)
}

// uiPost posts the page's form: its token (if any) before the file.
func uiPost(t *testing.T, srv *mocktest.Server, path, token, csv string, header http.Header) *http.Response {
	t.Helper()
	var b strings.Builder
	mw := multipart.NewWriter(&b)
	if token != "" {
		mw.WriteField("token", token)
	}
	fw, _ := mw.CreateFormFile("file", "users.csv")
	io.WriteString(fw, csv)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, mocktest.BaseURL+path, strings.NewReader(b.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range header {
		req.Header[k] = v
	}
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	c := *srv.Client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	require.NoError(t, err)
	return resp
}

var tokenField = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)

// TestPageForms: the page's forms work only with the page's token and from
// the page itself, so another site cannot post them with the admin's
// credentials; a check changes nothing.
func TestPageForms(t *testing.T) {
	srv := mocktest.New()
	_, home := uiGet(t, srv, "/")
	m := tokenField.FindStringSubmatch(home)
	require.NotNil(t, m, "the form carries a token")
	token := m[1]

	resp := uiPost(t, srv, "/ui/import", "", oneStudent, nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "no token")
	resp = uiPost(t, srv, "/ui/import", token, oneStudent, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "from another site")
	_, patrons := srv.Get(t, "/_mock/patrons")
	assert.JSONEq(t, `[]`, string(patrons))

	resp = uiPost(t, srv, "/ui/check", token, oneStudent, http.Header{"Sec-Fetch-Site": {"same-origin"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	status, page := uiGet(t, srv, resp.Header.Get("Location"))
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "1 user processed. 1 user created.")
	assert.Contains(t, page, "nothing was stored")
	_, patrons = srv.Get(t, "/_mock/patrons")
	assert.JSONEq(t, `[]`, string(patrons), "a check changes nothing")

	resp = uiPost(t, srv, "/ui/import", token, oneStudent, nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, patrons = srv.Get(t, "/_mock/patrons")
	assert.Contains(t, string(patrons), `"username":"ann"`)
	_, history := srv.Get(t, "/_mock/imports")
	assert.Contains(t, string(history), "1 user created", "an import from the page is in the history")
}

// TestPatronPages: the list pages on the server, and a patron's page shows
// every field but the password.
func TestPatronPages(t *testing.T) {
	srv := mocktest.New()
	var csv strings.Builder
	csv.WriteString("username,enabled,staffmember,graduationyear,givenname,password\n")
	for i := range 250 {
		fmt.Fprintf(&csv, "p%03d,Y,N,2029,Name%d,Secret-%d\n", i, i, i)
	}
	status, _ := srv.Post(t, []byte(csv.String()))
	require.Equal(t, http.StatusOK, status)
	_, page := uiGet(t, srv, "/ui/patrons?page=3")
	assert.Contains(t, page, "Page 3 of 3 (250 in all)")
	assert.Contains(t, page, ">p249<")
	assert.NotContains(t, page, ">p000<")
	_, page = uiGet(t, srv, "/ui/patrons?q=name24")
	assert.Contains(t, page, "11 patrons matching")
	_, page = uiGet(t, srv, "/ui/patrons/p007")
	assert.Contains(t, page, "Name7")
	assert.NotContains(t, page, "Secret-7")
	assert.NotContains(t, page, "$2a$", "not even the hash")
	status, _ = uiGet(t, srv, "/ui/patrons/nobody")
	assert.Equal(t, http.StatusNotFound, status)
}
