package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/explore"
	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
)

// optionalBool is a boolean flag that knows whether it was given.
type optionalBool struct {
	set, value bool
}

// String writes the value.
func (b *optionalBool) String() string { return strconv.FormatBool(b.value) }

// IsBoolFlag lets the flag be given without a value.
func (b *optionalBool) IsBoolFlag() bool { return true }

// Set records the value and that it was given.
func (b *optionalBool) Set(v string) error {
	x, err := strconv.ParseBool(v)
	b.set, b.value = true, x
	return err
}

// runSettings are the settings verify and explore share: the target and
// the profile it is tested with, the reports, and the run's seed and pace.
type runSettings struct {
	target           string
	username         string
	password         string
	passwordEnv      string
	nonAdminUsername string
	nonAdminPassword string
	academicLevel    string
	group            string
	bodyLimit        byteSize
	prefix           string
	strict           optionalBool
	concurrency      int
	format           string
	out              string
	seed             int64
	createdOut       string
	cacert           string
	insecure         bool
	timeout          time.Duration
	reports          reportList
}

// suiteSettings choose the suite's scenarios and what follows them: the
// flags of verify alone.
type suiteSettings struct {
	tags     string
	list     bool
	coverage bool
	explore  int // generated requests after the suite
	// expected names a list of known failures; readOnly runs only what
	// changes nothing on the target.
	expected string
	readOnly bool
}

// verifySettings are autosync verify's settings.
type verifySettings struct {
	runSettings
	suiteSettings
}

// formatNames lists the report formats' names, comma-separated.
func formatNames() string { return strings.Join(reports.Names(false), ", ") }

// reportSpec is one report of a run: its format and its file ("" for
// standard output).
type reportSpec struct{ format, path string }

// reportList is the repeatable --report FORMAT=FILE flag.
type reportList []reportSpec

// String lists the reports.
func (l *reportList) String() string {
	var out []string
	for _, r := range *l {
		out = append(out, r.format+"="+r.path)
	}
	return strings.Join(out, ",")
}

// Set adds a FORMAT=FILE report.
func (l *reportList) Set(v string) error {
	format, path, ok := strings.Cut(v, "=")
	if !ok || path == "" {
		return fmt.Errorf("want FORMAT=FILE, e.g. junit=report.xml")
	}
	if _, ok := reports.Named(format); !ok {
		return fmt.Errorf("format %q: want one of %s", format, formatNames())
	}
	*l = append(*l, reportSpec{format, path})
	return nil
}

var verifyEnv = map[string]string{
	"target": "AUTOSYNC_TARGET", "username": "AUTOSYNC_USERNAME", "password-env": "AUTOSYNC_PASSWORD_ENV",
	"nonadmin-username": "AUTOSYNC_NONADMIN_USERNAME", "nonadmin-password": "AUTOSYNC_NONADMIN_PASSWORD",
	"academic-level": "AUTOSYNC_ACADEMIC_LEVEL", "presentation-group": "AUTOSYNC_PRESENTATION_GROUP",
	"body-limit": "AUTOSYNC_BODY_LIMIT", "prefix": "AUTOSYNC_PREFIX", "tags": "AUTOSYNC_TAGS",
	"concurrency": "AUTOSYNC_CONCURRENCY", "format": "AUTOSYNC_FORMAT", "out": "AUTOSYNC_OUT",
	"cacert": "AUTOSYNC_CACERT",
}

// runFlags defines the flags of the settings verify and explore share.
func runFlags(fs *flag.FlagSet, c *runSettings) {
	fs.StringVar(&c.target, "target", "", "base `URL` of the endpoint to verify, e.g. https://school.example (default: the built-in reference server)")
	fs.StringVar(&c.username, "username", mockserver.DefaultAdminUser, "`user` with system administration privileges on the target")
	fs.StringVar(&c.password, "password", "", "that user's `password` (prefer --password-env: a command line is visible to others)")
	fs.StringVar(&c.passwordEnv, "password-env", "", "read the password from the environment variable `NAME`")
	fs.StringVar(&c.nonAdminUsername, "nonadmin-username", "", "a valid `user` without administration privileges, for R-AUTH-3 (skipped without)")
	fs.StringVar(&c.nonAdminPassword, "nonadmin-password", "", "that user's `password`")
	fs.StringVar(&c.academicLevel, "academic-level", "", "an academic level import `ID` the target declares (default K on the built-in server)")
	fs.StringVar(&c.group, "presentation-group", "", "a current presentation `group` on the target (default Senior School on the built-in server)")
	fs.Var(&c.bodyLimit, "body-limit", "the target's body `size` limit, to check R-HTTP-5 (skipped without; the built-in server's own limit when given, else 1MiB)")
	fs.StringVar(&c.prefix, "prefix", "", "`start` of every username, barcode and id the run makes (default acs-<run id>-)")
	fs.Var(&c.strict, "strict", "also assert @decided rules (default: on for the built-in server, off for --target)")
	fs.IntVar(&c.concurrency, "concurrency", 4, "how many scenarios run at once (`N`)")
	fs.StringVar(&c.format, "format", "pretty", "report `format`: "+formatNames())
	fs.StringVar(&c.out, "out", "", "write the report to `FILE` (default standard output)")
	fs.Var(&c.reports, "report", "also write a report in `FORMAT=FILE`, e.g. junit=report.xml (repeatable)")
	fs.Int64Var(&c.seed, "seed", 0, "replay a run: the `seed` printed at its start")
	fs.StringVar(&c.createdOut, "created-out", "", "with --target, write the usernames of the patrons the run created to `FILE` (default autosync-created-<run id>.txt)")
	fs.StringVar(&c.cacert, "cacert", "", "trust this CA certificate `file` (PEM) for an HTTPS target, e.g. autosync serve's cert.pem")
	fs.BoolVar(&c.insecure, "insecure", false, "do not verify the target's TLS certificate")
	fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "give up on one request after this `duration`")
}

// suiteFlags defines the flags that choose the suite's scenarios.
func suiteFlags(fs *flag.FlagSet, c *suiteSettings) {
	fs.StringVar(&c.tags, "tags", "", "run the scenarios this tag `expression` selects, e.g. \"@documented and not @R-AUTH-3\"")
	fs.BoolVar(&c.list, "list", false, "list the rules and the scenarios that would run (after --tags), and contact nothing")
	fs.BoolVar(&c.coverage, "coverage", false, "with --list: print every rule's edges (boundaries, fields, paths, dialects, interactions, shapes) and the scenario that checks each")
	fs.StringVar(&c.expected, "expected-failures", "", "a YAML `file` of rules or scenarios the target is known to fail, each with a reason: reported, not failing the run; an entry that passes fails it as stale")
	fs.BoolVar(&c.readOnly, "read-only", false, "change nothing on the target (a production endpoint): run only refusals, methods, paths, authentication and empty files; no test student, no exploration")
	fs.IntVar(&c.explore, "explore", explore.DefaultVerifyRuns, "after the suite, send `N` generated requests as autosync explore does, in the same report, from the run's seed (0: none)")
}

func verifyFlags(c *verifySettings) *flag.FlagSet {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	runFlags(fs, &c.runSettings)
	suiteFlags(fs, &c.suiteSettings)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync verify [flags]

Runs the Gherkin conformance suite against an autoSync endpoint and reports,
rule by rule, whether it behaves as the documents say. Without --target it runs
against the built-in reference server, in process.

A preflight runs first. It posts an empty file (a documented no-op) and one
test student with --academic-level and --presentation-group. If nothing
answers POST <target>/api/import/users, the account is refused, or the level
or group is not declared, the run stops before any scenario (exit 2) and says
which setting to fix: a wrong setting is never reported as a broken rule.

Against a real target the suite CREATES TEST PATRONS (usernames starting with
the prefix). The API cannot delete them: after the run, the patrons the
answers show were created are disabled (enabled=N) in one last import and
their usernames are written to a file.

Examples:
  autosync verify
  autosync verify --list --tags @documented
  autosync verify --list --coverage
  autosync verify --target https://school.example --username autoimport --password-env PW \
      --academic-level Y7 --presentation-group "Senior School" \
      --report junit=report.xml --report html=report.html

Exit codes:
  0  the target met every rule asserted
  1  a rule failed
  2  bad usage, or the preflight stopped the run: the import path, the account,
     the academic level or the presentation group is wrong
  3  the target is unreachable, its certificate is not trusted (see --cacert),
     or it does not answer in HTTP
  130  stopped by SIGINT or SIGTERM: the report covers what ran
A rule failed is 1 even when some other scenario got no answer or the run
was stopped.

Flags (environment variable in brackets):
`)
		writeFlags(fs, verifyEnv)
	}
	return fs
}

func runVerify(ctx context.Context, e env, args []string) int {
	var c verifySettings
	fs := verifyFlags(&c)
	rest, code, ok := parseFlags(fs, e, args, verifyEnv)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "autosync verify: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	code, err := verify(ctx, e, &c)
	if err != nil {
		fmt.Fprintf(e.stderr, "autosync verify: %v\n", err)
	}
	return code
}

// verify runs the suite as c says and returns the exit code.
func verify(ctx context.Context, e env, c *verifySettings) (int, error) {
	if err := c.checkFormat(); err != nil {
		return target.ExitUsage, err
	}
	if code, err, done := c.suiteSettings.listOnly(e); done {
		return code, err
	}
	var expected []reports.Expectation
	if c.expected != "" {
		var err error
		if expected, err = readExpectations(c.expected); err != nil {
			return target.ExitUsage, err
		}
	}
	tgt, strict, specs, outs, closeAll, err := c.open(e)
	if err != nil {
		return target.ExitUsage, err
	}
	defer closeAll()
	if c.readOnly {
		tgt.ReadOnly = true
		c.explore = 0 // generated files import rows
	}
	cfg := steps.Config{Target: tgt, Tags: c.tags, Concurrency: c.concurrency, Seed: c.seed, Strict: strict}
	for i, r := range specs {
		if r.format == "cucumber" {
			cfg.Cucumber = outs[i]
		}
	}
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano() & 0x7fffffffffff
	}
	fmt.Fprintf(e.stderr, "autosync verify: %s, seed %d (replay with --seed %d)\n", describe(c.target), cfg.Seed, cfg.Seed)
	if c.explore > 0 {
		cfg.KeepTestPatrons = true // disabled once, after the exploration too
	}
	report, err := steps.Run(ctx, cfg)
	var stop *target.PreflightError
	if err != nil && !errors.As(err, &stop) {
		return target.ExitUsage, err
	}
	if c.target == "" {
		report.Target = describe("") // not its in-process address, http://autosync.builtin
	}
	if c.explore > 0 && stop == nil {
		err := errors.New("not run")
		if ctx.Err() == nil {
			err = appendExploration(ctx, e, c.explore, tgt, strict, cfg.Seed, report)
		}
		if err != nil && ctx.Err() == nil {
			return target.ExitUnreachable, err
		}
		if err != nil { // told to stop: what the suite created is still disabled
			report.CleanUp = target.CleanUp(ctx, tgt, report.Created)
		}
	}
	report.Expect(expected)
	if c.target != "" {
		c.writeCreated(e, report)
	}
	shown := false // a pretty or progress report on the terminal
	for i, r := range specs {
		var err error
		f, _ := reports.Named(r.format) // checked when the flags were read
		if f.Write != nil {
			err = f.Write(report, outs[i])
		}
		if err != nil {
			return target.ExitUsage, fmt.Errorf("write report: %w", err)
		}
		shown = shown || (r.path == "" && f.Terminal)
	}
	switch {
	case shown:
	case stop != nil:
		report.WritePretty(e.stderr) // the preflight's few lines
	default:
		fmt.Fprintf(e.stderr, "autosync verify: %d scenarios, rules failed: %s\n", len(report.Scenarios), orNone(report.FailedRules()))
	}
	return report.ExitCode(), nil
}

func describe(target string) string {
	if target == "" {
		return "the built-in reference server"
	}
	return target
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

// checkFormat checks --format.
func (c *runSettings) checkFormat() error {
	if _, ok := reports.Named(c.format); !ok {
		return fmt.Errorf("--format %q: want one of %s", c.format, formatNames())
	}
	return nil
}

// listOnly checks the suite's flags and, with --list, lists; done says the
// command ends here, with code and err.
func (c *suiteSettings) listOnly(e env) (code int, err error, done bool) {
	if _, err := steps.ParseTags(c.tags); err != nil {
		return target.ExitUsage, err, true
	}
	if c.coverage && !c.list {
		return target.ExitUsage, errors.New("--coverage goes with --list: autosync verify --list --coverage"), true
	}
	if c.list && c.coverage {
		if err := steps.ListCoverage(e.stdout, c.tags); err != nil {
			return target.ExitUsage, err, true
		}
		return target.ExitConformant, nil, true
	}
	if c.list {
		if err := steps.List(e.stdout, c.tags); err != nil {
			return target.ExitUsage, err, true
		}
		return target.ExitConformant, nil, true
	}
	return 0, nil, false
}

// open makes the target, says whether the run is strict, and opens the
// reports' files: specs are the reports, outs where each goes. closeAll
// closes the files.
func (c *runSettings) open(e env) (tgt target.Target, strict bool, specs reportList, outs []io.Writer, closeAll func(), err error) {
	var files []*os.File
	closeAll = func() {
		for _, f := range files {
			f.Close()
		}
	}
	specs = append(reportList{{c.format, c.out}}, c.reports...)
	cucumbers := 0
	for _, r := range specs {
		if r.format == "cucumber" {
			cucumbers++
		}
	}
	if cucumbers > 1 {
		return tgt, false, nil, nil, closeAll, errors.New("only one cucumber report can be written in a run")
	}
	tgt, strict, err = c.buildTarget(e)
	if err != nil {
		return tgt, false, nil, nil, closeAll, err
	}
	outs = make([]io.Writer, len(specs))
	for i, r := range specs {
		outs[i] = e.stdout
		if r.path == "" {
			continue
		}
		f, err := os.Create(r.path)
		if err != nil {
			closeAll()
			return tgt, false, nil, nil, func() {}, fmt.Errorf("report %s: %w", r.format, err)
		}
		files = append(files, f)
		outs[i] = f
	}
	return tgt, strict, specs, outs, closeAll, nil
}

// buildTarget makes the target and says whether the run is strict.
func (c *runSettings) buildTarget(e env) (target.Target, bool, error) {
	if c.target == "" {
		t := builtin.Target()
		if c.bodyLimit > 0 { // the built-in server's limit, for the longest files
			t = builtin.Target(mockserver.WithMaxBody(int64(c.bodyLimit)))
			t.BodyLimit = int64(c.bodyLimit)
		}
		t.Prefix = c.prefix
		if c.academicLevel != "" {
			t.AcademicLevel = c.academicLevel
		}
		if c.group != "" {
			t.PresentationGroup = c.group
		}
		return t, !c.strict.set || c.strict.value, nil
	}
	password := c.password
	if c.passwordEnv != "" {
		password = e.getenv(c.passwordEnv)
		if password == "" {
			return target.Target{}, false, fmt.Errorf("--password-env %s: the variable is empty or not set", c.passwordEnv)
		}
	}
	if password == "" {
		return target.Target{}, false, errors.New("--target needs the admin's password: --password-env NAME (or --password)")
	}
	if c.academicLevel == "" || c.group == "" {
		return target.Target{}, false, errors.New("--target needs the profile: --academic-level (an import ID the target declares) and --presentation-group (a current group)")
	}
	if !strings.HasPrefix(c.target, "http://") && !strings.HasPrefix(c.target, "https://") {
		return target.Target{}, false, fmt.Errorf("--target %q: want a URL starting with https:// or http://", c.target)
	}
	base := api.BaseURL(c.target)
	transport, err := newTransport(c.cacert, c.insecure)
	if err != nil {
		return target.Target{}, false, err
	}
	transport.ExpectContinueTimeout = time.Second
	client := &http.Client{Transport: transport, Timeout: c.timeout, CheckRedirect: target.NoRedirects}
	return target.Target{
		BaseURL: base, Client: client,
		Username: c.username, Password: password,
		NonAdminUsername: c.nonAdminUsername, NonAdminPassword: c.nonAdminPassword,
		AcademicLevel: c.academicLevel, PresentationGroup: c.group,
		Prefix: c.prefix, BodyLimit: int64(c.bodyLimit),
	}, c.strict.set && c.strict.value, nil
}

// writeCreated lists the patrons the run created in a file, since the API
// cannot delete them, and says what the clean-up did.
func (c *runSettings) writeCreated(e env, report *reports.Report) {
	name := report.CommandName()
	if report.CleanUp != "" {
		fmt.Fprintf(e.stderr, "%s: %s\n", name, report.CleanUp)
	}
	if len(report.Created) == 0 {
		return
	}
	file := c.createdOut
	if file == "" {
		file = "autosync-created-" + report.RunID + ".txt"
	}
	if err := os.WriteFile(file, []byte(strings.Join(report.Created, "\n")+"\n"), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "%s: write the list of test patrons: %v\n", name, err)
		return
	}
	fmt.Fprintf(e.stderr, "%s: the test patrons the run created are listed in %s\n", name, file)
}

// readExpectations reads the list of known failures in path.
func readExpectations(path string) ([]reports.Expectation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--expected-failures: %w", err)
	}
	defer f.Close()
	all, err := steps.Scenarios()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(all))
	for i, sc := range all {
		names[i] = sc.Name
	}
	list, err := reports.ReadExpectations(f, names)
	if err != nil {
		return nil, fmt.Errorf("--expected-failures %s: %w", path, err)
	}
	return list, nil
}
