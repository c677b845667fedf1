package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/autosync/autosync/mockserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowTarget is the reference server behind a handler that answers the
// preflight and the clean-up at once and holds every other import for a
// minute (or until the client gives up): a target against which a run
// would last an hour. started receives one value for each request held.
func slowTarget(t *testing.T) (url string, started chan struct{}, cleanUps *atomic.Int32) {
	server := mockserver.New(mockserver.WithAdmin("autoimport", "slow-secret"))
	started = make(chan struct{}, 1000)
	cleanUps = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(raw))
		switch {
		case bytes.Contains(raw, []byte("autosync-cleanup.csv")):
			cleanUps.Add(1)
		case bytes.Contains(raw, []byte("autosync-preflight")), strings.HasPrefix(r.URL.Path, "/_mock/"):
		default:
			started <- struct{}{}
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Minute):
			}
		}
		server.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, started, cleanUps
}

// TestStopsWhenTold: verify and explore, run as processes against a slow
// target, stop within a few seconds of SIGTERM or SIGINT, write the report
// of what ran, say it was interrupted, and disable what they created.
func TestStopsWhenTold(t *testing.T) {
	tests := []struct {
		command string
		signal  syscall.Signal
		args    []string
	}{
		{"verify", syscall.SIGTERM, nil},
		{"explore", syscall.SIGINT, []string{"--runs", "50"}},
	}
	for _, tt := range tests {
		t.Run(tt.command+" "+tt.signal.String(), func(t *testing.T) {
			url, started, cleanUps := slowTarget(t)
			dir := t.TempDir()
			self, err := os.Executable()
			require.NoError(t, err)
			junit := filepath.Join(dir, "report.xml")
			args := append([]string{tt.command, "--target", url, "--password-env", "SLOW_PW", "--academic-level", "K",
				"--presentation-group", "Senior School", "--format", "progress", "--report", "junit=" + junit,
				"--created-out", filepath.Join(dir, "created.txt")}, tt.args...)
			cmd := exec.Command(self, args...)
			cmd.Env = append(os.Environ(), "AUTOSYNC_RUN_MAIN=1", "SLOW_PW=slow-secret")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Start())
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			t.Cleanup(func() { cmd.Process.Kill(); <-done })

			select {
			case <-started:
			case err := <-done:
				t.Fatalf("the run ended before the target held a request: %v\n%s", err, stderr.String())
			case <-time.After(60 * time.Second):
				t.Fatal("the run sent nothing past the preflight")
			}
			require.NoError(t, cmd.Process.Signal(tt.signal))
			var exit *exec.ExitError
			select {
			case err := <-done:
				done <- err // for the clean-up
				require.True(t, errors.As(err, &exit), "exit: %v\n%s", err, stderr.String())
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10 s after %s\n%s", tt.signal, stderr.String())
			}
			assert.Equal(t, 130, exit.ExitCode(), "stderr:\n%s", stderr.String())
			report, err := os.ReadFile(junit)
			require.NoError(t, err, "the report of what ran is written")
			assert.Contains(t, string(report), "interrupted")
			assert.Contains(t, stdout.String(), "interrupted")
			if tt.command == "verify" {
				assert.Equal(t, int32(1), cleanUps.Load(), "the patrons the run created are disabled")
			}
		})
	}
}
