package reports_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/autosync/autosync/reports"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBrokenNamesTheRuleMostFailuresShowFirst: a failure counts against
// the rules its answer blames, or else its scenario's rules; the rule the
// most failures name comes first, in the pretty report, the JSON and each
// JUnit failure; a failure the list of known failures expects names none.
func TestBrokenNamesTheRuleMostFailuresShowFirst(t *testing.T) {
	failed := func(rules []string, blamed ...string) *reports.ScenarioResult {
		return &reports.ScenarioResult{Feature: "f", Name: strings.Join(rules, "+"), Rules: rules, Status: reports.Failed, Failure: "summary: got x", Blamed: blamed}
	}
	expected := failed([]string{"R-ROW-7"})
	expected.Expected = "known"
	r := &reports.Report{Scenarios: []*reports.ScenarioResult{
		failed([]string{"R-ROW-7"}, "R-RES-2"),
		failed([]string{"R-ROW-1"}, "R-RES-2"),
		failed([]string{"R-ROW-1"}),
		failed([]string{"R-RES-1", "R-ROW-8"}),
		{Rules: []string{"R-ROW-4"}, Status: reports.Passed},
		expected, expected, expected,
	}}
	assert.Equal(t, []string{"R-RES-2", "R-ROW-1", "R-ROW-8", "R-RES-1"}, r.Broken(), "most failures first, then in catalogue order")
	assert.Equal(t, 2, r.FailuresNaming("R-RES-2"))
	assert.Zero(t, r.FailuresNaming("R-ROW-7"), "blamed elsewhere, or expected")

	var pretty bytes.Buffer
	require.NoError(t, r.WritePretty(&pretty))
	assert.Contains(t, pretty.String(), "Broken, most failures first: R-RES-2 (2 failures), R-ROW-1 (1 failure), R-ROW-8 (1 failure), R-RES-1 (1 failure)")

	var out bytes.Buffer
	require.NoError(t, r.WriteJSON(&out))
	var doc struct {
		Broken    []string `json:"broken"`
		Scenarios []struct {
			Broken []string `json:"broken"`
		} `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	assert.Equal(t, r.Broken(), doc.Broken)
	assert.Equal(t, []string{"R-RES-2"}, doc.Scenarios[0].Broken)
	assert.Equal(t, []string{"R-ROW-1"}, doc.Scenarios[2].Broken, "no blame: the scenario's rules")
	assert.Nil(t, doc.Scenarios[4].Broken, "a pass broke nothing")

	out.Reset()
	require.NoError(t, r.WriteJUnit(&out))
	var junit struct {
		Suites []struct {
			Cases []struct {
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(out.Bytes(), &junit))
	assert.Equal(t, "broke R-RES-2: summary: got x", junit.Suites[0].Cases[0].Failure.Message)
}
