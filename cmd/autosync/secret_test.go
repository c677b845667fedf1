package main

import (
	"path/filepath"
	"testing"

	"github.com/autosync/autosync/internal/atomicfile/atomicfiletest"
	"github.com/stretchr/testify/require"
)

// TestSecretFilesPlanted: the self-signed TLS key is written as a new file
// (see atomicfile): a link or a loose file planted where it goes changes
// nothing. (push's kept roster: push.TestKeptRosterPlanted.)
func TestSecretFilesPlanted(t *testing.T) {
	for _, link := range []bool{true, false} {
		name := map[bool]string{true: "symbolic link", false: "loose file"}[link]
		t.Run("TLS key, "+name, func(t *testing.T) {
			dir := t.TempDir()
			check := atomicfiletest.Plant(t, filepath.Join(dir, "key.pem"), link)
			_, err := selfSigned(dir)
			require.NoError(t, err)
			check()
		})
	}
}
