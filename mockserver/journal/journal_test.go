package journal_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/journal"
	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStateSurvivesARestart: patrons, with their password hashes, and the
// import history come back; a reset is kept too; no plain password is
// ever written.
func TestStateSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	srv, stop := mocktest.NewWithState(t, path)
	status, _ := srv.Post(t, []byte("username,enabled,staffmember,graduationyear,librarybarcode,password\nann,Y,N,2029,B1,Secret-Pw-1\nbob,Y,N,2029,B2,\n"))
	require.Equal(t, 200, status)
	status, _ = srv.Post(t, []byte("username,librarybarcode,formclass\nann,B2,\nbob,B1,9C\n")) // a swap fails for one row
	require.Equal(t, 200, status)
	_, before := srv.Get(t, "/_mock/patrons")
	_, history := srv.Get(t, "/_mock/imports")
	stop()

	again, stop := mocktest.NewWithState(t, path)
	_, after := again.Get(t, "/_mock/patrons")
	assert.JSONEq(t, string(before), string(after))
	_, historyAfter := again.Get(t, "/_mock/imports")
	assert.JSONEq(t, string(history), string(historyAfter))
	status, answer := again.Post(t, []byte("username,password\nann,Secret-Pw-2\n"))
	assert.Equal(t, 200, status, string(answer))

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "Secret-Pw")
	assert.Contains(t, string(b), "$2a$", "the bcrypt hash is kept")

	again.Post(t, nil) // an empty file: an import of nothing
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, mocktest.BaseURL+"/_mock/reset", nil)
	require.NoError(t, err)
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	resp, err := again.Client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	stop()
	third, _ := mocktest.NewWithState(t, path)
	_, patrons := third.Get(t, "/_mock/patrons")
	assert.JSONEq(t, `[]`, string(patrons), "the reset is kept")
}

// TestTornLastFrame: a frame cut short by a crash is dropped, and the state
// is the one before it.
func TestTornLastFrame(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	srv, stop := mocktest.NewWithState(t, path)
	srv.Post(t, []byte(oneStudent))
	_, want := srv.Get(t, "/_mock/patrons")
	good, err := os.ReadFile(path)
	require.NoError(t, err)
	srv.Post(t, []byte("username,enabled,staffmember,graduationyear\nbob,Y,N,2029\n"))
	whole, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Greater(t, len(whole), len(good))
	stop()
	require.NoError(t, os.WriteFile(path, whole[:len(good)+(len(whole)-len(good))/2], 0o600))

	again, _ := mocktest.NewWithState(t, path)
	_, got := again.Get(t, "/_mock/patrons")
	assert.JSONEq(t, string(want), string(got))
}

// TestUnreadableState: a file that is not a state journal, or is damaged
// before its end, is refused and left as it is.
func TestUnreadableState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state")
	srv, _ := mocktest.NewWithState(t, path)
	srv.Post(t, []byte(oneStudent))
	srv.Post(t, []byte("username,enabled,staffmember,graduationyear\nbob,Y,N,2029\n"))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	damaged := bytes.Clone(raw)
	damaged[len("autosync state 3\n")+14] ^= 0xff // inside the first frame
	for name, content := range map[string][]byte{
		"damaged":       damaged,
		"not a journal": []byte("username,enabled\nann,Y\n" + string(bytes.Repeat([]byte("x"), 100))),
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, content, 0o600))
		_, err := journal.Open(p)
		assert.ErrorIs(t, err, journal.ErrUnreadable, name)
		after, _ := os.ReadFile(p)
		assert.Equal(t, content, after, "%s: the file is left as it is", name)
	}
}

// TestLargeAnswerSavedShort: an answer over 1 MiB is kept in the state file
// with its success and summary only.
func TestLargeAnswerSavedShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	srv, stop := mocktest.NewWithState(t, path)
	csv := "username,enabled,staffmember,graduationyear\n" + strings.Repeat("x,\n", 20000) // every row ragged
	status, answer := srv.Post(t, []byte(csv))
	require.Equal(t, 200, status)
	require.Greater(t, len(answer), 1<<20)
	stop()
	again, _ := mocktest.NewWithState(t, path)
	_, history := again.Get(t, "/_mock/imports")
	assert.Contains(t, string(history), `"summary":"20000 users processed. 0 users created. 0 users updated. 20000 users failed."`)
	assert.Contains(t, string(history), "left out of the saved state")
}
