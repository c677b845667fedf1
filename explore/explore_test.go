package explore_test

import (
	"context"
	"testing"

	"github.com/autosync/autosync/explore"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoDifferenceWithTheReference: the built-in server is the reference,
// so a run finds no difference (the default budget's run is in
// steps/deviations, without the race detector).
func TestNoDifferenceWithTheReference(t *testing.T) {
	rep, err := explore.Run(context.Background(), explore.Config{Target: builtin.Target(), Seed: 1, Strict: true, Runs: 60})
	require.NoError(t, err)
	for _, d := range rep.Differences {
		t.Errorf("%v: %s\n%v", d.Rules, d.What, d.Steps)
	}
	assert.Equal(t, 60, rep.Generated, "--runs N sends N")
}

// TestEpisodesSideBySide: with several episodes played at once, a run still
// finds no difference with the reference, and finds a deviation.
func TestEpisodesSideBySide(t *testing.T) {
	rep, err := explore.Run(context.Background(), explore.Config{Target: builtin.Target(), Seed: 2, Strict: true, Runs: 60, Concurrency: 3})
	require.NoError(t, err)
	assert.Empty(t, rep.Differences)
	rep, err = explore.Run(context.Background(), explore.Config{Target: builtin.Target(deviant.With("year-bounds-exclusive")),
		Seed: 2, Strict: true, Concurrency: 3, Until: []string{"R-ROW-7"}})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Differences)
	assert.Contains(t, rep.Differences[len(rep.Differences)-1].Rules, "R-ROW-7")
}
