//go:build !unix && !windows

package push

import (
	"os"
	"sync"
)

// Where there is neither flock nor LockFileEx, pushes in one process are
// kept apart; a second process is not.
var locks sync.Map

func tryLock(f *os.File) (bool, error) {
	_, taken := locks.LoadOrStore(f.Name(), true)
	return !taken, nil
}

func unlock(f *os.File) { locks.Delete(f.Name()) }

// ownedAlone checks nothing where the permissions are not Unix's.
func ownedAlone(string, os.FileInfo) error { return nil }
