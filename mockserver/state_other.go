//go:build !unix

package mockserver

import (
	"io"
	"os"
)

// noFollow is nothing where O_NOFOLLOW does not exist: statePath has
// refused a link already.
const noFollow = 0

// lockState is a no-op where flock does not exist: there, two servers on
// one state file are not told apart.
func lockState(string) (io.Closer, error) { return io.NopCloser(nil), nil }

// ownedByOther is false where file owners are not numbers.
func ownedByOther(os.FileInfo) (int, bool) { return 0, false }
