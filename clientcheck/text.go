package clientcheck

import (
	"fmt"
	"io"
	"strings"
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
	fmt.Fprintln(&b, "\nWhat the tags judge (every scenario also judges the last four):")
	for _, c := range Checks() {
		fmt.Fprintf(&b, "  %-14s %s\n", c.Tag, c.Statement)
	}
	fmt.Fprintln(&b, "\nPlaceholders in the command's arguments, and the environment variables that hold the same:")
	for _, p := range Placeholders {
		fmt.Fprintf(&b, "  %-11s %-18s %s\n", p.Name, p.Env, p.Meaning)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// failure says why a scenario did not pass: its failures, how the command
// ended, its outputs (each cut to maxShownOutput) and the TLS handshakes
// that failed. The requests are the report's exchanges.
func (res *Result) failure() string {
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
		if len(text) > maxShownOutput {
			text, out.cut = text[:maxShownOutput], true
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
