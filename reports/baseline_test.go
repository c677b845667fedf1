package reports_test

import (
	"strings"
	"testing"

	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExpect: a failure the list names is expected and does not fail the
// run; an entry whose scenarios ran and passed is stale and fails it; an
// entry whose scenarios did not run, or got no answer, is neither.
func TestExpect(t *testing.T) {
	sc := func(name, rule string, st reports.Status) *reports.ScenarioResult {
		return &reports.ScenarioResult{Name: name, Rules: []string{rule}, Status: st}
	}
	list, err := reports.ReadExpectations(strings.NewReader(`
- rule: R-ROW-13
  reason: display names are accepted (TICKET-1)
- scenario: Blank lines are not counted as processed
  reason: blank lines count (TICKET-2)
- rule: R-ROW-7
  reason: years are not checked
- rule: R-HTTP-5
  reason: no limit
`), []string{"Blank lines are not counted as processed"})
	require.NoError(t, err)
	r := &reports.Report{Scenarios: []*reports.ScenarioResult{
		sc("a", "R-ROW-13", reports.Failed), sc("b", "R-ROW-13", reports.Passed),
		sc("Blank lines are not counted as processed", "R-RES-2", reports.Failed),
		sc("c", "R-ROW-7", reports.Passed),
		sc("d", "R-HTTP-5", reports.Errored),
	}}
	r.Expect(list)
	assert.Equal(t, "display names are accepted (TICKET-1)", r.Scenarios[0].Expected)
	assert.Equal(t, "blank lines count (TICKET-2)", r.Scenarios[2].Expected)
	require.Len(t, r.Stale, 1)
	assert.Equal(t, "R-ROW-7", r.Stale[0].Rule)
	assert.Equal(t, target.ExitFailed, r.ExitCode(), "a stale entry fails the run")

	r.Stale = nil
	assert.Equal(t, target.ExitUnreachable, r.ExitCode(), "the expected failures do not fail it; the error remains")

	var pretty strings.Builder
	r.Stale = list[2:3]
	require.NoError(t, r.WritePretty(&pretty))
	assert.Contains(t, pretty.String(), "expected failure: [R-ROW-13] a (display names are accepted (TICKET-1))")
	assert.Contains(t, pretty.String(), "STALE: R-ROW-7 now passes")
	var junit strings.Builder
	require.NoError(t, r.WriteJUnit(&junit))
	assert.Contains(t, junit.String(), `<skipped message="expected failure: display names are accepted (TICKET-1)`)
	assert.Contains(t, junit.String(), `type="stale"`)
	writeJSON(t, r)
}
