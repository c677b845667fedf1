package mockserver_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawRequest writes head (a request without its body, or with part of it)
// on a new connection and returns the answer's status line and whether the
// server closed the connection after it. The connection's deadline only
// bounds a server that never answers; what is judged is the answer.
func rawRequest(t *testing.T, addr, head string) (status string, closed bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = io.WriteString(c, head)
	require.NoError(t, err)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "no answer while the body is held back")
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	_, err = br.ReadByte()
	return resp.Status, err == io.EOF && resp.Close
}

func auth() string { return "Authorization: Basic YXV0b2ltcG9ydDphdXRvaW1wb3J0\r\n" } // autoimport:autoimport

// TestRefusedBeforeTheBody: a request refused before its body is read is
// answered at once, without waiting for a body that never comes, and the
// connection is closed.
func TestRefusedBeforeTheBody(t *testing.T) {
	srv := httptest.NewServer(mockserver.New(mockserver.WithMaxBody(1 << 20)))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	multipart := "Content-Type: multipart/form-data; boundary=x\r\n"
	tests := []struct {
		name, head, status string
	}{
		{"no credentials", "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\n" + multipart + "Content-Length: 1000\r\n\r\n", "401"},
		{"over the limit, a little", "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\n" + auth() + multipart + "Content-Length: 1048577\r\n\r\n", "413"},
		{"over the limit, a lot", "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\n" + auth() + multipart + "Content-Length: 99999999999\r\n\r\n", "413"},
		{"not multipart", "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\n" + auth() + "Content-Type: text/csv\r\nContent-Length: 1000\r\n\r\n", "415"},
		{"unknown path", "POST /nowhere HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n", "404"},
		{"wrong method", "PUT /api/import/users HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n", "405"},
		{"healthz with a body", "GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n", "200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, closed := rawRequest(t, addr, tt.head)
			assert.True(t, strings.HasPrefix(status, tt.status), "status %s", status)
			assert.True(t, closed, "the connection is closed after the answer")
		})
	}
}

// TestStalledUploadIsGivenUp: an upload that stops arriving is given up
// after the idle bound, its spool file removed, and the server answers
// others meanwhile.
func TestStalledUploadIsGivenUp(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewServer(mockserver.New(mockserver.WithSpool(dir, 16), mockserver.WithBodyIdle(300*time.Millisecond)))
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	part := "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nusername,enabled,staffmember,graduationyear\nann,Y,N,2029\n"
	fmt.Fprintf(c, "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n%s", auth(), part)

	// Meanwhile the server answers.
	resp, err := http.Get(srv.URL + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	answer, _ := io.ReadAll(c) // the server gives up, and closes
	assert.NotContains(t, string(answer), "users processed", "nothing was imported")
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, files, "the spool file is removed")
}

// TestSlowReaderIsCutOff: a client that stops reading a long answer is cut
// off after the write bound, so it pins nothing.
func TestSlowReaderIsCutOff(t *testing.T) {
	var logs lockedLog
	h := mockserver.New(mockserver.WithAnswerWrite(200*time.Millisecond), mockserver.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	srv := httptest.NewServer(h)
	defer srv.Close()
	var csv strings.Builder
	csv.WriteString("username,enabled,staffmember,graduationyear,givenname\n")
	for i := range 40000 {
		fmt.Fprintf(&csv, "p%d,Y,N,2029,%s\n", i, strings.Repeat("x", 200))
	}
	req, err := mockserver.NewImportRequest(t.Context(), srv.URL+"/api/import/users", "u.csv", []byte(csv.String()))
	require.NoError(t, err)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	fmt.Fprintf(c, "GET /_mock/patrons HTTP/1.1\r\nHost: localhost\r\n%s\r\n", auth())
	// Read nothing: the server's writes fill the socket buffers and stop.
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "patron list not delivered") },
		10*time.Second, 50*time.Millisecond, "the server gives the stalled reader up")
}

// lockedLog lets the server's log be read while it writes.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestHistoryBudget: past its memory budget the import history keeps each
// entry's counts and status, and as many failure texts as fit, saying how
// many were left out.
func TestHistoryBudget(t *testing.T) {
	c := &http.Client{}
	mockserver.Route(c, mockserver.New(mockserver.WithHistoryBudget(64<<10)))
	var csv strings.Builder
	csv.WriteString("username,enabled,staffmember,academiclevel\n")
	for i := range 5000 { // 5,000 distinct failure texts, some 500 KB
		fmt.Fprintf(&csv, "p%d,Y,N,level-%d-%s\n", i, i, strings.Repeat("z", 20))
	}
	for range 3 {
		_, answer := mocktest.Post(t, c, mocktest.BaseURL, []byte(csv.String()), mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
		require.Contains(t, string(answer), "level-4999-", "the answer itself has every text")
	}
	req, _ := http.NewRequest(http.MethodGet, mocktest.BaseURL+"/_mock/imports", nil)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var entries []struct {
		Rows    int `json:"rows"`
		Status  int `json:"status"`
		LeftOut int `json:"failuresLeftOut"`
		Result  struct {
			Summary string            `json:"summary"`
			Details map[string]string `json:"details"`
		} `json:"result"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&entries))
	require.NotEmpty(t, entries)
	total := 0
	for _, e := range entries {
		assert.Equal(t, 5000, e.Rows)
		assert.Equal(t, http.StatusOK, e.Status)
		assert.Equal(t, "5000 users processed. 0 users created. 0 users updated. 5000 users failed.", e.Result.Summary)
		assert.Len(t, e.Result.Details, 5000, "every row keeps its outcome")
		assert.Positive(t, e.LeftOut, "texts were left out")
		for _, text := range e.Result.Details {
			total += len(text)
		}
	}
	newest := entries[len(entries)-1]
	assert.Less(t, newest.LeftOut, 5000, "the newest keeps the texts that fit")
	assert.Contains(t, newest.Result.Details["1"], "level-0-", "the first rows' texts are kept")
	assert.Contains(t, newest.Result.Details["5000"], "left out of the import history")
}

// TestReadsDoNotWaitForBcrypt: while an import hashes passwords, a read of
// the store is answered, without waiting for the import to end.
func TestReadsDoNotWaitForBcrypt(t *testing.T) {
	srv := mocktest.New(mockserver.WithBcryptCost(10))
	srv.Post(t, []byte(oneStudent))
	var csv strings.Builder
	csv.WriteString("username,enabled,staffmember,graduationyear,password\n")
	for i := range 4 {
		fmt.Fprintf(&csv, "pw%d,Y,N,2029,Secret-%d\n", i, i)
	}
	imported := make(chan struct{})
	go func() {
		defer close(imported)
		srv.Post(t, []byte(csv.String()))
	}()
	time.Sleep(20 * time.Millisecond) // the import is hashing: four hashes at cost 10 take a quarter of a second, more under the race detector
	status, patron := srv.Get(t, "/_mock/patrons/ann")
	require.Equal(t, http.StatusOK, status, string(patron))
	select {
	case <-imported:
		t.Fatal("the read waited for the import to end")
	default:
	}
	<-imported
}
