// Package reports holds the outcome of a run against a target, scenario by
// scenario and rule by rule, and writes it in every format a reader or a CI
// server takes: the table Formats names them all. Both autosync verify and
// autosync explore report through it; it knows nothing of godog.
package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/internal/safe"
	"github.com/autosync/autosync/target"
)

// Status is a scenario's or a rule's outcome, ordered from least to most
// serious.
type Status int

// The statuses.
const (
	Skipped     Status = iota // not run, with a reason (e.g. a profile value is missing)
	Unsupported               // the target lacks what the scenario needs (e.g. /_mock/ pages)
	Passed
	Differs // a decided rule the target does differently; fails only when strict
	Failed
	Errored // the target did not answer in HTTP
)

// String names the status as reports show it.
func (s Status) String() string {
	return [...]string{"skipped", "unsupported", "passed", "differs from reference", "failed", "error"}[s]
}

// ScenarioResult is one scenario's outcome.
type ScenarioResult struct {
	Feature string
	URI     string
	Name    string
	Rules   []string // rule IDs from the tags
	Kinds   []string // documented, evidence, decided
	Status  Status
	Reason  string // why skipped or unsupported
	Failure string // what was wanted and what came back
	// Blamed, when set, names the rules whose text, status or field
	// differed in the failure (a summary's wording is R-RES-2 wherever it
	// shows up): the rules table counts the failure against them alone,
	// not against every rule the scenario is tagged with.
	Blamed    []string
	Differs   []string // wording that differs from the reference, when not strict
	Exchanges []*target.Exchange
	Duration  time.Duration
	// Expected is the reason a list of known failures gives for this
	// failure (see Report.Expect); such a failure does not fail the run.
	Expected string
}

// Decided reports whether every rule kind of the scenario is decided: a
// scenario the target does differently then differs from the reference
// rather than failing, unless the run is strict.
func (r *ScenarioResult) Decided() bool {
	for _, k := range r.Kinds {
		if k != string(features.Decided) {
			return false
		}
	}
	return len(r.Kinds) > 0
}

// Report is the outcome of one run.
type Report struct {
	// Command names what made the report in its first line; "" for
	// autosync verify.
	Command   string
	Target    string
	Seed      int64
	RunID     string
	Strict    bool
	Started   time.Time
	Duration  time.Duration
	Scenarios []*ScenarioResult
	// Notes are findings of the preflight that did not stop the run, e.g.
	// an answer that is not the documented JSON.
	Notes []string
	// Stopped is set when the preflight stopped the run: no scenario ran.
	Stopped *target.PreflightError
	// Created lists the usernames of the patrons the target's answers show
	// the run created, sorted.
	Created []string
	// CleanUp says what came of disabling them, e.g. "disabled 81 test
	// patrons that the run created"; "" when they were kept.
	CleanUp string
	// Interrupted is set when a signal stopped the run: the report covers
	// what ran, and says so in its notes.
	Interrupted bool
	// Catalogue is what the scenarios' Rules name, when it is not the
	// conformance suite's catalogue (features.Rules): autosync
	// verify-client judges a school's command by checks of its own. A run
	// with its own catalogue has no seed or run id to show.
	Catalogue []features.Rule
	// Exploration is what autosync explore (or verify's exploration after
	// the scenarios) sent and found; nil when nothing was explored.
	Exploration *Exploration
	// Stale lists the entries of the list of known failures that now pass
	// (see Expect): each fails the run, so that the list only shrinks.
	Stale []Expectation
}

// ExploreFeature is the feature name of an exploration's results.
const ExploreFeature = "explore"

// Exploration is what an exploration sent and found, as every format
// shows it.
type Exploration struct {
	Generated   int      // generated requests sent, shrinking aside
	Requests    int      // every request to the target: shrinking and /_mock/ reads included
	Files       int      // files sent
	Rows        int      // rows of those files
	Differences int      // differences from the reference
	Exercised   []string // the rules the requests put to the test, catalogue IDs in catalogue order
}

// NotExercised returns the catalogue's rules the exploration did not put
// to the test.
func (x *Exploration) NotExercised() []string {
	var out []string
	for _, rule := range features.Rules() {
		if !slices.Contains(x.Exercised, rule.ID) {
			out = append(out, rule.ID)
		}
	}
	return out
}

// Lines says what the exploration sent and found, in two lines.
func (x *Exploration) Lines() []string {
	return []string{
		fmt.Sprintf("explore: %s generated (%s to the target in all, shrinking and /_mock/ reads included), %s, %s sent; %s",
			count(x.Generated, "request"), count(x.Requests, "request"), count(x.Files, "file"), count(x.Rows, "row"), count(x.Differences, "difference")),
		fmt.Sprintf("rules exercised: %d of %d (%s); not exercised: %s",
			len(x.Exercised), len(features.Rules()), strings.Join(x.Exercised, " "), orNoneText(x.NotExercised())),
	}
}

func orNoneText(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, " ")
}

// Interrupt marks the run as stopped by a signal, with a note that every
// format shows.
func (r *Report) Interrupt() {
	if r.Interrupted {
		return
	}
	r.Interrupted = true
	r.Notes = append(r.Notes, "the run was interrupted (SIGINT or SIGTERM): this report covers what ran; scenarios not run are skipped")
}

// CommandName is the command that made the report, as its messages name
// it: "autosync verify" or "autosync explore".
func (r *Report) CommandName() string { return r.command() }

func (r *Report) command() string {
	if r.Command == "" {
		return "autosync verify"
	}
	return r.Command
}

// Counts returns how many scenarios ended in each status.
func (r *Report) Counts() map[Status]int {
	c := map[Status]int{}
	for _, s := range r.Scenarios {
		c[s.Status]++
	}
	return c
}

// ExitCode is the run's exit code, by one precedence: a run the preflight
// stopped has the preflight's code (2, or 3 when the target could not be
// reached at all); otherwise 1 when a rule failed, even if some other
// scenario could not reach the target (one upload cut off must not hide
// the failures); otherwise 130 when a signal stopped the run; otherwise 3
// when a scenario got no HTTP answer; otherwise 0.
func (r *Report) ExitCode() int {
	if r.Stopped != nil {
		return r.Stopped.Code
	}
	c := r.Counts()
	switch {
	case r.unexpectedFailures() > 0: // a rule broken is reported as broken, whatever else could not be reached
		return target.ExitFailed
	case len(r.Stale) > 0: // a known failure fixed: the list must shrink
		return target.ExitFailed
	case r.Interrupted:
		return target.ExitInterrupted
	case c[Errored] > 0:
		return target.ExitUnreachable
	}
	return target.ExitConformant
}

// RuleResult is one catalogue rule's outcome: the most serious of its
// scenarios'.
type RuleResult struct {
	Rule      features.Rule
	Status    Status
	Run       bool // some scenario of it was selected
	Scenarios []*ScenarioResult
}

// catalogue is what the scenarios' rules name: r.Catalogue, or the
// conformance suite's.
func (r *Report) catalogue() []features.Rule {
	if r.Catalogue != nil {
		return r.Catalogue
	}
	return features.Rules()
}

// Rules returns every catalogue rule with its outcome.
func (r *Report) Rules() []RuleResult {
	var out []RuleResult
	for _, rule := range r.catalogue() {
		rr := RuleResult{Rule: rule}
		for _, s := range r.Scenarios {
			tagged, blamed := slices.Contains(s.Rules, rule.ID), slices.Contains(s.Blamed, rule.ID)
			if !tagged && !blamed {
				continue
			}
			status := s.Status
			if len(s.Blamed) > 0 && !blamed && (status == Failed || status == Differs) {
				status = Passed // the failure broke another rule: this one was not shown broken
			}
			rr.Scenarios = append(rr.Scenarios, s)
			if !rr.Run || status > rr.Status {
				rr.Status = status
			}
			rr.Run = true
		}
		out = append(out, rr)
	}
	return out
}

// Broken returns the rules the run's failures broke, the rule the most
// failures name first, ties in catalogue order: where to start fixing.
func (r *Report) Broken() []string {
	return r.broken(r.failuresNaming())
}

func (r *Report) broken(count map[string]int) []string {
	var ids []string
	for _, rule := range r.catalogue() {
		if count[rule.ID] > 0 {
			ids = append(ids, rule.ID)
		}
	}
	slices.SortStableFunc(ids, func(a, b string) int { return count[b] - count[a] }) // stable: catalogue order within a count
	return ids
}

// FailuresNaming returns how many failures name the rule id. A failure
// names the rules its answer shows broken (ScenarioResult.Blamed) or else
// its scenario's rules; a failure the list of known failures expects names
// none.
func (r *Report) FailuresNaming(id string) int { return r.failuresNaming()[id] }

func (r *Report) failuresNaming() map[string]int {
	count := map[string]int{}
	for _, s := range r.Scenarios {
		if s.Status != Failed || s.Expected != "" {
			continue
		}
		for _, id := range s.blamedFirst() {
			count[id]++
		}
	}
	return count
}

// brokenLine says which rules the failures broke, most failures first, or
// "" when none did.
func (r *Report) brokenLine() string {
	failures := r.failuresNaming()
	ids := r.broken(failures)
	if len(ids) == 0 {
		return ""
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s (%s)", id, count(failures[id], "failure"))
	}
	return "Broken, most failures first: " + strings.Join(parts, ", ")
}

// FailedRules returns the IDs of the rules that failed.
func (r *Report) FailedRules() []string {
	var ids []string
	for _, rr := range r.Rules() {
		if rr.Status == Failed || rr.Status == Errored {
			ids = append(ids, rr.Rule.ID)
		}
	}
	return ids
}

func (r *Report) summaryLine() string {
	if r.Exploration != nil && r.Command != "" { // autosync explore: what it sent, not one pseudo-scenario
		return r.Exploration.Lines()[0]
	}
	c := r.Counts()
	return fmt.Sprintf("%s: %d passed, %d failed, %d differ from the reference, %d skipped, %d unsupported, %s",
		count(len(r.Scenarios), "scenario"), c[Passed], c[Failed], c[Differs], c[Skipped], c[Unsupported], count(c[Errored], "error"))
}

// writeStopped writes the few lines of a run the preflight stopped, and
// reports whether it did.
func (r *Report) writeStopped(w io.Writer) bool {
	if r.Stopped == nil {
		return false
	}
	fmt.Fprintf(w, "%s: %s: stopped before any scenario by the preflight (%s)\n", r.command(), r.Target, r.Stopped.Check)
	for _, line := range r.Stopped.Lines {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintln(w, "  no rule was judged: fix the setting above and run again")
	return true
}

// writeExploration writes what the exploration sent and found.
func (r *Report) writeExploration(w io.Writer) {
	if r.Exploration == nil {
		return
	}
	for _, l := range r.Exploration.Lines() {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
}

func (r *Report) writeNotes(w io.Writer) {
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w)
	}
}

// WritePretty writes the report rule by rule, with the failures in full.
// Whatever the target sent is made safe to print on a terminal first.
func (r *Report) WritePretty(w io.Writer) error {
	var b strings.Builder
	r.writePretty(&b)
	_, err := io.WriteString(w, safe.Lines(b.String()))
	return err
}

func (r *Report) writePretty(w io.Writer) {
	if r.writeStopped(w) {
		return
	}
	if r.Catalogue != nil {
		fmt.Fprintf(w, "%s: %s\n\n", r.command(), r.Target)
	} else {
		fmt.Fprintf(w, "%s: %s (seed %d, run %s, %s)\n\n", r.command(), r.Target, r.Seed, r.RunID, strictness(r.Strict))
	}
	r.writeNotes(w)
	width := 11 // the longest ID: R-ROW-18, and a catalogue's own
	for _, rr := range r.Rules() {
		width = max(width, len(rr.Rule.ID))
	}
	r.writeExploration(w)
	for _, rr := range r.Rules() {
		if !rr.Run {
			continue
		}
		fmt.Fprintf(w, "%-*s %-22s %-22s %s\n", width, rr.Rule.ID, rr.Rule.KindText(), rr.Status, rr.Rule.Statement)
		for _, s := range rr.Scenarios {
			if s.Status != Passed {
				fmt.Fprintf(w, "%*s - %s: %s%s\n", width, "", s.Status, s.Name, reasonSuffix(s))
			}
		}
	}
	r.writeEnd(w)
}

// WriteProgress writes one character a scenario, then the failures, made
// safe to print as WritePretty's are.
func (r *Report) WriteProgress(w io.Writer) error {
	var b strings.Builder
	r.writeProgress(&b)
	_, err := io.WriteString(w, safe.Lines(b.String()))
	return err
}

func (r *Report) writeProgress(w io.Writer) {
	if r.writeStopped(w) {
		return
	}
	if r.Command != "" { // autosync explore names itself; verify's progress is its marks alone
		fmt.Fprintf(w, "%s: %s (seed %d, %s)\n", r.command(), r.Target, r.Seed, strictness(r.Strict))
	}
	r.writeNotes(w)
	r.writeExploration(w)
	marks := map[Status]byte{Skipped: 'S', Unsupported: 'U', Passed: '.', Differs: 'D', Failed: 'F', Errored: 'E'}
	for i, s := range r.Scenarios {
		w.Write([]byte{marks[s.Status]})
		if (i+1)%60 == 0 {
			io.WriteString(w, "\n")
		}
	}
	io.WriteString(w, "\n")
	r.writeEnd(w)
}

// writeEnd writes what pretty and progress end with: the failures in
// full, the known failures, the rules broken and the summary line.
func (r *Report) writeEnd(w io.Writer) {
	r.writeFailures(w)
	if len(r.Stale) > 0 || r.unexpectedFailures() < r.Counts()[Failed] {
		fmt.Fprintln(w)
		r.writeExpected(w)
	}
	if line := r.brokenLine(); line != "" {
		fmt.Fprintf(w, "\n%s", line)
	}
	fmt.Fprintf(w, "\n%s\n", r.summaryLine())
}

func strictness(strict bool) string {
	if strict {
		return "strict: decided rules are asserted"
	}
	return "decided rules that differ are reported, not failed"
}

func reasonSuffix(s *ScenarioResult) string {
	switch {
	case s.Reason != "":
		return " (" + s.Reason + ")"
	case len(s.Differs) > 0:
		return " (" + strings.Join(s.Differs, "; ") + ")"
	}
	return ""
}

func (r *Report) writeFailures(w io.Writer) {
	for _, s := range r.Scenarios {
		if s.Status != Failed && s.Status != Errored && s.Status != Differs {
			continue
		}
		fmt.Fprintf(w, "\n--- %s [%s] %s\n    %s\n", strings.ToUpper(s.Status.String()), strings.Join(s.blamedFirst(), " "), s.Name, s.URI)
		fmt.Fprintf(w, "%s", indent(s.Detail(), "    "))
	}
}

// blamedFirst lists the rules a failure broke, or, when the failure does
// not say, the scenario's rules.
func (s *ScenarioResult) blamedFirst() []string {
	if len(s.Blamed) > 0 {
		return s.Blamed
	}
	return s.Rules
}

// Detail is what a reader needs to see why a scenario did not pass: the
// failure, then every HTTP exchange with credentials redacted.
func (s *ScenarioResult) Detail() string {
	var b strings.Builder
	if s.Failure != "" {
		fmt.Fprintf(&b, "%s\n", s.Failure)
	}
	for _, d := range s.Differs {
		fmt.Fprintf(&b, "differs: %s\n", d)
	}
	for i, x := range s.Exchanges {
		fmt.Fprintf(&b, "\nexchange %d:\n%s", i+1, x)
	}
	return b.String()
}

// junitCounts are the attributes of a test suite. The whole (testsuites)
// has them but skipped, which the Jenkins xunit plugin's junit-10.xsd does
// not allow there.
type junitCounts struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	Time     string `xml:"time,attr"`
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	junitCounts
	Cases     []junitCase `xml:"testcase"`
	SystemOut string      `xml:"system-out,omitempty"`
	duration  time.Duration
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes JUnit XML, one test suite a feature, one test case a
// scenario named with its rules. Failures carry their message and the whole
// HTTP exchange. A run the preflight stopped is one suite of one test case,
// named for the preflight, whose error says why.
func (r *Report) WriteJUnit(w io.Writer) error {
	out := junitSuites{Name: r.command() + " " + r.Target, Time: seconds(r.Duration)}
	byFeature := map[string]*junitSuite{}
	var order []string
	if r.Stopped != nil || len(r.Notes) > 0 {
		js := &junitSuite{junitCounts: junitCounts{Name: "preflight", Tests: 1}, duration: r.Duration}
		c := junitCase{Name: "preflight", Classname: "preflight", Time: seconds(r.Duration)}
		if r.Stopped != nil {
			c.Error = &junitMessage{Message: r.Stopped.Error(), Type: "preflight", Text: strings.Join(r.Stopped.Lines, "\n")}
			js.Errors++
		} else {
			c.SystemOut = strings.Join(r.Notes, "\n")
		}
		js.Cases = append(js.Cases, c)
		byFeature[js.Name] = js
		order = append(order, js.Name)
	}
	for _, s := range r.Scenarios {
		js, ok := byFeature[s.Feature]
		if !ok {
			js = &junitSuite{junitCounts: junitCounts{Name: s.Feature}}
			if s.Feature == ExploreFeature && r.Exploration != nil {
				js.SystemOut = strings.Join(r.Exploration.Lines(), "\n")
			}
			byFeature[s.Feature] = js
			order = append(order, s.Feature)
		}
		c := junitCase{Name: "[" + strings.Join(s.Rules, " ") + "] " + s.Name, Classname: s.Feature, Time: seconds(s.Duration)}
		switch s.Status {
		case Failed:
			if s.Expected != "" {
				c.Skipped = &junitMessage{Message: "expected failure: " + s.Expected + ": " + firstLine(s.Failure)}
				js.Skipped++
				break
			}
			c.Failure = &junitMessage{Message: "broke " + strings.Join(s.blamedFirst(), " ") + ": " + firstLine(s.Failure), Type: "failed", Text: s.Detail()}
			js.Failures++
		case Errored:
			c.Error = &junitMessage{Message: firstLine(s.Failure), Type: "unreachable", Text: s.Detail()}
			js.Errors++
		case Skipped, Unsupported:
			c.Skipped = &junitMessage{Message: s.Status.String() + ": " + s.Reason}
			js.Skipped++
		case Differs:
			c.SystemOut = "differs from the reference (a decided rule; not a failure unless --strict)\n" + s.Detail()
		}
		js.Tests++
		js.duration += s.Duration
		js.Cases = append(js.Cases, c)
	}
	if len(r.Stale) > 0 {
		js := &junitSuite{junitCounts: junitCounts{Name: "expected failures"}}
		for _, e := range r.Stale {
			js.Cases = append(js.Cases, junitCase{Name: e.String(), Classname: "expected failures", Time: seconds(0),
				Failure: &junitMessage{Message: e.String() + " now passes: remove it from the expected failures", Type: "stale", Text: "listed because: " + e.Reason}})
			js.Tests++
			js.Failures++
		}
		byFeature[js.Name] = js
		order = append(order, js.Name)
	}
	for _, name := range order {
		js := byFeature[name]
		js.Time = seconds(js.duration)
		out.Suites = append(out.Suites, *js)
		out.Tests += js.Tests
		out.Failures += js.Failures
		out.Errors += js.Errors
	}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// Sort puts the scenarios in the order of their feature files and names,
// whatever order they ran in.
func (r *Report) Sort() {
	sort.SliceStable(r.Scenarios, func(i, j int) bool {
		if r.Scenarios[i].URI != r.Scenarios[j].URI {
			return r.Scenarios[i].URI < r.Scenarios[j].URI
		}
		return r.Scenarios[i].Name < r.Scenarios[j].Name
	})
}

func indent(s, mark string) string {
	s = strings.TrimRight(s, "\n")
	return mark + strings.ReplaceAll(s, "\n", "\n"+mark) + "\n"
}

// count says n things, in the singular for exactly one.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
