package steps

import (
	"errors"
	"net/http"
	"testing"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/target"
	"github.com/stretchr/testify/assert"
)

// TestBlameByReason: a difference in a row's reasons is blamed on the rule
// each differing reason is for, narrowed to the scenario's own rules when
// some are, and shared with them when none is.
func TestBlameByReason(t *testing.T) {
	const (
		gender  = "Field (gender) must be M, F or blank."
		control = "Field (gender) contains control characters."
		email   = "Field (emailAddress) is not a well-formed email address."
	)
	failed := func(reasons ...string) string { return documentedText(reasons) }
	tests := []struct {
		name string
		tags []string
		want []string
		got  string
		out  []string
	}{
		{"a reason of the scenario's own rule", []string{features.ROW12, features.RES1}, []string{gender}, failed(control), []string{features.ROW12}},
		{"a reason of another rule, given where none was wanted", []string{features.ROW11}, nil, failed(control), []string{features.ROW11, features.ROW15}},
		{"a reason of another rule, wanted and not given", []string{features.RES4}, []string{email}, "", []string{features.RES4, features.ROW13}},
		{"the reasons a row gives, in a scenario of R-RES-3", []string{features.RES3}, []string{control}, failed(gender), []string{features.RES3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &scenario{answer: map[string]any{"success": false, "details": map[string]any{"1": tt.got}}}
			got := blame(s, tt.tags, onReasons(tt.want, tt.got, errors.New("row 1 differs")))
			if got == nil {
				got = tt.tags // the scenario's rules, as the run counts it
			}
			assert.Equal(t, tt.out, got)
		})
	}
}

// TestBlameOfAWholeFileRefusal: a file refused as not well-formed, in a
// scenario that holds it well-formed, is R-CSV-5's and R-CSV-6's; in a
// scenario of R-CSV-6 the scenario's rules answer for it.
func TestBlameOfAWholeFileRefusal(t *testing.T) {
	refused := func() *scenario {
		return &scenario{
			last:   &target.Exchange{Status: http.StatusBadRequest},
			answer: map[string]any{"success": false, "summary": "CSV syntax error on line 2: a quoted field is never closed; add the closing quote."},
		}
	}
	err := errors.New("status: got 400 want 200")
	assert.Equal(t, []string{features.CSV5, features.CSV6}, blame(refused(), []string{features.ROW15}, err))
	assert.Nil(t, blame(refused(), []string{features.CSV6}, err))
}
