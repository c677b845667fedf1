package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/autosync/autosync/fixtures/fake"
	"github.com/autosync/autosync/mockserver/rules"
)

type fakeConfig struct {
	rows       int
	seed       uint64
	staffRatio float64
	columns    string
	domain     string
	passwords  bool
	invalid    float64
	faults     string
	expect     string
	updateFrom string
	deactivate float64
	rekey      bool
	dialect    string
	levels     declaredList
	groups     declaredList
	classOf    int
	out        string
}

func fakeFlags(c *fakeConfig) *flag.FlagSet {
	fs := flag.NewFlagSet("fake", flag.ContinueOnError)
	fs.IntVar(&c.rows, "n", 100, "how many patrons (`rows`)")
	fs.Uint64Var(&c.seed, "seed", 0, "`seed`: the same seed and flags give the same file byte for byte (default: a new one, printed)")
	fs.Float64Var(&c.staffRatio, "staff-ratio", 0.08, "share of staff among the patrons (`ratio`)")
	fs.StringVar(&c.columns, "columns", "", "the `columns` to write, in order, comma-separated (default: all sixteen)")
	fs.StringVar(&c.domain, "domain", "example.edu", "e-mail `domain` of the addresses")
	fs.BoolVar(&c.passwords, "passwords", false, "give every patron a password")
	fs.Float64Var(&c.invalid, "invalid", 0, "share of rows that break one rule each (`rate`, 0 to 1)")
	fs.StringVar(&c.faults, "fault", "", "the `kinds` of fault to make, comma-separated (default: all; with --invalid 0.1 unless --invalid is given): "+faultList())
	fs.StringVar(&c.expect, "expect", "", "write the exact JSON the reference server answers for the file, imported into an empty server, to `FILE`")
	fs.StringVar(&c.updateFrom, "update-from", "", "write the next night's incremental file for the patrons of `FILE` instead")
	fs.Float64Var(&c.deactivate, "deactivate", 0, "with --update-from: a bad night instead, switching off this `share` of the enabled patrons at once (the guard holds more than 0.1)")
	fs.BoolVar(&c.rekey, "rekey", false, "with --update-from: a bad night instead, every patron again under a new username (a re-keyed export; the guard holds it)")
	fs.StringVar(&c.dialect, "dialect", "", "write as real exports do, comma-separated `dialects`: "+strings.Join(fake.DialectNames(), ", "))
	c.levels = rules.DefaultAcademicLevels()
	fs.Var(&c.levels, "academic-levels", "the declared academic level import `IDs`, lowest first")
	c.groups = rules.DefaultPresentationGroups()
	fs.Var(&c.groups, "presentation-groups", "the current presentation `groups`, youngest first")
	fs.IntVar(&c.classOf, "class-of", 0, "the `year` the top level graduates (default: this year; from December, next year)")
	fs.StringVar(&c.out, "out", "", "write the CSV to `FILE` (default standard output)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: autosync fake [flags] > users.csv

Writes a realistic school roster as an autoSync CSV: students spread over the
academic levels with matching graduation years and form classes, about 8% staff,
unique usernames, barcodes and admin ids, names with apostrophes, hyphens and
diacritics. No real person's data.

Examples:
  autosync fake -n 1200 --seed 7 > users.csv                  # a plausible school, every row valid
  autosync fake -n 500 --invalid 0.1 --expect expected.json > users.csv
  autosync fake --fault bad-email,bad-gender --invalid 0.2 > faulty.csv
  autosync fake --update-from users.csv --seed 8 > nightly.csv # the next night's incremental file
  autosync fake --update-from users.csv --deactivate 0.3 > bad.csv # a bad night: 30% switched off
  autosync fake -n 50 --dialect bom,crlf,excel > excel-export.csv

Exit codes: 0 written, 1 the file could not be written, 2 bad flags.

Flags:
`)
		writeFlags(fs, nil)
	}
	return fs
}

func faultList() string {
	var names []string
	for _, f := range fake.AllFaults() {
		names = append(names, fmt.Sprintf("%s (%s)", f, f.Rule()))
	}
	return strings.Join(names, ", ")
}

func runFake(ctx context.Context, e env, args []string) int {
	var c fakeConfig
	fs := fakeFlags(&c)
	rest, code, ok := parseFlags(fs, e, args, nil)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "autosync fake: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	invalidGiven := false
	fs.Visit(func(f *flag.Flag) { invalidGiven = invalidGiven || f.Name == "invalid" })
	if c.faults != "" && !invalidGiven {
		c.invalid = 0.1
	}
	if err := fakeRun(ctx, e, &c); err != nil {
		fmt.Fprintf(e.stderr, "autosync fake: %v\n", err)
		if _, ok := err.(usageError); ok {
			return exitUsage
		}
		return exitFail
	}
	return exitOK
}

func fakeRun(ctx context.Context, e env, c *fakeConfig) error {
	o := fake.Options{
		Rows: c.rows, Seed: c.seed, StaffRatio: c.staffRatio, Domain: c.domain, Passwords: c.passwords,
		InvalidRate: c.invalid, AcademicLevels: c.levels, PresentationGroups: c.groups,
		ClassOf: c.classOf, Deactivate: c.deactivate, Rekey: c.rekey,
	}
	if (c.deactivate != 0 || c.rekey) && c.updateFrom == "" {
		return usageError{"--deactivate and --rekey write a bad night: give --update-from the earlier file"}
	}
	if o.Rows < 0 {
		return usageError{fmt.Sprintf("-n %d: give how many patrons, 0 or more", o.Rows)}
	}
	var err error
	if o.Faults, err = fake.ParseFaults(c.faults); err != nil {
		return usageError{"--fault: " + err.Error()}
	}
	if o.Dialect, err = fake.ParseDialect(c.dialect); err != nil {
		return usageError{"--dialect: " + err.Error()}
	}
	for _, name := range splitList(c.columns) {
		col, ok := rules.LookupColumn(name)
		if !ok {
			return usageError{fmt.Sprintf("--columns: %q is not a recognised column", name)}
		}
		o.Columns = append(o.Columns, col)
	}

	if err := o.Check(); err != nil {
		return usageError{err.Error()}
	}
	var earlier *os.File
	if c.updateFrom != "" {
		if earlier, err = os.Open(c.updateFrom); err != nil {
			return usageError{fmt.Sprintf("--update-from: %v", err)}
		}
		defer earlier.Close()
	}
	// The seed is said once the settings are known to be good: a run that
	// writes nothing has nothing to replay.
	if o.Seed == 0 {
		o.Seed = uint64(time.Now().UnixNano())
		fmt.Fprintf(e.stderr, "autosync fake: seed %d\n", o.Seed)
	}
	var out io.Writer = e.stdout
	var file *os.File
	if c.out != "" {
		if file, err = os.Create(c.out); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		defer file.Close()
		out = file
	}
	// The expected result needs the file again: keep a copy to read back.
	var copyFile *os.File
	if c.expect != "" {
		if copyFile, err = os.CreateTemp("", "autosync-fake-*.csv"); err != nil {
			return fmt.Errorf("--expect: %w", err)
		}
		defer os.Remove(copyFile.Name())
		defer copyFile.Close()
		out = io.MultiWriter(out, copyFile)
	}

	var st fake.Stats
	if earlier != nil {
		if st, err = fake.Update(out, earlier, o); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "autosync fake: %d rows: %d patrons changed (%d leavers disabled), %d new enrolments\n",
			st.Rows, st.Changed, st.Leavers, st.Enrolled)
	} else {
		if st, err = fake.Write(out, o); err != nil {
			if errors.Is(err, fake.ErrWrite) {
				return err
			}
			return usageError{err.Error()}
		}
		fmt.Fprintf(e.stderr, "autosync fake: %d rows (%d students, %d staff), %d with a fault%s\n",
			st.Rows, st.Students, st.Staff, st.Faulty, faultCounts(st))
	}

	if c.expect != "" {
		if _, err := copyFile.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("--expect: %w", err)
		}
		ef, err := os.Create(c.expect)
		if err != nil {
			return fmt.Errorf("--expect: %w", err)
		}
		defer ef.Close()
		if err := fake.Expect(ctx, ef, copyFile, o.AcademicLevels, o.PresentationGroups); err != nil {
			return err
		}
	}
	return nil
}

func faultCounts(st fake.Stats) string {
	if st.Faulty == 0 {
		return ""
	}
	var parts []string
	for f, n := range st.Faults {
		parts = append(parts, fmt.Sprintf("%s %d", f, n))
	}
	sort.Strings(parts)
	return ": " + strings.Join(parts, ", ")
}
