package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/autosync/autosync/explore"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
)

// exploreSettings are autosync explore's settings: those it shares with
// verify, and the exploration's budget.
type exploreSettings struct {
	runSettings
	runs       int
	budget     time.Duration
	maxPatrons int
	until      string
	long       bool
}

// exploreFlags are verify's flags for the target and the reports, and the
// exploration's budget.
func exploreFlags(c *exploreSettings) *flag.FlagSet {
	fs := flag.NewFlagSet("explore", flag.ContinueOnError)
	runFlags(fs, &c.runSettings)
	// The reports explore writes: cucumber is the suite's alone.
	format := fs.Lookup("format")
	format.Usage = "report `format`: " + strings.Join(reports.Names(true), ", ")
	// One request at a time unless asked: a school's server is not a test rig.
	conc := fs.Lookup("concurrency")
	conc.Value.Set("1")
	conc.DefValue, conc.Usage = "1", "how many generated episodes are played side by side (`N`); shrinking is one request at a time"
	fs.IntVar(&c.runs, "runs", explore.DefaultRuns, "how many generated requests to send (`N`), shrinking aside")
	fs.DurationVar(&c.budget, "time", 0, "stop exploring after this `duration` (default: when --runs are sent)")
	fs.IntVar(&c.maxPatrons, "max-patrons", explore.DefaultMaxPatrons, "stop before the run has created this many patrons on the target (`N`)")
	fs.StringVar(&c.until, "until", "", "stop at the first difference on one of these `rules`, comma-separated, e.g. R-ROW-7")
	fs.BoolVar(&c.long, "long", false, "send the long run's file once too: 65,537 rows of one patron, about 2.4 MB (needs a --body-limit of 4 MiB or more); it is not shrunk")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync explore [flags]

Generates files and requests from the rules (their boundaries from both
sides, every field and path they govern, dialects in combination,
interactions inside one file and across files), sends each to the target and
to the reference server in process, which holds exactly what the run sent the
target, and compares the answers row by row, and, where the target has
/_mock/ pages, what it stored. Each difference is shrunk, on the target, to
the fewest requests, rows and columns that still show it.

A difference means the target and the reference engine disagree; the Gherkin
suite (autosync verify) checks the reference independently. A difference on a
decided rule is reported as differing from the reference and fails the run
only with --strict, which also compares failure texts exactly.

Like verify, it runs a preflight first, CREATES TEST PATRONS whose values
start with the prefix (at most --max-patrons), sends one request at a time,
and disables what it created at the end. --seed replays a run exactly.

Examples:
  autosync explore
  autosync explore --target https://school.example --username autoimport --password-env PW \
      --academic-level Y7 --presentation-group "Senior School" --report html=explore.html
  autosync verify --explore 200        # the suite, then 200 generated requests, in one report

Exit codes:
  0  no difference on the rules asserted
  1  a difference
  2  bad usage, or the preflight stopped the run
  3  the target is unreachable
  130  stopped by SIGINT or SIGTERM: the report covers what was sent

Flags (environment variable in brackets):
`)
		writeFlags(fs, verifyEnv)
	}
	return fs
}

func runExplore(ctx context.Context, e env, args []string) int {
	if flag, instead, ok := suiteFlag(args); ok {
		fmt.Fprintf(e.stderr, "autosync explore: --%s is verify's: %s\n", flag, instead)
		return exitUsage
	}
	var c exploreSettings
	fs := exploreFlags(&c)
	rest, code, ok := parseFlags(fs, e, args, verifyEnv)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "autosync explore: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	if limit := int64(c.bodyLimit); c.long && (limit > 0 && limit < longBodyLimit || limit == 0 && c.target == "") {
		fmt.Fprintf(e.stderr, "autosync explore: --long sends a file of about 2.4 MB, over a body limit of %s: give --body-limit 4MiB or more\n",
			mockserver.FormatBytes(max(limit, builtin.BodyLimit)))
		return exitUsage
	}
	code, err := runExploration(ctx, e, &c)
	if err != nil {
		fmt.Fprintf(e.stderr, "autosync explore: %v\n", err)
	}
	return code
}

// longBodyLimit is the least body limit that takes the long run's file.
const longBodyLimit = 4 << 20

// exploreConfig is the exploration c asks for, of runs requests; alone
// says it is autosync explore's, not verify --explore's, which sends one
// request at a time.
func exploreConfig(e env, c *exploreSettings, tgt target.Target, strict bool, seed int64, runs int, alone bool) explore.Config {
	cfg := explore.Config{Target: tgt, Seed: seed, Runs: runs, Time: c.budget, Strict: strict, MaxPatrons: c.maxPatrons, Long: c.long}
	if alone {
		cfg.Concurrency = c.concurrency
	}
	if c.until != "" {
		for _, id := range strings.Split(c.until, ",") {
			cfg.Until = append(cfg.Until, strings.TrimSpace(id))
		}
	}
	if e.stderrTerminal {
		cfg.Progress = e.stderr
	}
	return cfg
}

// runExploration is autosync explore: the exploration, its reports, and the
// clean-up of what it created.
func runExploration(ctx context.Context, e env, c *exploreSettings) (int, error) {
	if err := c.checkFormat(); err != nil {
		return target.ExitUsage, err
	}
	tgt, strict, specs, outs, closeAll, err := c.open(e)
	if err != nil {
		return target.ExitUsage, err
	}
	defer closeAll()
	for _, r := range specs {
		if r.format == "cucumber" {
			return target.ExitUsage, fmt.Errorf("cucumber is the suite's report: explore writes %s", orList(reports.Names(true)))
		}
	}
	seed := c.seed
	if seed == 0 {
		seed = time.Now().UnixNano() & 0x7fffffffffff
	}
	fmt.Fprintf(e.stderr, "autosync explore: %s, seed %d (replay with --seed %d)\n", describe(c.target), seed, seed)
	report := &reports.Report{Command: "autosync explore", Target: tgt.BaseURL, Seed: seed, RunID: fmt.Sprintf("%x", seed&0xffffff),
		Strict: strict, Started: time.Now()}
	if c.target == "" {
		report.Target = "the built-in reference server"
	}
	report.Scenarios, report.Created, err = exploreResults(ctx, exploreConfig(e, c, tgt, strict, seed, c.runs, true), report)
	var stop *target.PreflightError
	if errors.As(err, &stop) && ctx.Err() == nil {
		report.Stopped = stop
	} else if err != nil && ctx.Err() == nil {
		return target.ExitUnreachable, err
	}
	if stop == nil {
		report.CleanUp = target.CleanUp(ctx, tgt, report.Created)
	}
	report.Duration = time.Since(report.Started)
	if c.target != "" {
		c.writeCreated(e, report)
	}
	shown := false
	for i, r := range specs {
		f, _ := reports.Named(r.format)
		if err := f.Write(report, outs[i]); err != nil {
			return target.ExitUsage, fmt.Errorf("write report: %w", err)
		}
		shown = shown || (r.path == "" && f.Terminal)
	}
	switch {
	case shown:
	case report.Stopped != nil:
		report.WritePretty(e.stderr) // the preflight's few lines
	default:
		differences := 0
		if report.Exploration != nil {
			differences = report.Exploration.Differences
		}
		fmt.Fprintf(e.stderr, "autosync explore: %d differences, rules failed: %s\n", differences, orNone(report.FailedRules()))
	}
	return report.ExitCode(), nil
}

// appendExploration is verify --explore N: the exploration after the
// suite, in the same report, and one clean-up for both.
func appendExploration(ctx context.Context, e env, runs int, tgt target.Target, strict bool, seed int64, report *reports.Report) error {
	results, created, err := exploreResults(ctx, exploreConfig(e, &exploreSettings{}, tgt, strict, seed, runs, false), report)
	if err != nil {
		return err
	}
	report.Scenarios = append(report.Scenarios, results...)
	for _, name := range created {
		if !slices.Contains(report.Created, name) {
			report.Created = append(report.Created, name)
		}
	}
	slices.Sort(report.Created)
	report.CleanUp = target.CleanUp(ctx, tgt, report.Created)
	return nil
}

// exploreResults runs an exploration and words it as a report's scenarios:
// one a difference, or one that passed when there is none. An exploration
// a signal stopped marks report interrupted.
func exploreResults(ctx context.Context, cfg explore.Config, report *reports.Report) ([]*reports.ScenarioResult, []string, error) {
	start := time.Now()
	rep, err := explore.Run(ctx, cfg)
	if ctx.Err() != nil {
		report.Interrupt()
	}
	if err != nil {
		var created []string
		if rep != nil {
			created = rep.Created
		}
		return nil, created, err
	}
	report.Exploration = &reports.Exploration{Generated: rep.Generated, Requests: rep.Requests, Files: rep.Files, Rows: rep.Rows,
		Differences: len(rep.Differences), Exercised: rep.Exercised}
	var out []*reports.ScenarioResult
	differing := map[string]bool{}
	for i, d := range rep.Differences {
		for _, id := range d.Rules {
			differing[id] = true
		}
		kind := "documented"
		status := reports.Failed
		if d.Decided {
			kind = "decided"
			if !cfg.Strict {
				status = reports.Differs
			}
		}
		out = append(out, &reports.ScenarioResult{Feature: "explore", URI: "explore", Rules: d.Rules, Kinds: []string{kind},
			Name: fmt.Sprintf("difference %d: %s", i+1, d.What), Status: status, Failure: reproduction(d), Exchanges: d.Exchanges,
			Duration: time.Since(start)})
	}
	// The rules exercised with no difference passed: the rules table shows
	// them so, and the others as not run.
	var passed []string
	for _, id := range rep.Exercised {
		if !differing[id] {
			passed = append(passed, id)
		}
	}
	out = append(out, &reports.ScenarioResult{Feature: reports.ExploreFeature, URI: "explore", Status: reports.Passed, Duration: time.Since(start),
		Rules: passed, Kinds: []string{"documented"},
		Name: fmt.Sprintf("%d generated requests (seed %d; %d requests to the target in all), %d files, %d rows: no difference from the reference on these rules",
			rep.Generated, rep.Seed, rep.Requests, rep.Files, rep.Rows)})
	return out, rep.Created, nil
}

// reproduction writes a difference's minimal reproduction: what differs,
// then each request in order, with its file ({P} stands for a prefix of
// your own).
func reproduction(d *explore.Difference) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nthe reference answers: %s\nthe target answers:    %s\n\nthe minimal reproduction, in order ({P} is a prefix of your own, e.g. acs-test-):\n", d.What, d.Reference, d.Target)
	for i, st := range d.Steps {
		fmt.Fprintf(&b, "%d. %s\n", i+1, st)
		if f := st.File("{P}"); f != nil {
			fmt.Fprintf(&b, "%s\n", indentLines(string(f), "   | "))
		}
	}
	return b.String()
}

func indentLines(s, mark string) string {
	s = strings.TrimRight(s, "\n")
	return mark + strings.ReplaceAll(s, "\n", "\n"+mark)
}

// orList joins words as a sentence lists them: "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// suiteFlag finds in args the first of verify's flags for the suite, which
// explore does not take, and says what to run instead: a person who swaps
// verify for explore is told, not handed the flag package's "not defined".
func suiteFlag(args []string) (name, instead string, ok bool) {
	verifys := map[string]string{
		"tags":     "autosync verify --tags EXPR runs the scenarios chosen (explore generates from every rule)",
		"list":     "autosync verify --list lists the scenarios",
		"coverage": "autosync verify --list --coverage prints every rule's edges",
		"explore":  "autosync explore --runs N sends N generated requests (verify --explore N adds them to the suite)",
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if s, found := verifys[n]; found && strings.HasPrefix(a, "-") {
			return n, s, true
		}
	}
	return "", "", false
}
