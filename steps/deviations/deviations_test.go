package deviations_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/deviant"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeviationsFailTheSuite breaks one rule at a time in the reference
// server and runs the whole suite against it: the run must fail and, among
// the rules its failures name, the rule the deviation breaks
// (deviant.Deviation.Rule) must come first, wherever the failures showed.
// Where the answers show that rule alone (alone), the rules table must
// fail it alone. A server that refuses the run's own credentials (one that
// reads a password with a colon wrongly) stops the run at its preflight,
// which must name the rule.
func TestDeviationsFailTheSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("every deviation against the suite: run without -short")
	}
	for _, dev := range deviant.All() {
		t.Run(dev.String(), func(t *testing.T) {
			t.Parallel()
			tg := builtin.Target(deviant.With(dev.Name()), unhashed)
			tags := ""
			if heavy[dev.Name()] { // only the longest files show it: the scenarios tagged @heavy, let in
				tg = builtin.Target(deviant.With(dev.Name()), unhashed, mockserver.WithMaxBody(64<<20))
				tg.BodyLimit = 64 << 20
				tags = steps.Heavy
			}
			report, err := run(tg, tags)
			if stoppedNaming(err, dev.Rule()) {
				return // stopped before any scenario, by a preflight that names the rule
			}
			require.NoError(t, err)
			assert.Equal(t, target.ExitFailed, report.ExitCode())
			assert.Contains(t, report.FailedRules(), dev.Rule())
			namedFirst(t, report, dev.Rule())
			if alone[dev.Name()] {
				assert.Equal(t, []string{dev.Rule()}, report.FailedRules())
			}
		})
	}
}

// alone are deviations that show in nearly every answer (a summary's
// wording, the Content-Type, the numbering of rows) and that the answers
// show breaking their rule alone.
var alone = map[string]bool{"always-plural-users": true, "singular-ends-in-one": true,
	"charset-missing-on-refusals": true, "zero-based-rows": true}

// namedFirst requires rule to be named first among the rules the report's
// failures broke: no rule is named by more failures (a rule named by as
// many, by the same scenarios tagged with both, ties).
func namedFirst(t *testing.T, report *reports.Report, rule string) {
	t.Helper()
	broken := report.Broken()
	require.NotEmpty(t, broken, "no failure names a rule")
	assert.Equal(t, report.FailuresNaming(broken[0]), report.FailuresNaming(rule),
		"%s is named by fewer failures than %s: broken, most failures first: %v", rule, broken[0], broken)
}

// TestListsNameDeviations: the proof's lists of deviations (alone,
// heavy, larger) name deviations that exist: a name written wrongly would
// leave its deviation out of the list unseen.
func TestListsNameDeviations(t *testing.T) {
	for list, names := range map[string]map[string]bool{"alone": alone, "heavy": heavy, "larger": larger} {
		for name := range names {
			_, ok := deviant.Lookup(name)
			assert.True(t, ok, "%s names %q, which no deviation is named", list, name)
		}
	}
}

// unhashed makes a deviant server keep no password hash: no deviation
// breaks a rule through the hash, no answer shows one, and hashing every
// row's password was half of what explore's runs against the deviations
// cost.
var unhashed = mockserver.WithoutPasswordHashing()

// heavy are the deviations that only files past 10,000 or 65,536 rows
// show.
var heavy = map[string]bool{"row-counter-16-bit": true, "only-first-batch-imported": true}

func runAgainst(t *testing.T, target target.Target) *reports.Report {
	t.Helper()
	report, err := run(target, "")
	require.NoError(t, err)
	return report
}

// run runs the whole suite against tg, strict, the scenarios tagged tags
// let in.
func run(tg target.Target, tags string) (*reports.Report, error) {
	return steps.Run(context.Background(), steps.Config{Target: tg, Tags: tags, Strict: true, Concurrency: 4})
}

// stoppedNaming reports whether err is a preflight's stop that names rule:
// a server that refuses the run's own credentials (a password with a colon
// read wrongly) is caught there, before any scenario or exploration.
func stoppedNaming(err error, rule string) bool {
	pe := (*target.PreflightError)(nil)
	return errors.As(err, &pe) && strings.Contains(pe.Error(), rule)
}
