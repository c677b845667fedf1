package mockserver

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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
	req.SetBasicAuth(DefaultAdminUser, DefaultAdminPassword)
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
	st, err := OpenState(path)
	require.NoError(t, err)
	disk := &fullDisk{File: st.f.(*os.File)}
	st.f = disk
	h := New(WithState(st))
	status, _ := importCSV(t, h, "username,enabled,staffmember,graduationyear\nann,Y,N,2029\n")
	require.Equal(t, 200, status)

	disk.armed = true
	status, answer := importCSV(t, h, "username,enabled,staffmember,graduationyear\nbob,Y,N,2029\n")
	assert.Equal(t, 500, status)
	assert.Contains(t, answer["summary"], "could not be saved")
	status, _ = importCSV(t, h, "username,enabled,staffmember,graduationyear\ncat,Y,N,2029\n")
	require.Equal(t, 200, status, "the next import is saved")
	require.NoError(t, st.Close())

	again, err := OpenState(path)
	require.NoError(t, err, "the file is whole")
	defer again.Close()
	assert.Contains(t, again.patrons, "ann")
	assert.Contains(t, again.patrons, "cat", "the import answered 200 after the full disk is kept")
}
