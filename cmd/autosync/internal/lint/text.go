package lint

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/autosync/autosync/internal/safe"
	"github.com/autosync/autosync/mockserver/preview"
)

// WriteText writes the report for a person: a summary line, then one line a
// problem, each with its fix where there is one.
func (r *Report) WriteText(w io.Writer) error {
	n := r.Errors + r.Warnings
	_, err := fmt.Fprintf(w, "%s: %s %s, %s %s\n", safe.Text(r.File), thousands(r.Rows), pluralWord(r.Rows, "row"), thousands(n), pluralWord(n, "problem"))
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if p := r.Preview; p != nil {
		fmt.Fprintf(w, "preview: %s\n", p.Summary())
		for _, c := range p.Changes {
			fmt.Fprintf(w, "    line %d (row %d), %s: %s\n", c.Line, c.Row, safe.Text(c.Username), Changes(c.Fields))
		}
		if p.MoreChanges > 0 {
			fmt.Fprintf(w, "    … and %s more %s\n", thousands(p.MoreChanges), pluralWord(p.MoreChanges, "update"))
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(w, "%s\n", p.String())
		if p.Fix != "" {
			fmt.Fprintf(w, "    fix: %s\n", safe.Text(p.Fix))
		}
	}
	if r.LeftOut > 0 {
		fmt.Fprintf(w, "… and %s more %s, counted above but not listed (the first %s are)\n",
			thousands(r.LeftOut), pluralWord(r.LeftOut, "problem"), thousands(len(r.Problems)))
	}
	return nil
}

// Changes writes a row's changed fields on one line: formclass "7A" → "8A",
// password (a new one). Values are escaped for a terminal.
func Changes(fields []preview.FieldChange) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if f.Secret {
			out[i] = f.Column + " (a new one)"
			continue
		}
		out[i] = fmt.Sprintf("%s %s → %s", f.Column, shorten(f.Old), shorten(f.New))
	}
	return strings.Join(out, ", ")
}

// String writes a problem on one line: where, what, and the rule.
func (p Problem) String() string {
	s := ""
	if p.Severity != Error {
		s = string(p.Severity) + ": "
	}
	switch {
	case p.Row > 0:
		s += fmt.Sprintf("line %d (row %d)", p.Line, p.Row)
	case p.Line > 0:
		s += fmt.Sprintf("line %d", p.Line)
	default:
		s += "file"
	}
	if p.Column != "" {
		s += ", " + safe.Text(p.Column)
	}
	if p.Value != "" && p.Row > 0 {
		s += " " + shorten(p.Value)
	}
	s += ": " + safe.Text(p.Message)
	if p.Rule != "" {
		s += " [" + p.Rule + "]"
	}
	return s
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// thousands writes n with commas: 1,204.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// shorten quotes a value, cutting a long one to its start and its length.
func shorten(v string) string {
	const keep = 40
	n := 0
	for i := range v {
		if n == keep {
			return strconv.Quote(v[:i]) + fmt.Sprintf("… (%d characters)", utf8.RuneCountInString(v))
		}
		n++
	}
	return strconv.Quote(v)
}
