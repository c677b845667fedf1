package explore

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/api/wire"
	"github.com/autosync/autosync/features/examples"
	"github.com/autosync/autosync/features/hostile"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/target"
)

// In the files and requests made here, {P} stands for the episode's prefix
// and {U} for it in upper case: every username, barcode and admin id
// carries it, so the target's own patrons are never touched, and each
// replay of a shrinking attempt has values of its own. {D} stands for it
// in digits, for a barcode of digits.

// stepKind is what a step sends.
type stepKind int

const (
	upload       stepKind = iota // a CSV file as the first file part, as the admin
	credentials                  // the file with other credentials
	otherPart                    // the file in another part, after a text or an empty-named part
	notMultipart                 // the file as the whole body
	otherMethod                  // another method on the import path
	otherPath                    // a POST to a path that is not the import path
	heldBody                     // a wrong password, and half the upload held back
	wired                        // the upload as a client of the catalogue writes it, byte for byte (package api/wire)
)

// Step is one request of an episode.
type Step struct {
	kind   stepKind
	file   *csvFile
	auth   string // for credentials: wrong, unknown, none, nonadmin, bearer
	layout string // for otherPart: text-first, empty-name-first, field
	ctype  string // for notMultipart
	method string // for otherMethod
	path   string // for otherPath
	empty  bool   // for a refusal: an empty file, the first time it is sent
	way    string // for wired: the way's name in the catalogue
	rule   string // for wired: the rule the way puts to the test
	long   bool   // the long run's file: its answer is read up to longAnswer bytes, and it is not shrunk
}

// Rows is how many rows the step's file has.
func (s Step) Rows() int {
	if s.file == nil {
		return 0
	}
	return len(s.file.rows)
}

// Columns is how many columns the header of the step's file has.
func (s Step) Columns() int {
	if s.file == nil {
		return 0
	}
	return len(s.file.header)
}

// File is the step's file with prefix in place, or nil.
func (s Step) File(prefix string) []byte {
	if s.file == nil {
		return nil
	}
	return s.file.render(prefix)
}

// String says what the step sends, for a report.
func (s Step) String() string {
	switch s.kind {
	case credentials:
		return "POST the file with credentials: " + s.auth
	case otherPart:
		return "POST the file, " + s.layout
	case notMultipart:
		return fmt.Sprintf("POST the file as the whole body, Content-Type %q", s.ctype)
	case otherMethod:
		return s.method + " the import path"
	case otherPath:
		return "POST to " + s.path
	case heldBody:
		return "POST the file with a wrong password, holding back half of it"
	case wired:
		w, _ := wire.Lookup(s.way)
		return fmt.Sprintf("POST the file as %s writes it (%s: %s)", s.way, w.Client, w.Quirk)
	}
	return "POST the file"
}

// csvFile is a generated file, kept in parts so that shrinking can remove
// rows and columns and keep its dialect.
type csvFile struct {
	header []string   // cells as written (spelled, padded, quoted)
	rows   [][]string // cells as written; a ragged row has more or fewer
	// blank holds the blank lines (empty or white space) written before
	// row i (and, for i = len(rows), after the last).
	blank        map[int][]string
	crlf, mixed  bool
	noFinalBreak bool
	finalCR      bool // the last line ends in a carriage return alone
	loneCR       bool // the first line does
	bom          bool
	empty        bool // zero bytes
}

func (f *csvFile) clone() *csvFile {
	c := *f
	c.header = append([]string(nil), f.header...)
	c.rows = make([][]string, len(f.rows))
	for i, r := range f.rows {
		c.rows[i] = append([]string(nil), r...)
	}
	c.blank = map[int][]string{}
	for k, v := range f.blank {
		c.blank[k] = append([]string(nil), v...)
	}
	return &c
}

// render writes the file with the prefix in place.
func (f *csvFile) render(prefix string) []byte {
	if f.empty {
		var b strings.Builder
		if f.bom {
			b.WriteString("\ufeff")
		}
		for _, l := range f.blank[-1] {
			b.WriteString(l + "\n")
		}
		return []byte(b.String())
	}
	var lines []string
	lines = append(lines, f.blank[-1]...)
	lines = append(lines, strings.Join(f.header, ","))
	for i, r := range f.rows {
		lines = append(lines, f.blank[i]...)
		lines = append(lines, strings.Join(r, ","))
	}
	lines = append(lines, f.blank[len(f.rows)]...)
	var b strings.Builder
	if f.bom {
		b.WriteString("\ufeff")
	}
	for i, l := range lines {
		b.WriteString(l)
		if i == len(lines)-1 && f.noFinalBreak {
			break
		}
		if i == len(lines)-1 && f.finalCR || i == 0 && f.loneCR {
			b.WriteString("\r") // a carriage return alone: the last line's ends it, another is a syntax error
		} else if f.crlf || (f.mixed && i%2 == 1) {
			b.WriteString("\r\n")
		} else {
			b.WriteString("\n")
		}
	}
	return []byte(withPrefix(b.String(), prefix))
}

func withPrefix(s, prefix string) string {
	return toLength(strings.NewReplacer("{P}", prefix, "{U}", strings.ToUpper(prefix), "{D}", digits(prefix)).Replace(s))
}

// digits stands for a prefix where a value is to be digits alone (a
// barcode of digits): ten digits, the first not 0, as unique as the prefix.
func digits(prefix string) string {
	h := fnv.New64a()
	h.Write([]byte(prefix))
	return strconv.FormatUint(1_000_000_000+h.Sum64()%9_000_000_000, 10)
}

// lengthMark ends a cell that is to be exactly so many characters long
// once its prefix is written, padded with the character given: {len:255:𝒜}
// (package features/examples gives the scenarios' padded identifiers so).
// The prefix's length differs from run to run, so the cell is padded only
// then.
var lengthMark = regexp.MustCompile(`\{len:(\d+):([^{}])\}`)

// toLength pads each cell that ends in a length mark to its length.
func toLength(s string) string {
	if !strings.Contains(s, "{len:") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range lengthMark.FindAllStringSubmatchIndex(s, -1) {
		want, _ := strconv.Atoi(s[m[2]:m[3]])
		start := strings.LastIndexAny(s[:m[0]], ",\r\n\"") + 1
		b.WriteString(s[last:m[0]])
		b.WriteString(strings.Repeat(s[m[4]:m[5]], max(want-utf8.RuneCountInString(s[start:m[0]]), 0)))
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// generator makes episodes for a target's profile.
type generator struct {
	level, group string
	nonAdmin     bool
	made         int  // episodes made
	long         bool // the long run's file is still to send
	// extra draws what the points REFERENCE.md settled later add, from a
	// stream of its own, so that adding them left every other draw as it
	// was.
	extra *rand.Rand
	// added draws what was added after them (a body over the limit, and
	// usernames a LIKE or a glob takes for another's), from a third
	// stream, for the same reason.
	added *rand.Rand
}

// later returns the stream of the draws added after the settled points.
func (g *generator) later() *rand.Rand {
	if g.added == nil {
		g.added = rand.New(rand.NewPCG(0x1a7e4, 0xadd))
	}
	return g.added
}

// settled returns the stream of the settled points' draws.
func (g *generator) settled() *rand.Rand {
	if g.extra == nil {
		g.extra = rand.New(rand.NewPCG(0x5e771ed, 0xe4b1))
	}
	return g.extra
}

func newGenerator(t target.Target, long bool) *generator {
	// The long run's file is about 2.4 MB: sent only where the body limit
	// given takes it.
	long = long && (t.BodyLimit <= 0 || t.BodyLimit >= 4<<20)
	return &generator{level: t.AcademicLevel, group: t.PresentationGroup, nonAdmin: t.NonAdminUsername != "", long: long}
}

// episode makes one to four steps that share a prefix: most upload files,
// a few send the upload another way (every way once, first), and, when the
// run asks for it, the long run's file once, after those.
func (g *generator) episode(r *rand.Rand) []Step {
	if g.long && g.made == len(allRequestKinds) {
		g.long = false
		return []Step{{kind: upload, file: longFile(), long: true}}
	}
	if g.made < len(allRequestKinds) || r.IntN(6) == 0 {
		g.made++
		return []Step{g.request(r, g.made-1)}
	}
	n := 1 + r.IntN(4)
	if r.IntN(5) == 0 {
		n = 3 + r.IntN(4) // a longer sequence: columns come and go, identifiers move between patrons
	}
	out := make([]Step, n)
	for i := range out {
		out[i] = Step{kind: upload, file: g.file(r)}
	}
	if n >= 3 && r.IntN(2) == 0 {
		g.leaveOut(r, out[0].file, out[1].file, out[2].file)
	}
	return out
}

// addedSteps are the steps added after the settled points, drawn from a
// stream of their own and sent as the last episode of a run (Run), so that
// every other episode is drawn and numbered as before: a
// body over the target's limit, a text part before the file, and one of
// exactly the limit (R-HTTP-5; each sent as text-first where the limit is
// unknown or over maxPad); a file
// whose later rows write the identifiers of the first (username, barcode,
// admin id) as a LIKE, a glob or an accent-insensitive collation would
// take them for those; the ways of sending added last (lastWays); the
// import path in capitals, which a server that
// routes paths in any letter case (as IIS does) imports (R-HTTP-4); a file
// of 1,001 rows, whose counts a server that formats numbers for people
// writes 1,001 (R-RES-2); files of the shapes a CSV reader gets wrong
// (shapes); and the scenarios' own values, each in a row of its own
// (examplesFile).
func (g *generator) addedSteps() []Step {
	r := g.later()
	over := Step{kind: otherPart, layout: "over-limit", file: g.file(r)}
	at := Step{kind: otherPart, layout: "at-limit", file: g.file(r)}
	// Good rows for students: the first's identifiers, then each later
	// row's written as one pattern or fold of the first's.
	header := []string{"username", "enabled", "staffmember", "graduationyear", "librarybarcode", "adminsystemid"}
	ways := []string{"like-suffix", "like-last", "glob-last", "accent-last"}
	faker := gofakeit.New(r.Uint64())
	f := &csvFile{header: header, blank: map[int][]string{}}
	for range 1 + len(ways) {
		row := make([]string, len(header))
		for i, h := range header {
			row[i] = g.good(r, faker, h, false)
		}
		f.rows = append(f.rows, row)
	}
	for _, row := range f.rows { // each row a new patron could be: none fails for want of these
		row[1], row[2], row[3] = "Y", "N", "2030"
	}
	f.rows[0][0], f.rows[0][4], f.rows[0][5] = "{P}m1", "{P}C1", "{P}D1" // identifiers no other file of the episode holds
	for i, way := range ways {
		for _, at := range []int{0, 4, 5} {
			f.rows[1+i][at], _ = hostile.VariantOf(way, f.rows[0][at])
		}
	}

	capitals := Step{kind: otherPath, path: strings.ToUpper(api.ImportPath), file: g.file(r)}
	steps := []Step{over, at, {kind: upload, file: f}, capitals, {kind: upload, file: rowsFile(1001)}}
	for _, f := range shapes() {
		steps = append(steps, Step{kind: upload, file: f})
	}
	// Refusals a server may give in the wrong order or not at all: the
	// admin's name with an empty password (R-AUTH-2), a wrong password
	// with a body over the limit (R-AUTH-4), the file's rows before a body
	// over the limit (R-HTTP-5: none of them imported), and the CSV as a
	// text field, no file part (R-HTTP-3).
	steps = append(steps,
		Step{kind: credentials, auth: "empty-password", file: g.file(r)},
		Step{kind: otherPart, layout: "over-limit", auth: "wrong", file: g.file(r)},
		Step{kind: otherPart, layout: "over-limit-after", file: g.file(r)},
		Step{kind: otherPart, layout: "text-only", file: g.file(r)})
	if strings.Contains(g.group, " ") { // the current group with its inner spaces written otherwise (R-ROW-14)
		groups := &csvFile{header: []string{"username", "enabled", "staffmember", "graduationyear", "presentationgrouplabel"}, blank: map[int][]string{}}
		for i, with := range []string{"  ", "\u00a0"} {
			groups.rows = append(groups.rows, []string{fmt.Sprintf("{P}w%d", i+1), "Y", "N", "2030", strings.ReplaceAll(g.group, " ", with)})
		}
		steps = append(steps, Step{kind: upload, file: groups})
	} else { // a group of one word: a step all the same, so that a run ends with addedSteps requests
		steps = append(steps, Step{kind: upload, file: rowsFile(2)})
	}
	for _, name := range lastWays {
		w, _ := wire.Lookup(name)
		steps = append(steps, Step{kind: wired, way: w.Name, rule: w.Rule, file: g.file(r)})
	}
	if ex := examplesFile(); ex != nil {
		steps = append(steps, Step{kind: upload, file: ex})
	}
	return steps
}

// shapes are files of the shapes a CSV reader gets wrong, each sent whole,
// since some refuse the file: header names padded with spaces beyond ASCII,
// which a trim of ASCII alone keeps (R-CSV-4); a line of commas alone, a
// row of blank cells, not a blank line (R-CSV-5); a byte that is not UTF-8
// in a column the server ignores, and in one it reads (R-CSV-7); a syntax
// error on the second line of a record, and a space outside a quoted field
// (R-CSV-6).
func shapes() []*csvFile {
	base := []string{"username", "enabled", "staffmember", "graduationyear"}
	file := func(header []string, rows ...[]string) *csvFile {
		return &csvFile{header: header, rows: rows, blank: map[int][]string{}}
	}
	return []*csvFile{
		file([]string{"\u00a0username\u00a0", "\u3000enabled", "staffmember\u3000", "graduationyear"},
			[]string{"{P}s1", "Y", "N", "2030"}),
		file(base, []string{"{P}s2", "Y", "N", "2030"}, []string{"", "", "", ""}, []string{"{P}s3", "Y", "N", "2030"}),
		file(append(slices.Clone(base), "notes", "surname"),
			[]string{"{P}s4", "Y", "N", "2030", "Zo\xeb", "Lee"}, []string{"{P}s5", "Y", "N", "2030", "ok", "Zo\xeb"}, []string{"{P}s6", "Y", "N", "2030", "ok", "Lee"}),
		file(append(slices.Clone(base), "preferredname"), []string{"{P}s7", "Y", "N", "2030", "\"A\nB\"x"}),
		file(base, []string{"{P}s8", "Y", "N", "2030"}, []string{`"{P}s9" `, "Y", "N", "2030"}),
	}
}

// examplesFile is a file of the values the scenarios' files give the
// columns the engine knows (package features/examples), one a row: a good
// student's row with the value in its column, so that what a row shows is
// that value's alone. A username is given the prefix unless it is blank.
// nil if the scenarios cannot be read, which the suite's own tests rule
// out.
func examplesFile() *csvFile {
	values, err := examples.Values()
	if err != nil {
		return nil
	}
	base := []string{"username", "enabled", "staffmember", "graduationyear"}
	header := slices.Clone(base)
	for _, c := range otherColumns {
		if len(values[c]) > 0 && !slices.Contains(header, c) {
			header = append(header, c)
		}
	}
	f := &csvFile{header: header, blank: map[int][]string{}}
	for at, c := range header {
		for _, v := range values[c] {
			row := make([]string, len(header))
			row[0], row[1], row[2], row[3] = fmt.Sprintf("{P}e%d", len(f.rows)+1), "Y", "N", "2030"
			if c == "username" && strings.TrimSpace(v) != "" && !strings.HasPrefix(v, "{P}") {
				v = "{P}" + v
			}
			if strings.ContainsAny(v, ",\"\r\n") || strings.TrimSpace(v) != v {
				v = quote(v)
			}
			row[at] = v
			f.rows = append(f.rows, row)
		}
	}
	return f
}

// longRows is how many rows the long run's file has: past 10,000 (a batch
// insert that is never repeated) and past 65,536 (a 16-bit row counter).
const longRows = 65537

// longAnswer bounds the answer to the long run's file: details of 65,537
// rows are about 1.6 MB.
const longAnswer = 8 << 20

// longFile is the long run's file.
func longFile() *csvFile { return rowsFile(longRows) }

// rowsFile is a file of n rows: one patron created, then updated by every
// row up to the last, which fails (so that details number every row); it
// makes one patron, whatever its length.
func rowsFile(n int) *csvFile {
	f := &csvFile{header: []string{"username", "enabled", "staffmember", "graduationyear"}, blank: map[int][]string{}}
	f.rows = make([][]string, n)
	row := []string{"{P}long", "Y", "N", "2030"}
	for i := range f.rows[:n-1] {
		f.rows[i] = row
	}
	f.rows[n-1] = []string{"{P}long", "maybe", "N", "2030"}
	return f
}

// leaveOut makes a column of the first file come and go: the second file
// leaves it out, the third sends it again, with values of its own.
func (g *generator) leaveOut(r *rand.Rand, first, second, third *csvFile) {
	var names []string
	for _, h := range first.header {
		if n := headerName(h); n != "" && n != "username" && slices.Contains(otherColumns, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 || len(second.header) == 0 || len(third.header) == 0 {
		return
	}
	name := pick(r, names)
	keepColumns(second, func(h string) bool { return headerName(h) != name })
	if slices.ContainsFunc(third.header, func(h string) bool { return headerName(h) == name }) {
		return
	}
	faker := gofakeit.New(r.Uint64())
	third.header = append(third.header, name)
	for i, row := range third.rows {
		if len(row) == len(third.header)-1 { // a ragged row stays ragged
			third.rows[i] = append(row, g.value(r, faker, name))
		}
	}
}

// requestKinds are the ways of sending a file other than a plain upload.
var requestKinds = []Step{
	{kind: credentials, auth: "wrong"}, {kind: credentials, auth: "unknown"}, {kind: credentials, auth: "none"},
	{kind: credentials, auth: "bearer"}, {kind: credentials, auth: "nonadmin"},
	{kind: otherPart, layout: "text-first"}, {kind: otherPart, layout: "empty-name-first"}, {kind: otherPart, layout: "field"},
	{kind: notMultipart, ctype: "text/csv"}, {kind: notMultipart, ctype: "application/octet-stream"},
	{kind: notMultipart, ctype: "application/x-www-form-urlencoded"}, {kind: notMultipart},
	{kind: otherMethod, method: "GET"}, {kind: otherMethod, method: "PUT"}, {kind: otherMethod, method: "DELETE"},
	{kind: otherMethod, method: "PATCH"}, {kind: otherMethod, method: "OPTIONS"}, {kind: otherMethod, method: "HEAD"},
	{kind: otherPath, path: "/api/import/user"}, {kind: otherPath, path: "/api/import/users/x"},
	{kind: otherPath, path: "/api/import"}, {kind: otherPath, path: "/import/users"},
	{kind: heldBody, auth: "wrong"},
}

// allRequestKinds are requestKinds and every way of the catalogue of ways
// of sending (package api/wire), which scenarios send too.
var allRequestKinds = func() []Step {
	out := append([]Step(nil), requestKinds...)
	for _, w := range wire.Ways() {
		if !slices.Contains(lastWays, w.Name) {
			out = append(out, Step{kind: wired, way: w.Name, rule: w.Rule})
		}
	}
	for _, st := range requestKinds { // every refusal with an empty file as well as a full one
		if st.kind == credentials || st.kind == notMultipart {
			st.empty = true
			out = append(out, st)
		}
	}
	return append(out, settledKinds...)
}()

// lastWays are the ways of the catalogue added after explore's draws were
// settled: they are sent with the last steps (generator.addedSteps), so
// that every generated episode is drawn as it was.
var lastWays = []string{"a CSV typed as Excel's", "a file name in filename* alone"}

// settledKinds are the ways of sending of the points REFERENCE.md settled
// later: the admin's name or password in another letter case (R-AUTH-1).
// They are sent once each, last, with files of the settled stream (see
// generator.settled), so that the episodes before and after them are
// drawn as they were.
var settledKinds = []Step{{kind: credentials, auth: "user-case"}, {kind: credentials, auth: "password-case"}}

// request makes the i-th way of sending a small file, or one at random.
func (g *generator) request(r *rand.Rand, i int) Step {
	again := i >= len(allRequestKinds) // every way has been sent once
	if again {
		i = r.IntN(len(allRequestKinds) - len(settledKinds))
	}
	st := allRequestKinds[i]
	if i >= len(allRequestKinds)-len(settledKinds) {
		r = g.settled() // draws of their own
	}
	if st.auth == "nonadmin" && !g.nonAdmin {
		st.auth = "wrong"
	}
	if st.kind != otherMethod {
		st.file = g.file(r)
		for try := 0; !again && try < 5 && (st.file.empty || len(st.file.rows) == 0); try++ {
			st.file = g.file(r) // the first time each way is sent, a file with rows
		}
		refusal := st.kind == credentials || st.kind == otherPath || st.kind == notMultipart
		if st.empty || refusal && again && r.IntN(3) == 0 { // every refusal with an empty file as well as a full one
			st.file = &csvFile{blank: map[int][]string{}, empty: true}
		}
	}
	return st
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// otherColumns are the columns other than username, as the header names
// them, read from the engine's table of columns: a column added there is
// sent too.
var otherColumns = func() []string {
	var out []string
	for _, c := range rules.Columns() {
		if c != rules.Username {
			out = append(out, c.String())
		}
	}
	return out
}()

// file makes a CSV file weighted toward the rules' edges: most rows are
// good, so that patrons are created and then updated, moved and taken;
// the others break a rule or two at an edge.
func (g *generator) file(r *rand.Rand) *csvFile {
	faker := gofakeit.New(r.Uint64())
	switch r.IntN(30) {
	case 0:
		f := &csvFile{blank: map[int][]string{}, noFinalBreak: true, empty: true}
		switch g.settled().IntN(3) { // no header either: blank lines only, or a byte-order mark only
		case 0:
			f.bom = true
		case 1:
			f.blank[-1] = []string{"", " ", "\t"}
		}
		return f
	case 1:
		f := &csvFile{header: []string{"username", "enabled", "staffmember"}, blank: map[int][]string{}}
		if g.settled().IntN(2) == 0 { // a carriage return alone after the header: a syntax error (the row would fail anyway)
			f.rows, f.loneCR = [][]string{{"{P}n1", "Y", "N"}}, true
		}
		return f
	case 2:
		f := &csvFile{header: []string{pick(r, []string{"user name", "usernames", "login"}), "enabled", "staffmember", "graduationyear"},
			rows: [][]string{{"{P}n1", "Y", "N", "2030"}}, blank: map[int][]string{}}
		if r.IntN(2) == 0 { // a column twice too: the missing username is named first
			f.header = append(f.header, "Enabled")
			f.rows[0] = append(f.rows[0], "Y")
		} else if g.settled().IntN(2) == 0 { // separated by semicolons
			f.header = []string{"username;enabled;staffmember;graduationyear"}
			f.rows[0] = []string{"{P}n1;Y;N;2030"}
		}
		return f
	}
	cols := []string{"username"}
	for _, c := range otherColumns {
		if r.IntN(10) < 6 || (c == "enabled" || c == "staffmember") && r.IntN(4) > 0 {
			cols = append(cols, c)
		}
	}
	r.Shuffle(len(cols)-1, func(i, j int) { cols[i+1], cols[j+1] = cols[j+1], cols[i+1] })
	if r.IntN(4) == 0 { // username need not come first
		k := r.IntN(len(cols))
		cols[0], cols[k] = cols[k], cols[0]
	}
	f := &csvFile{blank: map[int][]string{}}
	for _, c := range cols {
		f.header = append(f.header, spell(r, c))
	}
	long := false
	if r.IntN(6) == 0 {
		f.header = append(f.header, pick(r, []string{"notes", "nickname", ""}))
		cols = append(cols, "")
		long = r.IntN(4) == 0 // a line past 64 KiB in the column the server ignores
	}
	n := 1 + r.IntN(8)
	if r.IntN(12) == 0 {
		n = 20 + r.IntN(25) // counts past the small ones
	}
	for range n {
		row := make([]string, len(cols))
		staff := r.IntN(4) == 0
		edgy := r.IntN(3) == 0
		for j, c := range cols {
			switch {
			case edgy && r.IntN(8) == 0 || c == "username" && r.IntN(40) == 0:
				row[j] = g.freeValue(r, c)
			case edgy && r.IntN(3) == 0 || c == "username" && r.IntN(5) == 0:
				row[j] = g.value(r, faker, c)
			default:
				row[j] = g.good(r, faker, c, staff)
			}
		}
		if long && r.IntN(2) == 0 {
			row[len(row)-1] = hostile.LongLine(66 << 10)
		}
		switch r.IntN(20) {
		case 0:
			row = row[:len(row)-1] // a field short
		case 1:
			row = append(row, "", "") // extra empty fields
		}
		f.rows = append(f.rows, row)
	}
	for range r.IntN(3) {
		at := r.IntN(len(f.rows)+2) - 1
		f.blank[at] = append(f.blank[at], pick(r, []string{"", "   ", "\t", " \t "}))
	}
	f.crlf = r.IntN(3) == 0
	f.mixed = !f.crlf && r.IntN(6) == 0
	f.noFinalBreak = r.IntN(4) == 0
	f.finalCR = !f.noFinalBreak && g.settled().IntN(12) == 0
	if g.settled().IntN(15) == 0 { // a row of one field, which fails alone
		f.rows = append(f.rows, []string{"{P}n9"})
	}
	f.bom = r.IntN(6) == 0
	if r.IntN(25) == 0 && len(f.rows) > 0 { // a stray quote: the file is refused whole
		i := r.IntN(len(f.rows))
		f.rows[i][0] = unquote(f.rows[i][0]) + `"x`
	}
	return f
}

// good makes a cell of column c that meets its rules, for a student or a
// staff member.
func (g *generator) good(r *rand.Rand, faker *gofakeit.Faker, c string, staff bool) string {
	switch c {
	case "username":
		if r.IntN(8) == 0 {
			return fmt.Sprintf("{U}N%d", 1+r.IntN(4)) // the same patron, in another letter case
		}
		return fmt.Sprintf("{P}n%d", 1+r.IntN(4))
	case "enabled":
		return pick(r, []string{"Y", "N", "yes", "1", "true", "no"})
	case "staffmember":
		if staff {
			return pick(r, []string{"Y", "yes", "true", "1", ""})
		}
		return pick(r, []string{"N", "no", "false", "0", ""})
	case "graduationyear":
		if staff {
			return ""
		}
		return pick(r, []string{"2030", "2031", "", "2029"})
	case "academiclevel":
		if staff {
			return ""
		}
		return pick(r, []string{g.level, "", target.SwapCase(g.level)})
	case "presentationgrouplabel":
		if g.settled().IntN(4) == 0 {
			return target.SwapCase(g.group) // a current group in another letter case, stored as configured
		}
		return pick(r, []string{g.group, ""})
	case "gender":
		return pick(r, []string{"M", "F", "", "m", "f"})
	case "emailaddress":
		return pick(r, []string{"{P}mail@example.edu", ""})
	case "librarybarcode":
		if r.IntN(6) == 0 { // identifiers that break naive stores: another's admin id, specials, one letter in two normal forms
			return pick(r, []string{"{P}A1", "{P}B<&'5>", "{P}B<&'5>", "{P}B%_6", "{P}B\u00e97", "{P}Be\u03017"})
		}
		return pick(r, []string{"{P}B1", "{P}B2", "{P}B3", "{P}B4", ""})
	case "adminsystemid":
		if r.IntN(6) == 0 {
			return pick(r, []string{"{P}B1", "{P}A<&'4>", "{P}A*?4"})
		}
		return pick(r, []string{"{P}A1", "{P}A2", "{P}A3", ""})
	case "password":
		return pick(r, []string{"Pw-1234567", ""})
	case "formclass":
		return fmt.Sprintf("%d%c", 1+r.IntN(12), 'A'+r.IntN(4))
	case "":
		return ""
	}
	return strings.NewReplacer(",", "", `"`, "").Replace(faker.FirstName())
}

// spell writes a header name as exports do: mostly plain, sometimes in
// another case, padded or quoted.
func spell(r *rand.Rand, name string) string {
	switch r.IntN(10) {
	case 0:
		return strings.ToUpper(name)
	case 1:
		return " " + name + " "
	case 2:
		return `"` + name + `"`
	case 3:
		return `" ` + strings.ToUpper(name[:1]) + name[1:] + ` "`
	}
	return name
}

// value makes a cell of column c, quoted as CSV needs.
func (g *generator) value(r *rand.Rand, faker *gofakeit.Faker, c string) string {
	var v string
	switch c {
	case "username":
		n := fmt.Sprintf("n%d", 1+r.IntN(5))
		switch r.IntN(12) {
		case 0:
			return "{U}" + strings.ToUpper(n) // another letter case
		case 1:
			return ""
		case 2:
			return " {P}" + n + "\t"
		case 3:
			return quote("{P}" + n + "\u200b")
		}
		return "{P}" + n
	case "enabled", "staffmember":
		v = pick(r, []string{"Y", "N", "yes", "no", "true", "false", "1", "0", "TRUE", "No", "y", "n", "", "", " Y ", "\tN", "maybe", "01", "on"})
	case "graduationyear":
		v = pick(r, []string{"2030", "2031", "1900", "2100", "1901", "2099", "1899", "2101", "+2030", "02030", "203", "", "", " 2030 "})
	case "academiclevel":
		v = pick(r, []string{g.level, g.level, target.SwapCase(g.level), " " + g.level + " ", g.level + "x", "", "", g.level + `<b>"&'`})
		if v == g.level+"x" && g.settled().IntN(2) == 0 {
			v = g.level + "\u200b" // a control character and an undeclared level: the character first
		}
	case "presentationgrouplabel":
		v = pick(r, []string{g.group, strings.ToUpper(g.group), strings.ToLower(g.group), g.group + " 2", "", "", g.group + " <b>&</b>"})
	case "gender":
		v = pick(r, []string{"M", "F", "m", "f", "", "", "Female", "X", "MF"})
	case "emailaddress":
		v = pick(r, []string{"{P}mail@example.edu", "ann.lee+lib@mail.school-7.example.edu", "", "a@@example.edu", "<a@example.edu>", "a b@example.edu", "a@example..edu",
			`"{P} q"@example.edu`})
	case "librarybarcode":
		v = pick(r, []string{"{P}B1", "{P}B2", "{P}B3", "", " {P}B1 ", "{P}B4"})
	case "adminsystemid":
		v = pick(r, []string{"{P}A1", "{P}A2", "", "{P}A3"})
	case "password":
		v = pick(r, []string{"Pw-1234567", "", strings.Repeat("x", 72), strings.Repeat("x", 73), strings.Repeat("é", 36), strings.Repeat("é", 37)})
	case "givenname", "surname", "middlename", "preferredname", "formclass":
		switch r.IntN(10) {
		case 0:
			v = strings.Repeat("é", 255)
		case 1:
			v = strings.Repeat("ā", 256)
		case 2:
			v = pick(r, []string{"a\tb", "a\u200bb", "a\u202eb", "a\u00adb", "a\u007fb"})
		case 3:
			v = ""
		case 4:
			v = pick(r, []string{"O'Neil", "Smith, J", `The "A"`, " padded ", "Zoë"})
		default:
			if c == "formclass" {
				v = fmt.Sprintf("%d%c", 1+r.IntN(12), 'A'+r.IntN(4))
			} else {
				v = strings.NewReplacer(",", "", `"`, "").Replace(faker.FirstName())
			}
		}
	default:
		v = pick(r, []string{"", "x", "maybe"})
	}
	if strings.ContainsAny(v, ",\"\r\n") || r.IntN(12) == 0 {
		return quote(v)
	}
	return v
}

func quote(v string) string { return `"` + strings.ReplaceAll(v, `"`, `""`) + `"` }

func unquote(v string) string { return strings.Trim(v, `"`) }
