package clientcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// need skips the test when tool is not installed, except in CI
// (CI=true), where .ci/run installs curl and python3 is present.
func need(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not installed, and CI must run the tests of the known clients: .ci/run installs curl; python3 comes with the image", tool)
		}
		t.Skipf("%s is not installed", tool)
	}
}

// The documents' curl line, with the placeholders for its host and
// credentials, and the certificate to trust.
var docsCurl = []string{"curl", "-X", "POST", "-F", "file=@{file}", "--cacert", "{cacert}", "https://{username}:{password}@{host}/api/import/users"}

// pythonRequests is a short script of the kind schools write, with
// requests.
const pythonRequests = `
import os, sys, requests
e = os.environ
r = requests.post(e["AUTOSYNC_URL"] + "/api/import/users",
                  files={"file": open(e["AUTOSYNC_FILE"], "rb")},
                  auth=(e["AUTOSYNC_USERNAME"], e["AUTOSYNC_PASSWORD"]),
                  verify=e["AUTOSYNC_CACERT"], timeout=float(sys.argv[1]))
print(r.status_code, r.text)
r.raise_for_status()
sys.exit(0 if r.json().get("success") else 1)
`

// pythonURLLib is the same with the standard library alone, for where
// requests is not installed.
const pythonURLLib = `
import os, sys, ssl, json, base64, uuid, urllib.request
e = os.environ
boundary = uuid.uuid4().hex
body = (b"--" + boundary.encode() + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"users.csv\"\r\n"
        b"Content-Type: text/csv\r\n\r\n" + open(e["AUTOSYNC_FILE"], "rb").read() + b"\r\n--" + boundary.encode() + b"--\r\n")
req = urllib.request.Request(e["AUTOSYNC_URL"] + "/api/import/users", data=body, method="POST")
req.add_header("Content-Type", "multipart/form-data; boundary=" + boundary)
req.add_header("Authorization", "Basic " + base64.b64encode((e["AUTOSYNC_USERNAME"] + ":" + e["AUTOSYNC_PASSWORD"]).encode()).decode())
ctx = ssl.create_default_context(cafile=e["AUTOSYNC_CACERT"])
with urllib.request.urlopen(req, context=ctx, timeout=float(sys.argv[1])) as resp:
    answer = json.load(resp)
print(answer["summary"])
sys.exit(0 if answer["success"] else 1)
`

// TestKnownClients: the known ways schools send the file get the verdicts
// their behaviour earns. Each client runs twice at once: against every
// scenario but the answer that never comes, with a time limit of its own
// (100 s) far beyond what an answer takes here however busy the machine,
// and against that one alone with a short limit (the documents' curl line
// has none, and is stopped).
func TestKnownClients(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		tool     string
		command  func(limit string) []string
		failed   []string // the scenarios failed, but for the answer that never comes
		noAnswer Status   // the verdict of the answer that never comes
	}{
		{
			name:    "the documents' curl line",
			tool:    "curl",
			command: func(string) []string { return docsCurl },
			failed: []string{"proxy-502-html", "redirect-host", "redirect-http", "refused-400", "refused-401", "refused-413",
				"rows-failed", "unavailable-503"},
			noAnswer: Failed,
		},
		{
			name: "curl --fail-with-body --retry",
			tool: "curl",
			command: func(limit string) []string {
				return []string{"curl", "-sS", "--fail-with-body", "--retry", "3", "--retry-delay", "1", "--max-time", limit,
					"-F", "file=@{file}", "--cacert", "{cacert}", "https://{username}:{password}@{host}/api/import/users"}
			},
			failed:   []string{"redirect-host", "redirect-http", "rows-failed"},
			noAnswer: Passed,
		},
		{
			name: "curl posting the file as the whole body",
			tool: "curl",
			command: func(limit string) []string {
				return []string{"curl", "-sS", "--fail-with-body", "--max-time", limit, "-H", "Content-Type: text/csv",
					"--data-binary", "@{file}", "--cacert", "{cacert}", "-u", "{username}:{password}", "{url}/api/import/users"}
			},
			failed:   []string{"imported", "redirect-host", "redirect-http"},
			noAnswer: Passed,
		},
		{
			name: "the README's curl script",
			tool: "curl",
			command: func(limit string) []string {
				return []string{"sh", "-c", "MAX_TIME=" + limit + " exec sh \"$0\"", readmeScript(t)}
			},
			noAnswer: Passed,
		},
		{
			name:     "Python with urllib",
			tool:     "python3",
			command:  func(limit string) []string { return []string{"python3", "-c", pythonURLLib, limit} },
			noAnswer: Passed,
		},
		{
			name:     "Python with requests",
			tool:     "requests",
			command:  func(limit string) []string { return []string{"python3", "-c", pythonRequests, limit} },
			noAnswer: Passed,
		},
	}
	// The interpreter itself, not a wrapper that finds it (pyenv's shim
	// is a shell script): the scenarios start it dozens of times.
	python := "python3"
	if out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output(); err == nil {
		python = strings.TrimSpace(string(out))
	}
	for i := range tests {
		if tt := &tests[i]; tt.tool != "curl" {
			command := tt.command
			tt.command = func(limit string) []string { return append([]string{python}, command(limit)[1:]...) }
		}
	}
	var runs sync.WaitGroup
	type verdict struct{ all, noAnswer *Report }
	verdicts := make([]verdict, len(tests))
	for i, tt := range tests {
		if !available(tt.tool) {
			continue
		}
		var notNoAnswer []string
		for _, id := range allIDs() {
			if id != "no-answer" {
				notNoAnswer = append(notNoAnswer, id)
			}
		}
		runs.Go(func() { verdicts[i].all = judge(t, Config{Command: tt.command("100"), Only: notNoAnswer}) })
		// A client with no limit of its own is stopped however fast the
		// machine, so it is stopped soon; one with a limit is given time
		// to start, however slow the machine.
		timeout := 2 * time.Minute
		if tt.noAnswer == Failed {
			timeout = 5 * time.Second
		}
		runs.Go(func() {
			verdicts[i].noAnswer = judge(t, Config{Command: tt.command("2"), Only: []string{"no-answer"}, Timeout: timeout})
		})
	}
	runs.Wait()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.tool == "requests" {
				need(t, "python3")
				if !available("requests") {
					t.Skip("Python's requests is not installed (the urllib script stands for Python)")
				}
			} else {
				need(t, tt.tool)
			}
			v := verdicts[i]
			require.NotNil(t, v.all)
			t.Logf("took %s, and %s for the answer that never comes", v.all.Duration, v.noAnswer.Duration)
			if !assert.Equal(t, tt.failed, failedIDs(v.all)) {
				v.all.Reports().WritePretty(testWriter{t})
			}
			require.Len(t, v.noAnswer.Results, 1)
			if !assert.Equal(t, tt.noAnswer, v.noAnswer.Results[0].Status, "the answer that never comes") {
				v.noAnswer.Reports().WritePretty(testWriter{t})
			}
		})
	}
}

// readmeScript writes the README's curl script (the block that starts
// "#!/bin/sh" then "# import.sh") into a file, and returns its path. The
// documentation may be split into pages under docs/: the script is looked
// for in each.
func readmeScript(t *testing.T) string {
	pages, _ := filepath.Glob("../docs/*.md")
	for _, page := range append([]string{"../README.md"}, pages...) {
		b, err := os.ReadFile(page)
		require.NoError(t, err)
		_, rest, ok := strings.Cut(string(b), "```sh\n#!/bin/sh\n# import.sh")
		if !ok {
			continue
		}
		script, _, ok := strings.Cut(rest, "```")
		require.True(t, ok, "the script's block in %s does not end", page)
		path := filepath.Join(t.TempDir(), "import.sh")
		require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n# import.sh"+script), 0o755))
		return path
	}
	t.Fatal("the documentation has no curl script (a block that starts #!/bin/sh, # import.sh)")
	return ""
}

// available reports whether a tool (or Python's requests) is there.
func available(tool string) bool {
	if tool == "requests" {
		return exec.Command("python3", "-c", "import requests").Run() == nil
	}
	_, err := exec.LookPath(tool)
	return err == nil
}

// testWriter writes into the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
