package atomicfile_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/internal/atomicfile"
)

// TestWrite: the file is replaced whole with the mode given; a write that
// fails leaves the old file as it was and no temporary file behind.
func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kept.csv")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	require.NoError(t, atomicfile.Write(path, 0o600, write("first")))
	require.NoError(t, atomicfile.Write(path, 0o600, write("second")))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "second", string(b))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	boom := errors.New("boom")
	err = atomicfile.Write(path, 0o600, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	assert.ErrorIs(t, err, boom)
	b, _ = os.ReadFile(path)
	assert.Equal(t, "second", string(b), "the old file stays")
	left, _ := filepath.Glob(path + atomicfile.TempSuffix + "*")
	assert.Empty(t, left, "no temporary file is left")
}

// TestWritePlanted: a symbolic link planted where a secret file goes is
// replaced, and the file it names is left as it was; a loose file (0644)
// there becomes the owner's alone.
func TestWritePlanted(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	require.NoError(t, os.WriteFile(victim, []byte("theirs"), 0o644))
	link := filepath.Join(dir, "key.pem")
	require.NoError(t, os.Symlink(victim, link))
	secret := func(w io.Writer) error { _, err := io.WriteString(w, "secret"); return err }

	require.NoError(t, atomicfile.Write(link, atomicfile.Secret, secret))
	b, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "theirs", string(b), "the file the link named is untouched")
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular(), "the link was replaced by the file")
	assert.Equal(t, atomicfile.Secret, fi.Mode().Perm())

	loose := filepath.Join(dir, "state")
	require.NoError(t, os.WriteFile(loose, []byte("old"), 0o644))
	require.NoError(t, atomicfile.Write(loose, atomicfile.Secret, secret))
	fi, err = os.Stat(loose)
	require.NoError(t, err)
	assert.Equal(t, atomicfile.Secret, fi.Mode().Perm(), "the old mode is not kept")
}

// TestCreate: a new file, the owner's alone whatever the umask allows.
func TestCreate(t *testing.T) {
	dir := t.TempDir()
	f, err := atomicfile.Create(dir, "upload-*.csv")
	require.NoError(t, err)
	defer f.Close()
	fi, err := f.Stat()
	require.NoError(t, err)
	assert.Equal(t, atomicfile.Secret, fi.Mode().Perm())
	assert.Equal(t, dir, filepath.Dir(f.Name()))
}
