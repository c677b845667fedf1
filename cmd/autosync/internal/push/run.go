package push

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
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
	Held         = 5 // held back by the guard
)

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
}

// Run sends the file at path as o says, and returns the exit code. Every
// reason for a code other than OK is written to Stderr.
func Run(ctx context.Context, e Env, o Options, path string) int {
	code, err := run(ctx, e, &o, path)
	if err != nil {
		fmt.Fprintf(e.Stderr, "autosync push: %s\n", safe.Text(strings.TrimPrefix(err.Error(), "push: ")))
	}
	return code
}

func run(ctx context.Context, e Env, c *Options, path string) (int, error) {
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
	// The last file this target accepted: the guard compares the file
	// with it, and --lint judges its usernames as known.
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
		if fi, err := os.Stat(kept); err == nil && fi.Mode().IsRegular() {
			last = kept
		}
	}
	// Reports go where the log is; with --json, standard output stays
	// JSON, so they go to standard error.
	out := e.Stdout
	if c.JSON {
		out = e.Stderr
	}
	rep, err := check(ctx, path, c, last)
	if err != nil {
		return Usage, err
	}
	holds := rep.Damage()
	if rep.Preview != nil {
		fmt.Fprintf(out, "%s: %s\n", safe.Text(path), rep.Preview.Summary())
	}
	if c.Lint {
		// The holds are written below, once: the report says the rest.
		if shown := rep.WithoutDamage(); shown.Errors > 0 || shown.Warnings > 0 {
			shown.Preview = nil
			shown.WriteText(out)
		}
		if rep.Errors > 0 {
			return RowsFailed, errors.New("not sent: the server would reject part of the file (see above)")
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
	res, err := File(ctx, cfg, path)
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		return GaveUp, fmt.Errorf("%w; the server's certificate is signed by an authority this machine does not trust: pass its CA with --cacert FILE (or --insecure for a test server)", err)
	}
	if err != nil {
		if c.JSON { // standard output stays JSON; the reason goes to the log as well
			b, _ := json.Marshal(map[string]any{"success": false, "summary": "autosync push gave up: " + err.Error()})
			fmt.Fprintf(e.Stdout, "%s\n", b)
		}
		return GaveUp, err
	}
	if c.JSON {
		body := res.Body
		if !json.Valid(body) {
			// An answer that is not JSON (a proxy's HTML page) is wrapped,
			// so that standard output is JSON whatever the server sent.
			body, _ = json.Marshal(map[string]any{"success": false, "status": res.Status,
				"summary": fmt.Sprintf("The server answered %d %s without JSON.", res.Status, http.StatusText(res.Status)),
				"body":    strings.ToValidUTF8(string(res.Body), "\uFFFD")})
		}
		e.Stdout.Write(body)
		if len(body) > 0 && body[len(body)-1] != '\n' {
			fmt.Fprintln(e.Stdout)
		}
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
			if w := diagnoseFile(path); w != nil && !strings.Contains(res.Answer.Summary, w.What[1:]) {
				fmt.Fprintf(e.Stdout, "%s: %s\n", safe.Text(path), w.Sentence())
			}
		}
	}
	if res.Status == http.StatusOK && kept != "" {
		// Processed: this is now the file the next is compared with.
		refused := map[int]bool{}
		for _, row := range failedRows(res.Answer) {
			n, _ := strconv.Atoi(row)
			refused[n] = true
		}
		if err := keep(ctx, path, last, kept, refused); err != nil {
			fmt.Fprintf(e.Stderr, "autosync push: %s\n", safe.Text(err.Error()))
		}
	}
	if res.Status != http.StatusOK || !res.Answer.Success {
		return RowsFailed, nil
	}
	return OK, nil
}

// check lints the file at path against what is known of the target: the
// earlier export (--existing) and the kept roster (last, if not "").
func check(ctx context.Context, path string, c *Options, last string) (*lint.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	o := lint.Options{AcademicLevels: c.Levels, PresentationGroups: c.Groups, Hold: c.Hold}
	for _, file := range [...]struct {
		flag, path string
		dst        *io.ReadSeeker
	}{{"--existing", c.Existing, &o.Existing}, {"the kept roster", last, &o.Previous}} {
		if file.path == "" {
			continue
		}
		fh, err := os.Open(file.path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file.flag, err)
		}
		defer fh.Close()
		*file.dst = fh
	}
	return lint.Check(ctx, f, path, o)
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

// diagnoseFile says what a file that is not a comma-separated UTF-8
// export is (a workbook, UTF-16 text, another separator, Macintosh line
// ends), or returns nil.
func diagnoseFile(path string) *rules.WrongFile {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	head, err := rules.ReadHead(f)
	if err != nil {
		return nil
	}
	return rules.DiagnoseWrongFile(head)
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
