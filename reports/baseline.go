package reports

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/autosync/autosync/features"
	"go.yaml.in/yaml/v3"
)

// Expectation is one entry of a target's list of known failures
// (verify --expected-failures FILE): a rule or a scenario the target is
// known to fail, and why. Its failures are reported but do not fail the
// run; once it passes, the entry is stale and fails the run, so the list
// only shrinks.
type Expectation struct {
	Rule     string `yaml:"rule" json:"rule,omitempty"`
	Scenario string `yaml:"scenario" json:"scenario,omitempty"`
	Reason   string `yaml:"reason" json:"reason"`
}

// String names the entry as reports show it.
func (e Expectation) String() string {
	if e.Rule != "" {
		return e.Rule
	}
	return fmt.Sprintf("scenario %q", e.Scenario)
}

// ReadExpectations reads a list of known failures: a YAML list of entries,
// each a rule ID or a scenario's title (one of scenarios) with a reason.
// An entry naming no known rule or scenario, or without a reason, is an
// error that says which.
func ReadExpectations(r io.Reader, scenarios []string) ([]Expectation, error) {
	var list []Expectation
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&list); err != nil && err != io.EOF {
		return nil, fmt.Errorf("want a YAML list of entries with rule or scenario, and reason: %w", err)
	}
	rules := map[string]bool{}
	for _, rule := range features.Rules() {
		rules[rule.ID] = true
	}
	seen := map[Expectation]bool{}
	for i, e := range list {
		e.Rule, e.Scenario, e.Reason = strings.TrimSpace(e.Rule), strings.TrimSpace(e.Scenario), strings.TrimSpace(e.Reason)
		list[i] = e
		n := i + 1
		switch {
		case (e.Rule == "") == (e.Scenario == ""):
			return nil, fmt.Errorf("entry %d: give a rule (e.g. R-ROW-13) or a scenario's title, one of the two", n)
		case e.Rule != "" && !rules[e.Rule]:
			return nil, fmt.Errorf("entry %d: no rule is called %q (autosync verify --list names them)", n, e.Rule)
		case e.Scenario != "" && !slices.Contains(scenarios, e.Scenario):
			return nil, fmt.Errorf("entry %d: no scenario is titled %q (autosync verify --list names them)", n, e.Scenario)
		case e.Reason == "":
			return nil, fmt.Errorf("entry %d (%s): give the reason it is known to fail", n, e)
		case seen[Expectation{Rule: e.Rule, Scenario: e.Scenario}]:
			return nil, fmt.Errorf("entry %d: %s is listed twice", n, e)
		}
		seen[Expectation{Rule: e.Rule, Scenario: e.Scenario}] = true
	}
	return list, nil
}

// Expect applies a list of known failures to the run: a failed scenario an
// entry names (by its rule or its title) is marked expected, with the
// entry's reason; an entry whose scenarios ran and none failed is stale.
// An entry none of whose scenarios ran (not selected, skipped, no answer)
// is neither.
func (r *Report) Expect(list []Expectation) {
	for _, e := range list {
		ran, failed := false, false
		for _, s := range r.Scenarios {
			if !(e.Rule != "" && slices.Contains(s.Rules, e.Rule) || e.Scenario != "" && s.Name == e.Scenario) {
				continue
			}
			switch s.Status {
			case Failed:
				ran, failed = true, true
				if s.Expected == "" {
					s.Expected = e.Reason
				}
			case Passed, Differs:
				ran = true
			}
		}
		if ran && !failed {
			r.Stale = append(r.Stale, e)
		}
	}
}

// unexpectedFailures counts the failed scenarios no entry of the list of
// known failures names.
func (r *Report) unexpectedFailures() int {
	n := 0
	for _, s := range r.Scenarios {
		if s.Status == Failed && s.Expected == "" {
			n++
		}
	}
	return n
}

// writeExpected writes the failures the list expected and its stale
// entries.
func (r *Report) writeExpected(w io.Writer) {
	for _, s := range r.Scenarios {
		if s.Status == Failed && s.Expected != "" {
			fmt.Fprintf(w, "expected failure: [%s] %s (%s)\n", strings.Join(s.Rules, " "), s.Name, s.Expected)
		}
	}
	for _, e := range r.Stale {
		fmt.Fprintf(w, "STALE: %s now passes; remove it from the expected failures (it was listed because: %s)\n", e, e.Reason)
	}
}
