package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe to write from the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testEnv(vars map[string]string) (env, *syncBuffer, *syncBuffer) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	return env{stdin: strings.NewReader(""), stdout: out, stderr: errOut, getenv: func(k string) string { return vars[k] }}, out, errOut
}

// startServe runs the real serve command on a free loopback port and returns
// its base URL; the server stops when the test ends.
func startServe(t *testing.T, vars map[string]string, args ...string) (string, *syncBuffer, *syncBuffer) {
	t.Helper()
	e, out, errOut := testEnv(vars)
	var c serveConfig
	fs := serveFlags(&c)
	_, code, ok := parseFlags(fs, e, append([]string{"--addr", "127.0.0.1:0"}, args...), serveEnv)
	require.True(t, ok, "flags: exit %d: %s", code, errOut.String())
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, e, &c, func(u string) { ready <- u }) }()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return base, out, errOut
}

// postCSV imports csv at url, whose credentials are in the URL.
func postCSV(t *testing.T, c *http.Client, url, csv string) (int, string) {
	t.Helper()
	status, body := mocktest.Post(t, c, url, []byte(csv), "", "")
	return status, string(body)
}

func withCreds(base, user, pass string) string {
	return strings.Replace(base, "://", "://"+user+":"+pass+"@", 1)
}

func TestServeDefaults(t *testing.T) {
	base, out, logs := startServe(t, nil)
	banner := out.String()
	for _, want := range []string{base + "/api/import/users", "autoimport / autoimport", "librarian / librarian",
		"K, 1, 2, 3", "Junior School, Middle School, Senior School", "256 MiB",
		`curl -X POST -F "file=@users.csv" ` + withCreds(base, "autoimport", "autoimport") + "/api/import/users"} {
		assert.Contains(t, banner, want)
	}
	status, body := postCSV(t, http.DefaultClient, withCreds(base, "autoimport", "autoimport")+"/api/import/users",
		"username,enabled,staffmember,academiclevel,password\nann,Y,N,K,Hunter2-secret\n")
	assert.Equal(t, 200, status)
	assert.JSONEq(t, `{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`, body)
	status, _ = postCSV(t, http.DefaultClient, withCreds(base, "librarian", "librarian")+"/api/import/users", "")
	assert.Equal(t, 401, status)
	assert.Contains(t, logs.String(), "path=/api/import/users status=200")
	assert.NotContains(t, logs.String(), "Hunter2-secret")
}

func TestServeFromEnvironment(t *testing.T) {
	base, out, _ := startServe(t, map[string]string{
		"AUTOSYNC_ADMIN":           "sync:s3cret-pw",
		"AUTOSYNC_ACADEMIC_LEVELS": "Y7,Y8",
		"AUTOSYNC_MAX_BODY":        "1KiB",
	}, "--presentation-groups", "House A")
	banner := out.String()
	assert.Contains(t, banner, "sync / (the password you set)")
	assert.NotContains(t, banner, "s3cret-pw", "a password the user chose is never printed")
	assert.Contains(t, banner, "Y7, Y8")
	assert.Contains(t, banner, "House A")
	assert.Contains(t, banner, "1 KiB")
	url := withCreds(base, "sync", "s3cret-pw") + "/api/import/users"
	status, body := postCSV(t, http.DefaultClient, url, "username,enabled,staffmember,academiclevel,presentationgrouplabel\na,Y,N,y7,house a\nb,Y,N,7,House A\n")
	assert.Equal(t, 200, status)
	assert.Contains(t, body, `"2":"Field (academicLevel) value '7' is not a declared academic level.`)
	status, _ = postCSV(t, http.DefaultClient, url, strings.Repeat("x", 2000))
	assert.Equal(t, 413, status)
}

func TestServeSelfSignedTLS(t *testing.T) {
	dir := t.TempDir()
	base, out, _ := startServe(t, nil, "--tls-self-signed", dir)
	require.True(t, strings.HasPrefix(base, "https://"), base)
	assert.Contains(t, out.String(), "--cacert "+filepath.Join(dir, "cert.pem"))
	status, body := postCSV(t, mustTLSClient(t, filepath.Join(dir, "cert.pem")), withCreds(base, "autoimport", "autoimport")+"/api/import/users", "")
	assert.Equal(t, 200, status, body)

	// The web page's commands trust the certificate too, as the banner's do.
	req, err := http.NewRequest(http.MethodGet, base+"/ui/server", nil)
	require.NoError(t, err)
	req.SetBasicAuth("autoimport", "autoimport")
	resp, err := mustTLSClient(t, filepath.Join(dir, "cert.pem")).Do(req)
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(page), "curl --cacert "+filepath.Join(dir, "cert.pem")+" -X POST")
	assert.Contains(t, string(page), "--password-env PW --cacert "+filepath.Join(dir, "cert.pem"))

	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	csv := filepath.Join(t.TempDir(), "users.csv")
	require.NoError(t, os.WriteFile(csv, []byte("username,enabled,staffmember,graduationyear\ncurly,Y,N,2029\n"), 0o644))
	cmd := exec.Command("curl", "-sS", "--cacert", filepath.Join(dir, "cert.pem"), "-X", "POST", "-F", "file=@"+csv,
		withCreds(base, "autoimport", "autoimport")+"/api/import/users")
	got, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", got)
	assert.JSONEq(t, `{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`, string(got))
}

func TestServeOwnCertificate(t *testing.T) { // R-HTTP-1
	dir := t.TempDir()
	_, err := selfSigned(dir) // any PEM pair will do
	require.NoError(t, err)
	base, _, _ := startServe(t, nil, "--tls-cert", filepath.Join(dir, "cert.pem"), "--tls-key", filepath.Join(dir, "key.pem"))
	require.True(t, strings.HasPrefix(base, "https://"), base)
	status, body := postCSV(t, mustTLSClient(t, filepath.Join(dir, "cert.pem")), withCreds(base, "autoimport", "autoimport")+"/api/import/users", "")
	assert.Equal(t, 200, status, body)
}

// TestSeedCurlCommand runs the documents' own curl command, unchanged but for
// host and credentials.
func TestSeedCurlCommand(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	base, _, _ := startServe(t, nil)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "users.csv"),
		[]byte("username,password,emailaddress,formclass\njane,swordfish,jane@example.edu,10A\n"), 0o644))
	cmd := exec.Command("curl", "-s", "-X", "POST", "-F", "file=@users.csv", withCreds(base, "autoimport", "autoimport")+"/api/import/users")
	cmd.Dir = dir
	got, err := cmd.Output()
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(got, &v))
	assert.Equal(t, "1 user processed. 0 users created. 0 users updated. 1 user failed.", v["summary"])
	assert.Equal(t, "Field (enabled) is mandatory for new users. User failed to import: Field (enabled) is mandatory for new users. Field (staffMember) is mandatory for new users. ",
		v["details"].(map[string]any)["1"])
}

// TestPythonRequests posts the way a school's Python script would.
func TestPythonRequests(t *testing.T) {
	if err := exec.Command("python3", "-c", "import requests").Run(); err != nil {
		t.Skip("python3 with requests not installed")
	}
	base, _, _ := startServe(t, nil)
	dir := t.TempDir()
	csv := filepath.Join(dir, "users.csv")
	require.NoError(t, os.WriteFile(csv, []byte("username,enabled,staffmember,graduationyear\npy,Y,N,2029\n"), 0o644))
	script := `import sys, requests
r = requests.post(sys.argv[1], files={"file": open(sys.argv[2], "rb")}, auth=("autoimport", "autoimport"))
print(r.status_code); print(r.text)`
	got, err := exec.Command("python3", "-c", script, base+"/api/import/users", csv).CombinedOutput()
	require.NoError(t, err, "%s", got)
	assert.Equal(t, "200\n"+`{"success":true,"summary":"1 user processed. 1 user created. 0 users updated. 0 users failed."}`+"\n", string(got))
}

func TestServeRefusals(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"default password beyond loopback", []string{"--addr", "0.0.0.0:0"}, "refusing to listen on 0.0.0.0:0"},
		{"default password on all interfaces", []string{"--addr", ":0"}, "set your own with --admin USER:PASS"},
		{"half a TLS pair", []string{"--tls-cert", "x.pem"}, "--tls-cert and --tls-key go together"},
		{"bad account", []string{"--admin", "nocolon"}, "want USER:PASS"},
		{"bad size", []string{"--max-body", "lots"}, "want a positive number of bytes"},
		{"stray argument", []string{"extra"}, `unexpected argument "extra"`},
		{"bcrypt cost above bcrypt's", []string{"--bcrypt-cost", "99"}, "--bcrypt-cost 99: give a cost from 4 to 31"},
		{"bcrypt cost below bcrypt's", []string{"--bcrypt-cost", "3"}, "--bcrypt-cost 3: give a cost from 4 to 31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _, errOut := testEnv(nil)
			code := run(context.Background(), e, append([]string{"serve"}, tt.args...))
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut.String(), tt.want)
		})
	}
}

func TestServeBeyondLoopbackWithOwnPassword(t *testing.T) {
	e, out, errOut := testEnv(nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	code := run(ctx, e, []string{"serve", "--addr", "0.0.0.0:0", "--admin", "sync:long-own-password"})
	assert.Equal(t, exitOK, code, errOut.String())
	assert.Contains(t, out.String(), "listening")
	assert.Contains(t, out.String(), "listening on every interface")
	assert.Regexp(t, `web page +http://localhost:\d+/`, out.String())
	assert.NotContains(t, out.String(), "0.0.0.0", "where it listens is not an address to open")
}

// TestServeInContainer: in the image (AUTOSYNC_CONTAINER), the default
// password is refused with the -e line to pass, and the banner says the
// port is the container's instead of printing [::].
func TestServeInContainer(t *testing.T) {
	vars := map[string]string{"AUTOSYNC_CONTAINER": "1", "AUTOSYNC_ADDR": ":0"}
	e, _, errOut := testEnv(vars)
	assert.Equal(t, exitUsage, run(context.Background(), e, []string{"serve"}))
	assert.Contains(t, errOut.String(), "pass your own with -e AUTOSYNC_ADMIN=user:password")

	vars["AUTOSYNC_ADMIN"] = "admin:container-pw"
	e, out, errOut := testEnv(vars)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	assert.Equal(t, exitOK, run(ctx, e, []string{"serve"}), errOut.String())
	assert.Contains(t, out.String(), "inside the container")
	assert.Contains(t, out.String(), "http://127.0.0.1:8080/api/import/users")
	assert.NotContains(t, out.String(), "[::]")
}

func TestUsage(t *testing.T) {
	e, out, _ := testEnv(nil)
	assert.Equal(t, exitOK, run(context.Background(), e, []string{"help"}))
	assert.Contains(t, out.String(), "serve")
	e, _, errOut := testEnv(nil)
	assert.Equal(t, exitUsage, run(context.Background(), e, []string{"frobnicate"}))
	assert.Contains(t, errOut.String(), `unknown command "frobnicate"`)
	for _, args := range [][]string{{"serve", "-h"}, {"serve", "--help"}, {"help", "serve"}} {
		e, out, _ = testEnv(nil)
		assert.Equal(t, exitOK, run(context.Background(), e, args), args)
		assert.Contains(t, out.String(), "[AUTOSYNC_ADDR]", args)
		assert.Contains(t, out.String(), "Exit codes", args)
	}
}

// TestBadFlag: a mistyped flag is one line naming it with two dashes, and
// where to look, and exit 2; flags may follow the file name.
func TestBadFlag(t *testing.T) {
	for _, cmd := range []string{"serve", "verify", "fake", "lint", "push"} {
		e, out, errOut := testEnv(nil)
		assert.Equal(t, exitUsage, run(context.Background(), e, []string{cmd, "--colour", "x"}), cmd)
		assert.Equal(t, "autosync "+cmd+": unknown flag --colour\nsee 'autosync "+cmd+" --help'\n", errOut.String())
		assert.Empty(t, out.String())
	}
	e, _, errOut := testEnv(nil)
	assert.Equal(t, exitUsage, run(context.Background(), e, []string{"push", "--retries", "many"}))
	assert.Contains(t, errOut.String(), `invalid value "many" for flag --retries`)

	for _, tt := range []struct{ value, want string }{{"", "an empty value"}, {"7,,8", "an empty value"}, {"Y7,y7", `"y7" is given twice`}} {
		for _, cmd := range []string{"serve", "lint"} {
			e, _, errOut := testEnv(nil)
			assert.Equal(t, exitUsage, run(context.Background(), e, []string{cmd, "--academic-levels", tt.value}), cmd)
			assert.Contains(t, errOut.String(), tt.want, cmd)
		}
	}
}

// TestFlagsAfterTheFile: every subcommand takes flags after its argument.
func TestFlagsAfterTheFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "users.csv")
	require.NoError(t, os.WriteFile(file, []byte("username,enabled,staffmember,graduationyear\nann,Y,N,2029\n"), 0o644))
	e, out, errOut := testEnv(nil)
	assert.Equal(t, exitOK, run(context.Background(), e, []string{"lint", file, "--format", "json"}), errOut.String())
	assert.Contains(t, out.String(), `"rows": 1`)
	e, _, errOut = testEnv(nil)
	assert.Equal(t, exitUsage, run(context.Background(), e, []string{"lint", "--", "--format"}))
	assert.Contains(t, errOut.String(), "--format", "after -- every argument is a file")
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		e, out, _ := testEnv(nil)
		assert.Equal(t, exitOK, run(context.Background(), e, args))
		assert.Regexp(t, `^autosync \S+.*, go1\.`, out.String())
	}
}

func mustTLSClient(t *testing.T, certFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(certFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem))
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestServeSecondOnOneState: a second serve on a state file that a first
// holds stops with exit 2, naming the file.
func TestServeSecondOnOneState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	startServe(t, nil, "--state", state)
	e, _, errOut := testEnv(nil)
	code := run(context.Background(), e, []string{"serve", "--addr", "127.0.0.1:0", "--state", state})
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut.String(), "another autosync serve is using "+state)
}

// TestServeBusyPortLeavesNoState: a serve that cannot listen creates no
// state file; a restart says how much it loaded.
func TestServeBusyPortLeavesNoState(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	state := filepath.Join(t.TempDir(), "state")
	e, _, errOut := testEnv(nil)
	code := run(context.Background(), e, []string{"serve", "--addr", ln.Addr().String(), "--state", state})
	assert.Equal(t, exitFail, code, errOut.String())
	assert.NoFileExists(t, state)
	assert.Contains(t, errOut.String(), "give another address with --addr", "says what to do")
	assert.Equal(t, 1, strings.Count(errOut.String(), "serve:"), "the command named once: %q", errOut)

	t.Run("first", func(t *testing.T) {
		base, out, _ := startServe(t, nil, "--state", state, "--quiet")
		assert.Contains(t, out.String(), "loaded 0 patrons and 0 imports")
		status, _ := postCSV(t, http.DefaultClient, withCreds(base, "autoimport", "autoimport")+"/api/import/users", "username,enabled,staffmember,graduationyear\nann,Y,N,2029\n")
		require.Equal(t, http.StatusOK, status)
	})
	t.Run("restarted", func(t *testing.T) {
		_, out, _ := startServe(t, nil, "--state", state, "--quiet")
		assert.Contains(t, out.String(), "loaded 1 patron and 1 import")
	})
}
