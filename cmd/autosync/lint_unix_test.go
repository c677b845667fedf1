//go:build unix

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLintRefusesWhatIsNotAFile: a named pipe as the file, --existing or
// --previous is refused at once (opening it would block for good), and the
// message names the command once.
func TestLintRefusesWhatIsNotAFile(t *testing.T) {
	good := writeFile(t, goodCSV)
	fifo := filepath.Join(t.TempDir(), "fifo.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	for _, args := range [][]string{{fifo}, {"--previous", fifo, good}, {"--existing", fifo, good}} {
		e, _, errOut := testEnv(nil)
		done := make(chan int, 1)
		go func() { done <- run(context.Background(), e, append([]string{"lint"}, args...)) }()
		select {
		case code := <-done:
			assert.Equal(t, exitUsage, code, args)
		case <-time.After(20 * time.Second):
			// Unblock the open, so that the goroutine ends.
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
			t.Fatalf("lint %v blocked on the named pipe", args)
		}
		assert.Contains(t, errOut.String(), "is a named pipe, not a regular file", args)
		assert.Equal(t, 1, strings.Count(errOut.String(), "lint:"), "the command named once: %s", errOut.String())
	}
}
