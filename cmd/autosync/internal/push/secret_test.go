package push

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// plantSecret plants, where a secret file goes, either a symbolic link to
// a file of someone else's or a loose (0644) file, and returns a check that
// the secret was written to a new file of the owner's alone, with nothing
// written through the link.
func plantSecret(t *testing.T, path string, link bool) func() {
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

// TestKeptRosterPlanted: the kept roster is written as a new file (see
// atomicfile): a link or a loose file planted where it goes changes
// nothing.
func TestKeptRosterPlanted(t *testing.T) {
	for _, link := range []bool{true, false} {
		name := map[bool]string{true: "symbolic link", false: "loose file"}[link]
		t.Run("kept roster, "+name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "users.csv")
			require.NoError(t, os.WriteFile(file, []byte("username,password\nann,secret1\n"), 0o644))
			kept := filepath.Join(dir, "accepted", "target.csv")
			check := plantSecret(t, kept, link)
			f, err := os.Open(file)
			require.NoError(t, err)
			defer f.Close()
			require.NoError(t, keep(context.Background(), f, "", kept, nil))
			check()
		})
	}
}
