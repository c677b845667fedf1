package clientcheck

import (
	"bytes"
	"context"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// self runs this test binary as fakeClient doing how.
func self(t *testing.T, how string) ([]string, []string) {
	exe, err := os.Executable()
	require.NoError(t, err)
	return []string{exe, "-test.run=^$"}, append(os.Environ(), "CLIENTCHECK_FAKE="+how)
}

// judge runs command against the scenarios (all at once) and returns the
// report.
func judge(t *testing.T, cfg Config) *Report {
	t.Helper()
	if cfg.Timeout == 0 {
		// Far beyond what a client here takes, so that a slow machine
		// never fails a scenario.
		cfg.Timeout = 2 * time.Minute
	}
	cfg.Concurrency = len(Scenarios())
	cfg.Dir = t.TempDir()
	rep, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	return rep
}

// failedIDs lists the scenarios that did not pass or skip, sorted.
func failedIDs(rep *Report) []string {
	var ids []string
	for _, res := range rep.Results {
		if res.Status == Failed || res.Status == Errored {
			ids = append(ids, res.Scenario.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func allIDs() []string {
	var ids []string
	for _, s := range Scenarios() {
		ids = append(ids, s.ID)
	}
	sort.Strings(ids)
	return ids
}

// TestVerdicts: clients that each get one thing wrong fail exactly the
// scenarios that judge it, and a careful one passes them all. The runs go
// at once (they mostly wait), so the test takes as long as the slowest.
// The clients have no time limit of their own, so that none gives up
// early on a busy machine and sends again; the answer that never comes is
// tried with a careful client whose limit is 2 s.
func TestVerdicts(t *testing.T) {
	t.Parallel()
	var notNoAnswer []string
	for _, id := range allIDs() {
		if id != "no-answer" {
			notNoAnswer = append(notNoAnswer, id)
		}
	}
	tests := []struct {
		name, how string
		env       string
		only      []string
		failed    []string
		says      string // in the report
	}{
		{"careful", "careful", "", notNoAnswer, nil, ""},
		{"careful, the answer that never comes", "careful", "CLIENTCHECK_FAKE_TIMEOUT=2s", []string{"no-answer"}, nil, ""},
		{"the file as the whole body", "whole-body", "", notNoAnswer, []string{"imported"}, "the body is \"text/csv\", not multipart/form-data"},
		{"line ends changed", "crlf-to-lf", "", notNoAnswer, []string{"imported"}, "its line ends were changed from CRLF to LF"},
		{"exit 0 always", "exit0", "", notNoAnswer, []string{"redirect-host", "redirect-http", "refused-400", "refused-401", "refused-413", "rows-failed", "untrusted-certificate"},
			"exited 0, but the server answered 401 Unauthorized"},
		{"no certificate check", "insecure", "", notNoAnswer, []string{"untrusted-certificate"}, "accepted a certificate from an authority it was not told to trust, and sent POST /api/import/users with the credentials"},
		{"credentials sent where redirected", "follow", "", notNoAnswer, []string{"redirect-host", "redirect-http"}, "followed the redirect to https://localhost:"},
		{"password printed", "print-password", "", notNoAnswer, notNoAnswer, "the password appears in its standard output"},
		{"4xx retried", "retry-4xx", "", notNoAnswer, []string{"refused-400", "refused-401", "refused-413"}, "sent the file 4 times: a 401 is final"},
	}
	reports := make([]*Report, len(tests))
	var wg sync.WaitGroup
	for i, tt := range tests {
		argv, env := self(t, tt.how)
		if tt.env != "" {
			env = append(env, tt.env)
		}
		wg.Go(func() { reports[i] = judge(t, Config{Command: argv, Env: env, Only: tt.only}) })
	}
	wg.Wait()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := reports[i]
			require.NotNil(t, rep)
			require.Len(t, rep.Results, len(tt.only))
			var out bytes.Buffer
			require.NoError(t, rep.Reports().WritePretty(&out))
			if !assert.Equal(t, tt.failed, failedIDs(rep)) {
				t.Log(out.String())
			}
			assert.Contains(t, out.String(), tt.says)
			for _, s := range rep.secrets {
				assert.NotContains(t, out.String(), s, "the report shows the password")
			}
			if tt.failed == nil {
				assert.Equal(t, ExitPassed, rep.ExitCode())
			} else {
				assert.Equal(t, ExitFailed, rep.ExitCode())
			}
		})
	}
}

// TestHastyRetry: a request sent again soon after a prompt answer is a
// retry without a pause; after a slow answer (the command may have given
// up before it, and paused from then) the pause is not judged.
func TestHastyRetry(t *testing.T) {
	t0 := time.Now()
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	req := func(arrived, end int) Request {
		return Request{Arrived: at(arrived), Start: at(arrived), Answered: at(end), End: at(end), Status: 503}
	}
	tests := []struct {
		name string
		reqs []Request
		want string
	}{
		{"one request", []Request{req(0, 10)}, ""},
		{"at once after a prompt answer", []Request{req(0, 10), req(60, 70)}, "sent again 50ms after the previous answer (503 Service Unavailable)"},
		{"a second after a prompt answer", []Request{req(0, 10), req(1010, 1020)}, ""},
		{"at once after a slow answer", []Request{req(0, 3000), req(3050, 3060)}, ""},
		{"the third at once", []Request{req(0, 10), req(1010, 1020), req(1030, 1040)}, "sent again 10ms after"},
		{"before the answer ended", []Request{req(0, 100), req(50, 200)}, "sent again 0s after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hastyRetry(tt.reqs)
			if tt.want == "" {
				assert.Empty(t, got)
			} else {
				assert.Contains(t, got, tt.want)
			}
		})
	}
}

// TestNoTimeLimit: a command that waits for ever is stopped at --timeout,
// and fails for it; nothing it started is left running.
func TestNoTimeLimit(t *testing.T) {
	t.Parallel()
	argv, env := self(t, "no-timeout")
	rep := judge(t, Config{Command: argv, Env: env, Only: []string{"no-answer"}, Timeout: 4 * time.Second})
	require.Len(t, rep.Results, 1)
	res := rep.Results[0]
	assert.Equal(t, Failed, res.Status)
	assert.True(t, res.Outcome.Killed)
	assert.Contains(t, strings.Join(res.Failures, "\n"), "still running after 4s, and stopped")
}

// TestPlainHTTP: with --http the scenarios that need HTTPS are skipped,
// and the others run in plain HTTP.
func TestPlainHTTP(t *testing.T) {
	t.Parallel()
	argv, env := self(t, "careful")
	rep := judge(t, Config{Command: argv, Env: env, HTTP: true, Only: []string{"imported", "refused-401", "unavailable-503", "redirect-host", "redirect-http", "untrusted-certificate"}})
	assert.Empty(t, failedIDs(rep))
	var skipped []string
	for _, res := range rep.Results {
		if res.Status == Skipped {
			skipped = append(skipped, res.Scenario.ID)
		}
		if res.Outcome != nil {
			for _, r := range res.Outcome.Requests {
				assert.True(t, strings.HasPrefix(r.URL, "http://"), r.URL)
			}
		}
	}
	assert.Equal(t, []string{"redirect-http", "untrusted-certificate"}, skipped)
}

// TestPlaceholders: every placeholder is replaced in the arguments, and
// the environment holds the same values.
func TestPlaceholders(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	var args []string
	for _, p := range Placeholders {
		args = append(args, p.Name)
	}
	script := `for a; do echo "arg $a"; done; env | grep ^AUTOSYNC_ | sort`
	rep := judge(t, Config{Command: append([]string{"/bin/sh", "-c", script, "sh"}, args...), Only: []string{"imported"}})
	out := rep.Results[0].Outcome.Stdout
	host := rep.Results[0].Outcome.Requests
	assert.Empty(t, host, "the script sent nothing")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2*len(Placeholders), out)
	for i, p := range Placeholders {
		arg := strings.TrimPrefix(lines[i], "arg ")
		assert.NotContains(t, arg, "{", p.Name)
		assert.Contains(t, lines[len(Placeholders):], p.Env+"="+arg, p.Name)
	}
	assert.Contains(t, out, "arg https://127.0.0.1:")
	assert.Contains(t, out, "AUTOSYNC_PASSWORD=xxxxx", "the password is shown replaced")
}

func TestUsage(t *testing.T) {
	_, err := Run(context.Background(), Config{})
	var usage *UsageError
	require.ErrorAs(t, err, &usage)
	_, err = Run(context.Background(), Config{Command: []string{"no-such-command-here"}})
	require.ErrorAs(t, err, &usage)
	assert.Contains(t, err.Error(), "no-such-command-here")
	_, err = Run(context.Background(), Config{Command: []string{"true"}, Only: []string{"nope"}})
	require.ErrorAs(t, err, &usage)
}

// TestOutputFindsThePasswordAcrossWrites: a password written in pieces is
// still found, and never shown.
func TestOutputFindsThePasswordAcrossWrites(t *testing.T) {
	o := &output{limit: 10, secrets: []string{"pw-secret"}}
	for _, p := range []string{"abcde", "fgh pw-s", "ec", "ret and more"} {
		o.Write([]byte(p))
	}
	assert.True(t, o.leaked)
	shown, cut := o.shown()
	assert.True(t, cut)
	assert.Equal(t, "abcdefgh xxxxx", shown, "the start of the password at the cut is replaced")
	clean := &output{limit: 100, secrets: []string{"pw-secret"}}
	clean.Write([]byte("pw-secre"))
	clean.Write([]byte("t-not"))
	assert.True(t, clean.leaked)
	other := &output{limit: 100, secrets: []string{"pw-secret"}}
	other.Write([]byte("pw-secre and t"))
	assert.False(t, other.leaked)
}
