package mockserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver"
)

const (
	base     = "http://autosync.test"
	admin    = mockserver.DefaultAdminUser
	adminPW  = mockserver.DefaultAdminPassword
	students = "username,enabled,staffmember,graduationyear\n"
)

// newClient returns a client routed into a fresh reference server.
func newClient(t *testing.T, opts ...mockserver.Option) *http.Client {
	t.Helper()
	c := &http.Client{}
	mockserver.Route(c, mockserver.New(opts...))
	return c
}

// answer is a response read whole, checked to be JSON (R-HTTP-6).
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(a.body, &v), "body %q", a.body)
	return v
}

func do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{resp.StatusCode, resp.Header, b}
	assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"), "%s %s", req.Method, req.URL.Path)
	if req.Method != http.MethodHead {
		assert.True(t, json.Valid(b), "%s %s answered non-JSON %q", req.Method, req.URL.Path, b)
	}
	return a
}

// multipartBody builds a multipart body from parts; a part with a file name
// is a file part.
type part struct{ field, filename, content string }

func multipartBody(t *testing.T, parts ...part) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename != "" {
			w, err = mw.CreateFormFile(p.field, p.filename)
		} else {
			w, err = mw.CreateFormField(p.field)
		}
		require.NoError(t, err)
		io.WriteString(w, p.content)
	}
	require.NoError(t, mw.Close())
	return &b, mw.FormDataContentType()
}

func importReq(t *testing.T, csv string) *http.Request {
	t.Helper()
	req, err := mockserver.NewImportRequest(context.Background(), base+api.ImportPath, "users.csv", []byte(csv))
	require.NoError(t, err)
	req.SetBasicAuth(admin, adminPW)
	return req
}

func upload(t *testing.T, c *http.Client, csv string) answer {
	t.Helper()
	return do(t, c, importReq(t, csv))
}

func get(t *testing.T, c *http.Client, path string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	require.NoError(t, err)
	req.SetBasicAuth(admin, adminPW)
	return do(t, c, req)
}

func patronCount(t *testing.T, c *http.Client) int {
	t.Helper()
	var list []map[string]any
	require.NoError(t, json.Unmarshal(get(t, c, "/_mock/patrons").body, &list))
	return len(list)
}

func summary(t *testing.T, a answer) string {
	t.Helper()
	s, _ := a.json(t)["summary"].(string)
	return s
}

func rows(n int) string {
	var b strings.Builder
	b.WriteString(students)
	for i := range n {
		b.WriteString("p")
		b.WriteString(strings.Repeat("x", i%3))
		b.WriteString(string(rune('a' + i%26)))
		b.WriteString(",Y,N,2029\n")
	}
	return b.String()
}
