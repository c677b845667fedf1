// Package filekind names, for a message, what a path that is not a regular
// file is.
package filekind

import "os"

// Of names the kind of file m describes, as a sentence's object: "a
// folder", "a named pipe", "a socket", "a device", or "something else".
func Of(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "something else"
}
