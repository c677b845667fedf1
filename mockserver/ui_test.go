package mockserver_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
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

// TestPatronPagingClamped: any page number is answered, within the pages
// there are: none overflows, and one past the end shows the last page.
func TestPatronPagingClamped(t *testing.T) {
	srv := mocktest.New()
	var csv strings.Builder
	csv.WriteString("username,enabled,staffmember,graduationyear\n")
	for i := range 150 {
		fmt.Fprintf(&csv, "p%03d,Y,N,2029\n", i)
	}
	status, _ := srv.Post(t, []byte(csv.String()))
	require.Equal(t, http.StatusOK, status)
	for _, page := range []string{"9223372036854775807", "92233720368547760", "-5", "x", "3"} {
		status, body := uiGet(t, srv, "/ui/patrons?page="+page)
		assert.Equal(t, http.StatusOK, status, page)
		assert.NotContains(t, body, "No patron is stored", page)
		assert.Contains(t, body, "<a href=", page)
	}
	_, body := uiGet(t, srv, "/ui/patrons?page=9223372036854775807")
	assert.Contains(t, body, ">p149<", "the last page")
	_, body = uiGet(t, srv, "/ui/patrons?q=p14&page=99")
	assert.Contains(t, body, ">p149<", "a search's last page")
}

// TestPatronLinksEscaped: a username is one path segment of its link,
// whatever it holds.
func TestPatronLinksEscaped(t *testing.T) {
	srv := mocktest.New()
	status, _ := srv.Post(t, []byte("username,enabled,staffmember,graduationyear\na/../../ui/reset,Y,N,2029\n"))
	require.Equal(t, http.StatusOK, status)
	_, body := uiGet(t, srv, "/ui/patrons")
	assert.Contains(t, body, `href="/ui/patrons/a%2F..%2F..%2Fui%2Freset"`)
	assert.NotContains(t, body, `href="/ui/patrons/a/../`)
	status, page := uiGet(t, srv, "/ui/patrons/a%2F..%2F..%2Fui%2Freset")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, "a/../../ui/reset")
}

// TestTriedFileKeepsBoundedRows: a large file tried on the page keeps every
// row's outcome but the line and username of the first rows only, and
// shows the start of its answer, written no further than shown.
func TestTriedFileKeepsBoundedRows(t *testing.T) {
	srv := mocktest.New()
	_, home := uiGet(t, srv, "/")
	token := tokenField.FindStringSubmatch(home)[1]
	var csv strings.Builder
	csv.WriteString("username\n")
	for i := range 12000 {
		fmt.Fprintf(&csv, "u%d\n", i)
	}
	resp := uiPost(t, srv, "/ui/check", token, csv.String(), nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	result := resp.Header.Get("Location")
	status, first := uiGet(t, srv, result)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, first, "only for the first 10000 rows of 12000")
	assert.Contains(t, first, ">u0<")
	_, past := uiGet(t, srv, result+"?page=110")
	assert.Contains(t, past, `<td class="n">10901</td>`)
	assert.Contains(t, first, `{&#34;success&#34;:false`, "the answer's start")
	assert.NotContains(t, past, ">u10900<", "past the kept rows, no username")
}

// TestHistoryPages: an import's page shows each row's line and username,
// for curl imports too, and its link keeps its meaning as the history moves
// on past a hundred imports.
func TestHistoryPages(t *testing.T) {
	srv := mocktest.New()
	for i := range 103 {
		csv := fmt.Sprintf("username,enabled,staffmember,graduationyear,emailaddress\n\nimport%d,Y,N,2029,\nbad%d,Y,N,2029,not-an-address\n", i, i)
		status, _ := srv.Post(t, []byte(csv))
		require.Equal(t, http.StatusOK, status)
	}
	status, page := uiGet(t, srv, "/ui/imports/103")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, page, `<td class="n">1</td><td class="n">3</td><td class="name">import102</td>`, "row 1 is on line 3, after a blank line")
	assert.Contains(t, page, `<td class="name">bad102</td>`)
	status, _ = uiGet(t, srv, "/ui/imports/2")
	assert.Equal(t, http.StatusNotFound, status, "gone from the history, not another import")
	_, list := uiGet(t, srv, "/ui/imports")
	assert.Contains(t, list, `href="/ui/imports/103"`)
	assert.NotContains(t, list, `href="/ui/imports/1"`)
}

// TestFailedRowsOnly: every row table offers its failed rows alone, paged
// over the failures, for an import in the history and for a file tried.
func TestFailedRowsOnly(t *testing.T) {
	srv := mocktest.New()
	var csv strings.Builder
	csv.WriteString("username,enabled,staffmember,graduationyear,emailaddress\n")
	for i := range 250 {
		switch {
		case i == 249:
			fmt.Fprintf(&csv, "bad%d,Y,N,2029,not-an-address\n", i)
		case i%2 == 1:
			fmt.Fprintf(&csv, "bad%d,Y,N,20,\n", i) // a year that is not four digits
		default:
			fmt.Fprintf(&csv, "ok%d,Y,N,2029,\n", i)
		}
	}
	status, _ := srv.Post(t, []byte(csv.String()))
	require.Equal(t, http.StatusOK, status)
	_, home := uiGet(t, srv, "/")
	resp := uiPost(t, srv, "/ui/check", tokenField.FindStringSubmatch(home)[1], csv.String(), nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, checked := uiGet(t, srv, resp.Header.Get("Location"))
	assert.Contains(t, checked, "If imported now: 0 would be created, 125 updated, 125 would fail.")
	_, imported := uiGet(t, srv, "/ui/imports/1")
	assert.NotContains(t, imported, "If imported now")
	for _, path := range []string{"/ui/imports/1", resp.Header.Get("Location")} {
		t.Run(path, func(t *testing.T) {
			_, all := uiGet(t, srv, path)
			assert.Contains(t, all, `href="`+path+`?failed=1">Failed rows only (125)</a>`)
			assert.Contains(t, all, `<td class="name">ok0</td>`)
			status, failed := uiGet(t, srv, path+"?failed=1")
			require.Equal(t, http.StatusOK, status)
			assert.Contains(t, failed, "Showing the 125 failed rows only.")
			assert.Contains(t, failed, `<a href="`+path+`">Show every row</a>`)
			assert.NotContains(t, failed, `<td class="name">ok0</td>`)
			assert.Contains(t, failed, `<td class="n">2</td><td class="n">3</td><td class="name">bad1</td>`)
			assert.Contains(t, failed, "Page 1 of 2 (125 in all)")
			assert.Contains(t, failed, `href="`+path+`?failed=1&amp;page=2"`)
			assert.Contains(t, all, `<td class="n">124</td><td><meter min="0" max="125" value="124">124 of 125</meter></td><td>Field (graduationYear) is not a four-digit year.`, "failures by reason, the most first")
			assert.Contains(t, all, `<td class="n">1</td><td><meter min="0" max="125" value="1">1 of 125</meter></td><td>Field (emailAddress) is not a well-formed email address.`)
			_, second := uiGet(t, srv, path+"?failed=1&page=2")
			assert.Contains(t, second, `<td class="n">250</td><td class="n">251</td><td class="name">bad249</td>`)
			assert.Equal(t, 25, strings.Count(second, `<tr class="failed">`))
		})
	}
}

// TestPageWording: counts in the singular for one, a favicon that is no
// error, the value of a finding shown, and the page's imports logged.
func TestPageWording(t *testing.T) {
	var log strings.Builder
	check := mockserver.FileCheck(func(context.Context, io.ReadSeeker, string) ([]mockserver.Finding, error) {
		return []mockserver.Finding{{Severity: "error", Row: 1, Line: 2, Column: "enabled", Value: "maybe", Message: "Field (enabled) is not a valid boolean."}}, nil
	})
	srv := mocktest.New(mockserver.WithFileCheck(check), mockserver.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	srv.Post(t, []byte(oneStudent))
	_, home := uiGet(t, srv, "/")
	assert.Contains(t, home, "1 patron stored; 1 import in the history.")
	_, list := uiGet(t, srv, "/ui/patrons")
	assert.Contains(t, list, "1 patron</caption>")

	token := tokenField.FindStringSubmatch(home)[1]
	resp := uiPost(t, srv, "/ui/check", token, "username,enabled\nann,maybe\n", nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, page := uiGet(t, srv, resp.Header.Get("Location"))
	assert.Contains(t, page, "enabled “maybe”: Field (enabled)")
	assert.Contains(t, log.String(), `msg=check file=users.csv from="the web page"`)

	req, _ := http.NewRequest(http.MethodGet, mocktest.BaseURL+"/favicon.ico", nil)
	r, err := srv.Client.Do(req)
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusNoContent, r.StatusCode)
}

// TestCheckPreviewsChanges: "Check without importing" says what the file
// would change among the stored patrons, field by field, and puts what
// would damage them (barcodes that lost their zeros) before the answer.
func TestCheckPreviewsChanges(t *testing.T) {
	srv := mocktest.New()
	var roster, night strings.Builder
	roster.WriteString("username,enabled,staffmember,graduationyear,librarybarcode,formclass,password\n")
	night.WriteString(roster.String())
	for i := range 30 {
		fmt.Fprintf(&roster, "p%d,Y,N,2029,%08d,7A,\n", i, i+1)
		switch {
		case i == 0:
			fmt.Fprintf(&night, "p%d,Y,N,2029,%d,7A,\n", i, i+1) // the zeros lost
		case i == 1:
			fmt.Fprintf(&night, "p%d,Y,N,2029,%08d,7<b>B,hunter2\n", i, i+1)
		default:
			fmt.Fprintf(&night, "p%d,Y,N,2029,%08d,7A,\n", i, i+1)
		}
	}
	night.WriteString("new1,Y,N,2029,,7A,\n")
	status, _ := srv.Post(t, []byte(roster.String()))
	require.Equal(t, http.StatusOK, status)

	_, home := uiGet(t, srv, "/")
	resp := uiPost(t, srv, "/ui/check", tokenField.FindStringSubmatch(home)[1], night.String(), nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, page := uiGet(t, srv, resp.Header.Get("Location"))

	assert.Contains(t, page, "Against 30 known patrons: 1 would be created, 30 updated (2 changed: librarybarcode 1, password 1, formclass 1; 28 unchanged), 0 would fail.")
	damage := strings.Index(page, "librarybarcode lost its leading zeros on 1 row")
	answer := strings.Index(page, "The server's answer")
	require.True(t, damage >= 0 && answer >= 0, page)
	assert.Less(t, damage, answer, "the damage comes before the answer")
	assert.Contains(t, page, `E.g. p0: librarybarcode &#34;1&#34; was &#34;00000001&#34;`)
	assert.Contains(t, page, "<td>librarybarcode</td><td>00000001</td><td>1</td>")
	assert.Contains(t, page, "<td>formclass</td><td>7A</td><td>7&lt;b&gt;B</td>", "values are escaped")
	assert.Contains(t, page, `<td>password</td><td colspan="2">a new password (never shown)</td>`)
	assert.NotContains(t, page, "hunter2")

	_, patron := srv.Get(t, "/_mock/patrons/p0")
	assert.Contains(t, string(patron), `"librarybarcode":"00000001"`, "a check changes nothing")

	// An import from the page is not a preview.
	resp = uiPost(t, srv, "/ui/import", tokenField.FindStringSubmatch(home)[1], night.String(), nil)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	_, page = uiGet(t, srv, resp.Header.Get("Location"))
	assert.NotContains(t, page, "What it would change")
}

// TestPageLoginAndLogout: a browser without the admin's credentials gets a
// page that says how to log in, not the import's JSON; logging out answers
// the credentials the browser keeps with 401, so that it forgets them, and
// the credentials it is given next log in again.
func TestPageLoginAndLogout(t *testing.T) {
	srv := mocktest.New()
	c := *srv.Client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(path, user, pass string, cookies ...*http.Cookie) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, mocktest.BaseURL+path, nil)
		require.NoError(t, err)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, string(b)
	}

	for _, tc := range []struct{ name, user, pass string }{
		{"no credentials (a cancelled prompt)", "", ""},
		{"a wrong password", mockserver.DefaultAdminUser, "wrong"},
		{"an account that may not import", mockserver.DefaultUser, mockserver.DefaultUserPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/", "/ui/imports", "/ui/patrons/jane"} {
				resp, body := get(path, tc.user, tc.pass)
				assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, path)
				assert.Equal(t, `Basic realm="autosync"`, resp.Header.Get("WWW-Authenticate"), path)
				assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"), path)
				assert.Contains(t, body, `id="login"`, path)
				assert.NotContains(t, body, `"success"`, path)
				assert.NotContains(t, body, "Log out", "nobody to log out")
			}
		})
	}
	t.Run("the import and /_mock/ still answer JSON", func(t *testing.T) {
		for _, path := range []string{"/_mock/patrons", "/_mock/imports"} {
			resp, body := get(path, "", "")
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"), path)
			assert.Contains(t, body, "Unauthorised. Check credentials.", path)
		}
	})

	resp, body := get("/", mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `href="/ui/logout"`, "every page offers to log out")

	resp, body = get("/ui/logout", mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the kept credentials are refused, so the browser forgets them")
	assert.Equal(t, `Basic realm="autosync"`, resp.Header.Get("WWW-Authenticate"))
	assert.Contains(t, body, `id="logged-out"`)
	var out *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "autosync_logout" {
			out = ck
		}
	}
	require.NotNil(t, out, "the logout is remembered")

	resp, _ = get("/ui/logout", mockserver.DefaultAdminUser, "wrong", out)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a wrong password does not log in again")
	resp, _ = get("/ui/logout", mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword, out)
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "the credentials given to the next prompt log in again")
	assert.Equal(t, "/", resp.Header.Get("Location"))
}
