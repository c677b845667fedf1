package reports_test

import (
	"testing"

	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
)

// TestExitCodePrecedence: a rule broken is exit 1 even when another
// scenario could not reach the target; the preflight's code comes first.
func TestExitCodePrecedence(t *testing.T) {
	scenario := func(s reports.Status) *reports.ScenarioResult { return &reports.ScenarioResult{Status: s} }
	tests := []struct {
		name   string
		report reports.Report
		want   int
	}{
		{"all passed", reports.Report{Scenarios: []*reports.ScenarioResult{scenario(reports.Passed), scenario(reports.Differs)}}, target.ExitConformant},
		{"a rule failed", reports.Report{Scenarios: []*reports.ScenarioResult{scenario(reports.Passed), scenario(reports.Failed)}}, target.ExitFailed},
		{"unreachable only", reports.Report{Scenarios: []*reports.ScenarioResult{scenario(reports.Passed), scenario(reports.Errored)}}, target.ExitUnreachable},
		{"a rule failed and an upload cut off", reports.Report{Scenarios: []*reports.ScenarioResult{scenario(reports.Errored), scenario(reports.Failed)}}, target.ExitFailed},
		{"stopped by the preflight", reports.Report{Stopped: &target.PreflightError{Code: target.ExitUsage},
			Scenarios: []*reports.ScenarioResult{scenario(reports.Failed)}}, target.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.report.ExitCode())
		})
	}
}
