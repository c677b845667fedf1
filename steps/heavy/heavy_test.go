package heavy_test

import (
	"context"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHeavyScenarios runs the scenarios tagged @heavy (files past 10,000
// and 65,536 rows) against the built-in server, with a body limit that
// lets them in: every one passes, none is skipped.
func TestHeavyScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("the longest files: run without -short")
	}
	tg := builtin.Target(mockserver.WithMaxBody(64 << 20))
	tg.BodyLimit = 64 << 20
	report, err := steps.Run(context.Background(), steps.Config{Target: tg, Tags: steps.Heavy, Strict: true, TestingT: t})
	require.NoError(t, err)
	assert.Equal(t, target.ExitConformant, report.ExitCode())
	require.NotEmpty(t, report.Scenarios)
	for _, sc := range report.Scenarios {
		assert.Equal(t, reports.Passed, sc.Status, "%s: %s%s", sc.Name, sc.Reason, sc.Failure)
	}
}
