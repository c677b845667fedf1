//go:build unix

package atomicfile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/autosync/autosync/internal/atomicfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenLockRefusesALink: a lock file is made 0600 and opened again, but
// a symbolic link planted in its place is refused, and the file it points
// to is neither made nor opened.
func TestOpenLockRefusesALink(t *testing.T) {
	dir := t.TempDir()
	lock := filepath.Join(dir, "roster.csv.lock")
	f, err := atomicfile.OpenLock(lock)
	require.NoError(t, err)
	f.Close()
	fi, err := os.Stat(lock)
	require.NoError(t, err)
	assert.Equal(t, atomicfile.Secret, fi.Mode().Perm())
	f, err = atomicfile.OpenLock(lock)
	require.NoError(t, err, "an existing lock file opens")
	f.Close()

	elsewhere := filepath.Join(dir, "elsewhere")
	planted := filepath.Join(dir, "planted.lock")
	require.NoError(t, os.Symlink(elsewhere, planted))
	_, err = atomicfile.OpenLock(planted)
	assert.Error(t, err)
	assert.NoFileExists(t, elsewhere, "nothing made where the link points")
}
