package filekind_test

import (
	"os"
	"testing"

	"github.com/autosync/autosync/internal/filekind"
	"github.com/stretchr/testify/assert"
)

func TestOf(t *testing.T) {
	for m, want := range map[os.FileMode]string{
		os.ModeDir | 0o755:                "a folder",
		os.ModeNamedPipe | 0o600:          "a named pipe",
		os.ModeSocket | 0o600:             "a socket",
		os.ModeDevice | os.ModeCharDevice: "a device",
		os.ModeIrregular:                  "something else",
	} {
		assert.Equal(t, want, filekind.Of(m), "%v", m)
	}
}
