package steps_test

import (
	"context"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestASummaryWordingIsBlamedOnRRES2: against a server whose one bug is
// the summary's wording ("1 users created."), every failure is R-RES-2's,
// wherever it shows up, and the rules table fails that rule alone.
func TestASummaryWordingIsBlamedOnRRES2(t *testing.T) {
	report, err := steps.Run(context.Background(), steps.Config{
		Target: builtin.Target(mockserver.WithDeviations(rules.AlwaysPluralUsers)), Strict: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"R-RES-2"}, report.FailedRules())
	assert.Equal(t, target.ExitFailed, report.ExitCode())
}
