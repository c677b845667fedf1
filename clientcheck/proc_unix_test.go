//go:build unix

package clientcheck

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNothingLeftRunning: what the command started in the background is
// stopped with it, whether it ended by itself or was stopped at
// --timeout.
func TestNothingLeftRunning(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	for _, tt := range []struct {
		name, wait string
	}{{"it ends by itself", "exit 1"}, {"it is stopped", "wait"}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pidFile := filepath.Join(t.TempDir(), "pid")
			script := `sleep 300 & echo $! > "$0"; ` + tt.wait
			rep := judge(t, Config{Command: []string{"/bin/sh", "-c", script, pidFile}, Only: []string{"refused-401"}, Timeout: 2 * time.Second})
			require.Len(t, rep.Results, 1)
			b, err := os.ReadFile(pidFile)
			require.NoError(t, err)
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			require.NoError(t, err)
			assert.Eventually(t, func() bool { return gone(pid) }, 5*time.Second, 10*time.Millisecond, "the background sleep %d still runs", pid)
		})
	}
}

// gone reports whether process pid has ended (a zombie not yet reaped by
// its new parent has ended too).
func gone(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return dirExists("/proc/self") // it ended between the two looks
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && (fields[0] == "Z" || fields[0] == "X")
}

func dirExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
