package push

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/autosync/autosync/internal/atomicfile/atomicfiletest"
	"github.com/stretchr/testify/require"
)

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
			check := atomicfiletest.Plant(t, kept, link)
			f, err := os.Open(file)
			require.NoError(t, err)
			defer f.Close()
			require.NoError(t, keep(context.Background(), f, "", kept, nil))
			check()
		})
	}
}
