package journal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/store"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/autosync/autosync/api"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullDisk writes the first half of the next write it is given, then
// fails as a full disk does; after that it is a file again.
type fullDisk struct {
	*os.File
	armed bool
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if d.armed {
		d.armed = false
		n, _ := d.File.Write(p[:len(p)/2])
		return n, &os.PathError{Op: "write", Path: d.Name(), Err: syscall.ENOSPC}
	}
	return d.File.Write(p)
}

func importCSV(t *testing.T, h http.Handler, csv string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "users.csv")
	fw.Write([]byte(csv))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, api.ImportPath, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.SetBasicAuth(mockserver.DefaultAdminUser, mockserver.DefaultAdminPassword)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var v map[string]any
	json.Unmarshal(rec.Body.Bytes(), &v)
	return rec.Code, v
}

// TestFullDiskLeavesNoTornFrame: an import that could not be saved is
// answered 500 and its half frame cut off again, so the next import,
// answered 200, follows the last whole frame and survives a restart.
func TestFullDiskLeavesNoTornFrame(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	st, err := Open(path)
	require.NoError(t, err)
	disk := &fullDisk{File: st.f.(*os.File)}
	st.f = disk
	h := mockserver.New(mockserver.WithPersistence(st))
	status, _ := importCSV(t, h, "username,enabled,staffmember,graduationyear\nann,Y,N,2029\n")
	require.Equal(t, 200, status)

	disk.armed = true
	status, answer := importCSV(t, h, "username,enabled,staffmember,graduationyear\nbob,Y,N,2029\n")
	assert.Equal(t, 500, status)
	assert.Contains(t, answer["summary"], "could not be saved")
	status, _ = importCSV(t, h, "username,enabled,staffmember,graduationyear\ncat,Y,N,2029\n")
	require.Equal(t, 200, status, "the next import is saved")
	require.NoError(t, st.Close())

	again, err := Open(path)
	require.NoError(t, err, "the file is whole")
	defer again.Close()
	mustGet(t, again, "ann")
	mustGet(t, again, "cat") // the import answered 200 after the full disk is kept
}

// TestUnchangedReimportWritesOnlyHistory: a re-import of the same file
// changes no patron, so the journal grows by its history entry alone.
func TestUnchangedReimportWritesOnlyHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	st, err := Open(path)
	require.NoError(t, err)
	defer st.Close()
	h := mockserver.New(mockserver.WithPersistence(st))
	var csv bytes.Buffer
	csv.WriteString("username,enabled,staffmember,graduationyear,givenname,librarybarcode\n")
	for i := range 20000 {
		fmt.Fprintf(&csv, "student%d,Y,N,2029,Given%d,B%06d\n", i, i, i)
	}
	status, _ := importCSV(t, h, csv.String())
	require.Equal(t, 200, status)
	first, err := os.Stat(path)
	require.NoError(t, err)
	require.Greater(t, first.Size(), int64(500<<10), "twenty thousand patrons were written")
	status, answer := importCSV(t, h, csv.String())
	require.Equal(t, 200, status)
	require.Equal(t, "20000 users processed. 0 users created. 20000 users updated. 0 users failed.", answer["summary"])
	second, err := os.Stat(path)
	require.NoError(t, err)
	assert.Less(t, second.Size()-first.Size(), int64(4<<10), "the re-import appended its history entry, no patron")

	status, _ = importCSV(t, h, "username,formclass\nstudent7,9C\n")
	require.Equal(t, 200, status)
	require.NoError(t, st.Close())
	again, err := Open(path)
	require.NoError(t, err)
	defer again.Close()
	assert.Equal(t, "9C", mustGet(t, again, "student7").FormClass, "a change is written")
	assert.Equal(t, 20000, again.patrons.Len())
}

// TestUncommittedPartsDropped: the part frames of an import that never
// wrote its last frame (a crash mid-import) are dropped: the state is the
// one before the import.
func TestUncommittedPartsDropped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	st, err := Open(path)
	require.NoError(t, err)
	tx := st.Begin()
	long := strings.Repeat("x", 200)
	for i := 0; i < partSize/200+100; i++ {
		tx.Add(&store.Patron{Username: fmt.Sprintf("p%d", i), GivenName: long})
	}
	require.NoError(t, tx.(*journalTx).wait(), "the parts are written")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Greater(t, fi.Size(), int64(partSize), "a part frame is on disk")
	require.NoError(t, st.Close()) // the crash: no last frame

	again, err := Open(path)
	require.NoError(t, err)
	assert.Zero(t, again.patrons.Len(), "the uncommitted import is gone")
	tx = again.Begin()
	for i := 0; i < partSize/200+100; i++ {
		tx.Add(&store.Patron{Username: fmt.Sprintf("p%d", i), GivenName: long})
	}
	require.NoError(t, tx.Commit(mockserver.ImportRecord{FileName: "big.csv", Status: 200, Result: json.RawMessage(`{"success":true}`)}))
	require.NoError(t, again.Close())
	third, err := Open(path)
	require.NoError(t, err)
	defer third.Close()
	assert.Equal(t, partSize/200+100, third.patrons.Len(), "a committed import is whole")
}
