// Command autosync is the conformance kit for the autoSync patron import API
// of Infiniti and LibPaths: a reference server, a conformance suite, a
// linter, a test-file generator and a client for scheduled jobs.
//
// Usage:
//
//	autosync serve [flags]   run the reference endpoint
//	autosync verify [flags]  run the conformance suite against an endpoint
//	autosync fake [flags]    write a realistic test roster CSV
//	autosync lint FILE       check an export offline
//	autosync push FILE       send a CSV the way a scheduled job should
//	autosync verify-client -- COMMAND
//	                         judge the school's own import script
//	autosync version         print the version and VCS revision
//
// Run "autosync help" for the list, and "autosync help COMMAND" for a
// command's flags.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/autosync/autosync/internal/noexec"
)

// Exit codes shared by every subcommand.
const (
	exitOK    = 0
	exitFail  = 1 // the work was done and found problems
	exitUsage = 2 // bad flags or arguments
)

// env is how the command sees its environment, so tests can run the real
// command without touching the process's own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stdoutTerminal and stderrTerminal say the outputs are terminals:
	// progress bars there, timestamps in a log.
	stdoutTerminal, stderrTerminal bool
	// readPassword asks for a password without echo; nil when standard
	// input is not a terminal.
	readPassword func() (string, error)
	// httpClient, if set, replaces the client push builds, and
	// retryBackoff the first wait between its attempts (tests).
	httpClient   *http.Client
	retryBackoff time.Duration
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) int
}

func commands() []command {
	return []command{
		{"serve", "run the reference autoSync endpoint", runServe},
		{"verify", "run the conformance suite against an endpoint (default: the built-in server)", runVerify},
		{"explore", "send generated files to an endpoint and compare its answers with the reference engine", runExplore},
		{"fake", "write a realistic test roster CSV, optionally with labelled faults", runFake},
		{"lint", "check an export offline and explain every problem", runLint},
		{"push", "send a CSV to the school's endpoint, for scheduled jobs", runPush},
		{"verify-client", "judge the school's own import script against misbehaving reference servers", runVerifyClient},
	}
}

func main() {
	noexec.Restore() // see noexec: nothing was run at start-up
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		stdoutTerminal: term.IsTerminal(int(os.Stdout.Fd())), stderrTerminal: term.IsTerminal(int(os.Stderr.Fd()))}
	if term.IsTerminal(int(os.Stdin.Fd())) {
		e.readPassword = func() (string, error) {
			b, err := term.ReadPassword(int(os.Stdin.Fd()))
			return string(b), err
		}
	}
	code := run(ctx, e, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e env, args []string) int {
	if len(args) == 2 && args[0] == "help" {
		if args[1] == "version" {
			fmt.Fprintln(e.stdout, "Usage: autosync version\n\nPrints the module version, the revision the binary was built from, and the Go\nversion (make build and make install record the revision).\n\nExit codes: 0 always.")
			return exitOK
		}
		args = []string{args[1], "--help"} // autosync help CMD is CMD --help
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintln(e.stdout, version())
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "autosync: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "autosync: the conformance kit for the autoSync patron import API (Infiniti, LibPaths)")
	fmt.Fprintln(w, "\nUsage: autosync COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-13s %s\n", "version", "print the version and the revision it was built from")
	fmt.Fprintln(w, "\nRun \"autosync help COMMAND\" (or \"autosync COMMAND --help\") for a command's flags.")
}

// release is the version make dist stamps into the binaries it builds
// (-ldflags "-X main.release=…", from git describe): set at link time,
// never changed.
var release string

// version names the module version and the revision the binary was built
// from, as Go recorded them, or the version make dist stamped.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "autosync (no build information)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	if release != "" {
		v = release
	}
	out := "autosync " + v
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	rev := settings["vcs.revision"]
	if rev == "" && release != "" { // make dist: git describe named the revision
		return out + ", " + info.GoVersion
	}
	if rev == "" {
		return out + ", " + info.GoVersion + " (built without VCS information: make build or make install records the revision)"
	}
	out += ", revision " + rev
	if t := settings["vcs.time"]; t != "" {
		out += " (" + t + ")"
	}
	if settings["vcs.modified"] == "true" {
		out += ", with local changes"
	}
	return out + ", " + info.GoVersion
}

// parseFlags parses args, flags and arguments in any order (a lone "--"
// ends the flags), then fills every flag not given on the command line from
// its environment variable, if set. It returns the arguments that are not
// flags, and false with the exit code when the command is not to run: help
// was asked for (printed on standard output), or a flag was wrong (one line
// naming it, and where to look).
func parseFlags(fs *flag.FlagSet, e env, args []string, envNames map[string]string) ([]string, int, bool) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return nil, exitOK, false
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "autosync %s: %s\nsee 'autosync %s --help'\n", fs.Name(), twoDashes(err.Error()), fs.Name())
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	fs.SetOutput(e.stderr)
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for name, variable := range envNames {
		v := e.getenv(variable)
		if given[name] || v == "" {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			fmt.Fprintf(e.stderr, "autosync %s: %s=%q: %v\n", fs.Name(), variable, v, err)
			return nil, exitUsage, false
		}
	}
	return positional, exitOK, true
}

// flagName finds the single-dash flag names in the flag package's messages.
var flagName = regexp.MustCompile(`(^|\s)-([A-Za-z][\w-]*)`)

// twoDashes writes a flag package message with flags as the help shows them:
// "flag provided but not defined: -x" becomes "unknown flag --x".
func twoDashes(msg string) string {
	msg = strings.Replace(msg, "flag provided but not defined:", "unknown flag", 1)
	return flagName.ReplaceAllString(msg, "$1--$2")
}

// writeFlags lists a command's flags for its -h: each with its environment
// variable, if any, and its default.
func writeFlags(fs *flag.FlagSet, envNames map[string]string) {
	fs.VisitAll(func(f *flag.Flag) {
		name, use := flag.UnquoteUsage(f)
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-" // -n, as the examples write it
		}
		fmt.Fprintf(fs.Output(), "  %s%s %s", dashes, f.Name, name)
		if v := envNames[f.Name]; v != "" {
			fmt.Fprintf(fs.Output(), " [%s]", v)
		}
		fmt.Fprintf(fs.Output(), "\n      %s", use)
		// A zero default goes unsaid, and so does one the text says itself.
		zero := slices.Contains([]string{"", "false", "[]", "0", "0s", "0 bytes"}, f.DefValue)
		if !zero && !strings.Contains(use, "(default") {
			fmt.Fprintf(fs.Output(), " (default %s)", f.DefValue)
		}
		fmt.Fprintln(fs.Output())
	})
}

// newTransport is an HTTP transport that trusts the system's roots plus the
// CA in cacert (PEM), if given, or checks nothing when insecure.
func newTransport(cacert string, insecure bool) (*http.Transport, error) {
	tlsConfig := &tls.Config{InsecureSkipVerify: insecure}
	if cacert != "" {
		pem, err := os.ReadFile(cacert)
		if err != nil {
			return nil, usageError{fmt.Sprintf("--cacert: %v", err)}
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, usageError{fmt.Sprintf("--cacert %s: no PEM certificate in it", cacert)}
		}
		tlsConfig.RootCAs = pool
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConfig
	return transport, nil
}

// declaredList is a flag of comma-separated declared values, such as
// academic level import IDs: at least one, none empty, none twice (values
// match in any letter case, so "Y7" and "y7" are the same).
type declaredList []string

// String lists the values, comma-separated.
func (l *declaredList) String() string { return strings.Join(*l, ",") }

// Set replaces the list with the values in v.
func (l *declaredList) Set(v string) error {
	var out []string
	seen := map[string]bool{}
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return errors.New("an empty value: give comma-separated values, e.g. 7,8,9")
		}
		if seen[strings.ToLower(item)] {
			return fmt.Errorf("%q is given twice", item)
		}
		seen[strings.ToLower(item)] = true
		out = append(out, item)
	}
	*l = out
	return nil
}
