package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/autosync/autosync/clientcheck"
	"github.com/autosync/autosync/reports"
)

type verifyClientConfig struct {
	http        bool
	timeout     time.Duration
	concurrency int
	scenarios   string
	list        bool
	format      string
	out         string
	reports     reportList
}

// clientFormats names the formats verify-client writes: verify's, but
// cucumber, which godog writes as verify's suite runs.
func clientFormats() string { return strings.Join(reports.Names(true), ", ") }

func verifyClientFlags(c *verifyClientConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("verify-client", flag.ContinueOnError)
	fs.BoolVar(&c.http, "http", false, "serve the scenarios in plain HTTP, not HTTPS (the certificate and HTTPS-to-HTTP scenarios are skipped)")
	fs.DurationVar(&c.timeout, "timeout", clientcheck.DefaultTimeout, "stop the command after this `duration` in one scenario (it fails); give the command a limit of its own below it")
	fs.IntVar(&c.concurrency, "concurrency", clientcheck.DefaultConcurrency, "how many scenarios run at once (`N`)")
	fs.StringVar(&c.scenarios, "scenarios", "", "run only these scenarios (`IDs`, comma-separated; --list names them)")
	fs.BoolVar(&c.list, "list", false, "list the scenarios, what each judges and the placeholders, and run nothing")
	fs.StringVar(&c.format, "format", "pretty", "report `format`: "+clientFormats())
	fs.StringVar(&c.out, "out", "", "write the report to `FILE` (default standard output)")
	fs.Var(&c.reports, "report", "also write a report in `FORMAT=FILE`, e.g. junit=report.xml (repeatable)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync verify-client [flags] -- COMMAND [ARGS…]

Runs the school's own import command against reference servers in known
states and with known misbehaviours (a refusal, a proxy's HTML page, a reset
connection, an answer that never comes, a redirect, an untrusted
certificate), and judges what the servers received and how the command
ended: its exit status, its output and its time.

The command is told where to send by placeholders in its arguments, and by
the same values in its environment:
  {url}       AUTOSYNC_URL       https://127.0.0.1:PORT (http:// with --http)
  {host}      AUTOSYNC_HOST      127.0.0.1:PORT
  {username}  AUTOSYNC_USERNAME  the admin account
  {password}  AUTOSYNC_PASSWORD  its password, new for each run
  {file}      AUTOSYNC_FILE      the CSV to send
  {cacert}    AUTOSYNC_CACERT    the certificate to trust (PEM)

Examples:
  autosync verify-client --list
  autosync verify-client -- curl -X POST -F "file=@{file}" --cacert {cacert} \
      "https://{username}:{password}@{host}/api/import/users"
  autosync verify-client -- autosync push {file} --password-env AUTOSYNC_PASSWORD --timeout 30s
  autosync verify-client -- ./import.sh

Exit codes (verify's meanings):
  0  the command passed every scenario run
  1  it failed a scenario
  2  bad usage: no command, a command not found
  3  a scenario could not be set up on this machine
  130  interrupted (SIGINT or SIGTERM): the report covers what ran

Flags:
`)
		writeFlags(fs, nil)
	}
	return fs
}

func runVerifyClient(ctx context.Context, e env, args []string) int {
	var c verifyClientConfig
	fs := verifyClientFlags(&c)
	command, code, ok := parseFlags(fs, e, args, nil)
	if !ok {
		return code
	}
	code, err := verifyClient(ctx, e, &c, command)
	if err != nil {
		fmt.Fprintf(e.stderr, "autosync verify-client: %v\n", err)
	}
	return code
}

// verifyClient runs the command as c says and returns the exit code.
func verifyClient(ctx context.Context, e env, c *verifyClientConfig, command []string) (int, error) {
	if c.list {
		if len(command) > 0 {
			return clientcheck.ExitUsage, errors.New("--list runs nothing: give it without a command")
		}
		return clientcheck.ExitPassed, clientcheck.List(e.stdout)
	}
	specs := append(reportList{{c.format, c.out}}, c.reports...)
	for _, spec := range specs {
		if f, ok := reports.Named(spec.format); !ok || f.Write == nil {
			return clientcheck.ExitUsage, fmt.Errorf("format %q: want one of %s", spec.format, clientFormats())
		}
	}
	if c.timeout <= 0 || c.concurrency < 1 {
		return clientcheck.ExitUsage, fmt.Errorf("--timeout %s, --concurrency %d: give a duration above 0 and at least 1", c.timeout, c.concurrency)
	}
	cfg := clientcheck.Config{Command: command, HTTP: c.http, Timeout: c.timeout, Concurrency: c.concurrency}
	if c.scenarios != "" {
		for _, id := range strings.Split(c.scenarios, ",") {
			cfg.Only = append(cfg.Only, strings.TrimSpace(id))
		}
	}
	outs := make([]io.Writer, len(specs))
	for i, spec := range specs {
		outs[i] = e.stdout
		if spec.path == "" {
			continue
		}
		f, err := os.Create(spec.path)
		if err != nil {
			return clientcheck.ExitUsage, fmt.Errorf("report %s: %w", spec.format, err)
		}
		defer f.Close()
		outs[i] = f
	}
	rep, err := clientcheck.Run(ctx, cfg)
	var usage *clientcheck.UsageError
	switch {
	case errors.As(err, &usage):
		return clientcheck.ExitUsage, err
	case rep == nil:
		return clientcheck.ExitError, err
	}
	report := rep.Reports()
	if err != nil { // interrupted: the report covers what ran
		report.Interrupt()
	}
	shown := false
	for i, spec := range specs {
		f, _ := reports.Named(spec.format)
		if err := f.Write(report, outs[i]); err != nil {
			return clientcheck.ExitUsage, fmt.Errorf("write the %s report: %w", spec.format, err)
		}
		shown = shown || (spec.path == "" && f.Terminal)
	}
	if !shown {
		fmt.Fprintf(e.stderr, "autosync verify-client: %d scenarios, checks failed: %s\n", len(report.Scenarios), orNone(report.FailedRules()))
	}
	return report.ExitCode(), nil
}
