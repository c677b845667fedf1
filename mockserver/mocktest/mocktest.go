// Package mocktest gives Go tests a fresh reference server, served in
// process with no socket (with a state file, if asked), and one way to post
// a CSV to any reference server.
package mocktest

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/journal"
	"github.com/stretchr/testify/require"
)

// BaseURL is the base URL an in-process server answers on.
const BaseURL = "http://autosync.test"

// Server is a fresh reference server and a client routed into it.
type Server struct {
	Client *http.Client
}

// New returns a fresh reference server made with opts. Its client keeps
// cookies, as a browser does, for the web page's session.
func New(opts ...mockserver.Option) *Server {
	jar, _ := cookiejar.New(nil) // never fails with no options
	c := &http.Client{Jar: jar}
	mockserver.Route(c, mockserver.New(opts...))
	return &Server{Client: c}
}

// NewWithState returns a fresh reference server made with opts that keeps
// its patrons in the state file at path (serve --state); stop closes the
// file, as a server that stops does, so that another may open it.
func NewWithState(t testing.TB, path string, opts ...mockserver.Option) (srv *Server, stop func()) {
	t.Helper()
	st, err := journal.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	return New(append(opts, mockserver.WithPersistence(st))...), func() { st.Close() }
}

// Post imports csv as the default admin and returns the status and body.
func (s *Server) Post(t testing.TB, csv []byte) (int, []byte) {
	t.Helper()
	return s.PostAs(t, csv, mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
}

// PostAs imports csv with the given credentials.
func (s *Server) PostAs(t testing.TB, csv []byte, user, pass string) (int, []byte) {
	t.Helper()
	return Post(t, s.Client, BaseURL, csv, user, pass)
}

// Get reads path as the default admin, e.g. "/_mock/patrons".
func (s *Server) Get(t testing.TB, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, BaseURL+path, nil)
	require.NoError(t, err)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	return do(t, s.Client, req)
}

// Post imports csv into the server at base (with or without the import
// path) through c, as the documents describe an upload. With user "" no
// credentials are added (they may be in the URL).
func Post(t testing.TB, c *http.Client, base string, csv []byte, user, pass string) (int, []byte) {
	t.Helper()
	req, err := mockserver.NewImportRequest(context.Background(), api.ImportURL(base), "users.csv", csv)
	require.NoError(t, err)
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	return do(t, c, req)
}

func do(t testing.TB, c *http.Client, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}
