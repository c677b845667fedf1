// Package atomicfile writes the files autosync keeps: each is created new
// (never a file or a symbolic link that was there already, so never one
// planted, and never with the mode an old file had), and a file that
// replaces another replaces it whole or not at all. What is written goes
// to a temporary file beside it, is synced, and is renamed over it, so
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

// Secret is the mode of every file autosync writes that holds a secret (a
// private key, patrons' password hashes, an upload's passwords, a school's
// roster): its owner's to read and write, no one else's.
const Secret os.FileMode = 0o600

// Create makes a new file in dir for autosync alone (mode Secret, whatever
// the umask), named pattern with its last "*" replaced by a random part.
// It is created new: a name that exists, a symbolic link included, is
// never opened, so nothing planted there is written through. Every file
// that holds a secret is made by Create, directly (an upload's spool) or
// through Write (the TLS key, the state file, push's kept roster).
func Create(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern) // O_CREATE|O_EXCL: never an existing name
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(Secret); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// Write replaces the file at path with what write writes, with permissions
// mode (Secret for a file that holds one), and syncs the folder so that the
// rename lasts. The file is made new by Create and renamed over path: a
// symbolic link at path is replaced, never followed, and an old file's
// mode is never kept. Nothing is changed at path if any step fails; the
// temporary file is removed.
func Write(path string, mode os.FileMode, write func(io.Writer) error) error {
	tmp, err := Create(filepath.Dir(path), filepath.Base(path)+TempSuffix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if mode != Secret {
		if err := tmp.Chmod(mode); err != nil {
			tmp.Close()
			return err
		}
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
