//go:build unix

package atomicfile

import "syscall"

// NoFollow, among os.OpenFile's flags, makes opening a symbolic link
// fail, so that a link planted where a secret is kept is not followed.
const NoFollow = syscall.O_NOFOLLOW
