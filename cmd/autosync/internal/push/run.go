package push

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/internal/safe"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
)

// Exit codes of autosync push.
const (
	OK           = 0 // every row imported
	RowsFailed   = 1 // some rows failed, or the server refused the file
	Usage        = 2 // bad flags or arguments
	Unauthorised = 3 // the server refused the credentials
	GaveUp       = 4 // network or server error after the retries
	Held         = 5 // held back by the guard: nothing sent
	Refused      = 6 // --lint found rows the server would refuse: nothing sent
	NotKept      = 7 // sent, but the kept roster or the night's files could not be written
)

// outcomes name the exit codes in the JSON document.
var outcomes = [...]string{OK: "imported", RowsFailed: "rows failed", Usage: "usage", Unauthorised: "unauthorised",
	GaveUp: "gave up", Held: "held", Refused: "refused", NotKept: "not kept"}

// Outcome names an exit code, as the JSON document's push.outcome does.
func Outcome(code int) string {
	if code >= 0 && code < len(outcomes) {
		return outcomes[code]
	}
	return "unknown"
}

// Options are what a push is told: the flags of autosync push.
type Options struct {
	URL          string
	Username     string
	PasswordEnv  string // the environment variable that holds the password
	PasswordFile string // a file whose first line is the password
	JSON         bool   // print the server's JSON answer as it is
	Retries      int
	Timeout      time.Duration
	// Lint checks the file first, and sends nothing the server would
	// reject; Existing is an earlier export whose usernames it judges as
	// known.
	Lint     bool
	Existing string
	// Accept sends a file the guard holds back.
	Accept bool
	// KeepDir is where the roster each target accepted is kept: "" for
	// the default (DefaultKeepDir), "off" for nowhere.
	KeepDir string
	Hold    preview.Thresholds
	// Levels and Groups are what the target declares, for Lint.
	Levels, Groups []string
	// NotifyURL, if set, is posted the JSON document of every push.
	NotifyURL string
}

// Env is how a push sees the world, so that tests drive the real thing.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// StderrTerminal says standard error is a terminal: the upload's
	// progress is shown there.
	StderrTerminal bool
	// ReadPassword asks for the password without echo; nil when there is
	// no terminal to ask on.
	ReadPassword func() (string, error)
	// Client sends the file; it must follow no redirect.
	Client *http.Client
	// ProbeTLS, if set, says whether an http:// URL's port answers in TLS.
	ProbeTLS func(context.Context, *url.URL) bool
	// Backoff is the first wait between attempts (default 1s).
	Backoff time.Duration
	// NotifyClient posts to Options.NotifyURL (default: Client).
	NotifyClient *http.Client
}

// Run sends the file at path as o says, and returns the exit code. Every
// reason for a code other than OK is written to Stderr; with o.JSON,
// Stdout gets one JSON document whatever happened (see Report), and with
// o.NotifyURL, the same document is posted there. A usage error found
// before (usage, not nil) is reported so, and nothing is sent.
func Run(ctx context.Context, e Env, o Options, path string, usage error) int {
	rep := &Report{File: path, Target: RedactURL(o.URL)}
	code, err := Usage, usage
	if usage == nil {
		code, err = run(ctx, e, &o, path, rep)
	}
	rep.ExitCode, rep.Outcome = code, Outcome(code)
	if err != nil {
		rep.Message = strings.TrimPrefix(err.Error(), "push: ")
		fmt.Fprintf(e.Stderr, "autosync push: %s\n", safe.Text(rep.Message))
	}
	doc := rep.Document()
	if o.JSON {
		e.Stdout.Write(append(doc, '\n'))
	}
	client := e.NotifyClient
	if client == nil {
		client = e.Client
	}
	if o.NotifyURL != "" && client != nil {
		if err := notify(ctx, client, o.NotifyURL, doc); err != nil {
			fmt.Fprintf(e.Stderr, "autosync push: --notify-url: %s\n", safe.Text(err.Error()))
		}
	}
	return code
}

func run(ctx context.Context, e Env, c *Options, path string, rep *Report) (int, error) {
	if path == "" {
		return Usage, errors.New("name one file to send")
	}
	if c.URL == "" || c.Username == "" {
		return Usage, errors.New("give --url and --username")
	}
	if err := c.Hold.Check(); err != nil {
		return Usage, err
	}
	if c.Existing != "" && !c.Lint {
		return Usage, errors.New("--existing is for --lint: give both, so that the file is checked against the earlier one before it is sent")
	}
	u, err := url.Parse(c.URL)
	if err == nil && u.Host == "" && u.Opaque != "" && !strings.Contains(c.URL, "//") {
		// "localhost:27181" parses as a scheme and an opaque part: it is a
		// host and a port without the scheme.
		err = errors.New("no scheme")
	}
	switch {
	case err != nil && !strings.Contains(c.URL, "://"):
		return Usage, fmt.Errorf("--url %q has no scheme: give https://%s (or http:// for a test server on this machine)", RedactURL(c.URL), RedactURL(c.URL))
	case err != nil || (u.Scheme != "" && u.Host == ""):
		return Usage, fmt.Errorf("--url %q is not a URL; give the school's address, e.g. https://yourschool.example", RedactURL(c.URL))
	case u.Scheme == "":
		return Usage, fmt.Errorf("--url %q has no scheme: give https://%s", RedactURL(c.URL), strings.TrimPrefix(RedactURL(c.URL), "//"))
	case u.Scheme != "https" && u.Scheme != "http":
		return Usage, fmt.Errorf("--url %q: %s:// is not for this; give the school's https:// address, e.g. https://%s", RedactURL(c.URL), u.Scheme, u.Host)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		fmt.Fprintf(e.Stderr, "autosync push: warning: --url is http://, so the password travels to %s in cleartext; the documents require https://\n", u.Hostname())
	}
	target, dropped := normalise(u)
	if dropped != "" {
		fmt.Fprintf(e.Stderr, "autosync push: warning: --url %s: the %s is left out: the file goes to %s\n", RedactURL(c.URL), dropped, RedactURL(api.ImportURL(target)))
	}
	c.URL = target
	rep.Target = RedactURL(target)
	if c.NotifyURL != "" {
		if n, err := url.Parse(c.NotifyURL); err != nil || (n.Scheme != "https" && n.Scheme != "http") || n.Host == "" {
			return Usage, fmt.Errorf("--notify-url %q: give the webhook's http:// or https:// address", RedactURL(c.NotifyURL))
		}
	}
	if _, err := os.Stat(path); err != nil {
		return Usage, err
	}
	if u.Scheme == "http" && e.ProbeTLS != nil && e.ProbeTLS(context.WithoutCancel(ctx), u) {
		// Plain HTTP to an HTTPS port is reset, retry after retry: say so
		// before the first.
		return Usage, fmt.Errorf("--url %s: %s answers in TLS, so it is an HTTPS port: use --url https://%s", RedactURL(c.URL), u.Host, strings.TrimPrefix(RedactURL(c.URL), "http://"))
	}
	password, err := c.password(e)
	if err != nil {
		return Usage, err
	}
	// The roster this target accepted: the guard compares the file with
	// it, and --lint judges its usernames as known. It is read and
	// written under a lock, so that two pushes to one target lose nothing.
	kept := ""
	if dir := c.KeepDir; dir != "off" {
		if dir == "" {
			dir = DefaultKeepDir(e.Getenv)
		}
		if dir != "" {
			kept = keptPath(dir, c.URL)
		}
	}
	var last string // the kept file, if there is one
	if kept != "" {
		unlock, err := lockKept(ctx, kept, e.Stderr)
		if err != nil {
			return Usage, err
		}
		defer unlock()
		if last, err = keptFile(kept); err != nil {
			return Usage, err
		}
		rep.Kept = kept
	}
	// The file is read once, into a spool of autosync's own: what is
	// checked, held, sent, diagnosed and kept is one reading of it, even
	// if the export is still being written. It goes beside the kept
	// roster (a container has no /tmp), or to the temporary folder.
	spoolDir, spoolPattern := os.TempDir(), "autosync-push-*.csv"
	if kept != "" {
		spoolDir, spoolPattern = filepath.Dir(kept), filepath.Base(kept)+".spool-*"
		removeSpools(kept) // what a crash left: under the lock, none is in use
	}
	sp, err := newSpool(path, spoolDir, spoolPattern)
	if err != nil {
		return Usage, err
	}
	defer sp.close()
	// Reports go where the log is; with --json, standard output stays
	// JSON, so they go to standard error.
	out := e.Stdout
	if c.JSON {
		out = e.Stderr
	}
	lr, sc, err := check(ctx, sp, path, c, last)
	if err != nil {
		return Usage, err
	}
	holds := lr.Damage()
	rep.Preview, rep.Holds = lr.Preview, holds
	if lr.Preview != nil {
		fmt.Fprintf(out, "%s: %s\n", safe.Text(path), lr.Preview.Summary())
	}
	if c.Lint {
		// The holds are written below, once: the report says the rest.
		if shown := lr.WithoutDamage(); shown.Errors > 0 || shown.Warnings > 0 {
			shown.Preview = nil
			shown.WriteText(out)
		}
		if lr.Errors > 0 {
			rep.problems(lr)
			return Refused, fmt.Errorf("not sent: the server would refuse %d row%s or the file (see above); fix the export and send it again", lr.Errors, plural(lr.Errors))
		}
	}
	if len(holds) > 0 {
		writeHolds(out, path, last, holds, c.Accept)
		if !c.Accept {
			return Held, fmt.Errorf("held back, not sent: %d reason%s (see above); once you have checked the file, send it with --accept", len(holds), plural(len(holds)))
		}
	}
	cfg := Config{URL: c.URL, Username: c.Username, Password: password, Client: e.Client, Retries: c.Retries, Backoff: e.Backoff, Log: e.Stderr}
	if e.StderrTerminal {
		cfg.Progress = e.Stderr
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	res, err := Send(ctx, cfg, filepath.Base(path), sp.f, sp.size)
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		return GaveUp, fmt.Errorf("%w; the server's certificate is signed by an authority this machine does not trust: pass its CA with --cacert FILE (or --insecure for a test server)", err)
	}
	if err != nil {
		return GaveUp, err
	}
	rep.Status = res.Status
	rep.answer = res.Body
	if res.Truncated {
		rep.answer = nil
		return GaveUp, fmt.Errorf("the server answered %d %s with more than %d bytes: not the documented JSON; nothing of it was read further", res.Status, http.StatusText(res.Status), MaxAnswer)
	}
	switch {
	case res.Status >= 300 && res.Status < 400:
		return GaveUp, fmt.Errorf("the server answered %d %s, redirecting to %s: the file was not imported, and the credentials were not sent there; if that is the school's server, give it as --url",
			res.Status, http.StatusText(res.Status), RedactURL(res.Location))
	case res.Answer == nil:
		return GaveUp, fmt.Errorf("the server answered %d %s without the documented JSON: %.200q", res.Status, http.StatusText(res.Status), res.Body)
	case res.Status == http.StatusUnauthorized:
		return Unauthorised, fmt.Errorf("%s (user %q)", res.Answer.Summary, c.Username)
	case res.Status == http.StatusNotFound || res.Status == http.StatusMethodNotAllowed:
		return GaveUp, fmt.Errorf("the server answered %d to POST %s: %s; check --url (give the school's address; the import path is added)", res.Status, RedactURL(api.ImportURL(c.URL)), res.Answer.Summary)
	}
	if !c.JSON {
		fmt.Fprintf(e.Stdout, "%s: %s\n", safe.Text(path), safe.Text(res.Answer.Summary))
		for _, row := range failedRows(res.Answer) {
			fmt.Fprintf(e.Stdout, "row %s: %s\n", safe.Text(row), safe.Text(strings.TrimSpace(res.Answer.Details[row])))
		}
		if res.Status == http.StatusBadRequest {
			// A server other than the reference names only the rule the
			// file broke; the diagnosis says what the file really is, in
			// the reference server's words.
			if w := diagnose(sp); w != nil && !strings.Contains(res.Answer.Summary, w.What[1:]) {
				fmt.Fprintf(e.Stdout, "%s: %s\n", safe.Text(path), w.Sentence())
			}
		}
	}
	if res.Status == http.StatusOK && kept != "" {
		// Processed: this is now the roster the next is compared with.
		if err := keepNight(ctx, out, sp, last, kept, sc, res.Answer, rep); err != nil {
			return NotKept, fmt.Errorf("imported, but %w: the next night would be compared with an old roster; free the space or fix the folder, then push again", err)
		}
	}
	if res.Status != http.StatusOK || !res.Answer.Success {
		return RowsFailed, nil
	}
	return OK, nil
}

// check lints the spooled file against what is known of the target: the
// earlier export (--existing) and the kept roster (last, if not ""). Of a
// kept roster alone, only the patrons the file can touch are read into
// the check (see night.touched), counted against the whole.
func check(ctx context.Context, sp *spool, name string, c *Options, last string) (*lint.Report, *scan, error) {
	o := lint.Options{AcademicLevels: c.Levels, PresentationGroups: c.Groups, Hold: c.Hold}
	if c.Existing != "" {
		fh, err := os.Open(c.Existing)
		if err != nil {
			return nil, nil, fmt.Errorf("--existing: %w", err)
		}
		defer fh.Close()
		o.Existing = fh
	}
	switch {
	case last != "" && c.Existing == "":
		n, err := readNight(ctx, sp.reader(), nil)
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if err != nil {
			// A file the server would refuse whole (a workbook, no
			// username column) names no patron: lint says what it is.
			n = &night{rows: map[string]*[rules.NumColumns]string{}}
		}
		known, sc, err := n.touched(last)
		if err != nil {
			return nil, nil, fmt.Errorf("the kept roster: %w", err)
		}
		o.Previous, o.KnownCount = bytes.NewReader(known), sc.count
		lr, err := lint.Check(ctx, sp.reader(), name, o)
		return lr, sc, err
	case last != "":
		fh, err := os.Open(last)
		if err != nil {
			return nil, nil, fmt.Errorf("the kept roster: %w", err)
		}
		defer fh.Close()
		o.Previous = fh
	}
	lr, err := lint.Check(ctx, sp.reader(), name, o)
	return lr, nil, err
}

// writeHolds writes why a file is held back, with examples.
func writeHolds(w io.Writer, path, last string, holds []preview.Hold, accepted bool) {
	what := "held back, not sent"
	if accepted {
		what = "sent with --accept, although"
	}
	against := ""
	if last != "" {
		against = " (compared with the last accepted file, " + last + ")"
	}
	fmt.Fprintf(w, "%s: %s%s:\n", safe.Text(path), what, safe.Text(against))
	for _, h := range holds {
		fmt.Fprintf(w, "  %s\n", safe.Text(h.Reason))
		for _, ex := range h.Examples {
			fmt.Fprintf(w, "    e.g. %s\n", safe.Text(ex))
		}
		if h.Fix != "" {
			fmt.Fprintf(w, "    fix: %s\n", safe.Text(h.Fix))
		}
	}
}

// diagnose says what a spooled file that is not a comma-separated UTF-8
// export is (a workbook, UTF-16 text, another separator, Macintosh line
// ends), or returns nil.
func diagnose(sp *spool) *rules.WrongFile {
	head, err := rules.ReadHead(sp.reader())
	if err != nil {
		return nil
	}
	return rules.DiagnoseWrongFile(head)
}

// normalise returns the target's base URL as the kept roster is keyed and
// the file is sent: scheme and host in lower case, no default port, no
// user information, no query or fragment (dropped says which of those
// two were given), no trailing slash, and no import path.
func normalise(u *url.URL) (target, dropped string) {
	n := *u
	n.Scheme = strings.ToLower(n.Scheme)
	host, port := strings.ToLower(n.Hostname()), n.Port()
	if (n.Scheme == "https" && port == "443") || (n.Scheme == "http" && port == "80") {
		port = ""
	}
	n.Host = host
	if strings.Contains(host, ":") {
		n.Host = "[" + host + "]"
	}
	if port != "" {
		n.Host = net.JoinHostPort(host, port)
	}
	var gone []string
	if n.RawQuery != "" || n.ForceQuery {
		gone = append(gone, "query")
	}
	if n.Fragment != "" || strings.Contains(u.String(), "#") {
		gone = append(gone, "fragment")
	}
	n.User, n.RawQuery, n.ForceQuery, n.Fragment, n.RawFragment = nil, "", false, "", ""
	n.Path, n.RawPath = strings.TrimRight(n.Path, "/"), ""
	return api.BaseURL(n.String()), strings.Join(gone, " and ")
}

// RedactURL hides the password in a URL's user information.
func RedactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	if at := strings.LastIndex(raw, "@"); at >= 0 { // not a URL: hide what may be a password
		if colon := strings.Index(raw[:at], ":"); colon >= 0 {
			return raw[:colon+1] + "xxxxx" + raw[at:]
		}
	}
	return raw
}

// isLoopback reports whether host stays on this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func failedRows(a *Answer) []string {
	var rows []string
	for row, outcome := range a.Details {
		if outcome != "User Created" && outcome != "User Updated" {
			rows = append(rows, row)
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		a, _ := strconv.Atoi(rows[i])
		b, _ := strconv.Atoi(rows[j])
		return a < b
	})
	return rows
}

// password reads the password from the environment, a file or a prompt on
// a terminal, in that order.
func (c *Options) password(e Env) (string, error) {
	switch {
	case c.PasswordEnv != "":
		if p := e.Getenv(c.PasswordEnv); p != "" {
			return p, nil
		}
		return "", fmt.Errorf("--password-env %s: the variable is empty or not set", c.PasswordEnv)
	case c.PasswordFile != "":
		f, err := os.Open(c.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("--password-file: %w", err)
		}
		defer f.Close()
		line, err := bufio.NewReader(f).ReadString('\n')
		if p := strings.TrimRight(line, "\r\n"); p != "" {
			return p, nil
		}
		return "", fmt.Errorf("--password-file %s: the first line is empty (%v)", c.PasswordFile, err)
	case e.ReadPassword != nil:
		fmt.Fprintf(e.Stderr, "Password for %s: ", c.Username)
		p, err := e.ReadPassword()
		fmt.Fprintln(e.Stderr)
		if err != nil || p == "" {
			return "", fmt.Errorf("no password given: %v", err)
		}
		return p, nil
	}
	return "", errors.New("no password: give --password-env NAME or --password-file FILE (standard input is not a terminal to ask on)")
}
