package main

import (
	"bufio"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/autosync/autosync/api"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/autosync/autosync/internal/probe"
	"github.com/autosync/autosync/internal/safe"

	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/cmd/autosync/internal/push"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
)

// Exit codes of push.
const (
	pushOK           = 0
	pushRowsFailed   = 1
	pushUsage        = 2
	pushUnauthorised = 3
	pushGaveUp       = 4
	pushHeld         = 5
)

type pushConfig struct {
	url          string
	username     string
	passwordEnv  string
	passwordFile string
	cacert       string
	insecure     bool
	json         bool
	retries      int
	timeout      time.Duration
	lint         bool
	existing     string
	accept       bool
	keepDir      string
	hold         preview.Thresholds
	levels       declaredList
	groups       declaredList
}

var pushEnv = map[string]string{
	"url": "AUTOSYNC_URL", "username": "AUTOSYNC_USERNAME", "password-env": "AUTOSYNC_PASSWORD_ENV",
	"password-file": "AUTOSYNC_PASSWORD_FILE", "cacert": "AUTOSYNC_CACERT", "keep-dir": "AUTOSYNC_KEEP_DIR",
}

func pushFlags(c *pushConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("push", flag.ContinueOnError)
	fs.StringVar(&c.url, "url", "", "the school's `URL`, e.g. https://yourschool.concordinfiniti.com (the import path may be included)")
	fs.StringVar(&c.username, "username", "", "`user` with system administration privileges")
	fs.StringVar(&c.passwordEnv, "password-env", "", "read the password from the environment variable `NAME`")
	fs.StringVar(&c.passwordFile, "password-file", "", "read the password from the first line of `FILE`")
	fs.StringVar(&c.cacert, "cacert", "", "trust this CA certificate `file` (PEM) as well as the system's")
	fs.BoolVar(&c.insecure, "insecure", false, "do not verify the server's certificate (testing only)")
	fs.BoolVar(&c.json, "json", false, "print the server's JSON answer as it is")
	fs.IntVar(&c.retries, "retries", 3, "retry connection errors and server errors (5xx) this many `times`, with backoff; never 4xx")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Minute, "give up after this `duration`, retries included")
	fs.BoolVar(&c.lint, "lint", false, "check the file first and refuse to send it if the server would reject anything")
	fs.BoolVar(&c.accept, "accept", false, "send a file the guard holds back (damage, or changes beyond the thresholds) anyway")
	c.hold = preview.DefaultThresholds
	fs.Float64Var(&c.hold.Share, "hold-share", c.hold.Share, "hold a file that rewrites more than this `fraction` of the barcodes, admin ids or form classes of the known patrons it names (1: never)")
	fs.IntVar(&c.hold.Min, "hold-min", c.hold.Min, "judge the share once the file names this many known `patrons`; and hold this many new usernames that name known patrons under another username")
	fs.StringVar(&c.keepDir, "keep-dir", "", "keep the last file each target accepted in `DIR`, to compare the next with it (default $XDG_STATE_HOME/autosync/accepted, %LOCALAPPDATA%\\autosync\\accepted or ~/.local/state/autosync/accepted; off: keep nothing)")
	fs.StringVar(&c.existing, "existing", "", "with --lint: an earlier export (CSV) or a /_mock/patrons dump (JSON) `FILE`: its usernames are judged as updates, so a file of changes (username,enabled) passes")
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
5 held back (damage, or changes beyond the thresholds; --accept sends it).

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
		return code
	}
	// Where the output goes to a log, not a terminal, every line says when;
	// but --json's standard output is JSON alone, for jq and the like (the
	// log lines on standard error keep their times).
	if !e.stdoutTerminal && !c.json {
		e.stdout = &stampWriter{w: e.stdout, now: time.Now}
	}
	if !e.stderrTerminal {
		e.stderr = &stampWriter{w: e.stderr, now: time.Now}
	}
	if len(files) != 1 {
		fmt.Fprintln(e.stderr, "autosync push: name one file to send")
		return pushUsage
	}
	code, err := pushFile(ctx, e, &c, files[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "autosync push: %s\n", safe.Text(strings.TrimPrefix(err.Error(), "push: ")))
	}
	return code
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

func pushFile(ctx context.Context, e env, c *pushConfig, path string) (int, error) {
	if c.url == "" || c.username == "" {
		return pushUsage, errors.New("give --url and --username")
	}
	if c.hold.Share <= 0 || c.hold.Share > 1 || c.hold.Min < 1 {
		return pushUsage, fmt.Errorf("--hold-share %g, --hold-min %d: give a share above 0 and at most 1, and at least 1 patron", c.hold.Share, c.hold.Min)
	}
	if c.existing != "" && !c.lint {
		return pushUsage, errors.New("--existing is for --lint: give both, so that the file is checked against the earlier one before it is sent")
	}
	u, err := url.Parse(c.url)
	if err == nil && u.Host == "" && u.Opaque != "" && !strings.Contains(c.url, "//") {
		// "localhost:27181" parses as a scheme and an opaque part: it is a
		// host and a port without the scheme.
		err = errors.New("no scheme")
	}
	switch {
	case err != nil && !strings.Contains(c.url, "://"):
		return pushUsage, fmt.Errorf("--url %q has no scheme: give https://%s (or http:// for a test server on this machine)", redactURL(c.url), redactURL(c.url))
	case err != nil || (u.Scheme != "" && u.Host == ""):
		return pushUsage, fmt.Errorf("--url %q is not a URL; give the school's address, e.g. https://yourschool.example", redactURL(c.url))
	case u.Scheme == "":
		return pushUsage, fmt.Errorf("--url %q has no scheme: give https://%s", redactURL(c.url), strings.TrimPrefix(redactURL(c.url), "//"))
	case u.Scheme != "https" && u.Scheme != "http":
		return pushUsage, fmt.Errorf("--url %q: %s:// is not for this; give the school's https:// address, e.g. https://%s", redactURL(c.url), u.Scheme, u.Host)
	case u.Scheme == "http" && !isLoopback(net.JoinHostPort(u.Hostname(), "0")):
		fmt.Fprintf(e.stderr, "autosync push: warning: --url is http://, so the password travels to %s in cleartext; the documents require https://\n", u.Hostname())
	}
	if _, err := os.Stat(path); err != nil {
		return pushUsage, err
	}
	if u.Scheme == "http" && e.httpClient == nil && probe.SpeaksTLS(context.WithoutCancel(ctx), u) {
		// Plain HTTP to an HTTPS port is reset, retry after retry: say so
		// before the first.
		return pushUsage, fmt.Errorf("--url %s: %s answers in TLS, so it is an HTTPS port: use --url https://%s", redactURL(c.url), u.Host, strings.TrimPrefix(redactURL(c.url), "http://"))
	}
	password, err := c.password(e)
	if err != nil {
		return pushUsage, err
	}
	// The last file this target accepted: the guard compares the file
	// with it, and --lint judges its usernames as known.
	kept := ""
	if dir := c.keepDir; dir != "off" {
		if dir == "" {
			dir = defaultKeepDir(e.getenv)
		}
		if dir != "" {
			kept = keptPath(dir, c.url)
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
	out := e.stdout
	if c.json {
		out = e.stderr
	}
	rep, err := checkFileAt(ctx, path, known{levels: c.levels, groups: c.groups, existing: c.existing, previous: last, hold: c.hold})
	if err != nil {
		return pushUsage, err
	}
	holds := rep.Damage()
	if rep.Preview != nil {
		fmt.Fprintf(out, "%s: %s\n", safe.Text(path), rep.Preview.Summary())
	}
	if c.lint {
		// The holds are written below, once: the report says the rest.
		if shown := rep.WithoutDamage(); shown.Errors > 0 || shown.Warnings > 0 {
			shown.Preview = nil
			shown.WriteText(out)
		}
		if rep.Errors > 0 {
			return pushRowsFailed, errors.New("not sent: the server would reject part of the file (see above)")
		}
	}
	if len(holds) > 0 {
		writeHolds(out, path, last, holds, c.accept)
		if !c.accept {
			return pushHeld, fmt.Errorf("held back, not sent: %s (see above); once you have checked the file, send it with --accept", plural(len(holds), "reason"))
		}
	}
	transport, err := newTransport(c.cacert, c.insecure)
	if err != nil {
		return pushUsage, err
	}
	client := e.httpClient
	if client == nil {
		// A redirect is never followed, as curl follows none without -L:
		// the credentials go to --url and nowhere else.
		client = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	cfg := push.Config{URL: c.url, Username: c.username, Password: password, Client: client, Retries: c.retries, Backoff: e.retryBackoff, Log: e.stderr}
	if e.stderrTerminal {
		cfg.Progress = e.stderr
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	res, err := push.File(ctx, cfg, path)
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		return pushGaveUp, fmt.Errorf("%w; the server's certificate is signed by an authority this machine does not trust: pass its CA with --cacert FILE (or --insecure for a test server)", err)
	}
	if err != nil {
		if c.json { // standard output stays JSON; the reason goes to the log as well
			b, _ := json.Marshal(map[string]any{"success": false, "summary": "autosync push gave up: " + err.Error()})
			fmt.Fprintf(e.stdout, "%s\n", b)
		}
		return pushGaveUp, err
	}
	if c.json {
		body := res.Body
		if !json.Valid(body) {
			// An answer that is not JSON (a proxy's HTML page) is wrapped,
			// so that standard output is JSON whatever the server sent.
			body, _ = json.Marshal(map[string]any{"success": false, "status": res.Status,
				"summary": fmt.Sprintf("The server answered %d %s without JSON.", res.Status, http.StatusText(res.Status)),
				"body":    strings.ToValidUTF8(string(res.Body), "\uFFFD")})
		}
		e.stdout.Write(body)
		if len(body) > 0 && body[len(body)-1] != '\n' {
			fmt.Fprintln(e.stdout)
		}
	}
	switch {
	case res.Status >= 300 && res.Status < 400:
		return pushGaveUp, fmt.Errorf("the server answered %d %s, redirecting to %s: the file was not imported, and the credentials were not sent there; if that is the school's server, give it as --url",
			res.Status, http.StatusText(res.Status), redactURL(res.Location))
	case res.Answer == nil:
		return pushGaveUp, fmt.Errorf("the server answered %d %s without the documented JSON: %.200q", res.Status, http.StatusText(res.Status), res.Body)
	case res.Status == http.StatusUnauthorized:
		return pushUnauthorised, fmt.Errorf("%s (user %q)", res.Answer.Summary, c.username)
	case res.Status == http.StatusNotFound || res.Status == http.StatusMethodNotAllowed:
		return pushGaveUp, fmt.Errorf("the server answered %d to POST %s: %s; check --url (give the school's address; the import path is added)", res.Status, redactURL(api.ImportURL(c.url)), res.Answer.Summary)
	}
	if !c.json {
		fmt.Fprintf(e.stdout, "%s: %s\n", safe.Text(path), safe.Text(res.Answer.Summary))
		for _, row := range failedRows(res.Answer) {
			fmt.Fprintf(e.stdout, "row %s: %s\n", safe.Text(row), safe.Text(strings.TrimSpace(res.Answer.Details[row])))
		}
		if res.Status == http.StatusBadRequest {
			// A server other than the reference names only the rule the
			// file broke; the diagnosis says what the file really is, in
			// the reference server's words.
			if w := diagnoseFile(path); w != nil && !strings.Contains(res.Answer.Summary, w.What[1:]) {
				fmt.Fprintf(e.stdout, "%s: %s\n", safe.Text(path), w.Sentence())
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
			fmt.Fprintf(e.stderr, "autosync push: %s\n", safe.Text(err.Error()))
		}
	}
	if res.Status != http.StatusOK || !res.Answer.Success {
		return pushRowsFailed, nil
	}
	return pushOK, nil
}

// checkFileAt lints the file at path against what k knows of the target.
func checkFileAt(ctx context.Context, path string, k known) (*lint.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return checkFile(ctx, f, path, k)
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

// redactURL hides the password in a URL's user information.
func redactURL(raw string) string {
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

func failedRows(a *push.Answer) []string {
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
func (c *pushConfig) password(e env) (string, error) {
	switch {
	case c.passwordEnv != "":
		if p := e.getenv(c.passwordEnv); p != "" {
			return p, nil
		}
		return "", fmt.Errorf("--password-env %s: the variable is empty or not set", c.passwordEnv)
	case c.passwordFile != "":
		f, err := os.Open(c.passwordFile)
		if err != nil {
			return "", fmt.Errorf("--password-file: %w", err)
		}
		defer f.Close()
		line, err := bufio.NewReader(f).ReadString('\n')
		if p := strings.TrimRight(line, "\r\n"); p != "" {
			return p, nil
		}
		return "", fmt.Errorf("--password-file %s: the first line is empty (%v)", c.passwordFile, err)
	case e.readPassword != nil:
		fmt.Fprintf(e.stderr, "Password for %s: ", c.username)
		p, err := e.readPassword()
		fmt.Fprintln(e.stderr)
		if err != nil || p == "" {
			return "", fmt.Errorf("no password given: %v", err)
		}
		return p, nil
	}
	return "", errors.New("no password: give --password-env NAME or --password-file FILE (standard input is not a terminal to ask on)")
}
