package deviations_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/autosync/autosync/explore"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/steps/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExploreFindsEveryDeviation: explore alone, with no scenario, finds
// each deviation of the reference server within its default budget and
// names the rule it breaks.
func TestExploreFindsEveryDeviation(t *testing.T) {
	if testing.Short() {
		t.Skip("every deviation explored: run without -short")
	}
	for _, dev := range rules.AllDeviations() {
		t.Run(dev.String(), func(t *testing.T) {
			t.Parallel()
			rep, err := explore.Run(context.Background(), explore.Config{
				Target: builtin.Target(mockserver.WithDeviations(dev)), Seed: 1, Strict: true, Until: []string{deviationRule(dev)}})
			require.NoError(t, err)
			var found []string
			for _, d := range rep.Differences {
				found = append(found, d.Rules...)
			}
			want := deviationRule(dev)
			assert.True(t, slices.Contains(found, want), "explore did not find %s (found %v)", want, found)
			for _, d := range rep.Differences {
				rows := 0
				for _, st := range d.Steps {
					rows += st.Rows()
				}
				t.Logf("%s: %d steps, %d rows: %s", strings.Join(d.Rules, " "), len(d.Steps), rows, d.What)
			}
		})
	}
}

// TestExploreDefaultBudgetFindsNothing: against the reference itself the
// default budget finds no difference.
func TestExploreDefaultBudgetFindsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("the default budget: run without -short")
	}
	rep, err := explore.Run(context.Background(), explore.Config{Target: builtin.Target(), Seed: 1, Strict: true})
	require.NoError(t, err)
	for _, d := range rep.Differences {
		t.Errorf("%v: %s\n%v", d.Rules, d.What, d.Steps)
	}
	assert.GreaterOrEqual(t, rep.Generated, explore.DefaultRuns, "the whole budget was sent")
}

// TestShrinkingIsDeterministic: the same seed against the same target
// gives the same differences, shrunk to the same reproduction.
func TestShrinkingIsDeterministic(t *testing.T) {
	run := func() string {
		rep, err := explore.Run(context.Background(), explore.Config{
			Target: builtin.Target(mockserver.WithDeviations(rules.YearBoundsExclusive)), Seed: 7, Strict: true, MaxDifferences: 2})
		require.NoError(t, err)
		require.NotEmpty(t, rep.Differences)
		var b strings.Builder
		for _, d := range rep.Differences {
			fmt.Fprintf(&b, "%v %s\n", d.Rules, d.What)
			for _, st := range d.Steps {
				fmt.Fprintf(&b, "%s\n%s\n", st, st.File("{P}"))
			}
		}
		return b.String()
	}
	first := run()
	assert.Equal(t, first, run())
	assert.Contains(t, first, "R-ROW-7")
}
