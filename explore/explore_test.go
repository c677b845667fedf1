package explore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/rules"

	"github.com/autosync/autosync/explore"
	"github.com/autosync/autosync/steps/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoDifferenceWithTheReference: the built-in server is the reference,
// so the default budget finds no difference.
func TestNoDifferenceWithTheReference(t *testing.T) {
	rep, err := explore.Run(context.Background(), explore.Config{Target: builtin.Target(), Seed: 1, Strict: true})
	require.NoError(t, err)
	for _, d := range rep.Differences {
		t.Errorf("%v: %s\n%v", d.Rules, d.What, d.Steps)
	}
	assert.GreaterOrEqual(t, rep.Requests, explore.DefaultRuns)
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
