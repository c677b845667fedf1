package steps_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
)

// cucumberDoc is the cucumber JSON as report tools read it.
type cucumberDoc []struct {
	URI      string `json:"uri"`
	Name     string `json:"name"`
	Elements []struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Steps []struct {
			Name   string `json:"name"`
			Result struct {
				Status       string `json:"status"`
				ErrorMessage string `json:"error_message"`
			} `json:"result"`
			Embeddings []struct {
				MimeType string `json:"mime_type"`
				Data     string `json:"data"`
			} `json:"embeddings"`
		} `json:"steps"`
	} `json:"elements"`
}

// consumerStatus is a scenario's status as cucumber-html-reporter and its
// kin count it: failed if a step failed, passed if every step passed,
// skipped otherwise.
func consumerStatus(steps []string) string {
	switch {
	case slices.Contains(steps, "failed"):
		return "failed"
	case len(steps) > 0 && !slices.ContainsFunc(steps, func(s string) bool { return s != "passed" }):
		return "passed"
	}
	return "skipped"
}

// TestCucumberCountsLikeVerify: a run that is not strict against a server
// that breaks decided rules: the cucumber JSON's failed scenarios are the
// report's failed ones, and a scenario that differs from the reference
// carries a note on a step that did not fail.
func TestCucumberCountsLikeVerify(t *testing.T) {
	var out bytes.Buffer
	report, err := steps.Run(context.Background(), steps.Config{
		Target: builtin.Target(deviant.With("any-gender", "staff-with-year-accepted")),
		Tags:   "@R-ROW-6 or @R-ROW-12", Cucumber: &out,
	})
	require.NoError(t, err)
	c := report.Counts()
	require.Positive(t, c[reports.Differs], "the run has scenarios that differ")
	require.Positive(t, c[reports.Failed], "and scenarios that fail")

	var doc cucumberDoc
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	byName := map[string]*reports.ScenarioResult{}
	for _, s := range report.Scenarios {
		byName[s.Name] = s
	}
	failed, noted := 0, 0
	for _, f := range doc {
		for _, el := range f.Elements {
			var statuses []string
			var notes []string
			for _, st := range el.Steps {
				statuses = append(statuses, st.Result.Status)
				for _, e := range st.Embeddings {
					require.Equal(t, "text/plain", e.MimeType)
					b, err := base64.StdEncoding.DecodeString(e.Data)
					require.NoError(t, err)
					notes = append(notes, string(b))
				}
			}
			got := consumerStatus(statuses)
			s := byName[el.Name]
			require.NotNil(t, s, "a scenario the report lacks: %q", el.Name)
			if got == "failed" {
				failed++
				assert.Equal(t, reports.Failed, s.Status, el.Name)
			}
			if s.Status == reports.Differs {
				assert.NotEqual(t, "failed", got, el.Name)
				if assert.Len(t, notes, 1, el.Name) {
					assert.Contains(t, notes[0], "differs from the reference")
				}
				noted++
			}
		}
	}
	assert.Equal(t, c[reports.Failed], failed, "failed scenarios, by the cucumber JSON and by verify")
	assert.Equal(t, c[reports.Differs], noted)
}

// TestStoppedRunCucumberIsAnError: a run the preflight stopped writes one
// failed scenario that says why, not an empty report that reads as a
// success.
func TestStoppedRunCucumberIsAnError(t *testing.T) {
	tg := builtin.Target()
	tg.Password = "wrong"
	var out bytes.Buffer
	report, err := steps.Run(context.Background(), steps.Config{Target: tg, Cucumber: &out})
	var stop *target.PreflightError
	require.True(t, errors.As(err, &stop), "%v", err)
	var doc cucumberDoc
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	require.Len(t, doc, 1)
	require.Len(t, doc[0].Elements, 1)
	require.Len(t, doc[0].Elements[0].Steps, 1)
	st := doc[0].Elements[0].Steps[0]
	assert.Equal(t, "failed", st.Result.Status)
	assert.Contains(t, st.Result.ErrorMessage, "--username")
	for _, line := range report.Stopped.Lines {
		assert.Equal(t, 1, strings.Count(st.Result.ErrorMessage, line), "each line of the preflight's message once: %q", st.Result.ErrorMessage)
	}
	assert.Equal(t, report.Stopped.Code, report.ExitCode())
}

// junitSchema is what the Jenkins xunit plugin's junit-10.xsd allows: for
// each element, its attributes (true when required) and its children.
var junitSchema = map[string]struct {
	attrs    map[string]bool
	children []string
}{
	"testsuites": {map[string]bool{"name": false, "time": false, "tests": false, "failures": false, "errors": false}, []string{"testsuite"}},
	"testsuite": {map[string]bool{"name": true, "tests": true, "failures": true, "errors": true, "group": false, "time": false,
		"skipped": false, "timestamp": false, "hostname": false, "id": false, "package": false, "file": false, "log": false, "url": false},
		[]string{"testsuite", "properties", "testcase", "system-out", "system-err"}},
	"testcase":   {map[string]bool{"name": true, "time": false, "classname": false, "group": false}, []string{"skipped", "error", "failure", "system-out", "system-err"}},
	"failure":    {map[string]bool{"type": false, "message": false}, nil},
	"error":      {map[string]bool{"type": false, "message": false}, nil},
	"skipped":    {map[string]bool{"type": false, "message": false}, nil},
	"system-out": {map[string]bool{}, nil},
	"system-err": {map[string]bool{}, nil},
}

// surefireTime is the schema's SUREFIRE_TIME pattern, anchored as XML
// Schema patterns are.
var surefireTime = regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$`)

// validJUnit checks a JUnit document against junitSchema.
func validJUnit(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	root := true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			spec, ok := junitSchema[name]
			require.True(t, ok, "element <%s> is not in the schema", name)
			if root {
				assert.Equal(t, "testsuites", name, "the root element")
				root = false
			} else {
				parent := junitSchema[stack[len(stack)-1]]
				assert.Contains(t, parent.children, name, "<%s> inside <%s>", name, stack[len(stack)-1])
			}
			seen := map[string]bool{}
			for _, a := range el.Attr {
				_, allowed := spec.attrs[a.Name.Local]
				assert.True(t, allowed, "<%s> has attribute %q, which the schema does not allow", name, a.Name.Local)
				seen[a.Name.Local] = true
				if a.Name.Local == "time" && (name == "testsuite" || name == "testsuites") {
					assert.Regexp(t, surefireTime, a.Value, "<%s time>", name)
				}
			}
			for a, required := range spec.attrs {
				if required {
					assert.True(t, seen[a], "<%s> lacks the required attribute %q", name, a)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	assert.False(t, root, "an empty document")
}

// TestJUnitMeetsJenkinsSchema: the JUnit of a run with failures, skips and
// notes, and of a stopped run, is valid by the Jenkins xunit plugin's
// junit-10.xsd.
func TestJUnitMeetsJenkinsSchema(t *testing.T) {
	failing := failingReport(t) // the case scenarios are skipped
	require.Positive(t, failing.Counts()[reports.Skipped])

	stoppedTarget := builtin.Target()
	stoppedTarget.Password = "wrong"
	stopped, _ := steps.Run(context.Background(), steps.Config{Target: stoppedTarget})
	require.NotNil(t, stopped.Stopped)

	for name, r := range map[string]*reports.Report{"failing": failing, "stopped": stopped} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, r.WriteJUnit(&out))
			validJUnit(t, out.Bytes())
		})
	}
}

// landmarks are the elements that are landmarks as children of <body>.
var landmarks = []string{"header", "main", "footer", "nav", "aside"}

// TestHTMLReportLandmarks: what axe-core's landmark-one-main and region
// rules ask: one <main>, and nothing on the page outside a landmark.
func TestHTMLReportLandmarks(t *testing.T) {
	failing := failingReport(t)
	stoppedTarget := builtin.Target()
	stoppedTarget.Password = "wrong"
	stopped, _ := steps.Run(context.Background(), steps.Config{Target: stoppedTarget})
	for name, r := range map[string]*reports.Report{"failing": failing, "stopped": stopped} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, r.WriteHTML(&out))
			doc, err := html.Parse(&out)
			require.NoError(t, err)
			var body *html.Node
			mains := 0
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					switch n.Data {
					case "body":
						body = n
					case "main":
						mains++
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
			require.NotNil(t, body)
			assert.Equal(t, 1, mains, "landmark-one-main: one <main>")
			for c := body.FirstChild; c != nil; c = c.NextSibling {
				switch c.Type {
				case html.TextNode:
					assert.Empty(t, strings.TrimSpace(c.Data), "region: text outside a landmark")
				case html.ElementNode:
					assert.Contains(t, landmarks, c.Data, "region: <%s> outside a landmark", c.Data)
				}
			}
		})
	}
}
