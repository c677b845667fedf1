// Package lint checks an autoSync CSV export offline, with the server's own
// rule engine, and explains every problem so that a school's technician can
// fix the export: whole-file problems first (encoding, delimiter, columns),
// then each row the server would reject, then damage Excel does that the
// server would accept but that corrupts data.
package lint

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/internal/atomicfile"
	"github.com/autosync/autosync/mockserver/preview"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// Severity says how much a problem matters.
type Severity string

// The severities.
const (
	Error   Severity = "error"   // the server would reject the file or the row
	Warning Severity = "warning" // the server accepts it, but data is likely wrong
	Note    Severity = "note"    // fine; said so the technician need not wonder
)

// Problem is one finding.
type Problem struct {
	Severity Severity `json:"severity"`
	Line     int      `json:"line,omitempty"` // physical line, from 1
	Row      int      `json:"row,omitempty"`  // row number as the server counts it
	Column   string   `json:"column,omitempty"`
	Value    string   `json:"value,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	Rule     string   `json:"rule,omitempty"`
	// damage marks a warning of what a spreadsheet did to the data: push
	// holds such a file back. held marks a warning that says one of the
	// preview's holds.
	damage, held bool
}

// MaxListed is how many problems a report lists: the others are counted
// (Errors, Warnings, LeftOut) but not kept, so that a file of a million
// failing rows costs no more memory than one of a thousand.
const MaxListed = 1000

// Report is the outcome of linting one file.
type Report struct {
	File     string    `json:"file"`
	Rows     int       `json:"rows"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Problems []Problem `json:"problems"`
	// LeftOut counts the problems past the first MaxListed, counted in
	// Errors and Warnings but not listed.
	LeftOut int `json:"leftOut,omitempty"`
	// Preview is what the file would change among the known patrons
	// (Options.Existing and Options.Previous); nil without them.
	Preview *preview.Preview `json:"preview,omitempty"`
}

// MaxChanges is how many updates a report's preview keeps field by field.
const MaxChanges = 20

// add counts p and lists it, while the list has room.
func (r *Report) add(p Problem) {
	switch p.Severity {
	case Error:
		r.Errors++
	case Warning:
		r.Warnings++
	}
	if len(r.Problems) < MaxListed {
		r.Problems = append(r.Problems, p)
	} else if p.Severity != Note {
		r.LeftOut++
	}
}

// The report counts each problem once: add lists it while there is room,
// count only counts it.

// capped collects problems for a report: the first MaxListed, and the
// others only counted into the report.
type capped struct {
	list []Problem
	rep  *Report
}

func (c *capped) add(p Problem) {
	if len(c.list) < MaxListed {
		c.list = append(c.list, p)
		return
	}
	c.rep.count(p)
}

// count counts p as a problem the report does not list.
func (r *Report) count(p Problem) {
	switch p.Severity {
	case Error:
		r.Errors++
	case Warning:
		r.Warnings++
	default:
		return
	}
	r.LeftOut++
}

// Options configure a check.
type Options struct {
	// AcademicLevels and PresentationGroups are what the target declares.
	AcademicLevels     []string
	PresentationGroups []string
	// Existing, if set, is an earlier export (CSV) or a /_mock/patrons dump
	// (JSON): its usernames are judged as updates. Otherwise every row is
	// judged as a new patron, the strictest case.
	Existing io.ReadSeeker
	// Previous, if set, is the last file the target accepted, read after
	// Existing. The patrons of both are the known ones: the report's
	// preview says what the file would change among them, and what push
	// would hold back is warned of.
	Previous io.ReadSeeker
	// Hold says when changes are held back; zero is
	// preview.DefaultThresholds.
	Hold preview.Thresholds
	// KnownCount, if above 0, is how many patrons the target holds, when
	// Previous holds only those the file can touch (see
	// preview.Recorder.SetKnown).
	KnownCount int
}

// known reads the patrons of Existing and Previous into st, and says
// whether there were any files to read.
func (o Options) known(ctx context.Context, engine *rules.Engine, st *store.Store) (bool, error) {
	for _, f := range [...]struct {
		name string
		src  io.ReadSeeker
	}{{"--existing", o.Existing}, {"--previous", o.Previous}} {
		if f.src == nil {
			continue
		}
		if _, err := f.src.Seek(0, io.SeekStart); err != nil {
			return false, fmt.Errorf("%s: %w", f.name, err)
		}
		if err := loadExisting(ctx, engine, st, f.src, f.name); err != nil {
			return false, err
		}
	}
	return o.Existing != nil || o.Previous != nil, nil
}

// Check lints the CSV in src, named name in the report.
func Check(ctx context.Context, src io.ReadSeeker, name string, o Options) (*Report, error) {
	rep := &Report{File: name, Problems: []Problem{}}
	engine, err := rules.New(rules.Config{AcademicLevels: o.AcademicLevels, PresentationGroups: o.PresentationGroups, SkipPasswordHashing: true})
	if err != nil {
		return nil, err
	}
	st := store.New()
	hasKnown, err := o.known(ctx, engine, st)
	if err != nil {
		return nil, err
	}
	existing := map[string]bool{}
	for p := range st.All() {
		existing[store.Key(p.Username)] = true
	}
	var rec *preview.Recorder
	if hasKnown {
		t := o.Hold
		if t == (preview.Thresholds{}) {
			t = preview.DefaultThresholds
		}
		rec = preview.New(st, t, MaxChanges)
		if o.KnownCount > 0 {
			rec.SetKnown(o.KnownCount)
		}
	}

	wrong, err := wrongFile(src)
	if err != nil {
		return nil, err
	}
	if wrong != nil && (wrong.Kind == rules.Workbook || wrong.Kind == rules.UTF16) {
		p := wrongFileProblem(wrong) // nothing else lint could say of it would be true
		// The server names the line of the syntax error the file's bytes
		// make, if they make one (R-CSV-6): the same line here, so that
		// lint, push and the page say one number for one file.
		var fe *rules.FileError
		if err := rules.CheckSyntax(src); errors.As(err, &fe) && fe.Line > 0 {
			p.Line = fe.Line
		}
		if _, err := src.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("rewind: %w", err)
		}
		rep.add(p)
		return rep, nil
	}
	if line, _, err := longLine(src); err != nil || line > 0 {
		if line > 0 {
			rep.add(Problem{Severity: Error, Line: line, Rule: features.CSV2,
				Message: fmt.Sprintf("Line %d is longer than %d MiB: a row of patrons is a few kilobytes at most, so this is probably not a CSV export (or its line breaks are lost).", line, MaxLine>>20),
				Fix:     "Check that the file is the CSV export, saved with line breaks between rows."})
		}
		return rep, err
	}
	enc, err := encodingProblems(src)
	if err != nil {
		return nil, err
	}
	for _, p := range enc {
		rep.add(p)
	}
	if err := rules.CheckSyntax(src); errors.Is(err, rules.ErrLoneCR) {
		// The whole file reads as one line: nothing else it says is true.
		var fe *rules.FileError
		errors.As(err, &fe)
		rep.add(fileError(fe))
		return rep, nil
	}
	if wrong != nil && wrong.Kind == rules.OtherSeparator {
		rep.add(wrongFileProblem(wrong)) // the server would see one column; nothing more to say
		return rep, nil
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind: %w", err)
	}
	head, err := headerProblems(src)
	if err != nil {
		return nil, err
	}
	for _, p := range head.problems {
		rep.add(p)
	}
	for range head.leftOut {
		rep.count(Problem{Severity: Warning})
	}

	ex := newExcelChecks(existing, rep)
	// In a Windows-1252 file the rows with letters such as é fail as not
	// UTF-8. A copy decoded from Windows-1252 is judged too, so that their
	// other problems and Excel's damage show in this run, not after the
	// file is converted.
	notUTF8 := slices.ContainsFunc(enc, func(p Problem) bool { return p.Severity == Error })
	var decoded map[int][]Problem
	if notUTF8 {
		if decoded, err = checkDecoded(ctx, engine, src, st.Clone(), ex); err != nil {
			return nil, err
		}
	}
	rows := capped{rep: rep} // rows come in order: the first are the ones listed
	held := map[string]int{} // barcode or admin id (by column) → the row of this file that holds it
	opts := []rules.ImportOption{rules.WithRowReport(func(r rules.RowReport) {
		if !notUTF8 {
			ex.see(r)
		}
		if r.Outcome != rules.Failed {
			for _, c := range [...]rules.Column{rules.LibraryBarcode, rules.AdminSystemID} {
				if v := r.Cells[c]; v != "" {
					held[c.String()+"\x00"+v] = r.Row
				}
			}
		}
		for _, reason := range r.Reasons {
			p := rowProblem(r, reason)
			if holder, ok := held[p.Column+"\x00"+reason.Value]; ok && (reason.Rule == features.ROW10 || reason.Rule == features.ROW11) {
				p.Message += fmt.Sprintf(" Row %d of this file has it.", holder)
			}
			rows.add(p)
			if reason.Rule == features.CSV7 {
				for _, p := range decoded[r.Row] {
					rows.add(p)
				}
			}
		}
	})}
	if rec != nil {
		opts = append(opts, rec.Option())
	}
	res, err := engine.Import(ctx, st, src, opts...)
	rowProblems := rows.list
	var fe *rules.FileError
	switch {
	case errors.As(err, &fe):
		rep.add(fileError(fe))
		return rep, nil
	case err != nil:
		return nil, err
	}
	rep.Rows = res.Processed()
	// Whole-column problems before the rows, rows in file order.
	later := ex.problems()
	if rec != nil {
		rep.Preview = rec.Preview(res)
		for _, h := range rep.Preview.Holds {
			msg := h.Reason
			if len(h.Examples) > 0 {
				msg += " E.g. " + strings.Join(h.Examples, "; ") + "."
			}
			later = append(later, Problem{Severity: Warning, Message: msg, Fix: h.Fix, held: true})
		}
	}
	slices.SortStableFunc(later, func(a, b Problem) int { return cmp.Compare(a.Row, b.Row) })
	for _, p := range later {
		if p.Row == 0 {
			rep.add(p)
		}
	}
	rowProblems = append(rowProblems, later...)
	slices.SortStableFunc(rowProblems, func(a, b Problem) int { return cmp.Compare(a.Row, b.Row) })
	for _, p := range rowProblems {
		if p.Row > 0 {
			rep.add(p)
		}
	}
	return rep, nil
}

func rowProblem(r rules.RowReport, reason rules.Reason) Problem {
	p := Problem{Severity: Error, Line: r.Line, Row: r.Row, Rule: reason.Rule, Message: reason.Text, Value: reason.Value}
	if reason.Column >= 0 {
		p.Column = reason.Column.String()
	}
	if reason.Rule == features.ROW15 && strings.HasSuffix(reason.Text, "control characters.") {
		p.Message += " " + whichControl(reason.Value)
	}
	return p
}

// controlNames names the invisible characters exports carry most.
var controlNames = map[rune]string{
	'\t': "a tab", '\n': "a line break", '\r': "a carriage return", 0x7f: "DEL", 0x85: "a C1 next line",
	0xa0: "a no-break space", 0xad: "a soft hyphen", 0x200b: "a zero-width space", 0x200c: "a zero-width non-joiner",
	0x200d: "a zero-width joiner", 0x200e: "a left-to-right mark", 0x200f: "a right-to-left mark",
	0x202a: "a left-to-right embedding", 0x202b: "a right-to-left embedding", 0x202c: "a direction pop",
	0x202d: "a left-to-right override", 0x202e: "a right-to-left override", 0x2060: "a word joiner",
	0xfeff: "a byte-order mark",
}

// whichControl says which control or format character v holds first, and
// where, counted in characters from 1: what the technician looks for.
func whichControl(v string) string {
	n := 0
	for _, r := range v {
		n++
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			name := controlNames[r]
			if name == "" {
				name = "a control character"
			}
			return fmt.Sprintf("It is %s (U+%04X), character %d of %d; such characters are invisible in most programs.", name, r, n, utf8.RuneCountInString(v))
		}
	}
	return ""
}

// checkDecoded judges a copy of src decoded from Windows-1252 against st
// (a copy of the known patrons), showing its rows to ex, and returns the
// problems of each row by row number.
func checkDecoded(ctx context.Context, engine *rules.Engine, src io.ReadSeeker, st *store.Store, ex *excelChecks) (map[int][]Problem, error) {
	defer src.Seek(0, io.SeekStart)
	tmp, err := atomicfile.Create("", "autosync-lint-utf8-*.csv") // the file decoded, passwords and all: the owner's alone
	if err != nil {
		return nil, fmt.Errorf("decode Windows-1252: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := io.Copy(tmp, transform.NewReader(src, charmap.Windows1252.NewDecoder())); err != nil {
		return nil, fmt.Errorf("decode Windows-1252: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("decode Windows-1252: %w", err)
	}
	out := map[int][]Problem{} // for the first MaxListed rows with problems: only those can be listed
	_, err = engine.Import(ctx, st, tmp, rules.WithRowReport(func(r rules.RowReport) {
		ex.see(r)
		if len(out) >= MaxListed {
			return
		}
		for _, reason := range r.Reasons {
			if reason.Rule == features.CSV7 {
				continue // the original's own judgement says it
			}
			p := rowProblem(r, reason)
			p.Message += " (This too, once the file is UTF-8.)"
			out[r.Row] = append(out[r.Row], p)
		}
	}))
	var fe *rules.FileError
	if err != nil && !errors.As(err, &fe) { // a whole-file problem is the original's to report
		return nil, err
	}
	return out, nil
}

// fileError explains a whole-file rejection and how to fix it.
func fileError(fe *rules.FileError) Problem {
	p := Problem{Severity: Error, Line: fe.Line, Message: fe.Summary}
	switch {
	case errors.Is(fe, rules.ErrLoneCR):
		p.Rule = features.CSV6
		p.Fix = "The server rejects the whole file, since only a line feed ends a line. In Excel choose Save As > \"CSV UTF-8 (Comma delimited)\", or convert the line endings: tr '\\r' '\\n' < in.csv > out.csv"
	case errors.Is(fe, rules.ErrSyntax):
		p.Rule = features.CSV6
		p.Fix = "The server rejects the whole file. Open it in a text editor at that line; quote any field that holds a quote and double the quotes inside it."
	case errors.Is(fe, rules.ErrMissingColumn):
		p.Rule, p.Line = features.CSV3, 1
		p.Fix = "Add a username column: it is the matching key for every patron."
	case errors.Is(fe, rules.ErrDuplicateColumn):
		p.Rule, p.Line = features.CSV4, 1
		p.Fix = "Delete one of the two columns with this name."
	}
	return p
}

// encodingProblems reads the whole file for its encoding: a byte-order mark
// (fine) and text that is not UTF-8 (likely Windows-1252 from Excel).
func encodingProblems(src io.ReadSeeker) ([]Problem, error) {
	defer src.Seek(0, io.SeekStart)
	br := bufio.NewReaderSize(src, 64<<10)
	var out []Problem
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		out = append(out, Problem{Severity: Note, Line: 1, Message: "The file starts with a UTF-8 byte-order mark.",
			Fix: "Nothing to do: the server skips it."})
	}
	line := 1
	for {
		text, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A very long line: check it in pieces (a character may be split
			// between pieces; only a whole-line check would be exact).
			err = nil
		}
		if !utf8.Valid(text) {
			out = append(out, Problem{Severity: Error, Line: line,
				Message: "The file is not UTF-8 text; it is probably Windows-1252, as Excel saves \"CSV (Comma delimited)\". Rows with letters such as é or ü will be rejected.",
				Fix:     "In Excel choose Save As > \"CSV UTF-8 (Comma delimited)\", or convert it: iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv"})
			break
		}
		if bytes.HasSuffix(text, []byte("\n")) {
			line++
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
	}
	return out, nil
}

type header struct {
	problems []Problem
	leftOut  int // warnings of unknown columns past MaxListed
}

// headerProblems reads the header row: unknown columns (with a
// did-you-mean) and trailing empty columns.
func headerProblems(src io.ReadSeeker) (header, error) {
	defer src.Seek(0, io.SeekStart)
	br := bufio.NewReader(src)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true // the syntax is judged by the import; here only names matter
	var h header
	names, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return h, nil
	}
	if err != nil {
		return h, nil // the import reports it
	}
	trailing := 0
	for i := len(names) - 1; i >= 0 && strings.TrimSpace(names[i]) == ""; i-- {
		trailing++
	}
	present := map[string]bool{}
	for _, n := range names {
		if c, ok := rules.LookupColumn(strings.TrimPrefix(n, "\ufeff")); ok {
			present[c.String()] = true
		}
	}
	for i, n := range names[:len(names)-trailing] {
		if i == 0 {
			n = strings.TrimPrefix(n, "\ufeff")
		}
		if _, ok := rules.LookupColumn(n); ok {
			continue
		}
		p := Problem{Severity: Warning, Line: 1, Column: strings.TrimSpace(n), Rule: features.CSV4,
			Message: fmt.Sprintf("%q is not a recognised column; the server ignores it.", strings.TrimSpace(n))}
		if guess := didYouMean(n); guess != "" && present[guess] {
			p.Message = fmt.Sprintf("%q is not a recognised column (it looks like %q, which the header already has); the server ignores it.", strings.TrimSpace(n), guess)
			p.Fix = fmt.Sprintf("Delete this column, or merge its values into the %s column: renaming it would name %s twice, which the server rejects.", guess, guess)
		} else if guess != "" {
			p.Message = fmt.Sprintf("%q is not a recognised column (did you mean %q?); the server ignores it.", strings.TrimSpace(n), guess)
			p.Fix = fmt.Sprintf("Rename the column to %s.", guess)
		} else {
			p.Fix = "Delete the column, or leave it if it is meant to be ignored."
		}
		if len(h.problems) >= MaxListed {
			h.leftOut++
			continue
		}
		h.problems = append(h.problems, p)
	}
	if trailing > 0 {
		h.problems = append(h.problems, Problem{Severity: Warning, Line: 1, Rule: features.CSV4,
			Message: fmt.Sprintf("The header ends with %d empty column%s, as Excel writes when cells to the right were once used; the server ignores them.", trailing, plural(trailing)),
			Fix:     "Delete the empty columns to the right of the data before saving."})
	}
	return h, nil
}

// didYouMean returns the recognised column closest to name, if close.
func didYouMean(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer(" ", "", "_", "", "-", "").Replace(n)
	if c, ok := rules.LookupColumn(n); ok {
		return c.String()
	}
	best, bestD := "", 4
	for _, c := range rules.Columns() {
		cand := c.String()
		d := distance(n, cand)
		if (strings.HasPrefix(cand, n) || strings.HasSuffix(cand, n)) && len(n) >= 4 || strings.HasPrefix(n, cand) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = cand, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

var sciNotation = regexp.MustCompile(`^[0-9](\.[0-9]+)?[Ee]\+?[0-9]+$`)

// excelChecks looks across rows for what Excel does to an export, and for
// usernames the file repeats.
type excelChecks struct {
	existing map[string]bool // lower-case usernames known before the file
	dups     capped
	ids      [2]idColumn // library barcode, admin system id
	mojibake damage      // UTF-8 read as Windows-1252 and saved again
	lost     damage      // a ? where a letter was
}

// damage counts the rows that show one kind of damage, keeping the first.
type damage struct {
	rows   int
	line   int
	column string
	value  string
	was    string // the value as it was before the damage, if known
}

func (d *damage) see(line int, column, value, was string) {
	if d.rows == 0 {
		d.line, d.column, d.value, d.was = line, column, value, was
	}
	d.rows++
}

// textColumns are the columns of words people wrote, where a
// spreadsheet's encoding damage shows; nameColumns those of people's names,
// where a ? is never part of one. Both are read from the engine's table of
// columns (rules.Column.Written, PersonName).
var textColumns, nameColumns = func() (text, names []rules.Column) {
	for _, c := range rules.Columns() {
		if c.Written() {
			text = append(text, c)
		}
		if c.PersonName() {
			names = append(names, c)
		}
	}
	return text, names
}()

var lostLetter = regexp.MustCompile(`\pL\?|\?\pL`)

// mangledPair reports whether v holds what a mangled letter starts with:
// one of Â to ô (UTF-8 C3 82 to C3 B4) followed by a character that
// Windows-1252 writes as a continuation byte (U+00A0 to U+00BF, or one of
// Œ š ƒ ˆ € and the like, whose UTF-8 starts C2, C5, C6, CB or E2). It is
// cheap, and a real name such as Müller never has it.
func mangledPair(v string) bool {
	for i := 0; i+2 < len(v); i++ {
		if v[i] != 0xC3 || v[i+1] < 0x82 || v[i+1] > 0xB4 {
			continue
		}
		switch v[i+2] {
		case 0xC2, 0xC5, 0xC6, 0xCB, 0xE2:
			return true
		}
	}
	return false
}

// unmangle returns what a value was before UTF-8 text was read as
// Windows-1252 and saved again as UTF-8 ("MÃ¼ller" was "Müller"), or "".
// The byte patterns such a round trip leaves (Ã or Â and the like followed
// by a Windows-1252 character that is a UTF-8 continuation byte) are almost
// never real names; a value is called damaged only when all of it reads
// back as UTF-8 text that differs.
func unmangle(v string) string {
	if !mangledPair(v) {
		return ""
	}
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(v))
	if err != nil || !utf8.Valid(b) || string(b) == v {
		return ""
	}
	return string(b)
}

type idColumn struct {
	column      rules.Column
	sci         int
	sciLine     int
	sciValue    string
	lengths     map[int]int
	leadingZero bool
}

func newExcelChecks(existing map[string]bool, rep *Report) *excelChecks {
	return &excelChecks{existing: existing, dups: capped{rep: rep}, ids: [2]idColumn{
		{column: rules.LibraryBarcode, lengths: map[int]int{}},
		{column: rules.AdminSystemID, lengths: map[int]int{}},
	}}
}

func (x *excelChecks) see(r rules.RowReport) {
	// A row that found a patron no earlier file made found one this file
	// made: the username is repeated.
	if r.Matched != "" && !x.existing[store.Key(r.Username)] {
		u := r.Username
		msg := fmt.Sprintf("The username %q is on an earlier row too: the server creates the patron with the first row and updates it with this one.", u)
		if r.Matched != u {
			msg = fmt.Sprintf("The usernames %q (an earlier row) and %q differ only in letter case: the server treats them as one patron, created by the first row and updated by this one.", r.Matched, u)
		}
		x.dups.add(Problem{Severity: Warning, Line: r.Line, Row: r.Row, Column: "username", Value: u, Rule: features.ROW9,
			Message: msg, Fix: "Check that these are the same person; if not, give one of them another username."})
	}
	for _, c := range textColumns {
		if was := unmangle(r.Cells[c]); was != "" {
			x.mojibake.see(r.Line, c.String(), r.Cells[c], was)
		}
	}
	for _, c := range nameColumns {
		if strings.IndexByte(r.Cells[c], '?') >= 0 && lostLetter.MatchString(r.Cells[c]) {
			x.lost.see(r.Line, c.String(), r.Cells[c], "")
		}
	}
	for i := range x.ids {
		c := &x.ids[i]
		v := r.Cells[c.column]
		if v == "" {
			continue
		}
		if sciNotation.MatchString(v) {
			if c.sci == 0 {
				c.sciLine, c.sciValue = r.Line, v
			}
			c.sci++
			continue
		}
		if strings.Trim(v, "0123456789") != "" {
			continue
		}
		c.lengths[len(v)]++
		if v[0] == '0' {
			c.leadingZero = true
		}
	}
}

func (x *excelChecks) problems() []Problem {
	out := x.dups.list
	if d := x.mojibake; d.rows > 0 {
		out = append(out, Problem{Severity: Warning, Line: d.line, Column: d.column, Value: d.value, damage: true,
			Message: fmt.Sprintf("Letters are garbled on %d row%s (first on line %d, %s %q, which was %q): the UTF-8 export was opened as Windows-1252 and saved again, as a spreadsheet does with a UTF-8 CSV that has no byte-order mark. The server stores the garbled names over the right ones.", d.rows, plural(d.rows), d.line, d.column, d.value, d.was),
			Fix:     "Export again from the source system and send that file without opening it; or open it with Data > From Text/CSV, file origin \"65001: Unicode (UTF-8)\", and save as \"CSV UTF-8 (Comma delimited)\"."})
	}
	if d := x.lost; d.rows > 0 {
		out = append(out, Problem{Severity: Warning, Line: d.line, Column: d.column, Value: d.value, damage: true,
			Message: fmt.Sprintf("A ? stands where a letter was on %d row%s (first on line %d, %s %q): the file was saved in an encoding that cannot hold the letter (Windows-1252 holds no ā or ł), and the letter is lost. The server stores the ?.", d.rows, plural(d.rows), d.line, d.column, d.value),
			Fix:     "Export again from the source system, saved as \"CSV UTF-8 (Comma delimited)\"."})
	}
	for _, c := range x.ids {
		name := c.column.String()
		if c.sci > 0 {
			out = append(out, Problem{Severity: Warning, Line: c.sciLine, Column: name, Value: c.sciValue, damage: true,
				Message: fmt.Sprintf("%s is in scientific notation on %d row%s (first on line %d, %q): Excel read the ids as numbers, and the real values are lost; patrons may end up sharing one.", name, c.sci, plural(c.sci), c.sciLine, c.sciValue),
				Fix:     "Export again from the source system, or format the column as Text in Excel before opening the data."})
		}
		if len(c.lengths) >= 2 && !c.leadingZero {
			lo, hi := 1<<30, 0
			for l := range c.lengths {
				lo, hi = min(lo, l), max(hi, l)
			}
			out = append(out, Problem{Severity: Warning, Column: name, damage: true,
				Message: fmt.Sprintf("%s holds numbers from %d to %d digits long and none starts with 0: if your ids have a fixed width, Excel has stripped their leading zeros.", name, lo, hi),
				Fix:     "Export again from the source system, or format the column as Text in Excel before opening the data."})
		}
	}
	return out
}

// loadExisting puts an earlier export (CSV) or a /_mock/patrons dump (JSON)
// into the scratch store; flag names it in errors.
func loadExisting(ctx context.Context, engine *rules.Engine, st *store.Store, f io.ReadSeeker, flag string) error {
	br := bufio.NewReader(f)
	b, _ := br.Peek(64)
	if trimmed := bytes.TrimLeft(b, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
		var list []rules.PatronJSON
		if err := json.NewDecoder(br).Decode(&list); err != nil {
			return fmt.Errorf("%s is not a /_mock/patrons JSON list: %w", flag, err)
		}
		return st.Update(func(tx *store.Tx) error {
			for _, j := range list {
				p := j.Patron()
				if _, err := tx.Put(&p); err != nil {
					return fmt.Errorf("%s: patron %q: %w", flag, p.Username, err)
				}
			}
			return nil
		})
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	// The file's rows were accepted by its target, where their patrons
	// may already have been: a row this empty store fails (a file of
	// changes, with no staffmember column) is still a known patron, with
	// the cells the rules can read. Decided: the first row of a username
	// says it; a later row of it in the same file is not merged in.
	var more []store.Patron
	_, err := engine.Import(ctx, st, f, rules.WithRowReport(func(r rules.RowReport) {
		if r.Outcome != rules.Failed || r.Username == "" {
			return
		}
		var p store.Patron
		for _, c := range rules.Columns() {
			if !slices.ContainsFunc(r.Reasons, func(reason rules.Reason) bool { return reason.Column == c }) {
				rules.SetValue(&p, c, r.Cells[c])
			}
		}
		if _, ok := rules.ParseBool(r.Cells[rules.StaffMember]); !ok {
			// Whether it is a student is the target's to know: taken as
			// staff, it needs no year or level (R-ROW-5) to be updated.
			p.StaffMember = true
		}
		if p.Username != "" {
			more = append(more, p)
		}
	}))
	if err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	return st.Update(func(tx *store.Tx) error {
		for _, p := range more {
			if _, ok := tx.Get(p.Username); ok {
				continue
			}
			if _, err := tx.Put(&p); errors.Is(err, store.ErrConflict) {
				// The first patron that has them keeps them; a patron
				// too large to store is left out, as the target would.
				p.LibraryBarcode, p.AdminSystemID = "", ""
				tx.Put(&p)
			}
		}
		return nil
	})
}
