package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.csv")
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

const goodCSV = "username,enabled,staffmember,graduationyear\nann,Y,N,2029\nbob,Y,N,2029\n"

// TestPushAgainstServe sends files to a separately started reference server,
// as a school's scheduled job would.
func TestPushAgainstServe(t *testing.T) {
	base, _, _ := startServe(t, nil, "--quiet")
	pw := map[string]string{"PW": "autoimport"}
	tests := []struct {
		name     string
		args     []string
		csv      string
		vars     map[string]string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"all imported", []string{"--url", base}, goodCSV, pw, 0, "2 users processed. 2 users created.", ""},
		{"import path in the URL", []string{"--url", base + "/api/import/users"}, goodCSV, pw, 0, "0 users created. 2 users updated.", ""},
		{"some rows failed", []string{"--url", base}, "username,enabled,staffmember,graduationyear,emailaddress\ncat,Y,N,2029,cat@@x\n", pw, 1,
			"row 1: Field (emailAddress) is not a well-formed email address. User failed to import:", ""},
		{"file refused", []string{"--url", base}, "user,enabled\nx,Y\n", pw, 1, "Missing mandatory column (username).", ""},
		{"json as it is", []string{"--url", base, "--json"}, goodCSV, pw, 0, `{"success":true,"summary":"2 users processed. 0 users created. 2 users updated. 0 users failed.","push":{"exitCode":0,"outcome":"imported",`, ""},
		{"wrong password", []string{"--url", base}, goodCSV, map[string]string{"PW": "nope"}, 3, "", "Unauthorised. Check credentials."},
		{"password from a file", []string{"--url", base, "--password-file", "PWFILE"}, goodCSV, nil, 0, "2 users updated", ""},
		{"no password", []string{"--url", base}, goodCSV, nil, 2, "", "no password"},
		{"lint refuses", []string{"--url", base, "--lint"}, "username,enabled,staffmember,graduationyear\nzed,Y,N,20\n", pw, pushRefused, "Field (graduationYear) is not a four-digit year.", "not sent"},
		{"wrong path", []string{"--url", base + "/api/import"}, goodCSV, pw, 4, "", "check --url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"push", writeFile(t, tt.csv), "--username", "autoimport"}
			for _, a := range tt.args {
				if a == "PWFILE" {
					a = writeFile(t, "autoimport\n")
				}
				args = append(args, a)
			}
			if tt.vars != nil {
				args = append(args, "--password-env", "PW")
			}
			e, out, errOut := testEnv(tt.vars)
			code := run(context.Background(), e, args)
			assert.Equal(t, tt.wantCode, code, "out: %s\nerr: %s", out.String(), errOut.String())
			assert.Contains(t, out.String(), tt.wantOut)
			assert.Contains(t, errOut.String(), tt.wantErr)
		})
	}
}

func TestPushOverHTTPS(t *testing.T) {
	dir := t.TempDir()
	base, _, _ := startServe(t, nil, "--quiet", "--tls-self-signed", dir)
	file := writeFile(t, goodCSV)
	e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
	code := run(context.Background(), e, []string{"push", file, "--url", base, "--username", "autoimport", "--password-env", "PW", "--cacert", filepath.Join(dir, "cert.pem")})
	assert.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "2 users created")

	e, _, errOut = testEnv(map[string]string{"PW": "autoimport"})
	code = run(context.Background(), e, []string{"push", file, "--url", base, "--username", "autoimport", "--password-env", "PW"})
	assert.Equal(t, 4, code, "an unknown certificate is refused")
	assert.Contains(t, errOut.String(), "gave up after 1 attempt:", "and not retried")
	assert.Contains(t, errOut.String(), "pass its CA with --cacert FILE")

	e, _, errOut = testEnv(map[string]string{"PW": "autoimport"})
	code = run(context.Background(), e, []string{"push", file, "--url", base, "--username", "autoimport", "--password-env", "PW", "--insecure"})
	assert.Equal(t, 0, code, errOut.String())
}

// mockPush runs push against an httpmock transport.
func mockPush(t *testing.T, responder httpmock.Responder, extra ...string) (int, string, string, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", responder)
	e, out, errOut := testEnv(map[string]string{"PW": "pw"})
	e.httpClient = &http.Client{Transport: mt}
	args := append([]string{"push", writeFile(t, goodCSV), "--url", "https://school.example", "--username", "u", "--password-env", "PW", "--retries", "2"}, extra...)
	e.retryBackoff = time.Millisecond
	code := run(context.Background(), e, args)
	return code, out.String(), errOut.String(), mt
}

const okAnswer = `{"success":true,"summary":"2 users processed. 2 users created. 0 users updated. 0 users failed."}`

func TestPushRetries(t *testing.T) {
	t.Run("5xx then success", func(t *testing.T) {
		r := httpmock.NewStringResponder(503, `{"success":false,"summary":"Busy."}`).Once().
			Then(httpmock.NewStringResponder(200, okAnswer))
		code, out, errOut, mt := mockPush(t, r)
		assert.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "2 users created")
		assert.Equal(t, 2, mt.GetTotalCallCount())
	})
	t.Run("5xx every time", func(t *testing.T) {
		code, _, errOut, mt := mockPush(t, httpmock.NewStringResponder(500, "<html>Internal Server Error</html>"))
		assert.Equal(t, 4, code)
		assert.Contains(t, errOut, "gave up after 3 attempts")
		assert.Contains(t, errOut, "500 Internal Server Error")
		assert.Equal(t, 3, mt.GetTotalCallCount(), "one try and two retries")
	})
	t.Run("4xx is never retried", func(t *testing.T) {
		code, out, _, mt := mockPush(t, httpmock.NewStringResponder(400, `{"success":false,"summary":"CSV syntax error on line 3: a quoted field is never closed; add the closing quote."}`))
		assert.Equal(t, 1, code)
		assert.Contains(t, out, "CSV syntax error on line 3")
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
	t.Run("connection reset, then success", func(t *testing.T) {
		r := httpmock.NewErrorResponder(errors.New("connection reset by peer")).Once().
			Then(httpmock.NewStringResponder(200, okAnswer))
		code, _, errOut, mt := mockPush(t, r)
		assert.Equal(t, 0, code, errOut)
		assert.Equal(t, 2, mt.GetTotalCallCount())
	})
	t.Run("an upload cut off half-way is sent again whole", func(t *testing.T) {
		var bodies [][]byte
		var calls atomic.Int32
		r := func(req *http.Request) (*http.Response, error) {
			if calls.Add(1) == 1 {
				half := make([]byte, req.ContentLength/2)
				io.ReadFull(req.Body, half)
				bodies = append(bodies, half)
				return nil, errors.New("connection reset by peer")
			}
			b, _ := io.ReadAll(req.Body)
			bodies = append(bodies, b)
			assert.Equal(t, req.ContentLength, int64(len(b)))
			return httpmock.NewStringResponse(200, okAnswer), nil
		}
		code, _, errOut, _ := mockPush(t, r)
		assert.Equal(t, 0, code, errOut)
		require.Len(t, bodies, 2)
		assert.Contains(t, string(bodies[1]), goodCSV)
		assert.Less(t, len(bodies[0]), len(bodies[1]), "the first attempt was cut off")
		assert.True(t, bytes.HasPrefix(bodies[1], []byte("--")), "the second attempt starts from the beginning")
	})
	t.Run("timeout", func(t *testing.T) {
		r := httpmock.NewStringResponder(200, okAnswer).Delay(2 * time.Second)
		code, _, errOut, _ := mockPush(t, r, "--timeout", "200ms")
		assert.Equal(t, 4, code)
		assert.Contains(t, errOut, "deadline exceeded")
	})
	t.Run("an answer that is not JSON", func(t *testing.T) {
		code, _, errOut, mt := mockPush(t, httpmock.NewStringResponder(200, "OK"))
		assert.Equal(t, 4, code)
		assert.Contains(t, errOut, "without the documented JSON")
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
	t.Run("unauthorised", func(t *testing.T) {
		code, _, errOut, mt := mockPush(t, httpmock.NewStringResponder(401, `{"success": false, "summary":"Unauthorised. Check credentials."}`))
		assert.Equal(t, 3, code)
		assert.Contains(t, errOut, "Unauthorised. Check credentials.")
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
}

func TestPushProgressOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{false, true} {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder(http.MethodPost, "https://school.example/api/import/users", func(req *http.Request) (*http.Response, error) {
			io.Copy(io.Discard, req.Body)
			return httpmock.NewStringResponse(200, okAnswer), nil
		})
		e, _, errOut := testEnv(map[string]string{"PW": "pw"})
		e.httpClient, e.stderrTerminal = &http.Client{Transport: mt}, tty
		code := run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", "https://school.example", "--username", "u", "--password-env", "PW"})
		require.Equal(t, 0, code)
		if tty {
			assert.Contains(t, errOut.String(), "uploading users.csv: 100%")
		} else {
			assert.Empty(t, errOut.String(), "quiet for cron")
		}
	}
}

func TestPushPrompt(t *testing.T) {
	base, _, _ := startServe(t, nil, "--quiet")
	e, out, errOut := testEnv(nil)
	e.readPassword = func() (string, error) { return "autoimport", nil }
	code := run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", base, "--username", "autoimport"})
	assert.Equal(t, 0, code, errOut.String())
	assert.Contains(t, errOut.String(), "Password for autoimport: ")
	assert.NotContains(t, errOut.String()+out.String(), "autoimport\n")
	assert.False(t, strings.Contains(out.String(), "Password"))
}

// TestPushNeverFollowsARedirect: a redirect is exit 4 naming where it
// leads, the credentials never go there, and the file is not reported as
// delivered.
func TestPushNeverFollowsARedirect(t *testing.T) {
	var leaked atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Add(1)
		io.WriteString(w, okAnswer)
	}))
	defer elsewhere.Close()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect} {
		school := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/api/import/users", status)
		}))
		e, out, errOut := testEnv(map[string]string{"PW": "s3cret-pw"})
		code := run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", school.URL, "--username", "u", "--password-env", "PW", "--insecure"})
		school.Close()
		assert.Equal(t, pushGaveUp, code, "status %d", status)
		assert.Contains(t, errOut.String(), "redirecting to "+elsewhere.URL+"/api/import/users", "status %d", status)
		assert.NotContains(t, out.String(), "users processed", "status %d", status)
	}
	assert.Zero(t, leaked.Load(), "nothing reached the redirect's target")
}

// TestPushURLs: a URL without a scheme gets a suggestion, a rejected URL is
// never echoed with its password, and plain HTTP to another machine is
// warned about.
func TestPushURLs(t *testing.T) {
	file := writeFile(t, goodCSV)
	e, _, errOut := testEnv(map[string]string{"PW": "pw"})
	assert.Equal(t, pushUsage, run(context.Background(), e, []string{"push", file, "--url", "school.example", "--username", "u", "--password-env", "PW"}))
	assert.Contains(t, errOut.String(), "has no scheme: give https://school.example")

	e, _, errOut = testEnv(map[string]string{"PW": "pw"})
	assert.Equal(t, pushUsage, run(context.Background(), e, []string{"push", file, "--url", "ftp://u:s3cret@school.example", "--username", "u", "--password-env", "PW"}))
	assert.NotContains(t, errOut.String(), "s3cret")

	code, _, errOut2, _ := mockPushURL(t, "http://school.example", httpmock.NewStringResponder(200, okAnswer))
	assert.Equal(t, pushOK, code)
	assert.Contains(t, errOut2, "the password travels to school.example in cleartext")
}

// TestPushLogLines: output that goes to a log has a timestamp on every
// line, and server text is escaped before it is printed.
func TestPushLogLines(t *testing.T) {
	answer := `{"success":false,"summary":"1 user processed. 0 users created. 0 users updated. 1 user failed.\u001b[2J","details":{"1":"bad\rforged line"}}`
	code, out, _, _ := mockPush(t, httpmock.NewStringResponder(200, answer))
	assert.Equal(t, pushRowsFailed, code)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		_, err := time.Parse(time.RFC3339, strings.SplitN(line, " ", 2)[0])
		assert.NoError(t, err, "line without a timestamp: %q", line)
	}
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\r")
	assert.Contains(t, out, `failed.\x1b[2J`)
}

// TestPushNamesWrongFile: for each wrong file a real spreadsheet program
// made, push says what the reference server's refusal says: once, in the
// refusal itself, against the reference server; as its own line after a
// server that names only the rule the file broke.
func TestPushNamesWrongFile(t *testing.T) {
	base, _, _ := startServe(t, nil, "--quiet")
	for _, name := range []string{"roster.xlsx", "roster.ods", "semicolon-quoted.csv", "tab-quoted.csv", "utf16.txt"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "..", "fixtures", "spreadsheet", name)
			head, err := os.ReadFile(path)
			require.NoError(t, err)
			w := rules.DiagnoseWrongFile(head)
			require.NotNil(t, w)

			e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
			code := run(context.Background(), e, []string{"push", path, "--url", base, "--username", "autoimport", "--password-env", "PW"})
			assert.Equal(t, pushRowsFailed, code, errOut.String())
			assert.Contains(t, out.String(), w.Fix)
			assert.Equal(t, 1, strings.Count(out.String(), w.What[1:]), "said once: %s", out.String())

			mt := httpmock.NewMockTransport()
			mt.RegisterResponder(http.MethodPost, api.ImportURL("https://school.example"),
				httpmock.NewStringResponder(http.StatusBadRequest, `{"success": false, "summary": "Missing mandatory column (username)."}`))
			e, out, errOut = testEnv(map[string]string{"PW": "pw"})
			e.httpClient = &http.Client{Transport: mt}
			code = run(context.Background(), e, []string{"push", path, "--url", "https://school.example", "--username", "u", "--password-env", "PW"})
			assert.Equal(t, pushRowsFailed, code, errOut.String())
			assert.Contains(t, out.String(), "Missing mandatory column (username).\n")
			assert.Contains(t, out.String(), w.Sentence())
		})
	}
}

// TestPushLintIncrementalNight: a night's file of changes (username,
// enabled) fails --lint as new patrons, and passes with --existing the
// last full export: the server applies it as updates. lint's warnings are
// written to the log of a push that goes ahead.
func TestPushLintIncrementalNight(t *testing.T) {
	base, _, _ := startServe(t, nil, "--quiet")
	full := writeFile(t, goodCSV)
	changes := filepath.Join(t.TempDir(), "changes.csv")
	require.NoError(t, os.WriteFile(changes, []byte("username,enabled\nann,N\nbob,N\n"), 0o644))
	push := func(args ...string) (int, string, string) {
		e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
		code := run(context.Background(), e, append([]string{"push", "--url", base, "--username", "autoimport", "--password-env", "PW", "--lint"}, args...))
		return code, out.String(), errOut.String()
	}
	code, out, errOut := push(full)
	require.Equal(t, pushOK, code, out+errOut)

	code, out, errOut = push(changes)
	assert.Equal(t, pushRefused, code)
	assert.Contains(t, out, "mandatory for new users")
	assert.Contains(t, errOut, "not sent")

	code, out, errOut = push("--existing", full, changes)
	assert.Equal(t, pushOK, code, out+errOut)
	assert.Contains(t, out, "2 users processed. 0 users created. 2 users updated.")

	mojibake := filepath.Join(t.TempDir(), "mojibake.csv")
	require.NoError(t, os.WriteFile(mojibake, []byte("username,enabled,surname\nann,Y,M\u00c3\u00bcller\n"), 0o644))
	code, out, errOut = push("--existing", full, mojibake, "--accept")
	assert.Equal(t, pushOK, code, out+errOut)
	assert.Contains(t, out, "Letters are garbled on 1 row", "lint's warning is in the log")
	assert.Contains(t, out, "1 user processed.")

	e, _, stderr := testEnv(map[string]string{"PW": "autoimport"})
	code = run(context.Background(), e, []string{"push", "--url", base, "--username", "autoimport", "--password-env", "PW", "--existing", full, changes})
	assert.Equal(t, pushUsage, code)
	assert.Contains(t, stderr.String(), "--existing is for --lint")
}

// TestPushHoldsDamagedNight: three nights against one target, with the
// files a real spreadsheet program made. The first is sent and kept; the
// second, the same export opened and saved again (the barcodes' leading
// zeros lost), is held back with exit code 5 and the reasons in the log,
// and the server keeps the barcodes; the third, a file of changes, passes
// --lint against the kept file's usernames and is sent. --accept sends a
// held file, which is then the one kept.
func TestPushHoldsDamagedNight(t *testing.T) {
	base, _, _ := startServe(t, nil, "--quiet")
	keepDir := t.TempDir()
	dir := filepath.Join("..", "..", "fixtures", "spreadsheet")
	push := func(args ...string) (int, string, string) {
		e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
		code := run(context.Background(), e, append([]string{"push", "--url", base, "--username", "autoimport", "--password-env", "PW", "--keep-dir", keepDir}, args...))
		return code, out.String(), errOut.String()
	}
	barcode := func(username string) string {
		req, _ := http.NewRequest(http.MethodGet, base+"/_mock/patrons/"+username, nil)
		req.SetBasicAuth("autoimport", "autoimport")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var p struct{ LibraryBarcode string }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&p))
		return p.LibraryBarcode
	}

	code, out, errOut := push(filepath.Join(dir, "roster.csv"))
	require.Equal(t, pushOK, code, out+errOut)
	kept, err := filepath.Glob(filepath.Join(keepDir, "127.0.0.1_*.csv"))
	require.NoError(t, err)
	require.Len(t, kept, 2, "the accepted file is kept, and the night's revert file beside it")
	if strings.HasSuffix(kept[0], ".revert.csv") {
		kept = kept[1:]
	}
	roster, _ := os.ReadFile(filepath.Join(dir, "roster.csv"))
	got, _ := os.ReadFile(kept[0])
	assert.Equal(t, string(roster), string(got))
	if fi, err := os.Stat(kept[0]); assert.NoError(t, err) {
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "a kept file names every patron")
	}

	code, out, errOut = push(filepath.Join(dir, "lost-zeros.csv"), "--lint")
	assert.Equal(t, pushHeld, code, out+errOut)
	assert.Contains(t, out, "held back, not sent")
	assert.Contains(t, out, "librarybarcode lost its leading zeros on 3 rows")
	assert.Contains(t, out, `e.g. amuller: librarybarcode "134" was "00000134"`)
	assert.Contains(t, errOut, "--accept")
	assert.Equal(t, "00000134", barcode("amuller"), "nothing was sent")
	got, _ = os.ReadFile(kept[0])
	assert.Equal(t, string(roster), string(got), "the kept file stays the last accepted one")

	code, out, errOut = push(filepath.Join(dir, "lost-zeros.csv"), "--accept")
	assert.Equal(t, pushOK, code, out+errOut)
	assert.Contains(t, out, "sent with --accept, although")
	assert.Equal(t, "134", barcode("amuller"))

	changes := filepath.Join(t.TempDir(), "changes.csv")
	require.NoError(t, os.WriteFile(changes, []byte("username,enabled\namuller,N\n"), 0o644))
	code, out, errOut = push(changes, "--lint")
	assert.Equal(t, pushOK, code, out+errOut)
	assert.Contains(t, out, "1 user processed. 0 users created. 1 user updated.")
	assert.Contains(t, out, "Against 3 known patrons: 0 would be created, 1 updated (1 changed: enabled 1; 0 unchanged), 0 would fail.")

	// The file of changes is merged into the kept roster, not kept instead
	// of it: the next night is still compared with every patron.
	got, _ = os.ReadFile(kept[0])
	assert.Equal(t, "username,enabled,staffmember,givenname,surname,graduationyear,librarybarcode,formclass\n"+
		"amuller,N,N,Anna,Müller,2029,134,7B\nzbrown,Y,N,Zoë,Brown,2030,135,6A\ntngata,Y,N,Tāne,Ngata,2029,136,7B\n", string(got))
}

// TestPushHoldThresholds: a mass change of form classes is held by
// default, and sent with a minimum or a share that allows it; a share out
// of range is bad usage.
func TestPushHoldThresholds(t *testing.T) {
	base, _, _ := startServe(t, nil, "--quiet")
	keepDir := t.TempDir()
	var before, after strings.Builder
	before.WriteString("username,enabled,staffmember,graduationyear,formclass\n")
	after.WriteString(before.String())
	for i := range 25 {
		fmt.Fprintf(&before, "p%d,Y,N,2029,7B\n", i)
		fmt.Fprintf(&after, "p%d,Y,N,2029,8C\n", i)
	}
	push := func(content string, args ...string) (int, string, string) {
		e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
		code := run(context.Background(), e, append([]string{"push", writeFile(t, content), "--url", base, "--username", "autoimport", "--password-env", "PW", "--keep-dir", keepDir}, args...))
		return code, out.String(), errOut.String()
	}
	code, out, errOut := push(before.String())
	require.Equal(t, pushOK, code, out+errOut)
	code, out, errOut = push(after.String())
	assert.Equal(t, pushHeld, code, out+errOut)
	assert.Contains(t, out, "formclass changes for 25 of the 25 known patrons")
	code, out, errOut = push(after.String(), "--hold-min", "30")
	assert.Equal(t, pushOK, code, out+errOut)
	code, out, errOut = push(before.String(), "--hold-form-classes", "1")
	assert.Equal(t, pushOK, code, out+errOut)
	assert.NotContains(t, out, "held")
	code, _, errOut = push(after.String(), "--hold-form-classes", "0")
	assert.Equal(t, pushUsage, code)
	assert.Contains(t, errOut, "--hold-form-classes")
}

// TestGuardThresholds: a mass change and a changed username scheme are
// held beyond the thresholds, and not below them.
func TestGuardThresholds(t *testing.T) {
	var prev, moved, renamed, few strings.Builder
	prev.WriteString("username,librarybarcode,adminsystemid,formclass\n")
	moved.WriteString(prev.String())
	renamed.WriteString(prev.String())
	few.WriteString(prev.String())
	for i := range 40 {
		fmt.Fprintf(&prev, "p%d,B%d,A%d,7B\n", i, i, i)
		form := "7B"
		if i <= 30 {
			form = "8C"
		}
		fmt.Fprintf(&moved, "p%d,B%d,A%d,%s\n", i, i, i, form)
		fmt.Fprintf(&renamed, "new.p%d,B%d,A%d,7B\n", i, i, i)
		if i < 5 {
			fmt.Fprintf(&few, "new.p%d,B%d,A%d,7B\n", i, i, i)
		}
	}
	guard := func(prev, cur string) []preview.Hold {
		t.Helper()
		rep, err := lint.Check(context.Background(), strings.NewReader(cur), "cur.csv", lint.Options{
			AcademicLevels: rules.DefaultAcademicLevels(), Previous: strings.NewReader(prev)})
		require.NoError(t, err)
		require.NotNil(t, rep.Preview)
		return rep.Damage()
	}
	holds := guard(prev.String(), moved.String())
	require.Len(t, holds, 1)
	assert.Contains(t, holds[0].Reason, "formclass changes for 31 of the 40 known patrons")
	assert.Len(t, holds[0].Examples, 3)

	holds = guard(prev.String(), renamed.String())
	require.Len(t, holds, 1)
	assert.Contains(t, holds[0].Reason, "40 new usernames give the library barcode or admin system id of a patron known under another username")
	assert.Contains(t, holds[0].Examples[0], "new.p0 is new, but its librarybarcode is p0's")

	assert.Empty(t, guard(prev.String(), few.String()), "5 renamed patrons are below the threshold")
	assert.Empty(t, guard(prev.String(), prev.String()), "the same file again changes nothing")
}

// mockPushURL runs push against an httpmock transport at url.
func mockPushURL(t *testing.T, url string, responder httpmock.Responder) (int, string, string, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, api.ImportURL(url), responder)
	e, out, errOut := testEnv(map[string]string{"PW": "pw"})
	e.httpClient = &http.Client{Transport: mt}
	code := run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", url, "--username", "u", "--password-env", "PW"})
	return code, out.String(), errOut.String(), mt
}

// TestPushRetriesServedFaults: push's retries against a reference server
// that answers with faults from /_mock/faults, over a real socket.
func TestPushRetriesServedFaults(t *testing.T) {
	tests := []struct {
		name     string
		faults   []string
		retries  string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"two 503s, then the import", []string{`{"status": 503, "times": 2}`}, "3", pushOK, "2 users processed. 2 users created.", ""},
		{"a reset, then the import", []string{`{"reset": true}`}, "3", pushOK, "2 users processed. 2 users created.", ""},
		// The cut-off answer's import was applied: the retry updates.
		{"a cut-off answer, then the import again", []string{`{"truncate": true}`}, "3", pushOK, "2 users processed. 0 users created. 2 users updated.", ""},
		{"a proxy's HTML page, then the import", []string{`{"status": 502, "body": "html"}`}, "3", pushOK, "2 users processed. 2 users created.", ""},
		{"more 503s than retries", []string{`{"status": 503, "times": 5}`}, "2", pushGaveUp, "", "gave up after 3 attempts"},
		{"a 4xx is not retried", []string{`{"status": 429}`}, "3", pushRowsFailed, "Too Many Requests (a fault from /_mock/faults); nothing was imported.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, _, _ := startServe(t, nil, "--quiet")
			for _, f := range tt.faults {
				req, _ := http.NewRequest(http.MethodPost, base+"/_mock/faults", strings.NewReader(f))
				req.SetBasicAuth("autoimport", "autoimport")
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				require.Equal(t, http.StatusOK, resp.StatusCode)
			}
			e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
			e.retryBackoff = time.Millisecond
			code := run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", base, "--username", "autoimport", "--password-env", "PW", "--retries", tt.retries})
			assert.Equal(t, tt.wantCode, code, "out: %s\nerr: %s", out.String(), errOut.String())
			assert.Contains(t, errOut.String(), tt.wantErr)
			assert.Contains(t, out.String(), tt.wantOut)
		})
	}
}

// TestPushJSONIsAlwaysJSON: with --json, an answer that is not JSON (a
// proxy's HTML page) is written as a JSON object that holds it, so that a
// pipe into jq never breaks.
func TestPushJSONIsAlwaysJSON(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<html><body><h1>404 Not Found</h1>\x1b[2J</body></html>")
	}))
	defer proxy.Close()
	e, out, _ := testEnv(map[string]string{"PW": "s3cret-pw"})
	run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", proxy.URL, "--username", "u", "--password-env", "PW", "--json", "--retries", "0"})
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out.String()), &v), "standard output: %q", out.String())
	assert.Equal(t, false, v["success"])
	assert.EqualValues(t, 404, v["status"])
	assert.Contains(t, v["body"], "404 Not Found")

	e, out, _ = testEnv(map[string]string{"PW": "s3cret-pw"})
	run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", "http://127.0.0.1:1", "--username", "u", "--password-env", "PW", "--json", "--retries", "0"})
	require.NoError(t, json.Unmarshal([]byte(out.String()), &v), "a push that gave up: %q", out.String())
	assert.Contains(t, v["summary"], "gave up")
}

// TestPushURLMistakes: each --url a user got wrong is answered with the
// URL to give instead.
func TestPushURLMistakes(t *testing.T) {
	file := writeFile(t, goodCSV)
	for _, tt := range []struct{ url, want, notWant string }{
		{"ftp://school.example", "ftp:// is not for this; give the school's https:// address, e.g. https://school.example", "https://ftp://"},
		{"localhost:27181", "has no scheme: give https://localhost:27181 (or http:// for a test server on this machine)", ""},
	} {
		e, _, errOut := testEnv(map[string]string{"PW": "pw"})
		assert.Equal(t, pushUsage, run(context.Background(), e, []string{"push", file, "--url", tt.url, "--username", "u", "--password-env", "PW"}), tt.url)
		assert.Contains(t, errOut.String(), tt.want, tt.url)
		if tt.notWant != "" {
			assert.NotContains(t, errOut.String(), tt.notWant, tt.url)
		}
	}

	// Plain http:// to an HTTPS port: said at once, not after retries.
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, okAnswer) }))
	defer tlsSrv.Close()
	plain := strings.Replace(tlsSrv.URL, "https://", "http://", 1)
	e, _, errOut := testEnv(map[string]string{"PW": "pw"})
	assert.Equal(t, pushUsage, run(context.Background(), e, []string{"push", file, "--url", plain, "--username", "u", "--password-env", "PW"}))
	assert.Contains(t, errOut.String(), "answers in TLS, so it is an HTTPS port: use --url https://")

	// A 404 names the URL it posted to.
	notFound := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"success":false,"summary":"Not found."}`)
	}))
	defer notFound.Close()
	e, _, errOut = testEnv(map[string]string{"PW": "pw"})
	run(context.Background(), e, []string{"push", file, "--url", notFound.URL + "/api/import", "--username", "u", "--password-env", "PW"})
	assert.Contains(t, errOut.String(), "to POST "+notFound.URL+"/api/import/api/import/users")
}

// TestPushSaysWhenItRetries: every retry is in the log, with why.
func TestPushSaysWhenItRetries(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if calls++; calls <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, okAnswer)
	}))
	defer srv.Close()
	e, _, errOut := testEnv(map[string]string{"PW": "pw"})
	e.retryBackoff = time.Millisecond
	assert.Equal(t, pushOK, run(context.Background(), e, []string{"push", writeFile(t, goodCSV), "--url", srv.URL, "--username", "u", "--password-env", "PW"}))
	assert.Contains(t, errOut.String(), "attempt 1 of 4 failed (the server answered 503 Service Unavailable")
	assert.Contains(t, errOut.String(), "attempt 2 of 4 failed")
}
