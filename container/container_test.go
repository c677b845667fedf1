package container_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runtime finds podman or docker. In CI (CI=true) one must be there:
// .ci/run installs podman.
func runtime(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"podman", "docker"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but neither podman nor docker is installed: .ci/run installs podman and runc")
	}
	t.Skip("neither podman nor docker is installed (Debian: apt-get install podman runc)")
	return ""
}

// runFlags are what this kind of machine needs to run a container: Debian's
// runc (crun refuses its cgroups) and ulimits within what it allows. A
// normal Docker host needs none of them; they do no harm there.
func runFlags(rt string) []string {
	var flags []string
	if filepath.Base(rt) == "podman" {
		if _, err := exec.LookPath("runc"); err == nil {
			flags = append(flags, "--runtime", "runc")
		}
	}
	return append(flags, "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000")
}

type image struct {
	t    *testing.T
	rt   string
	name string
}

// cmd runs the container runtime with args and returns its combined output.
func (im *image) cmd(args ...string) (string, error) {
	im.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, im.rt, args...).CombinedOutput()
	return string(out), err
}

// run runs a container of the image: the runtime's flags, then flags, the
// image and the command.
func (im *image) run(flags []string, command ...string) (string, error) {
	args := append([]string{"run"}, runFlags(im.rt)...)
	args = append(args, flags...)
	args = append(args, im.name)
	return im.cmd(append(args, command...)...)
}

func random() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// build makes the image with make image, into a temporary folder.
func build(t *testing.T) *image {
	rt := runtime(t)
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make image needs make")
	}
	im := &image{t: t, rt: rt, name: "localhost/autosync-test-" + random()}
	cmd := exec.Command("make", "-C", "..", "image", "IMAGE="+im.name, "IMAGE_DIR="+t.TempDir(), "CONTAINER="+rt)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "make image:\n%s", out)
	t.Cleanup(func() { im.cmd("rmi", "-f", im.name) })
	return im
}

// TestImage builds the image and uses it as the README says.
func TestImage(t *testing.T) {
	im := build(t)
	const admin, password = "admin", "container-Pw-1"

	t.Run("the default password is refused", func(t *testing.T) {
		out, err := im.run([]string{"--rm"})
		require.Error(t, err, "the server started with the default password:\n%s", out)
		assert.Contains(t, out, "-e AUTOSYNC_ADMIN=user:password")
	})

	volume := "autosync-test-" + random()
	t.Cleanup(func() { im.cmd("volume", "rm", "-f", volume) })
	names := map[string]string{} // each container's name, by its base URL
	start := func(t *testing.T) (string, func()) {
		name := "autosync-test-" + random()
		out, err := im.run([]string{"-d", "--name", name, "-p", "127.0.0.1::8080", "-v", volume + ":/data",
			"-e", "AUTOSYNC_ADMIN=" + admin + ":" + password, "-e", "AUTOSYNC_BCRYPT_COST=4"})
		require.NoError(t, err, out)
		stop := func() { im.cmd("rm", "-f", name) }
		port, err := im.cmd("port", name, "8080")
		if err != nil {
			stop()
			t.Fatalf("port: %v %s", err, port)
		}
		base := "http://" + strings.TrimSpace(strings.Split(strings.TrimSpace(port), "\n")[0])
		base = strings.Replace(base, "0.0.0.0", "127.0.0.1", 1)
		deadline := time.Now().Add(20 * time.Second)
		for {
			resp, err := http.Get(base + "/healthz")
			if err == nil {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					assert.JSONEq(t, `{"status":"ok"}`, string(body))
					break
				}
			}
			if time.Now().After(deadline) {
				logs, _ := im.cmd("logs", name)
				stop()
				t.Fatalf("the container did not answer /healthz at %s: %v\n%s", base, err, logs)
			}
			time.Sleep(100 * time.Millisecond)
		}
		names[base] = name
		return base, stop
	}

	base, stop := start(t)
	file := "username,enabled,staffmember,graduationyear\ncontainer-ann,Y,N,2031\n"
	t.Run("an import through the published port", func(t *testing.T) {
		answer := upload(t, base, admin, password, file)
		assert.Equal(t, "1 user processed. 1 user created. 0 users updated. 0 users failed.", answer["summary"])
	})

	t.Run("an import over 8 MiB, spooled to disk", func(t *testing.T) {
		// Wide rows without passwords: few enough rows that no bcrypt
		// makes the test slow, enough bytes to pass the 8 MiB in memory.
		var big strings.Builder
		big.WriteString("username,enabled,staffmember,graduationyear,surname\n")
		surname := strings.Repeat("x", 240)
		n := 0
		for ; big.Len() <= 9<<20; n++ {
			fmt.Fprintf(&big, "container-big-%06d,Y,N,2031,%s\n", n, surname)
		}
		answer := upload(t, base, admin, password, big.String())
		assert.Equal(t, fmt.Sprintf("%d users processed. %d users created. 0 users updated. 0 users failed.", n, n), answer["summary"])
	})

	t.Run("the HEALTHCHECK asks the server at its address", func(t *testing.T) {
		out, err := im.cmd("image", "inspect", im.name) // Docker's and podman's differ in where they put it
		require.NoError(t, err, out)
		assert.Regexp(t, `"/autosync",\s*"serve",\s*"--healthcheck"`, out, "the image has the HEALTHCHECK")
		out, err = im.cmd("exec", names[base], "/autosync", "serve", "--healthcheck")
		assert.NoError(t, err, "healthy: %s", out)
	})

	t.Run("verify against the container, from the image", func(t *testing.T) {
		out, err := im.run([]string{"--rm", "--network", "host", "-e", "PW=" + password}, "verify", "--target", base,
			"--username", admin, "--password-env", "PW", "--academic-level", "K", "--presentation-group", "Senior School",
			"--format", "progress")
		require.NoError(t, err, out)
		assert.Contains(t, out, " 0 failed")
	})
	stop()

	t.Run("the state outlives the container", func(t *testing.T) {
		base, stop := start(t)
		defer stop()
		req, err := http.NewRequest(http.MethodGet, base+"/_mock/patrons/container-ann", nil)
		require.NoError(t, err)
		req.SetBasicAuth(admin, password)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, "the patron imported into the first container")
		answer := upload(t, base, admin, password, file)
		assert.Equal(t, "1 user processed. 0 users created. 1 user updated. 0 users failed.", answer["summary"])
	})

	t.Run("push from the image, twice, compares the second night with the first", func(t *testing.T) {
		base, stop := start(t)
		defer stop()
		keep := "autosync-test-keep-" + random()
		t.Cleanup(func() { im.cmd("volume", "rm", "-f", keep) })
		dir := t.TempDir()
		var roster, night strings.Builder
		roster.WriteString("username,enabled,staffmember,graduationyear\n")
		night.WriteString("username,enabled\n")
		for i := range 25 {
			fmt.Fprintf(&roster, "keep%d,Y,N,2030\n", i)
			fmt.Fprintf(&night, "keep%d,N\n", i)
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, "users.csv"), []byte(roster.String()), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "night.csv"), []byte(night.String()), 0o644))
		require.NoError(t, os.Chmod(dir, 0o755))
		push := func(file string) (string, error) {
			return im.run([]string{"--rm", "--network", "host", "-v", keep + ":/data", "-v", dir + ":/work:ro", "-e", "PW=" + password},
				"push", "/work/"+file, "--url", base, "--username", admin, "--password-env", "PW", "--lint")
		}
		out, err := push("users.csv")
		require.NoError(t, err, out)
		assert.Contains(t, out, "25 users processed.")
		out, err = push("night.csv")
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, out)
		assert.Equal(t, 5, exit.ExitCode(), "held back, compared with the first night's roster:\n%s", out)
		assert.Contains(t, out, "Against 25 known patrons")
		assert.Contains(t, out, "(compared with the last accepted file, /data/accepted/")
		assert.Contains(t, out, "25 of the 25 known patrons would be switched off")
	})

	t.Run("lint and fake from the image", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "users.csv"), []byte(file), 0o644))
		require.NoError(t, os.Chmod(dir, 0o755))
		out, err := im.run([]string{"--rm", "-v", dir + ":/work:ro"}, "lint", "/work/users.csv")
		require.NoError(t, err, out)
		assert.Contains(t, out, "0 problems")
		out, err = im.run([]string{"--rm"}, "fake", "-n", "3", "--seed", "1")
		require.NoError(t, err, out)
		assert.Contains(t, out, "username,")
		assert.GreaterOrEqual(t, strings.Count(out, "\n"), 4, "a header and three rows:\n%s", out)
	})
}

// upload posts file to base's import path and returns the JSON answer.
func upload(t *testing.T, base, user, password, file string) map[string]any {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, err := mw.CreateFormFile("file", "users.csv")
	require.NoError(t, err)
	io.WriteString(w, file)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, base+"/api/import/users", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var answer map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&answer))
	return answer
}
