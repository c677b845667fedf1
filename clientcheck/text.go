package clientcheck

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/autosync/autosync/internal/safe"
)

// maxShownOutput is how much of each of the command's outputs a text
// report shows.
const maxShownOutput = 2000

// List writes the scenarios, what each judges, and the placeholders.
func List(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintln(&b, "Scenarios (each a reference server of its own, in HTTPS unless --http):")
	for _, s := range Scenarios() {
		https := ""
		if s.HTTPSOnly {
			https = " (HTTPS only)"
		}
		fmt.Fprintf(&b, "  %-22s %s%s\n  %-22s %s\n", s.ID, s.Name, https, "", strings.Join(s.Tags, " "))
	}
	fmt.Fprintln(&b, "\nEvery scenario also judges:")
	for _, c := range Common {
		fmt.Fprintf(&b, "  %-13s %s\n", c.Tag, c.Sentence)
	}
	fmt.Fprintln(&b, "\nPlaceholders in the command's arguments, and the environment variables that hold the same:")
	for _, p := range Placeholders {
		fmt.Fprintf(&b, "  %-11s %-18s %s\n", p.Name, p.Env, p.Meaning)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Title is the report's first line: the command, as given.
func (r *Report) Title() string {
	mode := "HTTPS"
	if r.HTTP {
		mode = "plain HTTP"
	}
	return fmt.Sprintf("autosync verify-client: %s (%s, --timeout %s)", shellQuote(r.Command), mode, r.Timeout)
}

// SummaryLine counts the scenarios by status.
func (r *Report) SummaryLine() string {
	c := r.Counts()
	return fmt.Sprintf("%d scenarios: %d passed, %d failed, %d skipped, %d errors (%s)",
		len(r.Results), c[Passed], c[Failed], c[Skipped], c[Errored], r.Duration.Round(1e7))
}

// WritePretty writes one line a scenario, then what each that did not pass
// did, with the requests its servers received (credentials redacted) and
// the command's outputs (the password replaced), made safe to print on a
// terminal.
func (r *Report) WritePretty(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", r.Title())
	for _, res := range r.Results {
		fmt.Fprintf(&b, "%-8s %-22s %s\n", res.Status, res.Scenario.ID, res.Scenario.Name)
		if res.Reason != "" {
			fmt.Fprintf(&b, "%-8s %-22s (%s)\n", "", "", res.Reason)
		}
	}
	for _, res := range r.Results {
		if res.Status != Failed && res.Status != Errored {
			continue
		}
		fmt.Fprintf(&b, "\n--- %s %s [%s]\n    %s\n", strings.ToUpper(res.Status.String()), res.Scenario.ID,
			strings.Join(res.Scenario.AllTags(), " "), res.Scenario.Name)
		b.WriteString(indent(res.Detail(maxShownOutput), "    "))
	}
	fmt.Fprintf(&b, "\n%s\n", r.SummaryLine())
	_, err := io.WriteString(w, safe.Lines(r.redact(b.String())))
	return err
}

// Detail says why a scenario did not pass: its failures, how the command
// ended, its outputs (each cut to limit bytes; 0 for all that was kept)
// and the requests the servers received.
func (res *Result) Detail(limit int) string {
	var b strings.Builder
	for _, f := range res.Failures {
		fmt.Fprintf(&b, "- %s\n", f)
	}
	o := res.Outcome
	if o == nil {
		return b.String()
	}
	if o.Killed {
		fmt.Fprintf(&b, "\nstopped after %s\n", o.Duration.Round(1e7))
	} else {
		fmt.Fprintf(&b, "\nexit status %d after %s\n", o.ExitCode, o.Duration.Round(1e7))
	}
	for _, out := range []struct {
		name, text string
		cut        bool
	}{{"standard output", o.Stdout, o.StdoutCut}, {"standard error", o.Stderr, o.StderrCut}} {
		text := strings.TrimRight(overwritten(out.text), "\n")
		if text == "" {
			continue
		}
		if limit > 0 && len(text) > limit {
			text, out.cut = text[:limit], true
		}
		if out.cut {
			text += "\n…"
		}
		fmt.Fprintf(&b, "%s:\n%s", out.name, indent(text, "  "))
	}
	for _, h := range o.Handshakes {
		fmt.Fprintf(&b, "TLS handshake failed: %s\n", h)
	}
	if len(o.Requests) == 0 {
		b.WriteString("no request reached the servers\n")
	}
	for i, x := range o.Requests {
		fmt.Fprintf(&b, "request %d, at the %s server, %s after the start:\n%s", i+1, x.Server,
			x.Start.Sub(o.start).Round(1e6), indent(x.String(), "  "))
	}
	return b.String()
}

// String writes the request as a report shows it: its line and header,
// the Authorization header's credentials replaced, the size of its body,
// and the answer.
func (x Request) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", x.Method, x.URL)
	keys := make([]string, 0, len(x.Header))
	for k := range x.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range x.Header[k] {
			if k == "Authorization" {
				v = redactAuthorization(x)
			}
			fmt.Fprintf(&b, "> %s: %s\n", k, v)
		}
	}
	if len(x.Body) > 0 {
		cut := ""
		if x.BodyCut {
			cut = " or more"
		}
		fmt.Fprintf(&b, "> (a body of %d bytes%s)\n", len(x.Body), cut)
	}
	switch {
	case x.Status == 0:
		fmt.Fprintf(&b, "< (%s)\n", x.outcome())
		return b.String()
	case x.Aborted:
		fmt.Fprintf(&b, "< %d %s (cut off)\n", x.Status, http.StatusText(x.Status))
	default:
		fmt.Fprintf(&b, "< %d %s\n", x.Status, http.StatusText(x.Status))
	}
	if loc := x.AnswerHeader.Get("Location"); loc != "" {
		fmt.Fprintf(&b, "< Location: %s\n", loc)
	}
	if len(x.Answer) > 0 {
		answer := strings.TrimRight(string(x.Answer), "\n")
		if len(answer) > 500 {
			answer = answer[:500] + "…"
		}
		b.WriteString(indent(answer, "<   "))
	}
	return b.String()
}

// redactAuthorization shows whose Basic credentials a request carried,
// never the password.
func redactAuthorization(x Request) string {
	user, _, ok := x.credentials()
	if !ok {
		return "(not Basic credentials, not shown)"
	}
	return fmt.Sprintf("Basic (user %q, password not shown)", user)
}

func indent(s, mark string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line != "" {
			b.WriteString(mark)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// shellQuote writes argv as a shell would read it back.
func shellQuote(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@{},+%", r))
		}) < 0 {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}

// overwritten writes each line as a terminal would leave it: what a
// carriage return went back over (a progress meter) is not shown.
func overwritten(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		line = strings.TrimRight(line, "\r")
		if j := strings.LastIndexByte(line, '\r'); j >= 0 {
			line = line[j+1:]
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}
