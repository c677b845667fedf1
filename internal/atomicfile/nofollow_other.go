//go:build !unix

package atomicfile

// NoFollow is nothing where O_NOFOLLOW does not exist.
const NoFollow = 0
