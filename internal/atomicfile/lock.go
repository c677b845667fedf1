package atomicfile

import (
	"fmt"
	"os"
)

// OpenLock opens the lock file at path for reading and writing, creating it
// (0600) if need be. A symbolic link planted there is refused, not
// followed, where the system can tell (O_NOFOLLOW): a lock file beside a
// secret must not create or open a file elsewhere.
func OpenLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|NoFollow, Secret)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	return f, nil
}
