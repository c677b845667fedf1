//go:build unix

package journal

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/autosync/autosync/internal/atomicfile"
)

// lockState takes the lock that says one server holds the state file at
// path: an exclusive flock on path.lock, which the kernel lets go when the
// process ends, however it ends.
func lockState(path string) (io.Closer, error) {
	f, err := atomicfile.OpenLock(path + ".lock")
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: another autosync serve is using %s; stop it, or give another --state file", ErrInUse, path)
		}
		return nil, fmt.Errorf("state %s: lock: %w", path, err)
	}
	return f, nil
}

// ownedByOther reports whether another user owns the file, and who.
func ownedByOther(fi os.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), int(st.Uid) != os.Geteuid()
}
