package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autosync/autosync/clientcheck"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPushPassesEveryClientScenario: autosync push, run as a scheduled job
// runs it (the password from the environment, the rest from the
// AUTOSYNC_ variables verify-client sets, which are push's own), passes
// every scenario of verify-client. Its time limit is far beyond what an
// answer takes here, but for the answer that never comes, where it is
// short.
func TestPushPassesEveryClientScenario(t *testing.T) {
	t.Parallel()
	self, err := os.Executable()
	require.NoError(t, err)
	env := append(os.Environ(), "AUTOSYNC_RUN_MAIN=1")
	var others []string
	for _, s := range clientcheck.Scenarios() {
		if s.ID != "no-answer" {
			others = append(others, s.ID)
		}
	}
	runs := []struct {
		limit string
		only  []string
	}{{"30s", others}, {"2s", []string{"no-answer"}}}
	reports := make([]*clientcheck.Report, len(runs))
	var wg sync.WaitGroup
	for i, r := range runs {
		wg.Go(func() {
			rep, err := clientcheck.Run(context.Background(), clientcheck.Config{
				Command: []string{self, "push", "{file}", "--password-env", "AUTOSYNC_PASSWORD", "--timeout", r.limit},
				Env:     env, Only: r.only, Timeout: time.Minute, Concurrency: len(r.only), Dir: t.TempDir()})
			assert.NoError(t, err)
			reports[i] = rep
		})
	}
	wg.Wait()
	for _, rep := range reports {
		require.NotNil(t, rep)
		if !assert.Equal(t, clientcheck.ExitPassed, rep.ExitCode()) {
			var b bytes.Buffer
			rep.Reports().WritePretty(&b)
			t.Log(b.String())
		}
	}
	assert.Len(t, append(reports[0].Results, reports[1].Results...), len(clientcheck.Scenarios()))
}

// TestVerifyClientReports: verify-client writes verify's formats, a JUnit
// file beside the terminal's report, each scenario a test case named with
// what it judges.
func TestVerifyClientReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junit, html, js := filepath.Join(dir, "report.xml"), filepath.Join(dir, "report.html"), filepath.Join(dir, "report.json")
	var stdout, stderr bytes.Buffer
	e := env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, []string{"verify-client", "--format", "progress", "--report", "junit=" + junit, "--report", "html=" + html, "--report", "json=" + js,
		"--scenarios", "imported,refused-401,untrusted-certificate", "--", "false"})
	assert.Equal(t, 1, code, stderr.String())
	assert.Contains(t, stdout.String(), "F..")
	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(x), `<testsuites name="autosync verify-client false (HTTPS, --timeout 1m0s)" tests="3" failures="1"`)
	assert.Contains(t, string(x), `<testcase name="[@refused @password @time-limit @exit-status @retry] The credentials are refused (401)`)
	h, err := os.ReadFile(html)
	require.NoError(t, err)
	assert.Contains(t, string(h), "<h1>autosync verify-client</h1>")
	assert.Contains(t, string(h), "@certificate")
	r := readJSONReport(t, js) // of api/report.schema.json
	assert.Equal(t, "autosync verify-client", r.Command)
	assert.Equal(t, 1, r.ExitCode)
	assert.Equal(t, "failed", r.rule("@request"))
	assert.Equal(t, "passed", r.rule("@certificate"))
}

// TestVerifyClientDocsListTheFormats: the page's --format row names every
// format verify-client writes (verify's, read from reports.Formats).
func TestVerifyClientDocsListTheFormats(t *testing.T) {
	b, err := os.ReadFile("../../docs/schools.md")
	require.NoError(t, err)
	want := "| `--format " + strings.ReplaceAll(clientFormats(), ", ", `\|`) + "` |"
	assert.Contains(t, string(b), want)
}

func TestVerifyClientCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"list", []string{"--list"}, 0, []string{"untrusted-certificate", "{cacert}    AUTOSYNC_CACERT"}, ""},
		{"no command", nil, 2, nil, "give the command to judge after --"},
		{"a command not found", []string{"--", "no-such-command-here", "{url}"}, 2, nil, `the command "no-such-command-here" cannot be run`},
		{"an unknown scenario", []string{"--scenarios", "nope", "--", "true"}, 2, nil, `no scenario "nope"`},
		{"an unknown format", []string{"--format", "xml", "--", "true"}, 2, nil, `format "xml": want one of pretty, progress, junit, html`},
		{"cucumber, which only verify's suite writes", []string{"--report", "cucumber=c.json", "--", "true"}, 2, nil, `format "cucumber": want one of`},
		{"a command that sends nothing", []string{"--scenarios", "imported,refused-401", "--", "false"}, 1,
			[]string{"autosync verify-client: false (HTTPS, --timeout 1m0s)", "@request", "failed", "--- FAILED [@request @success] A good file is sent",
				"- no request reached the server", "2 scenarios: 1 passed, 1 failed"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			e := env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
			code := run(context.Background(), e, append([]string{"verify-client"}, tt.args...))
			assert.Equal(t, tt.code, code, "%s%s", stdout.String(), stderr.String())
			for _, s := range tt.stdout {
				assert.Contains(t, stdout.String(), s)
			}
			if tt.stderr != "" {
				assert.Contains(t, stderr.String(), tt.stderr)
			}
			assert.NotContains(t, stdout.String()+stderr.String(), "pw-", "no password is printed")
			if tt.code == 2 && !strings.Contains(strings.Join(tt.args, " "), "--list") {
				assert.Empty(t, stdout.String())
			}
		})
	}
}
