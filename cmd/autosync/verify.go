package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/steps"
)

// builtInBodyLimit keeps the built-in server's body-limit scenario quick.
const builtInBodyLimit = 1 << 20

// builtInTarget routes a client into a fresh reference server, in process:
// no socket, and a transport of the client's own.
func builtInTarget(opts ...mockserver.Option) steps.Target {
	c := &http.Client{Timeout: time.Minute}
	mockserver.Route(c, mockserver.New(append([]mockserver.Option{mockserver.WithMaxBody(builtInBodyLimit)}, opts...)...))
	return steps.Target{
		BaseURL:  "http://autosync.builtin",
		Client:   c,
		Username: mockserver.DefaultAdminUser, Password: mockserver.DefaultAdminPassword,
		NonAdminUsername: mockserver.DefaultUser, NonAdminPassword: mockserver.DefaultUserPassword,
		AcademicLevel:     "K",
		PresentationGroup: "Senior School",
		BodyLimit:         builtInBodyLimit,
		Inspect:           true,
	}
}

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

type verifyConfig struct {
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
	tags             string
	strict           optionalBool
	concurrency      int
	format           string
	out              string
	seed             int64
	createdOut       string
	cacert           string
	insecure         bool
	timeout          time.Duration
}

var verifyEnv = map[string]string{
	"target": "AUTOSYNC_TARGET", "username": "AUTOSYNC_USERNAME", "password-env": "AUTOSYNC_PASSWORD_ENV",
	"nonadmin-username": "AUTOSYNC_NONADMIN_USERNAME", "nonadmin-password": "AUTOSYNC_NONADMIN_PASSWORD",
	"academic-level": "AUTOSYNC_ACADEMIC_LEVEL", "presentation-group": "AUTOSYNC_PRESENTATION_GROUP",
	"body-limit": "AUTOSYNC_BODY_LIMIT", "prefix": "AUTOSYNC_PREFIX", "tags": "AUTOSYNC_TAGS",
	"concurrency": "AUTOSYNC_CONCURRENCY", "format": "AUTOSYNC_FORMAT", "out": "AUTOSYNC_OUT",
	"cacert": "AUTOSYNC_CACERT",
}

func verifyFlags(c *verifyConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.StringVar(&c.target, "target", "", "base `URL` of the endpoint to verify, e.g. https://school.example (default: the built-in reference server)")
	fs.StringVar(&c.username, "username", mockserver.DefaultAdminUser, "`user` with system administration privileges on the target")
	fs.StringVar(&c.password, "password", "", "that user's `password` (prefer --password-env: a command line is visible to others)")
	fs.StringVar(&c.passwordEnv, "password-env", "", "read the password from the environment `variable` NAME")
	fs.StringVar(&c.nonAdminUsername, "nonadmin-username", "", "a valid `user` without administration privileges, for R-AUTH-3 (skipped without)")
	fs.StringVar(&c.nonAdminPassword, "nonadmin-password", "", "that user's `password`")
	fs.StringVar(&c.academicLevel, "academic-level", "", "an academic level import `ID` the target declares (default K on the built-in server)")
	fs.StringVar(&c.group, "presentation-group", "", "a current presentation `group` on the target (default Senior School on the built-in server)")
	fs.Var(&c.bodyLimit, "body-limit", "the target's body `size` limit, to check R-HTTP-5 (skipped without; 1MiB on the built-in server)")
	fs.StringVar(&c.prefix, "prefix", "", "`start` of every username, barcode and id the run makes (default acs-<run id>-)")
	fs.StringVar(&c.tags, "tags", "", "run the scenarios this tag `expression` selects, e.g. \"@documented and not @R-AUTH-3\"")
	fs.Var(&c.strict, "strict", "also assert @decided rules (default: on for the built-in server, off for --target)")
	fs.IntVar(&c.concurrency, "concurrency", 4, "how many scenarios run at once (`N`)")
	fs.StringVar(&c.format, "format", "pretty", "report `format`: pretty, progress, junit or cucumber")
	fs.StringVar(&c.out, "out", "", "write the report to `FILE` (default standard output)")
	fs.Int64Var(&c.seed, "seed", 0, "replay a run: the `seed` printed at its start")
	fs.StringVar(&c.createdOut, "created-out", "", "with --target, write the usernames the run sent to `FILE` (default autosync-created-<run id>.txt)")
	fs.StringVar(&c.cacert, "cacert", "", "trust this CA certificate `file` (PEM) for an HTTPS target, e.g. autosync serve's cert.pem")
	fs.BoolVar(&c.insecure, "insecure", false, "do not verify the target's TLS certificate")
	fs.DurationVar(&c.timeout, "timeout", 60*time.Second, "give up on one request after this `duration`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync verify [flags]

Runs the Gherkin conformance suite against an autoSync endpoint and reports,
rule by rule, whether it behaves as the documents say. Without --target it runs
against the built-in reference server, in process.

Against a real target the suite CREATES TEST PATRONS (usernames starting with
the prefix). The API cannot delete them: after the run they are disabled
(enabled=N) in one last import and their usernames are written to a file.

Examples:
  autosync verify
  autosync verify --target https://school.example --username autoimport --password-env PW \
      --academic-level 7 --presentation-group "Senior School" --format junit --out report.xml

Exit codes: 0 conformant, 1 a rule failed, 2 bad usage or profile,
3 target unreachable or not speaking HTTP.

Flags (environment variable in brackets):
`)
		writeFlags(fs, verifyEnv)
	}
	return fs
}

func runVerify(ctx context.Context, e env, args []string) int {
	var c verifyConfig
	fs := verifyFlags(&c)
	if code, ok := parseFlags(fs, e, args, verifyEnv); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "autosync verify: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	code, err := verify(ctx, e, &c)
	if err != nil {
		fmt.Fprintf(e.stderr, "autosync verify: %v\n", err)
	}
	return code
}

// verify runs the suite as c says and returns the exit code.
func verify(ctx context.Context, e env, c *verifyConfig) (int, error) {
	switch c.format {
	case "pretty", "progress", "junit", "cucumber":
	default:
		return steps.ExitUsage, fmt.Errorf("--format %q: want pretty, progress, junit or cucumber", c.format)
	}
	if _, err := steps.ParseTags(c.tags); err != nil {
		return steps.ExitUsage, err
	}
	target, strict, err := c.buildTarget(ctx, e)
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			return steps.ExitUsage, err
		}
		return steps.ExitUnreachable, err
	}

	out := e.stdout
	if c.out != "" {
		f, err := os.Create(c.out)
		if err != nil {
			return steps.ExitUsage, fmt.Errorf("--out: %w", err)
		}
		defer f.Close()
		out = f
	}
	cfg := steps.Config{Target: target, Tags: c.tags, Concurrency: c.concurrency, Seed: c.seed, Strict: strict}
	if c.format == "cucumber" {
		cfg.Cucumber = out
	}
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano() & 0x7fffffffffff
	}
	fmt.Fprintf(e.stderr, "autosync verify: %s, seed %d (replay with --seed %d)\n", describe(c.target), cfg.Seed, cfg.Seed)
	report, err := steps.Run(ctx, cfg)
	if err != nil {
		return steps.ExitUsage, err
	}
	if c.target != "" {
		c.cleanUp(ctx, e, target, report)
	}
	switch c.format {
	case "pretty":
		err = report.WritePretty(out)
	case "progress":
		err = report.WriteProgress(out)
	case "junit":
		err = report.WriteJUnit(out)
	}
	if err != nil {
		return steps.ExitUsage, fmt.Errorf("write report: %w", err)
	}
	if c.format != "pretty" && c.format != "progress" || c.out != "" {
		failed := report.FailedRules()
		fmt.Fprintf(e.stderr, "autosync verify: %d scenarios, rules failed: %s\n", len(report.Scenarios), orNone(failed))
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

// buildTarget makes the target and says whether the run is strict.
func (c *verifyConfig) buildTarget(ctx context.Context, e env) (steps.Target, bool, error) {
	if c.target == "" {
		t := builtInTarget()
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
			return steps.Target{}, false, usageError{fmt.Sprintf("--password-env %s: the variable is empty or not set", c.passwordEnv)}
		}
	}
	if password == "" {
		return steps.Target{}, false, usageError{"--target needs the admin's password: --password-env NAME (or --password)"}
	}
	if c.academicLevel == "" || c.group == "" {
		return steps.Target{}, false, usageError{"--target needs the profile: --academic-level (an import ID the target declares) and --presentation-group (a current group)"}
	}
	if !strings.HasPrefix(c.target, "http://") && !strings.HasPrefix(c.target, "https://") {
		return steps.Target{}, false, usageError{fmt.Sprintf("--target %q: want a URL starting with https:// or http://", c.target)}
	}
	base := strings.TrimSuffix(strings.TrimRight(c.target, "/"), steps.ImportPath)
	transport, err := newTransport(c.cacert, c.insecure)
	if err != nil {
		return steps.Target{}, false, err
	}
	transport.ExpectContinueTimeout = time.Second
	client := &http.Client{Transport: transport, Timeout: c.timeout}
	t := steps.Target{
		BaseURL: base, Client: client,
		Username: c.username, Password: password,
		NonAdminUsername: c.nonAdminUsername, NonAdminPassword: c.nonAdminPassword,
		AcademicLevel: c.academicLevel, PresentationGroup: c.group,
		Prefix: c.prefix, BodyLimit: int64(c.bodyLimit),
	}
	if err := probe(ctx, t); err != nil {
		return steps.Target{}, false, err
	}
	t.Inspect = hasInspection(ctx, t)
	return t, c.strict.set && c.strict.value, nil
}

// probe checks that the target answers in HTTP at all.
func probe(ctx context.Context, t steps.Target) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+steps.ImportPath, nil)
	if err != nil {
		return usageError{fmt.Sprintf("--target: %v", err)}
	}
	resp, err := t.Client.Do(req)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Op == "dial" {
			return fmt.Errorf("target unreachable: %w", err)
		}
		return fmt.Errorf("target does not answer in HTTP: %w", err)
	}
	resp.Body.Close()
	return nil
}

// hasInspection reports whether the target serves the reference server's
// /_mock/ pages.
func hasInspection(ctx context.Context, t steps.Target) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/_mock/imports", nil)
	if err != nil {
		return false
	}
	req.SetBasicAuth(t.Username, t.Password)
	resp, err := t.Client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var v []json.RawMessage
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&v) == nil
}

// cleanUp disables every patron the run may have created, in one last
// import, and writes their usernames to a file: the API cannot delete them.
func (c *verifyConfig) cleanUp(ctx context.Context, e env, t steps.Target, report *steps.Report) {
	if len(report.Uploaded) == 0 {
		return
	}
	sort.Strings(report.Uploaded)
	name := c.createdOut
	if name == "" {
		name = "autosync-created-" + report.RunID + ".txt"
	}
	if err := os.WriteFile(name, []byte(strings.Join(report.Uploaded, "\n")+"\n"), 0o644); err != nil {
		fmt.Fprintf(e.stderr, "autosync verify: write the list of test usernames: %v\n", err)
	} else {
		fmt.Fprintf(e.stderr, "autosync verify: the usernames this run sent are listed in %s\n", name)
	}
	var csv bytes.Buffer
	csv.WriteString("username,enabled\n")
	for _, u := range report.Uploaded {
		fmt.Fprintf(&csv, "%s,N\n", u)
	}
	req, err := mockserver.NewImportRequest(ctx, t.BaseURL+steps.ImportPath, "autosync-cleanup.csv", csv.Bytes())
	if err == nil {
		req.SetBasicAuth(t.Username, t.Password)
		var resp *http.Response
		if resp, err = t.Client.Do(req); err == nil {
			var v struct{ Summary string }
			json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&v)
			resp.Body.Close()
			fmt.Fprintf(e.stderr, "autosync verify: disabled the run's test patrons: %s\n", v.Summary)
			return
		}
	}
	fmt.Fprintf(e.stderr, "autosync verify: could not disable the run's test patrons: %v\n", err)
}
