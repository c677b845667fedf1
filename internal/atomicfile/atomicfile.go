// Package atomicfile replaces a file whole or not at all: what is written
// goes to a temporary file beside it, is synced, and is renamed over it, so
// that a reader or a crash sees the old file or the new, never a part.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// TempSuffix follows the file's name in the name of its temporary file,
// before a random part: a caller can find what a crash left behind.
const TempSuffix = ".tmp-"

// Write replaces the file at path with what write writes, with permissions
// mode, and syncs the folder so that the rename lasts. Nothing is changed
// at path if any step fails; the temporary file is removed.
func Write(path string, mode os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+TempSuffix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	return nil
}
