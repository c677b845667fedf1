package explore

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/fixtures"
	"github.com/autosync/autosync/fixtures/fake"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// TestRuleTextsNameTheEngineRules: every failure the reference engine gives
// a fixture's rows, or a fake roster's rows broken by every fault, is named
// by ruleTexts with the rule the engine gives it, so that a rule whose
// failure text ruleTexts does not know fails here, and not only in the
// heavy proof (steps/deviations).
func TestRuleTextsNameTheEngineRules(t *testing.T) {
	engine, err := rules.New(rules.Config{AcademicLevels: rules.DefaultAcademicLevels(),
		PresentationGroups: rules.DefaultPresentationGroups(), SkipPasswordHashing: true})
	require.NoError(t, err)
	seen := map[string]bool{}
	judge := func(name string, files ...[]byte) {
		st := store.New()
		for _, f := range files {
			// A file refused whole (an error) has no rows to name.
			engine.Import(context.Background(), st, bytes.NewReader(f), rules.WithRowReport(func(r rules.RowReport) {
				for _, why := range r.Reasons {
					seen[why.Rule] = true
					assert.Contains(t, rulesOf(why.Text), why.Rule, "%s, row %d: ruleTexts does not name %s for %q", name, r.Row, why.Rule, why.Text)
				}
			}))
		}
	}
	cases, err := fixtures.Cases()
	require.NoError(t, err)
	for _, c := range cases {
		if c.Before != nil {
			judge(c.Name, c.Before, c.CSV)
		} else {
			judge(c.Name, c.CSV)
		}
	}
	var roster bytes.Buffer
	_, err = fake.Write(&roster, fake.Options{Rows: 400, Seed: 11, ClassOf: 2026, InvalidRate: 0.5, Passwords: true,
		AcademicLevels: rules.DefaultAcademicLevels(), PresentationGroups: rules.DefaultPresentationGroups()})
	require.NoError(t, err)
	judge("a fake roster with every fault", roster.Bytes())
	var ids []string
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	require.NotEmpty(t, ids, "some failures were judged")
	t.Logf("rules whose failures were named: %v", ids)
}
