package deviations_test

import (
	"context"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeviationsFailTheSuite breaks one rule at a time in the reference
// server and requires the suite to fail and to name that rule (the rule
// each deviation says it breaks, rules.Deviation.Rule).
func TestDeviationsFailTheSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("every deviation against the whole suite: run without -short")
	}
	for _, dev := range rules.AllDeviations() {
		t.Run(dev.String(), func(t *testing.T) {
			t.Parallel()
			tg := builtin.Target(mockserver.WithDeviations(dev))
			if heavy[dev] { // only the longest files show it: the scenarios tagged @heavy, let in
				tg = builtin.Target(mockserver.WithDeviations(dev), mockserver.WithMaxBody(64<<20))
				tg.BodyLimit = 64 << 20
			}
			report := runAgainstTags(t, tg, map[bool]string{true: steps.Heavy}[heavy[dev]])
			assert.Equal(t, target.ExitFailed, report.ExitCode())
			assert.Contains(t, report.FailedRules(), dev.Rule())
		})
	}
}

// heavy are the deviations that only files past 10,000 or 65,536 rows
// show.
var heavy = map[rules.Deviation]bool{rules.RowCounter16Bit: true, rules.OnlyFirstBatchImported: true}

func runAgainst(t *testing.T, target target.Target) *reports.Report {
	t.Helper()
	return runAgainstTags(t, target, "")
}

func runAgainstTags(t *testing.T, target target.Target, tags string) *reports.Report {
	t.Helper()
	report, err := steps.Run(context.Background(), steps.Config{Target: target, Tags: tags, Strict: true, Concurrency: 4})
	require.NoError(t, err)
	return report
}
