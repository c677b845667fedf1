// Package atomicfiletest plants, for tests, what an attacker would leave
// where a secret file is about to be written.
package atomicfiletest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Plant plants, where a secret file goes, either a symbolic link to a file
// of someone else's or a loose (0644) file, and returns a check that the
// secret was written to a new file of the owner's alone, with nothing
// written through the link.
func Plant(t *testing.T, path string, link bool) func() {
	t.Helper()
	victim := filepath.Join(t.TempDir(), "victim")
	require.NoError(t, os.WriteFile(victim, []byte("not yours"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	if link {
		require.NoError(t, os.Symlink(victim, path))
	} else {
		require.NoError(t, os.WriteFile(path, []byte("loose"), 0o644))
	}
	return func() {
		t.Helper()
		b, err := os.ReadFile(victim)
		require.NoError(t, err)
		assert.Equal(t, "not yours", string(b), "nothing written through the link")
		fi, err := os.Lstat(path)
		require.NoError(t, err)
		assert.True(t, fi.Mode().IsRegular(), "a file of its own, not the link")
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the owner's alone, whatever was there")
	}
}
