package clientcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/autosync/autosync/features"
)

// Scenario is one state and misbehaviour of the reference server that a
// command is run against, and how what it did is judged.
type Scenario struct {
	// ID is a short name for the scenario, e.g. "refused-401".
	ID string
	// Name is the scenario as a sentence: the state and what passes.
	Name string
	// Tags say what it judges, e.g. "@retry"; every scenario also judges
	// the common checks (see Checks).
	Tags []string
	// HTTPSOnly is set for the scenarios that need HTTPS (skipped with
	// --http).
	HTTPSOnly bool

	file          []byte
	wrongPassword bool   // the server's admin has another password than {password}
	maxBody       int64  // the server's body limit; 0 for the default
	fault         string // a fault for /_mock/faults, as JSON
	misbehave     misbehaviour
	judge         func(j *judging) []string
}

// misbehaviour is what the scenario's server does instead of answering as
// the reference does.
type misbehaviour int

const (
	asReference   misbehaviour = iota
	hang                       // holds the first import's answer back until the command ends
	redirectHost               // answers every import with a redirect to another host
	redirectPlain              // answers every import with a redirect to plain HTTP
	untrusted                  // presents a certificate from an authority the command was not given
)

// Check is one thing verify-client judges a command by: a tag of the
// scenarios, and the rule of its reports.
type Check struct {
	Tag       string
	Kind      features.Kind // documented where the documents say it; decided otherwise
	Statement string
	// Common says every scenario judges it.
	Common bool
}

// Checks lists what verify-client judges, in the order its reports list
// them.
func Checks() []Check {
	D, X := features.Documented, features.Decided
	return []Check{
		{"@request", D, "The import is one POST to " + importPath + ", the file as the first file part of a multipart/form-data body, byte for byte, with the admin's Basic credentials (in the header or the URL).", false},
		{"@success", X, "An import the server took whole, with success true, exits 0.", false},
		{"@rows-failed", X, "Rows that failed (200, success false) make a non-zero exit: a scheduler judges a run by its exit status alone.", false},
		{"@refused", X, "A refusal (401, 400 with a summary, 413) makes a non-zero exit, and the file is not sent again: a 4xx answer is final.", false},
		{"@server-error", X, "A 503, or a proxy's HTML 502, makes a non-zero exit, or a retry after a pause that imports.", false},
		{"@connection", X, "A reset connection, or an answer cut off half-way, makes a non-zero exit, or a retry after a pause that imports.", false},
		{"@redirect", X, "A redirect to another host, or from HTTPS to plain HTTP, does not take the credentials there, nor ends as a success.", false},
		{"@certificate", X, "A certificate from an authority the command was not told to trust is refused: nothing is sent, and the command exits non-zero.", false},
		{"@password", X, "The password does not appear in the command's output, neither as it is nor in a Basic Authorization header.", true},
		{"@time-limit", X, "The command ends by itself within --timeout; one still running then is stopped, and fails.", true},
		{"@exit-status", X, "Exit status 0 only when the server imported the file and the command read the whole answer, with success true.", true},
		{"@retry", X, "A request sent again comes at least " + minPause.String() + " after the previous answer, and the file is sent at most " + fmt.Sprint(maxSends) + " times.", true},
	}
}

// The bounds of a retry: the pause before it, and how many times a file
// may be sent in one scenario.
const (
	minPause     = 500 * time.Millisecond
	promptAnswer = time.Second
	maxSends     = 6
)

// The files the scenarios send.
var (
	// goodFile is a file the reference imports whole. Its line ends are
	// CRLF, it holds letters beyond ASCII and a quoted comma, so that a
	// client that rewrites the file on the way is seen.
	goodFile = []byte("username,enabled,staffmember,givenname,surname,emailaddress,graduationyear,formclass\r\n" +
		"tane.ngata,Y,N,Tāne,Ngata,tane.ngata@school.example,2031,\"7A, Room 12\"\r\n" +
		"zoe.muller,Y,N,Zoë,Müller,zoe.muller@school.example,2030,8B\r\n" +
		"r.okafor,Y,Y,Rita,Okafor,r.okafor@school.example,,\r\n")
	// rowsFailFile has one row the reference fails (its email address).
	rowsFailFile = []byte("username,enabled,staffmember,givenname,surname,emailaddress,graduationyear,formclass\r\n" +
		"tane.ngata,Y,N,Tāne,Ngata,tane.ngata@school.example,2031,7A\r\n" +
		"zoe.muller,Y,N,Zoë,Müller,zoe.muller@@school,2030,8B\r\n" +
		"r.okafor,Y,Y,Rita,Okafor,r.okafor@school.example,,\r\n")
	// noUsernameFile has no username column: the reference refuses it
	// whole (400, R-CSV-3).
	noUsernameFile = []byte("givenname,surname,emailaddress\r\nRita,Okafor,r.okafor@school.example\r\n")
	// largeFile is larger than largeLimit, the body limit of the 413
	// scenario.
	largeFile  = large()
	largeLimit = int64(16 << 10)
)

func large() []byte {
	var b bytes.Buffer
	b.WriteString("username,enabled,staffmember,givenname,surname,emailaddress\r\n")
	for i := 0; b.Len() < 48<<10; i++ {
		fmt.Fprintf(&b, "staff%04d,Y,Y,Rita,Okafor,staff%04d@school.example\r\n", i, i)
	}
	return b.Bytes()
}

// Scenarios returns the scenarios, in the order they are reported.
func Scenarios() []Scenario {
	once := func(what string) func(j *judging) []string {
		return func(j *judging) []string { return j.sentAtMostOnce(what) }
	}
	transient := func(j *judging) []string { return nil } // the common judges say it all
	return []Scenario{
		{ID: "imported", Name: "A good file is sent as the documents say: one POST of the file, whole, as a multipart file part, with the admin's Basic credentials, and the command exits 0",
			Tags: []string{"@request", "@success"}, file: goodFile, judge: (*judging).sentAsDocumented},
		{ID: "rows-failed", Name: "Some rows fail (200, success false): the command exits non-zero",
			Tags: []string{"@rows-failed"}, file: rowsFailFile, judge: once("a processed file is not sent again: it would be imported twice")},
		{ID: "refused-401", Name: "The credentials are refused (401): the command exits non-zero and does not send again",
			Tags: []string{"@refused"}, file: goodFile, wrongPassword: true, judge: once("a 401 is final: sending again cannot mend the password, and may lock the account")},
		{ID: "refused-400", Name: "The file is refused whole (400 with a summary): the command exits non-zero and does not send again",
			Tags: []string{"@refused"}, file: noUsernameFile, judge: once("a 400 is final: the same file is refused again")},
		{ID: "refused-413", Name: "The file is over the server's limit (413): the command exits non-zero and does not send again",
			Tags: []string{"@refused"}, file: largeFile, maxBody: largeLimit, judge: once("a 413 is final: the same file is too large again")},
		{ID: "unavailable-503", Name: "The service is unavailable once (503): the command exits non-zero, or pauses, sends again and exits 0 once imported",
			Tags: []string{"@server-error", "@retry"}, file: goodFile, fault: `{"status": 503}`, judge: transient},
		{ID: "proxy-502-html", Name: "A proxy answers once with an HTML page (502): the command exits non-zero, or pauses, sends again and exits 0 once imported",
			Tags: []string{"@server-error", "@retry"}, file: goodFile, fault: `{"status": 502, "body": "html"}`, judge: transient},
		{ID: "reset", Name: "The connection is reset once, without an answer: the command exits non-zero, or pauses, sends again and exits 0 once imported",
			Tags: []string{"@connection", "@retry"}, file: goodFile, fault: `{"reset": true}`, judge: transient},
		{ID: "cut-off", Name: "The answer is cut off half-way once (the file was imported): the command exits non-zero, or pauses, sends again and exits 0 once imported",
			Tags: []string{"@connection", "@retry"}, file: goodFile, fault: `{"truncate": true}`, judge: transient},
		{ID: "no-answer", Name: "The answer never comes: the command gives up by itself within --timeout",
			Tags: []string{"@time-limit"}, file: goodFile, misbehave: hang, judge: transient},
		{ID: "redirect-host", Name: "The import is redirected to another host (307): the command does not send the credentials there, and exits non-zero",
			Tags: []string{"@redirect"}, file: goodFile, misbehave: redirectHost, judge: (*judging).noCredentialsElsewhere},
		{ID: "redirect-http", Name: "The import is redirected from HTTPS to plain HTTP (307): the command does not send the credentials there, and exits non-zero",
			Tags: []string{"@redirect"}, HTTPSOnly: true, file: goodFile, misbehave: redirectPlain, judge: (*judging).noCredentialsElsewhere},
		{ID: "untrusted-certificate", Name: "The server's certificate is signed by an authority the command was not told to trust: it refuses, and sends nothing",
			Tags: []string{"@certificate"}, HTTPSOnly: true, file: goodFile, misbehave: untrusted, judge: (*judging).sentNothing},
	}
}

// AllTags returns the scenario's tags and the common ones, as reports
// show them.
func (s Scenario) AllTags() []string {
	tags := append([]string{}, s.Tags...)
	for _, c := range Checks() {
		if c.Common && !contains(tags, c.Tag) {
			tags = append(tags, c.Tag)
		}
	}
	return tags
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// judging is what a scenario's judge looks at: the scenario, what the
// command did, and what it was given.
type judging struct {
	s                  *Scenario
	o                  *Outcome
	username, password string
	timeout            string
}

// imports returns the requests the import server received.
func (j *judging) imports() []Request {
	var out []Request
	for _, r := range j.o.Requests {
		if r.Server == serverImport {
			out = append(out, r)
		}
	}
	return out
}

// exitChecks are the checks that are about the exit status: a scenario
// whose command exits 0 where the import did not happen fails those of its
// own tags, and @exit-status.
var exitChecks = map[string]bool{"@rows-failed": true, "@refused": true, "@server-error": true, "@connection": true, "@redirect": true, "@certificate": true}

// finding is one thing the command did wrong, and the checks it fails.
type finding struct {
	tags []string
	msg  string
}

// judge judges the scenario: its own judge's findings fail its own tags,
// the common ones theirs.
func (j *judging) judge() []finding {
	var out []finding
	for _, msg := range j.s.judge(j) {
		out = append(out, finding{j.s.Tags, msg})
	}
	return append(out, j.common()...)
}

// common judges what every scenario judges. An exit status 0 where the
// import did not happen fails the scenario's own checks of the exit status
// too (exitChecks): it is what most scenarios are about.
func (j *judging) common() []finding {
	var out []finding
	for _, l := range j.o.leaks {
		out = append(out, finding{[]string{"@password"}, "the password appears in its " + l + ": a log of the job would hold it"})
	}
	if j.o.Killed {
		out = append(out, finding{[]string{"@time-limit"}, fmt.Sprintf("still running after %s, and stopped: it has no time limit of its own; give it one below --timeout (curl --max-time, autosync push --timeout, requests' timeout=)", j.timeout)})
	}
	reqs := j.imports()
	if j.o.ExitCode == 0 && !j.o.Killed {
		if msg := exitZeroWrong(reqs); msg != "" {
			tags := []string{"@exit-status"}
			for _, t := range j.s.Tags {
				if exitChecks[t] {
					tags = append(tags, t)
				}
			}
			out = append(out, finding{tags, msg})
		}
	}
	if msg := hastyRetry(reqs); msg != "" {
		out = append(out, finding{[]string{"@retry"}, msg})
	}
	if len(reqs) > maxSends {
		out = append(out, finding{[]string{"@retry"}, fmt.Sprintf("sent the file %d times: a retry needs a limit", len(reqs))})
	}
	return out
}

// hastyRetry says which request of reqs was sent again without a pause
// after the answer to the one before, or "". The pause is measured from
// the moment the server began to answer (the command cannot have learnt
// the answer before) to the moment the next request's connection was
// accepted (it cannot have been sent after), so it is never shorter than
// the command's own: a busy machine lengthens it, never shortens it. It
// is judged only after an answer the server began promptly (within
// promptAnswer of the request's arrival): after a slow one the command may
// have given up on its own, before the answer, and paused from then.
func hastyRetry(reqs []Request) string {
	for i := 1; i < len(reqs); i++ {
		prev, next := reqs[i-1], reqs[i]
		if prev.Answered.IsZero() || prev.Answered.Sub(prev.Arrived) > promptAnswer {
			continue
		}
		if gap := next.Arrived.Sub(prev.Answered); gap < minPause {
			return fmt.Sprintf("sent again %s after the previous answer (%s): a retry needs a pause, a second or more, for a busy server to recover",
				max(gap, 0).Round(time.Millisecond), prev.outcome())
		}
	}
	return ""
}

// exitZeroWrong says why exit status 0 was wrong after reqs, or "" when the
// last import was whole and successful.
func exitZeroWrong(reqs []Request) string {
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].answerSuccess() {
			return ""
		}
	}
	if len(reqs) == 0 {
		return "exited 0, but no request reached the server: nothing was imported"
	}
	last := reqs[len(reqs)-1]
	switch {
	case last.Imported && last.Aborted:
		return "exited 0, but the answer was cut off half-way: it cannot know whether the file was imported"
	case last.Aborted:
		return "exited 0, but the server gave no answer (" + last.outcome() + "): nothing was imported"
	case last.Status == http.StatusOK:
		return "exited 0, but the answer said success false (" + summary(last.Answer) + "): a scheduler would show success while rows failed"
	}
	return "exited 0, but the server answered " + last.outcome() + ": nothing was imported, and a scheduler would show success"
}

// sentAtMostOnce fails a command that sent the file more than once.
func (j *judging) sentAtMostOnce(why string) []string {
	if n := len(j.imports()); n > 1 {
		return []string{fmt.Sprintf("sent the file %d times: %s", n, why)}
	}
	return nil
}

// sentAsDocumented judges the request of the "imported" scenario.
func (j *judging) sentAsDocumented() []string {
	reqs := j.imports()
	var out []string
	switch {
	case len(reqs) == 0:
		msg := "no request reached the server"
		if len(j.o.Handshakes) > 0 {
			msg += " (the TLS handshake failed: " + j.o.Handshakes[0] + "; does it trust {cacert}, and speak HTTPS to {url}?)"
		}
		return []string{msg}
	case len(reqs) > 1:
		out = append(out, fmt.Sprintf("sent %d requests; want one POST", len(reqs)))
	}
	r := reqs[0]
	if r.Method != http.MethodPost {
		out = append(out, fmt.Sprintf("the request is %s; want POST", r.Method))
	}
	if r.path != importPath {
		out = append(out, fmt.Sprintf("the request went to %s; want %s", r.path, importPath))
	}
	user, pass, ok := r.credentials()
	switch {
	case !ok && r.Header.Get("Authorization") != "":
		out = append(out, "the Authorization header is not Basic credentials (Basic base64(username:password))")
	case !ok:
		out = append(out, "the request carries no credentials: give the admin's with Basic Auth, in the header or the URL")
	case user != j.username:
		out = append(out, fmt.Sprintf("the credentials are for user %q; want {username}, %q", user, j.username))
	case pass != j.password:
		out = append(out, "the credentials' password is not {password}")
	}
	part, err := r.filePart()
	switch {
	case err != nil:
		out = append(out, err.Error())
	case !bytes.Equal(part, j.s.file):
		out = append(out, "the file part is not the file byte for byte: "+difference(part, j.s.file))
	}
	if j.o.ExitCode != 0 && !j.o.Killed && r.answerSuccess() {
		out = append(out, fmt.Sprintf("exited %d although the file was imported whole (200, success true): a scheduler would show a failure every night", j.o.ExitCode))
	}
	return out
}

// difference says how sent differs from file.
func difference(sent, file []byte) string {
	switch {
	case bytes.Equal(sent, bytes.ReplaceAll(file, []byte("\r\n"), []byte("\n"))):
		return "its line ends were changed from CRLF to LF"
	case bytes.Equal(bytes.TrimPrefix(sent, []byte("\xef\xbb\xbf")), file):
		return "a byte-order mark was put before it"
	case bytes.Equal(bytes.TrimRight(sent, "\r\n"), bytes.TrimRight(file, "\r\n")):
		return "its last line end was changed"
	}
	i := 0
	for i < len(sent) && i < len(file) && sent[i] == file[i] {
		i++
	}
	return fmt.Sprintf("%d bytes sent for a file of %d, the first difference at byte %d", len(sent), len(file), i)
}

// noCredentialsElsewhere fails a command that sent the credentials where a
// redirect pointed.
func (j *judging) noCredentialsElsewhere() []string {
	var out []string
	for _, r := range j.o.Requests {
		if r.Server == serverImport {
			continue
		}
		if r.Header.Get("Authorization") != "" {
			out = append(out, fmt.Sprintf("followed the redirect to %s and sent the credentials there", r.URL))
		}
	}
	return out
}

// sentNothing fails a command that went on past a certificate it was not
// told to trust.
func (j *judging) sentNothing() []string {
	if reqs := j.imports(); len(reqs) > 0 {
		what := "without credentials"
		if reqs[0].Header.Get("Authorization") != "" {
			what = "with the credentials"
		}
		return []string{fmt.Sprintf("accepted a certificate from an authority it was not told to trust, and sent %s %s %s", reqs[0].Method, reqs[0].path, what)}
	}
	return nil
}

// outcome names what a request was answered, e.g. "503 Service
// Unavailable" or "the connection reset".
func (r *Request) outcome() string {
	switch {
	case r.Status == 0 && r.End.IsZero():
		return "no answer"
	case r.Status == 0:
		return "the connection closed without an answer"
	case r.Aborted:
		return fmt.Sprintf("%d %s, cut off", r.Status, http.StatusText(r.Status))
	}
	s := fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
	if ct := r.answerType(); ct != "" && !strings.HasPrefix(ct, "application/json") {
		s += " (" + ct + ")"
	}
	return s
}

// summary returns the summary of a JSON answer, or the start of the answer.
func summary(answer []byte) string {
	var a struct {
		Summary string `json:"summary"`
	}
	if json.Unmarshal(answer, &a) == nil && a.Summary != "" {
		return a.Summary
	}
	s := strings.TrimSpace(string(answer))
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return fmt.Sprintf("%q", s)
}
