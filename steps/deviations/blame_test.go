package deviations_test

import (
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
)

// TestBlameIsExact runs the whole suite against the deviations whose
// failures show up in the scenarios of many rules (a summary's wording, the
// Content-Type, details, a failed row's text, the numbering of rows are in
// nearly every answer) and requires the rule broken to be named first,
// wherever the failures showed; where the answer shows that rule alone,
// the rules table fails it alone.
func TestBlameIsExact(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole suite, a few times: run without -short")
	}
	tests := []struct {
		dev   rules.Deviation
		alone bool // the rules table fails the rule alone
	}{
		{rules.AlwaysPluralUsers, true},
		{rules.SingularEndsInOne, true},
		{rules.CharsetMissingOnRefusals, true},
		{rules.ZeroBasedRows, true},
		{rules.DetailsAlways, false},
		{rules.DetailsMissing, false},
		{rules.PlainFailureText, false},
		{rules.SuccessDespiteFailures, false},
		{rules.QuotesUnescapedInJSON, false},
		{rules.UpdatesCountedAsCreates, false},
	}
	for _, tt := range tests {
		t.Run(tt.dev.String(), func(t *testing.T) {
			t.Parallel()
			report := runAgainst(t, builtin.Target(mockserver.WithDeviations(tt.dev)))
			assert.Equal(t, target.ExitFailed, report.ExitCode())
			namedFirst(t, report, tt.dev.Rule())
			if tt.alone {
				assert.Equal(t, []string{tt.dev.Rule()}, report.FailedRules())
			}
		})
	}
}
