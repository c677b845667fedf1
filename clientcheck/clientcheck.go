// Package clientcheck judges a school's own import command: it runs the
// command against reference servers (mockserver) in known states and with
// known misbehaviours (a refusal, a proxy's HTML page, a reset connection,
// an answer that never comes, a redirect, an untrusted certificate), and
// judges what the servers received and how the command ended: its exit
// status, its output and its time.
//
// The command is told where to send through placeholders in its arguments
// ({url} {host} {username} {password} {file} {cacert}) and the same values
// in its environment (AUTOSYNC_URL and so on), so the documents' curl line
// and a school's own script both run unchanged but for those.
package clientcheck

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Defaults of a Config.
const (
	DefaultTimeout     = time.Minute
	DefaultConcurrency = 4
	DefaultOutputLimit = 64 << 10
	// Username is the admin account the command is given as {username}.
	Username = "autoimport"
)

// Config says what to run and how.
type Config struct {
	// Command is the command and its arguments, with placeholders.
	Command []string
	// HTTP serves the scenarios in plain HTTP rather than HTTPS; the
	// scenarios that need HTTPS are skipped.
	HTTP bool
	// Timeout bounds one scenario: a command still running then is
	// stopped, and fails.
	Timeout time.Duration
	// Concurrency is how many scenarios run at once.
	Concurrency int
	// OutputLimit is how much of each of the command's outputs is kept
	// (the rest is read, searched for the password, and dropped).
	OutputLimit int
	// Env is the environment the command inherits, before the
	// scenario's values are added (default: this process's).
	Env []string
	// Only, if set, names the scenarios to run, by ID.
	Only []string
	// Dir is where each scenario's files are written (default: a new
	// temporary directory, removed at the end).
	Dir string
}

// UsageError is a Config that cannot run: no command, a command that is
// not found, or an unknown scenario.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Placeholders lists the placeholders in the order the documentation gives
// them, with the environment variable that holds the same value.
var Placeholders = []struct{ Name, Env, Meaning string }{
	{"{url}", "AUTOSYNC_URL", "the server's base URL, https://127.0.0.1:PORT (http:// with --http)"},
	{"{host}", "AUTOSYNC_HOST", "its host and port, 127.0.0.1:PORT"},
	{"{username}", "AUTOSYNC_USERNAME", "the admin account, " + Username},
	{"{password}", "AUTOSYNC_PASSWORD", "its password, new for each run"},
	{"{file}", "AUTOSYNC_FILE", "the CSV to send (an absolute path)"},
	{"{cacert}", "AUTOSYNC_CACERT", "the certificate of the authority the server's certificate comes from (PEM)"},
}

// run is one run's shared state: the credentials and the authorities.
type run struct {
	cfg                Config
	username, password string
	otherPassword      string
	trusted, untrusted *authority
	dir, cacert        string
	started            time.Time
}

// Run runs the command against every scenario (or those cfg.Only names) and
// returns the report. ctx ends the run early: the command is stopped and
// the scenarios not run are not in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if len(cfg.Command) == 0 {
		return nil, &UsageError{"give the command to judge after --, e.g. autosync verify-client -- curl -F \"file=@{file}\" …"}
	}
	if _, err := exec.LookPath(cfg.Command[0]); err != nil {
		return nil, &UsageError{fmt.Sprintf("the command %q cannot be run: %v", cfg.Command[0], err)}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.OutputLimit <= 0 {
		cfg.OutputLimit = DefaultOutputLimit
	}
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	var scenarios []Scenario
	for _, s := range Scenarios() {
		if len(cfg.Only) == 0 || contains(cfg.Only, s.ID) {
			scenarios = append(scenarios, s)
		}
	}
	for _, id := range cfg.Only {
		if _, ok := ScenarioByID(id); !ok {
			return nil, &UsageError{fmt.Sprintf("no scenario %q: autosync verify-client --list names them", id)}
		}
	}
	r := &run{cfg: cfg, username: Username, password: secret(), otherPassword: secret(), started: time.Now()}
	var err error
	if r.trusted, err = newAuthority("autosync verify-client trusted CA"); err != nil {
		return nil, err
	}
	if r.untrusted, err = newAuthority("autosync verify-client CA the command was not given"); err != nil {
		return nil, err
	}
	r.dir = cfg.Dir
	if r.dir == "" {
		if r.dir, err = os.MkdirTemp("", "autosync-verify-client-"); err != nil {
			return nil, fmt.Errorf("temporary directory: %w", err)
		}
		defer os.RemoveAll(r.dir)
	}
	r.cacert = filepath.Join(r.dir, "cacert.pem")
	if err := os.WriteFile(r.cacert, r.trusted.pem, 0o644); err != nil {
		return nil, fmt.Errorf("write the certificate: %w", err)
	}

	rep := &Report{Command: cfg.Command, HTTP: cfg.HTTP, Timeout: cfg.Timeout, Started: r.started, secrets: r.secrets()}
	results := make([]*Result, len(scenarios))
	sem := make(chan struct{}, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range scenarios {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			if ctx.Err() == nil {
				results[i] = r.scenario(ctx, &scenarios[i], i)
			}
		}()
	}
	wg.Wait()
	for _, res := range results {
		if res != nil {
			rep.Results = append(rep.Results, res)
		}
	}
	rep.Duration = time.Since(r.started)
	return rep, ctx.Err()
}

// ScenarioByID returns the scenario called id.
func ScenarioByID(id string) (Scenario, bool) {
	for _, s := range Scenarios() {
		if s.ID == id {
			return s, true
		}
	}
	return Scenario{}, false
}

// secret returns a new password: letters and digits only, so that it can
// stand in a URL's user information unescaped.
func secret() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	rand.Read(b) // never fails
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "pw-" + string(b)
}

// scenario runs the command in scenario s and judges it; nil when ctx
// ended first.
func (r *run) scenario(ctx context.Context, s *Scenario, n int) *Result {
	res := &Result{Scenario: *s}
	start := time.Now()
	defer func() { res.Duration = time.Since(start) }()
	if s.HTTPSOnly && r.cfg.HTTP {
		res.Status, res.Reason = Skipped, "it needs HTTPS; run without --http"
		return res
	}
	dir := filepath.Join(r.dir, fmt.Sprintf("%02d-%s", n+1, s.ID))
	file := filepath.Join(dir, "users.csv")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res.errored(fmt.Errorf("scenario directory: %w", err))
	}
	if err := os.WriteFile(file, s.file, 0o600); err != nil {
		return res.errored(fmt.Errorf("write the file: %w", err))
	}
	st, err := r.setUp(s)
	if err != nil {
		return res.errored(err)
	}
	values := map[string]string{"{url}": st.url, "{host}": st.host, "{username}": r.username,
		"{password}": r.password, "{file}": file, "{cacert}": r.cacert}
	var pairs, env []string
	env = append(env, r.cfg.Env...)
	for _, p := range Placeholders {
		pairs = append(pairs, p.Name, values[p.Name])
		env = append(env, p.Env+"="+values[p.Name])
	}
	// State a tool keeps between runs (autosync push's accepted files)
	// stays in the scenario: each starts from a known state, and the
	// machine's own is left alone.
	env = append(env, "XDG_STATE_HOME="+filepath.Join(dir, "state"))
	replace := strings.NewReplacer(pairs...)
	argv := make([]string, len(r.cfg.Command))
	for i, a := range r.cfg.Command {
		argv[i] = replace.Replace(a)
	}
	o, err := execute(ctx, argv, env, r.cfg.Timeout, r.cfg.OutputLimit, r.secrets())
	st.tearDown()
	if ctx.Err() != nil {
		return nil // stopped: the scenario did not run to its end, and is not reported
	}
	if err != nil {
		return res.errored(err)
	}
	o.Requests = st.requests()
	o.Handshakes = st.handshakes.all()
	res.Outcome = o
	j := &judging{s: s, o: o, username: r.username, password: r.password, timeout: r.cfg.Timeout.String()}
	for _, f := range j.judge() {
		res.Failures = append(res.Failures, f.msg)
		for _, tag := range f.tags {
			if !contains(res.Failed, tag) {
				res.Failed = append(res.Failed, tag)
			}
		}
	}
	var ordered []string
	for _, c := range Checks() {
		if contains(res.Failed, c.Tag) {
			ordered = append(ordered, c.Tag)
		}
	}
	res.Failed = ordered
	res.Status = Passed
	if len(res.Failures) > 0 {
		res.Status = Failed
	}
	return res
}

// secrets are the forms of the password that must not be printed: as it
// is, and in a Basic Authorization header.
func (r *run) secrets() []string {
	return []string{r.password, basic(r.username, r.password)}
}

func (res *Result) errored(err error) *Result {
	res.Status, res.Failures = Errored, []string{err.Error()}
	return res
}
