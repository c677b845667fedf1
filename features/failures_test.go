package features_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/fixtures"
	"github.com/autosync/autosync/fixtures/fake"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// TestFailureTextsNameTheEngineRules: every failure the reference engine gives
// a fixture's rows, or a fake roster's rows broken by every fault, is named
// by RulesOfFailure with the rule the engine gives it, so that a rule whose
// failure text failureTexts does not know fails here, in the quick loop.
func TestFailureTextsNameTheEngineRules(t *testing.T) {
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
					assert.Contains(t, features.RulesOfFailure(why.Text), why.Rule, "%s, row %d: features.RulesOfFailure does not name %s for %q", name, r.Row, why.Rule, why.Text)
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

func TestRulesDiffering(t *testing.T) {
	const (
		year   = "Field (graduationYear) is not a four-digit year."
		gender = "Field (gender) must be M, F or blank."
		email  = "Field (emailAddress) is not a well-formed email address."
	)
	text := func(reasons ...string) string {
		out := reasons[0] + " User failed to import:"
		for _, r := range reasons {
			out += " " + r
		}
		return out + " "
	}
	tests := []struct {
		name string
		want []string
		got  string
		out  []string
	}{
		{"the same reasons", []string{year, gender}, text(year, gender), nil},
		{"a reason wanted and not given", []string{year, gender}, text(year), []string{features.ROW12}},
		{"a reason given and not wanted", []string{year}, text(year, email), []string{features.ROW13}},
		{"one given for another", []string{gender}, text(email), []string{features.ROW12, features.ROW13}},
		{"a row that did not fail", []string{year}, "", []string{features.ROW7}},
		{"a row that should not have failed", nil, text(email), []string{features.ROW13}},
		{"the first reason, given twice by the shape, is one reason", []string{email}, text(email), nil},
		{"the same rule's reason, worded otherwise", []string{gender}, "Field (gender) must be M, F or blank!. User failed to import: Field (gender) must be M, F or blank!. ", []string{features.ROW12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.out, features.RulesDiffering(tt.want, tt.got))
		})
	}
}

func TestRuleOfRefusal(t *testing.T) {
	for summary, rule := range map[string]string{
		"Missing mandatory column (username).":                               features.CSV3,
		"Missing mandatory column (username). The file is separated…":        features.CSV3,
		"Duplicate column (gender).":                                         features.CSV4,
		"CSV syntax error on line 3: a quoted field is never closed.":        features.CSV6,
		"Unauthorised. Check credentials.":                                   features.AUTH2,
		"1 user processed. 1 user created. 0 users updated. 0 users failed.": "",
	} {
		assert.Equal(t, rule, features.RuleOfRefusal(summary), summary)
	}
}

func TestReasons(t *testing.T) {
	for text, want := range map[string][]string{
		"Field (gender) must be M, F or blank. User failed to import: Field (gender) must be M, F or blank. ": {"Field (gender) must be M, F or blank."},
		"Field (enabled) is mandatory for new users. User failed to import: Field (enabled) is mandatory for new users. Field (academicLevel) value 'a. b' is not a declared academic level. ": {
			"Field (enabled) is mandatory for new users.", "Field (academicLevel) value 'a. b' is not a declared academic level."},
		"Row has 1 field but the header has 4.": {"Row has 1 field but the header has 4."},
		"":                                      nil,
	} {
		assert.Equal(t, want, features.Reasons(text), text)
	}
}

// TestLimitsWithAnotherNumber: a length limit a server words with a
// number of its own (its wrong limit) is still the limit's rule.
func TestLimitsWithAnotherNumber(t *testing.T) {
	for text, want := range map[string][]string{
		"Field (username) is longer than 64 characters.":                                           {features.ROW15},
		"Field (surname) is longer than 256 characters.":                                           {features.ROW15},
		"Field (password) is longer than 60 bytes.":                                                {features.ROW17},
		"Field (username) is longer than the limit.":                                               nil,
		"Field (surname) is longer than 255 characters.":                                           {features.ROW15},
		"Field (password) is longer than 72 bytes. Field (username) is longer than 64 characters.": {features.ROW15, features.ROW17},
	} {
		assert.Equal(t, want, features.RulesOfFailure(text), text)
	}
	assert.Equal(t, []string{features.ROW15}, features.RulesDiffering(nil, "Field (username) is longer than 64 characters."))
}
