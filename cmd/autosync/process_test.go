package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/autosync/autosync/internal/noexec"
	"github.com/autosync/autosync/mockserver"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain lets a test start the real command in a process of its own: the
// test binary runs main's code when AUTOSYNC_RUN_MAIN is set.
func TestMain(m *testing.M) {
	noexec.Restore() // the tests run go and bash
	if os.Getenv("AUTOSYNC_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// serveProcess starts "autosync serve" in a process of its own, under a
// shell that first runs setup (e.g. "ulimit -n 64"), and returns its base
// URL and the process.
func serveProcess(t *testing.T, setup string, env []string, args ...string) (string, *exec.Cmd) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	self, err := os.Executable()
	require.NoError(t, err)
	script := setup + `; exec "$0" serve --addr 127.0.0.1:0 --quiet "$@"`
	cmd := exec.Command("bash", append([]string{"-c", script, self}, args...)...)
	cmd.Env = append(append(os.Environ(), "AUTOSYNC_RUN_MAIN=1"), env...)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := regexp.MustCompile(`import URL\s+(http\S+)/api/import/users`)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := url.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out)
			return m[1], cmd
		}
	}
	t.Fatalf("serve printed no URL: %v", sc.Err())
	return "", nil
}

// TestHealthzUnderConnectionFlood: many connections that declare a body and
// send none cannot make the server unreachable, even with few file
// descriptors: each is answered and closed at once.
func TestHealthzUnderConnectionFlood(t *testing.T) {
	base, _ := serveProcess(t, "ulimit -n 48", nil)
	addr := strings.TrimPrefix(base, "http://")
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range 200 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			continue // the listen queue is full for a moment
		}
		held = append(held, c)
		fmt.Fprintf(c, "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000\r\n\r\n")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(base + "/healthz")
	require.NoError(t, err, "the server is reachable while %d connections hold back their bodies", len(held))
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestSIGTERMDuringAStalledUpload: SIGTERM stops the server with exit 0
// after the grace period, and the stalled upload's spool file is removed.
func TestSIGTERMDuringAStalledUpload(t *testing.T) {
	// It waits on processes and sockets more than it computes.
	t.Parallel()
	dir := t.TempDir()
	base, cmd := serveProcess(t, "true", []string{"TMPDIR=" + dir}, "--grace", "300ms")
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer c.Close()
	// More than the 8 MiB held in memory, so that the upload is spooled to
	// a file, then nothing more.
	fmt.Fprintf(c, "POST /api/import/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic YXV0b2ltcG9ydDphdXRvaW1wb3J0\r\n"+
		"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 99999999\r\n\r\n"+
		"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.csv\"\r\n\r\nusername\n")
	row := []byte(strings.Repeat("x", 1023) + "\n")
	for range 9 * 1024 {
		_, err := c.Write(row)
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool {
		files, _ := filepath.Glob(filepath.Join(dir, "autosync-upload-*"))
		return len(files) == 1
	}, 10*time.Second, 20*time.Millisecond, "the upload is spooled to a file")

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "exit 0")
	case <-ctx.Done():
		t.Fatal("serve did not stop")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "autosync-upload-*"))
	assert.Empty(t, files, "the spool file is removed")
}

// TestStateAfterSIGKILL kills a server with SIGKILL in the middle of a large
// import, restarts it on the same state file, and requires exactly the
// state before that import or after it, never part of it.
func TestStateAfterSIGKILL(t *testing.T) {
	// It waits on processes and sockets more than it computes.
	t.Parallel()
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	first := "username,enabled,staffmember,graduationyear,librarybarcode\nann,Y,N,2029,B-ANN\nbob,Y,Y,,B-BOB\n"
	var big strings.Builder
	big.WriteString("username,enabled,staffmember,graduationyear,librarybarcode,formclass\n")
	big.WriteString("ann,N,N,2030,B-NEW,7A\n")
	for i := range 20000 {
		fmt.Fprintf(&big, "p%d,Y,N,2029,B%d,8B\n", i, i)
	}
	patrons := func(base string) string {
		req, _ := http.NewRequest(http.MethodGet, base+"/_mock/patrons", nil)
		req.SetBasicAuth("autoimport", "autoimport")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}

	// The two states a restart may find, from a server with no state file.
	ref, _ := serveProcess(t, "true", nil)
	status, _ := postCSV(t, http.DefaultClient, withCreds(ref, "autoimport", "autoimport")+"/api/import/users", first)
	require.Equal(t, http.StatusOK, status)
	before := patrons(ref)
	status, _ = postCSV(t, http.DefaultClient, withCreds(ref, "autoimport", "autoimport")+"/api/import/users", big.String())
	require.Equal(t, http.StatusOK, status)
	after := patrons(ref)

	for _, kill := range []struct {
		when string
		wait func(answered <-chan struct{})
	}{
		{"as the upload starts", func(<-chan struct{}) {}},
		{"during the import", func(<-chan struct{}) { time.Sleep(150 * time.Millisecond) }},
		{"once answered", func(answered <-chan struct{}) { <-answered }},
	} {
		require.NoError(t, os.RemoveAll(state))
		base, cmd := serveProcess(t, "true", nil, "--state", state)
		status, _ := postCSV(t, http.DefaultClient, withCreds(base, "autoimport", "autoimport")+"/api/import/users", first)
		require.Equal(t, http.StatusOK, status)
		req, err := mockserver.NewImportRequest(context.Background(), withCreds(base, "autoimport", "autoimport")+"/api/import/users", "big.csv", []byte(big.String()))
		require.NoError(t, err)
		answered := make(chan struct{})
		go func() { // answered, or cut off by the kill
			defer close(answered)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
		kill.wait(answered)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		cmd.Wait()

		restarted, again := serveProcess(t, "true", nil, "--state", state)
		got := patrons(restarted)
		// One server per state file: this one stops before the next round's.
		require.NoError(t, again.Process.Signal(syscall.SIGTERM))
		again.Wait()
		t.Logf("killed %s: the restart found the state %s", kill.when, map[bool]string{true: "before the import", false: "after it"}[got == before])
		assert.True(t, got == before || got == after, "killed %s: %d bytes of patrons, neither the state before the import (%d) nor after it (%d)", kill.when, len(got), len(before), len(after))
		if kill.when == "once answered" {
			assert.Equal(t, after, got, "an answered import is durable")
		}
	}
}

// TestSIGTERMWithDelaysPending: imports held back by delay faults do not
// hold the server past --grace, and none of them is applied once cut off.
func TestSIGTERMWithDelaysPending(t *testing.T) {
	// It waits on processes and sockets more than it computes.
	t.Parallel()
	base, cmd := serveProcess(t, "true", nil, "--grace", "300ms")
	admin := withCreds(base, "autoimport", "autoimport")
	req, err := http.NewRequest(http.MethodPost, admin+"/_mock/faults", strings.NewReader(`{"delay":"10m","times":5}`))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for i := range 5 {
		req, err := mockserver.NewImportRequest(context.Background(), admin+"/api/import/users", "users.csv",
			fmt.Appendf(nil, "username,enabled,staffmember,graduationyear\npending%d,Y,N,2029\n", i))
		require.NoError(t, err)
		go func() { // cut off by the stop
			if resp, err := (&http.Client{Timeout: time.Minute}).Do(req); err == nil {
				resp.Body.Close()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // the five are received and held back
	start := time.Now()
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "exit 0")
		t.Logf("stopped %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	case <-time.After(30 * time.Second):
		t.Fatal("serve waited for the delays, not for --grace")
	}
}
