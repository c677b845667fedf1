package mockserver

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver/rules"
)

// TestKeptTextBounded: what the server keeps of a text the client chooses
// is at most maxKeptText bytes, cut between characters, and a string of
// its own.
func TestKeptTextBounded(t *testing.T) {
	assert.Equal(t, "users.csv", keptText("users.csv"))
	long := strings.Repeat("é", 200) // 400 bytes
	got := keptText(long)
	assert.Len(t, got, 254, "cut before the character that would pass 255 bytes")
	assert.True(t, strings.HasPrefix(long, got))
}

// TestFileNameBounded: a file name of a megabyte, imported, is kept and
// shown at 255 bytes, in the history and in its JSON; the page's tries keep
// each username at 255 bytes too, so that neither grows with the input.
func TestFileNameBounded(t *testing.T) {
	s := New().(*server)
	name := strings.Repeat("n", 1<<20) + ".csv"
	longUser := strings.Repeat("u", 10<<10)
	csv := "username,enabled,staffmember,graduationyear\n" + longUser + ",Y,N,2029\nann,Y,N,2029\n"
	for range 3 {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, err := mw.CreateFormFile("file", name)
		require.NoError(t, err)
		fmt.Fprint(fw, csv)
		require.NoError(t, mw.Close())
		req := httptest.NewRequest(http.MethodPost, "/api/import/users", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.SetBasicAuth(DefaultAdminUser, DefaultAdminPassword)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	}
	req := httptest.NewRequest(http.MethodGet, "/_mock/imports", nil)
	req.SetBasicAuth(DefaultAdminUser, DefaultAdminPassword)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Less(t, w.Body.Len(), 10<<10, "three imports with a 1 MiB name: the history stays small")
	for _, rec := range s.history.list() {
		assert.Len(t, rec.FileName, maxKeptText)
		for _, n := range rec.names {
			assert.LessOrEqual(t, len(n), maxKeptText)
		}
	}

	s.page.tryFile(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/ui/check", nil), keptText(name), strings.NewReader(csv), true)
	tried := s.page.tries.recent()
	require.Len(t, tried, 1)
	assert.Len(t, tried[0].FileName, maxKeptText)
	require.Len(t, tried[0].Names, 2)
	assert.Len(t, tried[0].Names[0], maxKeptText, "a username of 10 KB is kept at 255 bytes")
}

// TestChecksOneAtATime: checks (the web page's Check) each judge the file
// against a copy of the store, so they run one at a time: sixteen at once
// against a million patrons took 1.7 GB. Each check, on its first row,
// waits a little for the others to arrive; none ever finds another inside.
func TestChecksOneAtATime(t *testing.T) {
	s := New().(*server)
	const n = 4
	var inside, most atomic.Int32
	arrived := make(chan struct{}, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sp, syntax, apiErr := s.receive(strings.NewReader(oneRow))
			require.Nil(t, apiErr)
			defer s.closeSpool(sp)
			first := true
			_, apiErr = s.runImport(context.Background(), check, sp, syntax, &ImportRecord{}, rules.WithRowReport(func(rules.RowReport) {
				if !first {
					return
				}
				first = false
				now := inside.Add(1)
				if now > most.Load() {
					most.Store(now)
				}
				arrived <- struct{}{}
				time.Sleep(100 * time.Millisecond) // the others' chance to come in, were they let
				inside.Add(-1)
			}))
			assert.Nil(t, apiErr)
		}()
	}
	wg.Wait()
	assert.Len(t, arrived, n, "every check ran")
	assert.Equal(t, int32(1), most.Load(), "one check at a time")
}

const oneRow = "username,enabled,staffmember,graduationyear\nann,Y,N,2029\n"
