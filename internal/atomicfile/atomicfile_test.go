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
