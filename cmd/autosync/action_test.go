package main

import (
	"encoding/xml"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// action is the part of action.yml a runner reads.
type action struct {
	Inputs map[string]struct {
		Required bool   `yaml:"required"`
		Default  string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID               string            `yaml:"id"`
			Uses             string            `yaml:"uses"`
			Shell            string            `yaml:"shell"`
			WorkingDirectory string            `yaml:"working-directory"`
			Env              map[string]string `yaml:"env"`
			Run              string            `yaml:"run"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// actionRun is what a run of the action left: the step that failed (""
// for none), the action's outputs, and what the steps printed.
type actionRun struct {
	workspace string
	failed    string
	outputs   map[string]string
	log       string
}

var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// runAction runs action.yml's steps as GitHub's runner runs a composite
// action: each run: step's script with bash -e -o pipefail in its
// working directory, its env: evaluated (inputs, github.action_path,
// runner.temp, the outputs of earlier steps), GITHUB_OUTPUT a file of its
// own, and no INPUT_ variables (composite steps get none). The uses: steps
// (setup-go) are the runner's: this machine's Go stands in for them. temp
// is runner.temp, which the runs of one job share.
func runAction(t *testing.T, temp string, inputs map[string]string) actionRun {
	t.Helper()
	raw, err := os.ReadFile("../../action.yml")
	require.NoError(t, err)
	var a action
	require.NoError(t, yaml.Unmarshal(raw, &a))
	require.Equal(t, "composite", a.Runs.Using)
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	workspace := t.TempDir()

	in := map[string]string{}
	for name, i := range a.Inputs {
		v, given := inputs[name]
		if !given {
			require.False(t, i.Required, "input %s is required", name)
			v = i.Default
		}
		in[name] = v
	}
	for name := range inputs {
		require.Contains(t, a.Inputs, name, "no such input")
	}
	stepOutputs := map[string]map[string]string{}
	eval := func(s string) string {
		return expression.ReplaceAllStringFunc(s, func(m string) string {
			e := expression.FindStringSubmatch(m)[1]
			parts := strings.Split(e, ".")
			switch {
			case len(parts) == 2 && parts[0] == "inputs":
				v, ok := in[parts[1]]
				require.True(t, ok, "%s: no such input", e)
				return v
			case e == "github.action_path":
				return root
			case e == "runner.temp":
				return temp
			case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
				return stepOutputs[parts[1]][parts[3]]
			}
			t.Fatalf("the test runner cannot evaluate ${{ %s }}", e)
			return ""
		})
	}

	run := actionRun{workspace: workspace}
	var log strings.Builder
	for i, step := range a.Runs.Steps {
		if step.Uses != "" {
			require.True(t, strings.HasPrefix(step.Uses, "actions/setup-go@"), "step %d uses %s", i, step.Uses)
			continue
		}
		require.Equal(t, "bash", step.Shell, "step %d", i)
		script := filepath.Join(temp, fmt.Sprintf("step-%d.sh", i))
		require.NoError(t, os.WriteFile(script, []byte(step.Run), 0o600))
		outFile := filepath.Join(temp, fmt.Sprintf("output-%d", i))
		require.NoError(t, os.WriteFile(outFile, nil, 0o600))
		cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", script)
		cmd.Dir = workspace
		if step.WorkingDirectory != "" {
			cmd.Dir = eval(step.WorkingDirectory)
		}
		cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+outFile, "GITHUB_WORKSPACE="+workspace,
			"GITHUB_ACTION_PATH="+root, "RUNNER_TEMP="+temp, "RUNNER_OS=Linux", "CI=true", "GITHUB_ACTIONS=true")
		for k, v := range step.Env {
			cmd.Env = append(cmd.Env, k+"="+eval(v))
		}
		out, err := cmd.CombinedOutput()
		log.Write(out)
		written, rerr := os.ReadFile(outFile)
		require.NoError(t, rerr)
		outs := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(written)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outs[k] = v
			}
		}
		stepOutputs[step.ID] = outs
		if err != nil {
			run.failed = step.ID
			break
		}
	}
	run.outputs = map[string]string{}
	for name, o := range a.Outputs {
		run.outputs[name] = eval(o.Value)
	}
	run.log = log.String()
	return run
}

// TestAction runs the GitHub Action against the reference server on
// loopback: a conformant one passes with its reports as outputs, a server
// that breaks a rule fails the step with the reports still written, and a
// wrong password stops the run at the preflight.
func TestAction(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	t.Parallel()
	tests := []struct {
		name     string
		opts     []mockserver.Option
		password string
		code     string
		failing  string // a rule the JUnit report shows failed
		known    bool   // R-RES-2 is listed as a known failure
	}{
		{name: "conformant", password: mockserver.DefaultAdminPassword, code: "0"},
		{name: "a rule broken", opts: []mockserver.Option{deviant.With("always-plural-users")}, password: mockserver.DefaultAdminPassword, code: "1", failing: "R-RES-2"},
		{name: "a wrong password", password: "not-the-password", code: "2"},
		{name: "a rule broken, known", opts: []mockserver.Option{deviant.With("always-plural-users")}, password: mockserver.DefaultAdminPassword, code: "0", known: true},
	}
	// One job that uses the action four times: runner.temp is the job's,
	// so the build of the second use finds the first's binary up to date.
	temp := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(mockserver.New(tt.opts...))
			defer srv.Close()
			inputs := map[string]string{
				"target": srv.URL, "password": tt.password,
				"academic-level": "K", "presentation-group": "Senior School",
				// The action's plumbing, not the suite, is under test: two
				// rules' scenarios, one of them the rule broken below.
				"tags": "@R-RES-2 or @R-ROW-1", "args": "--concurrency 2",
			}
			if tt.known {
				known := filepath.Join(t.TempDir(), "known.yaml")
				require.NoError(t, os.WriteFile(known, []byte("- rule: R-RES-2\n  reason: always plural\n"), 0o600))
				inputs["expected-failures"] = known
				inputs["tags"] = "@R-RES-2" // the scenarios of other rules see the plural too
			}
			run := runAction(t, temp, inputs)
			require.Equal(t, tt.code, run.outputs["exit-code"], run.log)
			if tt.code == "0" {
				assert.Empty(t, run.failed, run.log)
			} else {
				assert.Equal(t, "verify", run.failed)
			}
			assert.NotContains(t, run.log, "not-the-password", "the password is never printed")
			if tt.code == "2" {
				assert.Contains(t, run.log, "preflight")
				assert.Contains(t, run.log, "status 401")
				return
			}
			junit, err := os.ReadFile(filepath.Join(run.workspace, run.outputs["junit"]))
			require.NoError(t, err, run.log)
			var suites struct {
				Failures int `xml:"failures,attr"`
				Tests    int `xml:"tests,attr"`
			}
			require.NoError(t, xml.Unmarshal(junit, &suites))
			assert.Positive(t, suites.Tests)
			if tt.failing == "" {
				assert.Zero(t, suites.Failures)
			} else {
				assert.Positive(t, suites.Failures)
				assert.Contains(t, string(junit), tt.failing)
			}
			html, err := os.ReadFile(filepath.Join(run.workspace, run.outputs["html"]))
			require.NoError(t, err)
			assert.Contains(t, string(html), "<html")
			created, err := os.ReadFile(filepath.Join(run.workspace, run.outputs["created"]))
			require.NoError(t, err)
			assert.Contains(t, string(created), "acs-", "the patrons the run created are listed")
		})
	}
}
