package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/autosync/autosync/cmd/autosync/internal/push"
	"github.com/autosync/autosync/internal/probe"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
)

// Exit codes of push, as its package has them.
const (
	pushOK           = push.OK
	pushRowsFailed   = push.RowsFailed
	pushUsage        = push.Usage
	pushUnauthorised = push.Unauthorised
	pushGaveUp       = push.GaveUp
	pushHeld         = push.Held
	pushRefused      = push.Refused
	pushNotKept      = push.NotKept
)

// pushConfig is push's flags: the options of a push, and how to reach the
// target.
type pushConfig struct {
	push.Options
	cacert   string
	insecure bool
	levels   declaredList
	groups   declaredList
}

var pushEnv = map[string]string{
	"url": "AUTOSYNC_URL", "username": "AUTOSYNC_USERNAME", "password-env": "AUTOSYNC_PASSWORD_ENV",
	"password-file": "AUTOSYNC_PASSWORD_FILE", "cacert": "AUTOSYNC_CACERT", "keep-dir": "AUTOSYNC_KEEP_DIR",
	"notify-url": "AUTOSYNC_NOTIFY_URL",
}

func pushFlags(c *pushConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("push", flag.ContinueOnError)
	fs.StringVar(&c.URL, "url", "", "the school's `URL`, e.g. https://yourschool.concordinfiniti.com (the import path may be included)")
	fs.StringVar(&c.Username, "username", "", "`user` with system administration privileges")
	fs.StringVar(&c.PasswordEnv, "password-env", "", "read the password from the environment variable `NAME`")
	fs.StringVar(&c.PasswordFile, "password-file", "", "read the password from the first line of `FILE`")
	fs.StringVar(&c.cacert, "cacert", "", "trust this CA certificate `file` (PEM) as well as the system's")
	fs.BoolVar(&c.insecure, "insecure", false, "do not verify the server's certificate (testing only)")
	fs.BoolVar(&c.JSON, "json", false, "print one JSON document on standard output, whatever happened: the server's answer as it is, with a \"push\" member saying what autosync did")
	fs.StringVar(&c.NotifyURL, "notify-url", "", "post the JSON document of every push (held, failed or imported) to this webhook `URL`")
	fs.IntVar(&c.Retries, "retries", 3, "retry connection errors and server errors (5xx) this many `times`, with backoff; never 4xx")
	fs.DurationVar(&c.Timeout, "timeout", 15*time.Minute, "give up after this `duration`, retries included")
	fs.BoolVar(&c.Lint, "lint", false, "check the file first and refuse to send it if the server would reject anything")
	fs.BoolVar(&c.Accept, "accept", false, "send a file the guard holds back (damage, or changes beyond the thresholds) anyway")
	holdFlags(fs, &c.Hold)
	fs.StringVar(&c.KeepDir, "keep-dir", "", "keep the last file each target accepted in `DIR`, to compare the next with it (default $XDG_STATE_HOME/autosync/accepted, %LOCALAPPDATA%\\autosync\\accepted or ~/.local/state/autosync/accepted; off: keep nothing)")
	fs.StringVar(&c.Existing, "existing", "", "with --lint: an earlier export (CSV) or a /_mock/patrons dump (JSON) `FILE`: its usernames are judged as updates, so a file of changes (username,enabled) passes")
	c.levels = rules.DefaultAcademicLevels()
	fs.Var(&c.levels, "academic-levels", "with --lint: the academic level import `IDs` your server declares")
	c.groups = rules.DefaultPresentationGroups()
	fs.Var(&c.groups, "presentation-groups", "with --lint: the current presentation `groups`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync push [flags] FILE

Sends FILE to the school's autoSync endpoint as the documents describe (one
multipart file part, HTTP Basic Auth), and prints the summary and each failed
row. For a scheduled job: the password comes from an environment variable, a
file, or a prompt on a terminal, never from the command line; connection errors
and server errors are retried with backoff.

Example:
  autosync push users.csv --url https://school.example --username autoimport --password-env PW

Exit codes: 0 every row imported, 1 some rows failed (or the file was refused),
2 bad usage, 3 unauthorised, 4 network or server error after the retries,
5 held back by the guard (--accept sends it), 6 not sent: --lint found rows the
server would refuse, 7 imported, but the kept roster or the night's files could
not be written.

Flags (environment variable in brackets):
`)
		writeFlags(fs, pushEnv)
	}
	return fs
}

func runPush(ctx context.Context, e env, args []string) int {
	var c pushConfig
	fs := pushFlags(&c)
	files, code, ok := parseFlags(fs, e, args, pushEnv)
	if !ok {
		if code != exitOK && wantsJSON(args) {
			// Standard output is JSON, even for a mistake in the flags.
			rep := push.Report{ExitCode: code, Outcome: push.Outcome(code), Message: "bad usage: see the log, or autosync push --help"}
			fmt.Fprintf(e.stdout, "%s\n", rep.Document())
		}
		return code
	}
	// Where the output goes to a log, not a terminal, every line says when;
	// but --json's standard output is JSON alone, for jq and the like (the
	// log lines on standard error keep their times).
	if !e.stdoutTerminal && !c.JSON {
		e.stdout = &stampWriter{w: e.stdout, now: time.Now}
	}
	if !e.stderrTerminal {
		e.stderr = &stampWriter{w: e.stderr, now: time.Now}
	}
	if len(files) != 1 {
		files = []string{""} // push.Run says so, in the log and the JSON document
	}
	c.Levels, c.Groups = c.levels, c.groups
	pe := push.Env{Stdout: e.stdout, Stderr: e.stderr, Getenv: e.getenv, StderrTerminal: e.stderrTerminal,
		ReadPassword: e.readPassword, Client: e.httpClient, Backoff: e.retryBackoff}
	if pe.Client == nil {
		// The webhook is not the school's server: the system's roots, and
		// no redirect followed.
		pe.NotifyClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		transport, err := newTransport(c.cacert, c.insecure)
		if err != nil {
			return push.Run(ctx, pe, c.Options, files[0], err) // says why, in the log and the JSON document
		}
		// A redirect is never followed, as curl follows none without -L:
		// the credentials go to --url and nowhere else.
		pe.Client = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		pe.ProbeTLS = probe.SpeaksTLS
	}
	return push.Run(ctx, pe, c.Options, files[0], nil)
}

// wantsJSON says whether args ask for --json, for a push whose flags could
// not be read.
func wantsJSON(args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--json" || a == "-json" || a == "--json=true" || a == "-json=true" {
			return true
		}
	}
	return false
}

// stampWriter starts every line with an RFC 3339 timestamp, so that a log
// of many nights tells one from another.
type stampWriter struct {
	w   io.Writer
	now func() time.Time
	mid bool // inside a line
}

// Write writes p, stamping each line that starts in it.
func (s *stampWriter) Write(p []byte) (int, error) {
	var b []byte
	for _, c := range p {
		if !s.mid {
			b = append(b, s.now().Format(time.RFC3339)...)
			b = append(b, ' ')
			s.mid = true
		}
		b = append(b, c)
		if c == '\n' {
			s.mid = false
		}
	}
	if _, err := s.w.Write(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

// holdFlags defines the guard's thresholds as flags, for push and lint.
func holdFlags(fs *flag.FlagSet, t *preview.Thresholds) {
	*t = preview.DefaultThresholds
	fs.Float64Var(&t.Deactivate, "hold-deactivate", t.Deactivate, "hold a file that switches off (enabled=N) more than this `share` of the known patrons")
	fs.IntVar(&t.Max, "hold-max", t.Max, "hold a file that switches off this many known `patrons`, or brings this many back under new usernames, whatever the share")
	fs.Float64Var(&t.Names, "hold-names", t.Names, "hold a file that rewrites the names of more than this `share` of the known patrons")
	fs.Float64Var(&t.Barcodes, "hold-barcodes", t.Barcodes, "hold a file that rewrites the library barcodes of more than this `share` of the known patrons")
	fs.Float64Var(&t.AdminIDs, "hold-admin-ids", t.AdminIDs, "hold a file that rewrites the admin system ids of more than this `share` of the known patrons")
	fs.Float64Var(&t.FormClasses, "hold-form-classes", t.FormClasses, "hold a file that rewrites the form classes of more than this `share` of the known patrons")
	fs.Float64Var(&t.Scheme, "hold-scheme", t.Scheme, "hold a file whose new usernames are more than this `share` of the known patrons (their ids or names under another username)")
	fs.IntVar(&t.Min, "hold-min", t.Min, "a mass change is this many `patrons` at least: fewer are never held by share")
}
