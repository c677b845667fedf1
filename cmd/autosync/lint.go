package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/internal/atomicfile"
	"github.com/autosync/autosync/internal/filekind"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
)

type lintConfig struct {
	existing         string
	previous         string
	format           string
	warningsAsErrors bool
	levels, groups   declaredList
	hold             preview.Thresholds
}

func lintFlags(c *lintConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.StringVar(&c.existing, "existing", "", "an earlier export (CSV) or a /_mock/patrons dump (JSON) `FILE`: its usernames are judged as updates, not new patrons, and the report previews the changes against its patrons")
	fs.StringVar(&c.previous, "previous", "", "the last `FILE` the target accepted: its patrons are known (read after --existing's), the report previews what the file would change among them, and warns of what push would hold back (leading zeros lost, mass changes, a changed username scheme)")
	holdFlags(fs, &c.hold)
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
	if err := c.hold.Check(); err != nil {
		fmt.Fprintf(e.stderr, "autosync lint: %v\n", err)
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
		tmp, err := atomicfile.Create("", "autosync-lint-*.csv") // the export's passwords: the owner's alone
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
		var err error
		if f, err = openRegular(name); err != nil {
			return nil, err
		}
		defer f.Close()
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return checkFile(ctx, f, name, known{levels: c.levels, groups: c.groups, existing: c.existing, previous: c.previous, hold: c.hold})
}

// known is what a check of a file is told of its target: what it declares,
// and the files of the patrons it holds (each "" if not given).
type known struct {
	levels, groups     []string
	existing, previous string
	hold               preview.Thresholds
}

// checkFile lints f as lint and push do: the usernames of k's files are
// judged as updates, and the report's preview says what f would change
// among their patrons.
func checkFile(ctx context.Context, f io.ReadSeeker, name string, k known) (*lint.Report, error) {
	o := lint.Options{AcademicLevels: k.levels, PresentationGroups: k.groups, Hold: k.hold}
	for _, file := range [...]struct {
		flag, path string
		dst        *io.ReadSeeker
	}{{"--existing", k.existing, &o.Existing}, {"--previous", k.previous, &o.Previous}} {
		if file.path == "" {
			continue
		}
		fh, err := openRegular(file.path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file.flag, err)
		}
		defer fh.Close()
		*file.dst = fh
	}
	return lint.Check(ctx, f, name, o)
}

// openRegular opens the named file for reading, refusing anything but a
// regular file first: a named pipe would block the command for good (and
// a file is read more than once), a folder or a device is not an export.
func openRegular(name string) (*os.File, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	switch m := fi.Mode(); {
	case m.IsDir():
		return nil, fmt.Errorf("%s is a folder: name the CSV file in it", name)
	case !m.IsRegular():
		return nil, fmt.Errorf("%s is %s, not a regular file: give the path of a CSV file (for standard input, give -)", name, filekind.Of(m))
	}
	return os.Open(name)
}
