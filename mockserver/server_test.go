package mockserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/store"
)

const unauthorised = `{"success":false,"summary":"Unauthorised. Check credentials."}`

// TestAuthentication covers R-AUTH-1 to R-AUTH-4: only an admin may import;
// every refusal is the same 401, whichever part was wrong.
func TestAuthentication(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*http.Request)
		wantOK bool
	}{
		{"admin in the header", func(r *http.Request) { r.SetBasicAuth(admin, adminPW) }, true},
		{"admin in the URL", func(r *http.Request) { r.URL.User = neturl.UserPassword(admin, adminPW) }, true},
		{"no credentials", func(r *http.Request) {}, false},
		{"malformed header", func(r *http.Request) { r.Header.Set("Authorization", "Basic !!!not-base64") }, false},
		{"another scheme", func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }, false},
		{"wrong password", func(r *http.Request) { r.SetBasicAuth(admin, "wrong") }, false},
		{"wrong user", func(r *http.Request) { r.SetBasicAuth("nobody", adminPW) }, false},
		{"user name case differs", func(r *http.Request) { r.SetBasicAuth("AutoImport", adminPW) }, false},
		{"wrong password in the URL", func(r *http.Request) { r.URL.User = neturl.UserPassword(admin, "wrong") }, false},
		{"non-admin account (R-AUTH-3)", func(r *http.Request) {
			r.SetBasicAuth(mockserver.DefaultUser, mockserver.DefaultUserPassword)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t)
			req := importReq(t, students+"ann,Y,N,2029\n")
			req.Header.Del("Authorization")
			tt.setup(req)
			a := do(t, c, req)
			if tt.wantOK {
				assert.Equal(t, http.StatusOK, a.status)
				assert.Equal(t, 1, patronCount(t, c))
				return
			}
			assert.Equal(t, http.StatusUnauthorized, a.status)
			assert.Equal(t, `Basic realm="autosync"`, a.header.Get("WWW-Authenticate"))
			assert.JSONEq(t, unauthorised, string(a.body))
			assert.Equal(t, 0, patronCount(t, c))
		})
	}
}

// TestConfiguredAccounts: WithAdmin replaces the default admin, WithUser the
// default non-admin.
func TestConfiguredAccounts(t *testing.T) {
	c := newClient(t, mockserver.WithAdmin("sync", "s3cret"), mockserver.WithUser("clerk", "pw"))
	for _, cred := range []struct {
		user, pass string
		want       int
	}{{"sync", "s3cret", 200}, {admin, adminPW, 401}, {"clerk", "pw", 401}} {
		req := importReq(t, "")
		req.SetBasicAuth(cred.user, cred.pass)
		assert.Equal(t, cred.want, do(t, c, req).status, cred.user)
	}
}

// trap fails the test if the server reads the request body.
type trap struct{ t *testing.T }

func (b trap) Read([]byte) (int, error) {
	b.t.Error("the body was read before the credentials were checked")
	return 0, io.EOF
}

func TestCredentialsCheckedBeforeBody(t *testing.T) { // R-AUTH-4
	c := newClient(t)
	req, err := http.NewRequest(http.MethodPost, base+api.ImportPath, trap{t})
	require.NoError(t, err)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.SetBasicAuth(admin, "wrong")
	assert.Equal(t, http.StatusUnauthorized, do(t, c, req).status)
}

// TestMethods covers R-HTTP-4: any other method on a known path is 405 with
// Allow, whatever the credentials; unknown paths are 404; all JSON.
func TestMethods(t *testing.T) {
	c := newClient(t)
	tests := []struct {
		method, path string
		creds        bool
		want         int
		allow        string
	}{
		{http.MethodGet, api.ImportPath, false, 405, "POST"},
		{http.MethodGet, api.ImportPath, true, 405, "POST"},
		{http.MethodPut, api.ImportPath, true, 405, "POST"},
		{http.MethodDelete, api.ImportPath, false, 405, "POST"},
		{http.MethodPatch, api.ImportPath, true, 405, "POST"},
		{http.MethodHead, api.ImportPath, false, 405, "POST"},
		{http.MethodOptions, api.ImportPath, false, 405, "POST"},
		{http.MethodPost, "/healthz", false, 405, "GET, HEAD"},
		{http.MethodDelete, "/_mock/patrons", true, 405, "GET, HEAD"},
		{http.MethodGet, "/_mock/reset", true, 405, "POST"},
		{http.MethodPost, "/api/import/users/", true, 404, ""},
		{http.MethodPost, "/api/import/groups", true, 404, ""},
		{http.MethodGet, "/nowhere", false, 404, ""},
		{http.MethodPost, "/", true, 405, "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, base+tt.path, nil)
			require.NoError(t, err)
			if tt.creds {
				req.SetBasicAuth(admin, adminPW)
			}
			a := do(t, c, req)
			assert.Equal(t, tt.want, a.status)
			assert.Equal(t, tt.allow, a.header.Get("Allow"))
			if tt.method == http.MethodHead {
				assert.Empty(t, a.body)
			} else {
				assert.Equal(t, false, a.json(t)["success"])
				assert.NotEmpty(t, summary(t, a))
			}
		})
	}
}

// TestUploadShapes covers R-HTTP-2 and R-HTTP-3.
func TestUploadShapes(t *testing.T) {
	csv := students + "ann,Y,N,2029\n"
	tests := []struct {
		name        string
		body        func(t *testing.T) (io.Reader, string)
		wantStatus  int
		wantSummary string
	}{
		{"field and file names do not matter", func(t *testing.T) (io.Reader, string) {
			return multipartBody(t, part{"anything", "export.txt", csv})
		}, 200, "1 user processed."},
		{"text fields before the file are skipped", func(t *testing.T) (io.Reader, string) {
			return multipartBody(t, part{"note", "", "nightly"}, part{"upload", "a.csv", csv})
		}, 200, "1 user processed."},
		{"only the first file part is read", func(t *testing.T) (io.Reader, string) {
			return multipartBody(t, part{"a", "a.csv", csv}, part{"b", "b.csv", csv + "bob,Y,N,2029\n"})
		}, 200, "1 user processed."},
		{"no file part", func(t *testing.T) (io.Reader, string) {
			return multipartBody(t, part{"file", "", csv})
		}, 400, "No CSV file found in the request."},
		{"empty multipart body", func(t *testing.T) (io.Reader, string) {
			return multipartBody(t)
		}, 400, "No CSV file found in the request."},
		{"form-urlencoded", func(t *testing.T) (io.Reader, string) {
			return strings.NewReader("file=" + csv), "application/x-www-form-urlencoded"
		}, 415, "The request body must be multipart/form-data"},
		{"raw CSV body", func(t *testing.T) (io.Reader, string) {
			return strings.NewReader(csv), "text/csv"
		}, 415, "The request body must be multipart/form-data"},
		{"no content type", func(t *testing.T) (io.Reader, string) {
			return strings.NewReader(csv), ""
		}, 415, "The request body must be multipart/form-data"},
		{"multipart without boundary", func(t *testing.T) (io.Reader, string) {
			return strings.NewReader(csv), "multipart/form-data"
		}, 400, "has no boundary"},
		{"broken multipart", func(t *testing.T) (io.Reader, string) {
			return strings.NewReader("--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.csv\"\r\n\r\nusername\nann"), "multipart/form-data; boundary=xyz"
		}, 400, "is not valid multipart/form-data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t)
			body, ct := tt.body(t)
			req, err := http.NewRequest(http.MethodPost, base+api.ImportPath, body)
			require.NoError(t, err)
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			req.SetBasicAuth(admin, adminPW)
			a := do(t, c, req)
			assert.Equal(t, tt.wantStatus, a.status, "%s", a.body)
			assert.Contains(t, summary(t, a), tt.wantSummary)
			if tt.wantStatus != 200 {
				assert.Equal(t, 0, patronCount(t, c))
			}
		})
	}
}

// TestBodyLimit covers R-HTTP-5, with and without a declared length.
func TestBodyLimit(t *testing.T) {
	big := rows(200)
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			c := newClient(t, mockserver.WithMaxBody(1024))
			req := importReq(t, big)
			if chunked {
				req.ContentLength = -1
				req.Body = io.NopCloser(req.Body)
			}
			a := do(t, c, req)
			assert.Equal(t, http.StatusRequestEntityTooLarge, a.status)
			assert.Contains(t, summary(t, a), "larger than the limit of 1 KiB")
			assert.Equal(t, 0, patronCount(t, c))
			assert.Equal(t, http.StatusOK, upload(t, c, students+"ok,Y,N,2029\n").status, "the server keeps serving")
		})
	}
}

// TestBadInputChangesNothing: every kind of bad request gets a JSON answer,
// the server keeps serving, and what was stored stays as it was.
func TestBadInputChangesNothing(t *testing.T) {
	c := newClient(t)
	require.Equal(t, 200, upload(t, c, students+"keep,Y,N,2029\n").status)
	before := get(t, c, "/_mock/patrons").body
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i * 7919 % 251)
	}
	for name, csv := range map[string]string{
		"binary garbage":   string(garbage),
		"malformed CSV":    students + "keep,N,N,2029\n\"open,Y,N,2029\n",
		"no username":      "enabled,staffmember\nY,N\n",
		"duplicate column": "username,Enabled,enabled\nkeep,N,N\n",
	} {
		a := upload(t, c, csv)
		assert.Equal(t, http.StatusBadRequest, a.status, name)
		assert.Equal(t, false, a.json(t)["success"], name)
		assert.Equal(t, string(before), string(get(t, c, "/_mock/patrons").body), name)
	}
	a := upload(t, c, students+"keep,N,N,2029\nbad,Y,N,\xff\xfe\n")
	assert.Equal(t, http.StatusOK, a.status)
	assert.Contains(t, string(a.body), "Row is not valid UTF-8")
	assert.Equal(t, 1, patronCount(t, c))
}

// TestMockInspection covers /_mock/ and /healthz.
func TestMockInspection(t *testing.T) {
	c := newClient(t)
	health := do(t, c, mustReq(t, http.MethodGet, "/healthz"))
	assert.Equal(t, 200, health.status)
	assert.JSONEq(t, `{"status":"ok"}`, string(health.body))

	for _, path := range []string{"/_mock/patrons", "/_mock/patrons/x", "/_mock/imports"} {
		assert.Equal(t, 401, do(t, c, mustReq(t, http.MethodGet, path)).status, path)
	}

	upload(t, c, "username,enabled,staffmember,graduationyear,password,gender\nZoe,Y,N,2029,pw123,f\nbad,Y,N,1,,\n")
	upload(t, c, "username,enabled,staffmember\nteach,Y,Y\n")
	var list []map[string]any
	require.NoError(t, json.Unmarshal(get(t, c, "/_mock/patrons").body, &list))
	require.Len(t, list, 2)
	assert.Equal(t, map[string]any{
		"username": "teach", "enabled": true, "staffmember": true, "givenname": "", "surname": "",
		"middlename": "", "preferredname": "", "emailaddress": "", "graduationyear": nil,
		"academiclevel": "", "librarybarcode": "", "adminsystemid": "", "gender": "",
		"formclass": "", "presentationgrouplabel": "",
	}, list[0])

	one := get(t, c, "/_mock/patrons/zoe")
	assert.Equal(t, 200, one.status)
	p := one.json(t)
	assert.Equal(t, "Zoe", p["username"])
	assert.Equal(t, float64(2029), p["graduationyear"])
	assert.Equal(t, "F", p["gender"])
	assert.NotContains(t, p, "password")
	assert.Equal(t, 404, get(t, c, "/_mock/patrons/nobody").status)

	var hist []struct {
		Time     string          `json:"time"`
		FileName string          `json:"filename"`
		Rows     int             `json:"rows"`
		Status   int             `json:"status"`
		Result   json.RawMessage `json:"result"`
	}
	require.NoError(t, json.Unmarshal(get(t, c, "/_mock/imports").body, &hist))
	require.Len(t, hist, 2)
	assert.Equal(t, "users.csv", hist[0].FileName)
	assert.Equal(t, 2, hist[0].Rows)
	assert.Equal(t, 200, hist[0].Status)
	assert.Contains(t, string(hist[0].Result), `"2":"Field (graduationYear) is not a four-digit year.`)
	assert.NotEmpty(t, hist[0].Time)

	reset := mustReq(t, http.MethodPost, "/_mock/reset")
	reset.SetBasicAuth(admin, adminPW)
	assert.Equal(t, 200, do(t, c, reset).status)
	assert.Equal(t, 0, patronCount(t, c))
	assert.Equal(t, "[]", strings.TrimSpace(string(get(t, c, "/_mock/imports").body)))
}

func mustReq(t *testing.T, method, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	require.NoError(t, err)
	return req
}

// TestPasswordsNeverShown: no response, inspection page or log line carries
// a patron's password (R-ROW-17) or an admin's.
func TestPasswordsNeverShown(t *testing.T) {
	var logs bytes.Buffer
	c := newClient(t, mockserver.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	secrets := []string{"Sw0rdfish-Secret", "P4ssw0rd-Failing", strings.Repeat("Z9", 40)}
	csv := "username,enabled,staffmember,graduationyear,password\n" +
		"ok,Y,N,2029," + secrets[0] + "\n" +
		"bad,maybe,N,2029," + secrets[1] + "\n" +
		"long,Y,N,2029," + secrets[2] + "\n"
	var seen bytes.Buffer
	a := upload(t, c, csv)
	seen.Write(a.body)
	bad := importReq(t, csv)
	bad.SetBasicAuth(admin, "admin-secret-guess")
	seen.Write(do(t, c, bad).body)
	for _, path := range []string{"/_mock/patrons", "/_mock/patrons/ok", "/_mock/imports"} {
		seen.Write(get(t, c, path).body)
	}
	for _, s := range append(secrets, "admin-secret-guess", adminPW) {
		assert.NotContains(t, seen.String(), s)
		assert.NotContains(t, logs.String(), s)
	}
	assert.NotContains(t, seen.String(), "password\":")
	assert.Contains(t, logs.String(), "msg=import", "the log is written")
}

// TestConcurrentImports: imports run one at a time, so of eight clients
// posting the same 50 usernames at once exactly one creates each patron.
func TestConcurrentImports(t *testing.T) {
	st := store.New()
	c := newClient(t, mockserver.WithStore(st))
	csv := rows(50)
	var mu sync.Mutex
	created, updated := 0, 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp, err := c.Do(importReq(t, csv))
			if !assert.NoError(t, err) {
				return
			}
			defer resp.Body.Close()
			var r struct{ Summary string }
			assert.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
			var p, cr, up, f int
			fmt.Sscanf(r.Summary, "%d users processed. %d users created. %d users updated. %d users failed.", &p, &cr, &up, &f)
			mu.Lock()
			created += cr
			updated += up
			mu.Unlock()
		})
	}
	wg.Wait()
	assert.Equal(t, 50, created)
	assert.Equal(t, 7*50, updated)
	assert.Equal(t, 50, st.Len())
}

// TestLargeUploadIsSpooledToDisk: past the memory limit the upload goes to a
// temporary file, which is removed afterwards.
func TestLargeUploadIsSpooledToDisk(t *testing.T) {
	dir := t.TempDir()
	c := newClient(t, mockserver.WithSpool(dir, 256))
	a := upload(t, c, rows(300))
	require.Equal(t, 200, a.status, "%s", a.body)
	assert.Contains(t, summary(t, a), "300 users processed.")
	// Over a megabyte: many chunks through the file writer.
	a = upload(t, c, rows(40000))
	require.Equal(t, 200, a.status, "%s", a.body)
	assert.Contains(t, summary(t, a), "40000 users processed.")
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, left, "the spooled upload is removed")
}

// TestSpoolFailureIsTheServers: an upload that cannot be written to disk is
// answered 500, not blamed on the client, and changes nothing.
func TestSpoolFailureIsTheServers(t *testing.T) {
	st := store.New()
	c := newClient(t, mockserver.WithStore(st), mockserver.WithSpool(filepath.Join(t.TempDir(), "missing"), 16))
	a := upload(t, c, rows(300))
	assert.Equal(t, http.StatusInternalServerError, a.status, "%s", a.body)
	assert.Contains(t, a.header.Get("Content-Type"), "application/json")
	summary := a.json(t)["summary"].(string)
	assert.Contains(t, summary, "could not keep the upload on its disk")
	assert.NotContains(t, strings.ToLower(summary), "try again", "it would fail again the same way")
	assert.Equal(t, 0, st.Len())
}

// TestOverRealSocket posts through a real listener, as curl does: the
// credentials in the URL, and Expect: 100-continue.
func TestOverRealSocket(t *testing.T) {
	srv := httptest.NewServer(mockserver.New())
	defer srv.Close()
	body, ct := multipartBody(t, part{"file", "users.csv", students + "net,Y,N,2029\n"})
	req, err := http.NewRequest(http.MethodPost, strings.Replace(srv.URL, "://", "://"+admin+":"+adminPW+"@", 1)+api.ImportPath, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Expect", "100-continue")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`, string(b))
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "256MiB": 256 << 20, "1 GiB": 1 << 30, "5kb": 5000, "2MB": 2e6, "7B": 7} {
		got, err := mockserver.ParseBytes(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "-1", "0", "lots", "5XB", "99999999999GiB"} {
		_, err := mockserver.ParseBytes(in)
		assert.Error(t, err, in)
	}
	assert.Equal(t, "256 MiB", mockserver.FormatBytes(256<<20))
	assert.Equal(t, "1000 bytes", mockserver.FormatBytes(1000))
}

// TestWithoutPasswordHashing: a server that hashes no password answers
// every row as one that does, a password too long included (R-ROW-17),
// and keeps no hash; the default keeps a bcrypt hash.
func TestWithoutPasswordHashing(t *testing.T) {
	csv := "username,enabled,staffmember,graduationyear,password\nann,Y,N,2030,Pw-1234567\nbob,Y,N,2030," + strings.Repeat("x", 73) + "\n"
	hashing, plain := store.New(), store.New()
	want := upload(t, newClient(t, mockserver.WithStore(hashing)), csv)
	got := upload(t, newClient(t, mockserver.WithStore(plain), mockserver.WithoutPasswordHashing()), csv)
	assert.Equal(t, want.status, got.status)
	assert.JSONEq(t, string(want.body), string(got.body))
	assert.Contains(t, summary(t, got), "1 user failed.")
	hashed, ok := hashing.Get("ann")
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(hashed.PasswordHash, "$2a$"), "a bcrypt hash by default")
	kept, ok := plain.Get("ann")
	require.True(t, ok)
	assert.Empty(t, kept.PasswordHash)
}
