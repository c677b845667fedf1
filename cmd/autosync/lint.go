package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/mockserver/rules"
)

type lintConfig struct {
	existing         string
	previous         string
	format           string
	warningsAsErrors bool
	levels, groups   declaredList
}

func lintFlags(c *lintConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.StringVar(&c.existing, "existing", "", "an earlier export (CSV) or a /_mock/patrons dump (JSON) `FILE`: its usernames are judged as updates, not new patrons")
	fs.StringVar(&c.previous, "previous", "", "the last `FILE` the target accepted: warn of what push would hold back (leading zeros lost, mass changes, a changed username scheme); its usernames are judged as updates unless --existing is given")
	fs.StringVar(&c.format, "format", "text", "`format` of the report: text or json")
	fs.BoolVar(&c.warningsAsErrors, "warnings-as-errors", false, "exit 1 on warnings too")
	c.levels = rules.DefaultAcademicLevels()
	fs.Var(&c.levels, "academic-levels", "the academic level import `IDs` your server declares")
	c.groups = rules.DefaultPresentationGroups()
	fs.Var(&c.groups, "presentation-groups", "the current presentation `groups` on your server")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync lint [flags] FILE|-

Checks an export offline with the server's own rules, and says how to fix each
problem: the file's encoding, delimiter and columns first, then every row the
server would reject (as a new patron, unless --existing says otherwise), then
what Excel does that the server accepts but that corrupts data.

Example:
  autosync lint users.csv
  autosync lint --existing last-night.csv --academic-levels 7,8,9,10,11,12 users.csv
  autosync lint --previous last-accepted.csv users.csv

Exit codes: 0 clean, 1 problems the server would reject (or any warning, with
--warnings-as-errors), 2 bad usage or an unreadable file.

Flags:
`)
		writeFlags(fs, nil)
	}
	return fs
}

func runLint(ctx context.Context, e env, args []string) int {
	var c lintConfig
	fs := lintFlags(&c)
	files, code, ok := parseFlags(fs, e, args, nil)
	if !ok {
		return code
	}
	if len(files) != 1 {
		fmt.Fprintln(e.stderr, "autosync lint: name one file, or - for standard input")
		return exitUsage
	}
	if c.format != "text" && c.format != "json" {
		fmt.Fprintf(e.stderr, "autosync lint: --format %q: want text or json\n", c.format)
		return exitUsage
	}
	rep, err := lintFile(ctx, e, &c, files[0])
	if err != nil {
		fmt.Fprintf(e.stderr, "autosync lint: %v\n", err)
		return exitUsage
	}
	if c.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(rep)
	} else {
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "autosync lint: %v\n", err)
		return exitUsage
	}
	if rep.Errors > 0 || (c.warningsAsErrors && rep.Warnings > 0) {
		return exitFail
	}
	return exitOK
}

// lintFile checks the named file, or standard input for "-".
func lintFile(ctx context.Context, e env, c *lintConfig, name string) (*lint.Report, error) {
	var f *os.File
	if name == "-" {
		// Standard input is read more than once: keep a copy.
		tmp, err := os.CreateTemp("", "autosync-lint-*.csv")
		if err != nil {
			return nil, fmt.Errorf("spool standard input: %w", err)
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if _, err := io.Copy(tmp, e.stdin); err != nil {
			return nil, fmt.Errorf("read standard input: %w", err)
		}
		f, name = tmp, "(standard input)"
	} else {
		if fi, err := os.Stat(name); err == nil && fi.IsDir() {
			return nil, fmt.Errorf("%s is a folder: name the CSV file in it", name)
		}
		var err error
		if f, err = os.Open(name); err != nil {
			return nil, err
		}
		defer f.Close()
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	existing := c.existing
	if existing == "" {
		existing = c.previous
	}
	if c.previous == "" {
		return checkFile(ctx, f, name, c.levels, c.groups, existing)
	}
	prev, err := os.Open(c.previous)
	if err != nil {
		return nil, fmt.Errorf("--previous: %w", err)
	}
	defer prev.Close()
	return checkFileWith(ctx, f, name, c.levels, c.groups, existing, prev)
}

// checkFile lints f as lint and push --lint do, judging the usernames of
// the file existing (if not "") as updates.
func checkFile(ctx context.Context, f io.ReadSeeker, name string, levels, groups []string, existing string) (*lint.Report, error) {
	return checkFileWith(ctx, f, name, levels, groups, existing, nil)
}

// checkFileWith is checkFile that also compares f with previous, the last
// file the target accepted, if not nil.
func checkFileWith(ctx context.Context, f io.ReadSeeker, name string, levels, groups []string, existing string, previous io.Reader) (*lint.Report, error) {
	o := lint.Options{AcademicLevels: levels, PresentationGroups: groups, Previous: previous}
	if existing != "" {
		ex, err := os.Open(existing)
		if err != nil {
			return nil, fmt.Errorf("--existing: %w", err)
		}
		defer ex.Close()
		o.Existing = ex
	}
	return lint.Check(ctx, f, name, o)
}
