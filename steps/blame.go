package steps

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/target"
)

// A failure is counted against the rule whose text, status or field
// differs, not against every rule its scenario is tagged with: a scenario
// of R-ROW-7 that fails because the answer is not JSON, or because its
// summary says "1 users", shows R-HTTP-6 or R-RES-2 broken, not R-ROW-7.
// What each field of an answer is judged by:
//
//   - whether it is JSON, and its Content-Type: R-HTTP-6, and the rules
//     that give a scenario's answer as JSON (R-HTTP-3, 4 and 5, R-AUTH-2)
//     when the scenario is theirs;
//   - success, where the answer contradicts itself (true with a failed
//     row, false with none): R-RES-1;
//   - the summary's wording, where its counts parse: R-RES-2; its counts
//     against the rows of details: R-RES-2;
//   - details where no row failed, no details where one did, and a failed
//     row's text out of its documented shape: R-RES-3;
//   - a row numbered 0: R-CSV-8;
//   - a row's reasons, wanted and not given or given and not wanted: the
//     rules those reasons are for (features.RulesOfFailure), narrowed to
//     the scenario's own when some are (reasonBlame);
//   - a status other than 200 on an answer that is an import's result, rows
//     counted: R-RES-4.
//
// Anything else (a status, a row's outcome, a reason) is the scenario's own
// rule's to answer for, as tagged.

// fieldError is a failure on a field that has rules of its own.
type fieldError struct {
	rule   string   // the rule the field's difference breaks
	shared []string // rules of a scenario that also give this field
	err    error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// onField returns err as a failure of rule, shared with the rules in
// shared when the scenario is tagged with them.
func onField(rule string, shared []string, err error) error {
	return &fieldError{rule: rule, shared: shared, err: err}
}

// reasonError is a failure in the reasons a row failed for: a reason
// wanted and not given, or given and not wanted.
type reasonError struct {
	rules []string // the rules whose reasons differ
	err   error
}

func (e *reasonError) Error() string { return e.err.Error() }
func (e *reasonError) Unwrap() error { return e.err }

// onReasons returns err as a failure of the rules whose reasons differ
// between want (the reasons wanted; none for a row that should not fail)
// and got (what the answer gave the row, or the rows).
func onReasons(want []string, got string, err error) error {
	return &reasonError{rules: features.RulesDiffering(want, got), err: err}
}

// reasonBlame names the rules a difference in reasons broke: those of the
// scenario's own rules (tags) whose reasons differ; failing that, none when
// the scenario is R-RES-3's (which reasons a row gives, and in what order,
// is that rule's); else the scenario's rules and the rules whose reasons
// differ, since either may be the one broken: a rule the scenario was not
// about failed a row, or did not fail it, or the scenario's rule led the
// row there.
func reasonBlame(e *reasonError, tags []string) []string {
	var own []string
	for _, r := range e.rules {
		if slices.Contains(tags, r) {
			own = append(own, r)
		}
	}
	switch {
	case len(own) > 0:
		return own
	case slices.Contains(tags, features.RES3):
		return nil
	}
	return union(tags, e.rules)
}

// syntaxError reports whether the answer refused the file whole as not
// well-formed CSV.
func (s *scenario) syntaxError() bool {
	if s.last == nil || s.last.Status != http.StatusBadRequest || s.answer == nil {
		return false
	}
	summary, _ := s.answer["summary"].(string)
	return features.RuleOfRefusal(summary) == features.CSV6
}

// notProcessedAs200 returns err, a 200 wanted and not given, as a failure
// of R-RES-4 when the answer is an import's result all the same (rows
// processed, counted in its summary): the file was imported and answered
// with another status.
func (s *scenario) notProcessedAs200(err error) error {
	if s.last == nil || s.last.Status == http.StatusOK || s.answer == nil {
		return err
	}
	summary, _ := s.answer["summary"].(string)
	if c, ok := target.Counts(summary); ok && c[0] > 0 {
		return onField(features.RES4, nil, err)
	}
	return err
}

// union returns the rules of a and then those of b not in a.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, r := range b {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// jsonRules are the rules besides R-HTTP-6 that say a scenario's answer is
// JSON.
var jsonRules = []string{features.HTTP3, features.HTTP4, features.HTTP5, features.AUTH2}

// notJSON is the failure of an answer that is not the JSON object wanted:
// R-HTTP-6's when its media type is not JSON, R-RES-1's when it is.
func notJSON(contentType string, err error) error {
	if !saysJSON(contentType) {
		return onField(features.HTTP6, jsonRules, err)
	}
	return onField(features.RES1, jsonRules, err)
}

// saysJSON reports whether a Content-Type's media type is JSON's.
func saysJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// blame names the rules a failure broke when the answer shows which,
// whatever the scenario is tagged with (tags); nil when it does not say,
// and the failure is then its scenario's rules'.
func blame(s *scenario, tags []string, err error) []string {
	if fe := (*fieldError)(nil); errors.As(err, &fe) {
		out := []string{fe.rule}
		for _, r := range fe.shared {
			if slices.Contains(tags, r) && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
		return out
	}
	if s.syntaxError() && !slices.Contains(tags, features.CSV6) {
		// A file the scenario holds well-formed was refused as malformed:
		// RFC 4180 quoting (R-CSV-5) or the syntax rule (R-CSV-6) misread.
		return []string{features.CSV5, features.CSV6}
	}
	if s.answer == nil {
		return nil
	}
	if details, ok := s.answer["details"].(map[string]any); ok {
		if _, zero := details["0"]; zero {
			return []string{features.CSV8}
		}
	}
	if re := (*reasonError)(nil); errors.As(err, &re) && len(re.rules) > 0 {
		return reasonBlame(re, tags)
	}
	summary, _ := s.answer["summary"].(string)
	if c, ok := target.Counts(summary); ok && summary != documentedSummary(c) && strings.Contains(err.Error(), "summary") {
		return []string{features.RES2}
	}
	return nil
}

// documentedSummary words counts as R-RES-2 says: "user" for exactly one.
func documentedSummary(c [4]int) string {
	word := func(n int) string {
		if n == 1 {
			return "1 user"
		}
		return fmt.Sprintf("%d users", n)
	}
	return fmt.Sprintf("%s processed. %s created. %s updated. %s failed.", word(c[0]), word(c[1]), word(c[2]), word(c[3]))
}

// rowCounts counts the rows of the answer's details as a summary does:
// processed, created, updated and failed; and says whether it has details.
func (s *scenario) rowCounts() ([4]int, bool) {
	details, ok := s.answer["details"].(map[string]any)
	if !ok {
		return [4]int{}, false
	}
	c := [4]int{len(details), 0, 0, 0}
	for _, v := range details {
		switch v {
		case "User Created":
			c[1]++
		case "User Updated":
			c[2]++
		default:
			c[3]++
		}
	}
	return c, true
}

// selfContradiction says how the answer contradicts itself, if it does:
// success true with a failed row, or false with rows that all succeeded,
// by details or by the summary's count.
func (s *scenario) selfContradiction() string {
	success, ok := s.answer["success"].(bool)
	if !ok {
		return ""
	}
	rows, hasDetails := s.rowCounts()
	failed := rows[3]
	if !hasDetails {
		summary, _ := s.answer["summary"].(string)
		c, ok := target.Counts(summary)
		if !ok || c[0] == 0 {
			return ""
		}
		failed = c[3]
	}
	switch {
	case success && failed > 0:
		return fmt.Sprintf("success is true with %d failed rows", failed)
	case !success && failed == 0 && hasDetails:
		return "success is false though no row failed"
	}
	return ""
}
