package mockserver_test

import (
	"fmt"
	"github.com/autosync/autosync/mockserver/mocktest"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/journal"
)

// TestSpoolBesideState: with a state file, an upload is spooled beside it
// (so in the container's /data, not a /tmp it does not have), as a new
// file of the owner's alone (it holds passwords); what a crash left there
// is removed when the state is opened again, and nothing of another's.
func TestSpoolBesideState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state")
	st, err := journal.Open(path)
	require.NoError(t, err)
	defer st.Close()
	srv := httptest.NewServer(mockserver.New(mockserver.WithPersistence(st), mockserver.WithSpool("", 16)))
	defer srv.Close()

	// An upload that stops half way (past the first chunk the spool
	// reads) stays spooled while it waits.
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	part := "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nusername,password,enabled,staffmember,graduationyear\nann,secret1,Y,N,2029\n"
	fmt.Fprintf(c, "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000000\r\n\r\n%s%s", auth(), part, strings.Repeat("bob,secret2,Y,N,2029\n", 20000))
	var spooled []string
	for deadline := time.Now().Add(10 * time.Second); len(spooled) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		spooled, _ = filepath.Glob(path + ".upload-*.csv")
	}
	require.Len(t, spooled, 1, "the upload is spooled beside the state file")
	fi, err := os.Stat(spooled[0])
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the spool holds passwords: the owner's alone")

	// A crash: the server is gone, its spool left behind.
	stale := path + ".upload-123.csv"
	require.NoError(t, os.WriteFile(stale, []byte("username,password\nann,secret1\n"), 0o600))
	other := filepath.Join(dir, "other.upload-1.csv")
	require.NoError(t, os.WriteFile(other, nil, 0o600))
	c.Close()
	srv.Close()
	st.Close()
	_, stop := mocktest.NewWithState(t, path)
	stop()
	assert.NoFileExists(t, stale, "what a crash left is removed at start-up")
	assert.FileExists(t, other, "only this state's own spool")
}
