package push

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/autosync/autosync/internal/atomicfile"
)

// lockKept takes the lock of a kept roster, waiting while another push to
// the same target holds it (and saying so on log), and returns its
// release. The keep-dir is made if need be, and refused if it is another
// user's or others can write to it.
func lockKept(ctx context.Context, kept string, log io.Writer) (func(), error) {
	dir := filepath.Dir(kept)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("--keep-dir: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("--keep-dir: %w", err)
	}
	if err := ownedAlone(dir, fi); err != nil {
		return nil, fmt.Errorf("--keep-dir: %w", err)
	}
	f, err := atomicfile.OpenLock(kept + ".lock")
	if err != nil {
		return nil, fmt.Errorf("the kept roster: %w", err)
	}
	said := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock the kept roster: %w", err)
		}
		if ok {
			return func() { unlock(f); f.Close() }, nil
		}
		if !said {
			fmt.Fprintf(log, "autosync push: waiting for another push to this target to finish (%s)\n", kept+".lock")
			said = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock the kept roster: another push to this target held it: %w", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// keptFile returns the kept roster's path if there is one, "" if not, and
// refuses one that is not a plain file of this user's alone: a roster
// others could write would steer the guard.
func keptFile(kept string) (string, error) {
	fi, err := os.Lstat(kept)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("the kept roster: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("the kept roster %s is not a plain file (%s): remove it, or give another --keep-dir", kept, fi.Mode().Type())
	}
	if err := ownedAlone(kept, fi); err != nil {
		return "", fmt.Errorf("the kept roster: %w", err)
	}
	return kept, nil
}
