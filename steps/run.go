// Package steps holds the godog step definitions of the conformance suite
// and the runner that drives them against a target.
//
// The steps speak only HTTP to a target (package target) and read answers
// as raw JSON, so a missing "details" and an empty one are different
// things. They never import the reference server's rule engine or result
// types: every expectation comes from the feature text, so the reference
// server and the suite cannot agree by construction. A run's outcome is a
// reports.Report.
package steps

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/target"
	gherkin "github.com/cucumber/gherkin/go/v26"
	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
)

// Config is one run of the suite.
type Config struct {
	Target target.Target
	// Tags selects scenarios with a Cucumber tag expression; "" runs all.
	Tags string
	// Concurrency is how many scenarios run at once (default 4).
	Concurrency int
	// Seed orders the scenarios and seeds the fake values; 0 picks one.
	Seed int64
	// Strict asserts decided rules too; otherwise a decided rule the
	// target does differently is reported as differing, not failed.
	Strict bool
	// RunID names the run in usernames and values; "" picks one.
	RunID string
	// TestingT, when set, runs every scenario as a subtest of it.
	TestingT *testing.T
	// Cucumber, when set, receives the cucumber JSON report: godog's, with
	// the steps of a scenario that differs from the reference marked as
	// cucumber allows (see WriteCucumber). A run the preflight stopped
	// writes one failed scenario, "preflight", that says why.
	Cucumber io.Writer
	// KeepTestPatrons leaves the patrons the run created enabled. By
	// default the run disables them in one last import.
	KeepTestPatrons bool
}

// ErrNoScenarios is returned when the tag expression selects nothing.
var ErrNoScenarios = errors.New("the tag expression selects no scenario")

// Run runs the suite against cfg.Target as autosync verify does.
//
// A preflight comes first: it checks that the target answers, that the
// import path and the account work, and that the profile's academic level
// and presentation group are declared. If it fails, Run returns a report
// with Stopped set and a *PreflightError, and no scenario runs: a wrong
// setting is never reported as a rule the target broke. Then every selected
// scenario runs, and the patrons the answers show were created are disabled
// (see Config.KeepTestPatrons).
//
// Without a prefix in the target, usernames start with "acs-<run id>-", so
// a run never touches a target's own patrons.
func Run(ctx context.Context, cfg Config) (*reports.Report, error) {
	expr, err := ParseTags(WithoutHeavy(cfg.Tags))
	if err != nil {
		return nil, err
	}
	n, err := countScenarios(expr)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: %q", ErrNoScenarios, cfg.Tags)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano() & 0x7fffffffffff
	}
	if cfg.RunID == "" {
		cfg.RunID = newRunID()
	}
	if cfg.Target.Prefix == "" {
		cfg.Target.Prefix = "acs-" + cfg.RunID + "-"
	}
	run := &runState{seed: cfg.Seed, runID: cfg.RunID, ctx: ctx}
	report := &reports.Report{Target: cfg.Target.BaseURL, Seed: cfg.Seed, RunID: cfg.RunID, Strict: cfg.Strict, Started: time.Now()}
	defer func() { report.Duration = time.Since(report.Started) }()

	report.Notes, err = target.Preflight(ctx, cfg.Target, &run.created)
	var stop *target.PreflightError
	if errors.As(err, &stop) {
		report.Stopped = stop
		report.Created = run.created.List()
		if !cfg.KeepTestPatrons && len(report.Created) > 0 {
			report.CleanUp = target.CleanUp(ctx, cfg.Target, report.Created)
		}
		if cfg.Cucumber != nil {
			if err := report.WriteCucumber(cfg.Cucumber, nil); err != nil {
				return report, err
			}
		}
		return report, stop
	}
	if err != nil {
		return nil, err
	}
	run.inspect = target.HasInspection(ctx, cfg.Target)

	format, out := "progress", io.Writer(io.Discard)
	var cucumber bytes.Buffer
	if cfg.Cucumber != nil {
		format, out = "cucumber", &cucumber
	}
	suite := godog.TestSuite{
		Name: "autosync",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			s := &scenario{run: run, target: cfg.Target, strict: cfg.Strict,
				values: map[string]string{}, usernames: map[string]bool{}}
			var started time.Time
			var book phrases
			s.register(&book)
			sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
				started = time.Now()
				if err := book.define(sc, p); err != nil {
					return ctx, err
				}
				if run.ctx.Err() != nil {
					return ctx, errInterrupted // the steps are skipped
				}
				// A signal stops the scenario's requests too.
				ctx, cancel := context.WithCancel(ctx)
				s.stop = context.AfterFunc(run.ctx, cancel)
				s.id = run.newID()
				s.fake = fakerFor(cfg.Seed, p.Uri+"/"+p.Name)
				s.password = "Pw-" + s.fake.Password(true, true, true, false, false, 14)
				return ctx, nil
			})
			sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
				if s.stop != nil {
					s.stop()
				}
				run.record(s, p, err, time.Since(started))
				return ctx, nil
			})
		},
		Options: &godog.Options{
			Format:      format,
			Output:      out,
			FS:          features.FS,
			Paths:       []string{"."},
			Tags:        godogFilter(expr),
			Concurrency: cfg.Concurrency,
			Randomize:   cfg.Seed,
			Strict:      true,
			TestingT:    cfg.TestingT,
			NoColors:    true,
		},
	}
	suite.Run()
	report.Scenarios = run.results
	if ctx.Err() != nil {
		report.Interrupt()
	}
	report.Sort()
	if cfg.Cucumber != nil {
		if err := report.WriteCucumber(cfg.Cucumber, cucumber.Bytes()); err != nil {
			return nil, err
		}
	}
	report.Created = run.created.List()
	if !cfg.KeepTestPatrons {
		report.CleanUp = target.CleanUp(ctx, cfg.Target, report.Created)
	}
	return report, nil
}

// errInterrupted is the outcome of a scenario a signal stopped or kept
// from starting.
var errInterrupted = errors.New("not run: the run was interrupted")

func newRunID() string {
	b := make([]byte, 3)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// record turns a finished scenario into its result.
func (r *runState) record(s *scenario, p *godog.Scenario, err error, d time.Duration) {
	for _, x := range s.exchanges {
		x.Forget() // the report keeps what it shows; a run's memory stays bounded
	}
	res := &reports.ScenarioResult{URI: p.Uri, Name: p.Name, Exchanges: s.exchanges, Differs: s.differs, Duration: d}
	res.Feature = featureName(p.Uri)
	for _, t := range p.Tags {
		switch name := strings.TrimPrefix(t.Name, "@"); {
		case strings.HasPrefix(name, "R-"):
			res.Rules = append(res.Rules, name)
		case name == string(features.Documented) || name == string(features.Evidence) || name == string(features.Decided):
			res.Kinds = append(res.Kinds, name)
		}
	}
	switch {
	case errors.Is(err, errInterrupted) || r.ctx.Err() != nil && err != nil:
		res.Status, res.Reason, res.Exchanges = reports.Skipped, errInterrupted.Error(), nil
	case s.skip != "" && strings.HasPrefix(s.skip, "unsupported"):
		res.Status, res.Reason = reports.Unsupported, s.skip
	case s.skip != "":
		res.Status, res.Reason = reports.Skipped, s.skip
	case errors.Is(err, target.ErrUnreachable):
		res.Status, res.Failure = reports.Errored, err.Error()
	case err != nil && res.Decided() && !s.strict:
		res.Status, res.Failure, res.Blamed = reports.Differs, err.Error(), blame(s, res.Rules, err)
	case err != nil:
		res.Status, res.Failure, res.Blamed = reports.Failed, err.Error(), blame(s, res.Rules, err)
	case len(s.differs) > 0:
		res.Status = reports.Differs
	default:
		res.Status = reports.Passed
	}
	r.mu.Lock()
	r.results = append(r.results, res)
	r.mu.Unlock()
}

// featureName reads a feature's title from its file.
func featureName(uri string) string {
	suite, err := readSuite()
	if name, ok := suite.names[strings.TrimPrefix(uri, "./")]; ok && err == nil {
		return name
	}
	return uri
}

func parseFeature(name string) (*messages.GherkinDocument, error) {
	f, err := features.FS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	doc, err := gherkin.ParseGherkinDocument(f, (&messages.Incrementing{}).NewId)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	return doc, nil
}

// Scenario is one scenario of the suite as the feature files define it.
type Scenario struct {
	URI, Name string
	Tags      []string
}

// Scenarios lists every scenario (each example of an outline apart) with
// its tags, the feature's included.
func Scenarios() ([]Scenario, error) {
	suite, err := readSuite()
	if err != nil {
		return nil, err
	}
	out := slices.Clone(suite.scenarios)
	for i := range out {
		out[i].Tags = slices.Clone(out[i].Tags)
	}
	return out, nil
}

// suite is what the embedded feature files hold, read once: they do not
// change while the program runs.
type suite struct {
	scenarios []Scenario
	names     map[string]string // each file's feature title
	texts     []string          // the text of every step, each once
}

var readSuite = sync.OnceValues(func() (suite, error) {
	names, err := fs.Glob(features.FS, "*.feature")
	if err != nil {
		return suite{}, fmt.Errorf("list features: %w", err)
	}
	out := suite{names: map[string]string{}}
	seen := map[string]bool{}
	for _, name := range names {
		doc, err := parseFeature(name)
		if err != nil {
			return suite{}, err
		}
		if doc.Feature != nil {
			out.names[name] = doc.Feature.Name
		}
		for _, p := range gherkin.Pickles(*doc, name, (&messages.Incrementing{}).NewId) {
			for _, st := range p.Steps {
				if !seen[st.Text] {
					seen[st.Text] = true
					out.texts = append(out.texts, st.Text)
				}
			}
			sc := Scenario{URI: name, Name: p.Name}
			for _, t := range p.Tags {
				sc.Tags = append(sc.Tags, t.Name)
			}
			out.scenarios = append(out.scenarios, sc)
		}
	}
	return out, nil
})

// selected returns the scenarios the tag expression selects.
func selected(expr TagExpr) ([]Scenario, error) {
	all, err := Scenarios()
	if err != nil || expr == nil {
		return all, err
	}
	var out []Scenario
	for _, sc := range all {
		tags := map[string]bool{}
		for _, t := range sc.Tags {
			tags[t] = true
		}
		if expr.Match(tags) {
			out = append(out, sc)
		}
	}
	return out, nil
}

func countScenarios(expr TagExpr) (int, error) {
	s, err := selected(expr)
	return len(s), err
}

// selectedBy returns the scenarios the tag expression tags selects, and an
// error when it is not valid or selects nothing.
func selectedBy(tags string) ([]Scenario, error) {
	expr, err := ParseTags(WithoutHeavy(tags))
	if err != nil {
		return nil, err
	}
	scenarios, err := selected(expr)
	if err != nil {
		return nil, err
	}
	if len(scenarios) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrNoScenarios, tags)
	}
	return scenarios, nil
}

// List writes the rules and the scenarios that a run with this tag
// expression would run, in catalogue order, without contacting anything.
func List(w io.Writer, tags string) error {
	scenarios, err := selectedBy(tags)
	if err != nil {
		return err
	}
	rules := 0
	for _, rule := range features.Rules() {
		var names []string
		for _, sc := range scenarios {
			if slices.Contains(sc.Tags, "@"+rule.ID) {
				names = append(names, sc.URI+": "+sc.Name)
			}
		}
		if len(names) == 0 {
			continue
		}
		rules++
		fmt.Fprintf(w, "%-11s %-22s %s\n", rule.ID, rule.KindText(), rule.Statement)
		for _, n := range names {
			fmt.Fprintf(w, "            - %s\n", n)
		}
	}
	fmt.Fprintf(w, "\n%s of %s would run\n", count(len(scenarios), "scenario"), count(rules, "rule"))
	return nil
}

// count says n things, in the singular for exactly one.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// ListCoverage writes the coverage matrix (features.Edges): every rule, its
// edges by dimension and the scenario that checks each, marking the edges
// whose scenario a run with this tag expression would not run.
func ListCoverage(w io.Writer, tags string) error {
	scenarios, err := selectedBy(tags)
	if err != nil {
		return err
	}
	runs := map[string]bool{}
	for _, sc := range scenarios {
		runs[sc.Name] = true
	}
	all, err := Scenarios()
	if err != nil {
		return err
	}
	edges := features.Edges()
	total, run := 0, 0
	for _, rule := range features.Rules() {
		fmt.Fprintf(w, "%-11s %-22s %s\n", rule.ID, rule.KindText(), rule.Statement)
		if with := interactions(all, rule.ID); len(with) > 0 {
			fmt.Fprintf(w, "            interacts with %s\n", strings.Join(with, ", "))
		}
		for _, d := range features.Dimensions() {
			for _, e := range edges[rule.ID] {
				if e.Dimension != d {
					continue
				}
				total++
				mark := " "
				if runs[e.Scenario] {
					run++
				} else {
					mark = "-" // not selected by --tags
				}
				fmt.Fprintf(w, "          %s %-11s %-40s %s\n", mark, d, e.Name, e.Scenario)
			}
		}
	}
	fmt.Fprintf(w, "\n%s of %s checked by the scenarios that would run", count(run, "edge"), count(total, "edge"))
	if run < total {
		fmt.Fprint(w, " (- marks the others)")
	}
	fmt.Fprintln(w)
	return nil
}

// interactions returns the rules that share a scenario with rule id, in
// catalogue order: the rules it must be checked together with.
func interactions(all []Scenario, id string) []string {
	with := map[string]bool{}
	for _, sc := range all {
		if !slices.Contains(sc.Tags, "@"+id) {
			continue
		}
		for _, t := range sc.Tags {
			if other := strings.TrimPrefix(t, "@"); strings.HasPrefix(other, "R-") && other != id {
				with[other] = true
			}
		}
	}
	var out []string
	for _, r := range features.Rules() {
		if with[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}
