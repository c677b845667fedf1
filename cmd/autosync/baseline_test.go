package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExpectedFailures: a target's known failures are reported and do not
// fail the run; an entry that now passes fails it as stale; a list that
// names no known rule or scenario, or gives no reason, is refused.
func TestExpectedFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	known := write("known.yaml", "# our endpoint\n- rule: R-RES-2\n  reason: the summary always says users (TICKET-12)\n")
	plural := httptestServer(t, mockserver.New(deviant.With("always-plural-users")))
	conformant := httptestServer(t, mockserver.New())
	tests := []struct {
		name, target, list string
		code               int
		want               []string
	}{
		{"known failures", plural, known, 0, []string{"expected failure: [R-RES-2]", "TICKET-12"}},
		{"fixed since", conformant, known, 1, []string{"STALE: R-RES-2 now passes; remove it"}},
		{"another rule broken", plural, write("other.yaml", "- rule: R-ROW-13\n  reason: display names\n"), 1, []string{"R-RES-2"}},
		{"a scenario by its title", plural, write("scenario.yaml", "- scenario: A fully successful import has no details\n  reason: plural\n"), 1, nil},
		{"an unknown rule", plural, write("typo.yaml", "- rule: R-RES-22\n  reason: x\n"), 2, []string{`entry 1: no rule is called "R-RES-22"`}},
		{"an unknown scenario", plural, write("title.yaml", "- scenario: No such scenario\n  reason: x\n"), 2, []string{`no scenario is titled "No such scenario"`}},
		{"no reason", plural, write("noreason.yaml", "- rule: R-RES-2\n"), 2, []string{"give the reason"}},
		{"both", plural, write("both.yaml", "- rule: R-RES-2\n  scenario: x\n  reason: y\n"), 2, []string{"one of the two"}},
		{"not a list", plural, write("map.yaml", "R-RES-2: plural\n"), 2, []string{"want a YAML list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report := filepath.Join(t.TempDir(), "r.json")
			e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
			code := run(context.Background(), e, []string{"verify", "--explore", "0", "--target", tt.target, "--password-env", "PW",
				"--academic-level", "K", "--presentation-group", "Senior School", "--tags", "@R-RES-2",
				"--created-out", filepath.Join(t.TempDir(), "created.txt"), "--expected-failures", tt.list, "--report", "json=" + report})
			require.Equal(t, tt.code, code, "%s\n%s", out.String(), errOut.String())
			for _, w := range tt.want {
				assert.Contains(t, out.String()+errOut.String(), w)
			}
			if code != 2 {
				readJSONReport(t, report) // of the schema
			}
		})
	}
}

// TestReadOnlyCommand: verify --read-only against a served reference
// leaves it without a patron and without an import that processed a row,
// and passes.
func TestReadOnlyCommand(t *testing.T) {
	t.Parallel()
	base, _, _ := startServe(t, nil, "--quiet")
	e, out, errOut := testEnv(map[string]string{"PW": "autoimport"})
	code := run(context.Background(), e, []string{"verify", "--read-only", "--target", base, "--password-env", "PW",
		"--academic-level", "K", "--presentation-group", "Senior School", "--format", "progress",
		"--created-out", filepath.Join(t.TempDir(), "created.txt")})
	require.Equal(t, 0, code, "%s\n%s", out.String(), errOut.String())
	assert.Contains(t, errOut.String(), "the run created no test patrons")

	for path, want := range map[string]string{"/_mock/patrons": "[]\n"} {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.SetBasicAuth("autoimport", "autoimport")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b := make([]byte, 64)
		n, _ := resp.Body.Read(b)
		resp.Body.Close()
		assert.Equal(t, want, string(b[:n]), path)
	}
}
