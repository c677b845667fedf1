package explore

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/autosync/autosync/features"
)

// maxShrinkAttempts bounds the replays one difference may cost the target.
const maxShrinkAttempts = 80

// shrinker is the shrinking of one difference: the smallest episode found
// so far that still shows it, and the replays spent.
type shrinker struct {
	e        *explorer
	ctx      context.Context
	rules    []string // the difference's rules: an attempt must show one
	best     []Step
	diff     *Difference
	attempts int
}

// try replays candidate with a fresh prefix and a fresh reference, and
// keeps it when its last step still shows a difference on one of the
// rules.
func (s *shrinker) try(candidate []Step) bool {
	if s.attempts >= maxShrinkAttempts || s.ctx.Err() != nil {
		return false
	}
	s.attempts++
	got, _, err := s.e.play(s.ctx, candidate, s.e.nextPrefix())
	if err != nil || got == nil || got.step != len(candidate)-1 || !overlap(got.Rules, s.rules) {
		return false
	}
	s.best, s.diff = candidate, got.Difference
	return true
}

// shrink reduces an episode that shows d to a minimal reproduction, on the
// target: the fewest steps, then rows, then columns, then the cells of the
// row that differs blanked, then a plainer dialect, each attempt replayed
// with a fresh prefix and a fresh reference. An attempt is kept when it
// still shows a difference on one of d's rules. Rows and columns go first
// by what the difference names (the row that differs alone, or with one
// earlier row; the username and the fields its texts name), then in halves,
// quarters and so on down to one at a time, so that a long file costs a
// few replays, not one a row. The order of attempts is fixed, so shrinking
// is deterministic for a seed.
func (e *explorer) shrink(ctx context.Context, episode []Step, d *found) *Difference {
	s := &shrinker{e: e, ctx: ctx, rules: d.Rules, best: slices.Clone(episode), diff: d.Difference}
	// Fewer steps: the last alone, else each earlier file's rows put
	// before the last's in one file, else drop each earlier step.
	if len(s.best) > 1 && !s.try(s.best[len(s.best)-1:]) {
		for i := len(s.best) - 2; i >= 0 && len(s.best) > 1; i-- {
			if i < len(s.best)-1 && s.best[i].kind == upload && s.best[len(s.best)-1].kind == upload {
				s.try(joined(s.best, i))
			}
		}
		for i := len(s.best) - 2; i >= 0; i-- {
			s.try(append(slices.Clone(s.best[:i]), s.best[i+1:]...))
		}
	}
	for st := len(s.best) - 1; st >= 0; st-- {
		if s.best[st].file == nil || s.best[st].long {
			continue // the long run's file is what its bugs need
		}
		if s.best[st].kind == heldBody {
			// A held upload waits on every replay, and its file is not what
			// it is about: one attempt with a file of one row.
			s.try(withFile(s.best, st, func(f *csvFile) {
				*f = csvFile{header: []string{"username"}, rows: [][]string{{"{P}n1"}}, blank: map[int][]string{}}
			}))
			continue
		}
		s.rows(st)
		s.columns(st)
		s.cells(st)
		// Plainer files: no blank lines, no byte-order mark, LF.
		for _, plain := range []func(*csvFile){
			func(f *csvFile) { f.blank = map[int][]string{} },
			func(f *csvFile) { f.bom = false },
			func(f *csvFile) { f.crlf, f.mixed = false, false },
			func(f *csvFile) { f.noFinalBreak = false },
			func(f *csvFile) {
				for i, h := range f.header {
					f.header[i] = headerName(h)
				}
			},
		} {
			if f := s.best[st].file; len(f.blank) > 0 || f.bom || f.crlf || f.mixed || f.noFinalBreak || !plainHeader(f) {
				s.try(withFile(s.best, st, plain))
			}
		}
	}
	best := s.diff
	best.Steps = s.best
	best.Rules = involved(best, s.best)
	best.Decided = decided(best.Rules)
	return best
}

// rows removes the rows of step st's file that the difference does not
// need: on the last step, every row but the one that differs, or but it
// and one earlier row (the one that names its patron first), or the two
// rows of one patron made one; then halves, quarters and so on, down to
// single rows; then, with more than two rows left, the rows of one patron
// made one and the first again, for the row that now differs, trying more
// of the earlier rows beside it.
func (s *shrinker) rows(st int) {
	s.focus(st, 6)
	for chunk := len(s.best[st].file.rows) / 2; chunk >= 1; chunk /= 2 {
		for at := len(s.best[st].file.rows) - chunk; at >= 0 && len(s.best[st].file.rows) > 1; at -= chunk {
			at := min(at, len(s.best[st].file.rows)-chunk)
			if at < 0 || chunk >= len(s.best[st].file.rows) {
				break
			}
			s.try(withFile(s.best, st, func(f *csvFile) { dropRows(f, at, at+chunk) }))
		}
	}
	if len(s.best[st].file.rows) > 2 {
		s.mergePatrons(st)
		s.focus(st, maxPartners)
	}
}

// mergePatrons makes the rows of one patron before the row that differs
// one row, patron by patron: an update that needed its create to hold a
// value the row that differs takes is then one row.
func (s *shrinker) mergePatrons(st int) {
	if st != len(s.best)-1 {
		return
	}
	for tries := 0; tries < maxPartners; tries++ {
		f, row := s.best[st].file, s.diff.row
		user := slices.IndexFunc(f.header, isUsername)
		if user < 0 || row < 1 || row > len(f.rows) {
			return
		}
		first, later := -1, -1
		for j := row - 2; j >= 0 && later < 0; j-- {
			for i := j - 1; i >= 0; i-- {
				if a, b := usernameCell(f.rows[i], user), usernameCell(f.rows[j], user); a != "" && a == b {
					first, later = i, j
					break
				}
			}
		}
		if later < 0 || !s.try(withFile(s.best, st, func(f *csvFile) { mergeRows(f, first, later) })) {
			return
		}
	}
}

// usernameCell reads a row's username cell for matching: trimmed, unquoted,
// as its matching key (matchKey).
func usernameCell(r []string, user int) string {
	if user < 0 || user >= len(r) {
		return ""
	}
	return matchKey(strings.TrimSpace(unquote(r[user])))
}

// matchKey is a username cell as patrons are matched by it: in lower case,
// the prefix in upper case ({U}) as the prefix ({P}).
func matchKey(v string) string { return strings.ToLower(strings.ReplaceAll(v, "{U}", "{P}")) }

// focus tries, on the last step, the row that differs alone, then with
// each of the earlier rows that name its patron, then made one with the
// first of them, then with each other earlier row, nearest first, up to
// partners of them (a row that holds a value the row that differs takes,
// or writes otherwise).
func (s *shrinker) focus(st, partners int) {
	row := s.diff.row
	f := s.best[st].file
	if st != len(s.best)-1 || row < 1 || row > len(f.rows) || len(f.rows) < 2 {
		return
	}
	if s.try(withFile(s.best, st, func(f *csvFile) { keepRows(f, row-1) })) {
		return
	}
	user := -1
	for i, h := range f.header {
		if isUsername(h) {
			user = i
		}
	}
	cell := func(r []string) string { return usernameCell(r, user) }
	var same, near []int
	for j := row - 2; j >= 0; j-- {
		if name := cell(f.rows[row-1]); name != "" && cell(f.rows[j]) == name {
			same = append(same, j)
		} else if len(near) < partners {
			near = append(near, j)
		}
	}
	for _, j := range same {
		if s.try(withFile(s.best, st, func(f *csvFile) { keepRows(f, j, row-1) })) {
			return
		}
	}
	if len(same) > 0 {
		first := same[len(same)-1]
		if s.try(withFile(s.best, st, func(f *csvFile) { mergeRows(f, first, row-1) })) {
			return
		}
	}
	for _, j := range near {
		if s.try(withFile(s.best, st, func(f *csvFile) { keepRows(f, j, row-1) })) {
			return
		}
	}
}

// maxPartners bounds the earlier rows focus tries beside the row that
// differs: each try is a replay.
const maxPartners = 24

// joined returns steps with step i's rows put before the last step's, in
// the last step's file, which gains the columns it lacks (blank in its
// own rows: for an update, a blank cell and an absent column are the
// same, R-ROW-16).
func joined(steps []Step, i int) []Step {
	last := len(steps) - 1
	out := append(slices.Clone(steps[:i]), steps[i+1:]...)
	early, late := steps[i].file, steps[last].file
	if early == nil || late == nil || early.empty || late.empty {
		return out
	}
	f := late.clone()
	names := make([]string, len(f.header))
	for j, h := range f.header {
		names[j] = headerName(h)
	}
	for _, h := range early.header {
		if !slices.Contains(names, headerName(h)) {
			f.header = append(f.header, h)
			names = append(names, headerName(h))
			for j := range f.rows {
				f.rows[j] = append(f.rows[j], "")
			}
		}
	}
	var rows [][]string
	for _, er := range early.rows {
		row := make([]string, len(names))
		for j, h := range early.header {
			if j < len(er) {
				row[slices.Index(names, headerName(h))] = er[j]
			}
		}
		rows = append(rows, row)
	}
	f.rows = append(rows, f.rows...)
	blank := map[int][]string{}
	for k, v := range f.blank {
		if k >= 0 {
			k += len(rows)
		}
		blank[k] = v
	}
	f.blank = blank
	out[len(out)-1].file = f
	return out
}

// mergeRows makes rows first and later, an earlier and a later row of one
// patron, one row at first's place: later's cells, and first's where later
// leaves one blank.
func mergeRows(f *csvFile, first, later int) {
	merged := slices.Clone(f.rows[later])
	for i, c := range f.rows[first] {
		if i < len(merged) && unquote(strings.TrimSpace(merged[i])) == "" {
			merged[i] = c
		}
	}
	f.rows[first] = merged
	dropRows(f, later, later+1)
}

// columns removes the columns of step st's file that the difference does
// not need: first all but the username and the fields its texts name,
// then halves, quarters and so on, down to single columns. The username
// column stays unless the difference is about the header.
func (s *shrinker) columns(st int) {
	f := s.best[st].file
	if len(f.header) < 2 {
		return
	}
	named := fieldsNamed(s.diff.What + " " + s.diff.Reference + " " + s.diff.Target)
	keep := func(h string) bool { return isUsername(h) || slices.Contains(named, headerName(h)) }
	if slices.ContainsFunc(f.header, func(h string) bool { return !keep(h) }) {
		s.try(withFile(s.best, st, func(f *csvFile) { keepColumns(f, keep) }))
	}
	for chunk := (len(s.best[st].file.header) - 1) / 2; chunk >= 1; chunk /= 2 {
		for at := len(s.best[st].file.header) - chunk; at >= 0; at -= chunk {
			h := s.best[st].file.header
			at := min(at, len(h)-chunk)
			if at < 0 || chunk >= len(h) {
				break
			}
			if slices.ContainsFunc(h[at:at+chunk], isUsername) {
				continue
			}
			s.try(withFile(s.best, st, func(f *csvFile) { dropColumns(f, at, at+chunk) }))
		}
	}
}

// cells blanks, one at a time, the cells of the row that differs (on the
// last step), the username's aside.
func (s *shrinker) cells(st int) {
	row := s.diff.row
	if st != len(s.best)-1 || row < 1 || row > len(s.best[st].file.rows) {
		return
	}
	for col := range s.best[st].file.rows[row-1] {
		f := s.best[st].file
		if col >= len(f.rows[row-1]) || f.rows[row-1][col] == "" || col < len(f.header) && isUsername(f.header[col]) {
			continue
		}
		s.try(withFile(s.best, st, func(f *csvFile) {
			if col < len(f.rows[row-1]) {
				f.rows[row-1][col] = ""
			}
		}))
	}
}

var fieldName = regexp.MustCompile(`Field \((\w+)\)`)

// fieldsNamed returns the columns a text names ("Field (emailAddress)"), as
// the header names them.
func fieldsNamed(text string) []string {
	var out []string
	for _, m := range fieldName.FindAllStringSubmatch(text, -1) {
		if c := strings.ToLower(m[1]); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// headerName is a header cell as the column's name: unquoted, trimmed, in
// lower case.
func headerName(h string) string {
	return strings.ToLower(strings.Trim(strings.TrimSpace(h), `" `))
}

// plainHeader reports whether f's header names its columns plainly.
func plainHeader(f *csvFile) bool {
	for _, h := range f.header {
		if h != headerName(h) {
			return false
		}
	}
	return true
}

// keepRows keeps only the rows at the indexes given, in order, with no
// blank lines.
func keepRows(f *csvFile, keep ...int) {
	var rows [][]string
	for _, i := range keep {
		rows = append(rows, f.rows[i])
	}
	f.rows, f.blank = rows, map[int][]string{}
}

// dropRows removes rows [from, to), moving the blank lines before them to
// the row after.
func dropRows(f *csvFile, from, to int) {
	for range to - from {
		f.rows = slices.Delete(f.rows, from, from+1)
		dropBlank(f, from)
	}
}

// keepColumns keeps the columns whose header keep accepts.
func keepColumns(f *csvFile, keep func(string) bool) {
	for col := len(f.header) - 1; col >= 0; col-- {
		if !keep(f.header[col]) {
			dropColumns(f, col, col+1)
		}
	}
}

// dropColumns removes columns [from, to) from the header and every row
// long enough to have them.
func dropColumns(f *csvFile, from, to int) {
	f.header = slices.Delete(f.header, from, to)
	for i, r := range f.rows {
		if from < len(r) {
			f.rows[i] = slices.Delete(r, from, min(to, len(r)))
		}
	}
}

// involved adds to a difference's rules those that its minimal
// reproduction shows are at play: the dialect the file kept (a byte-order
// mark or a header spelled otherwise, R-CSV-4; blank lines, line endings,
// padded cells, R-CSV-5), and, for a row whose username an earlier row or
// file names, what an update keeps (R-ROW-16) and a username twice in one
// file (R-ROW-9); a column that came, went and came back over three imports
// or more (R-CSV-2).
func involved(d *Difference, best []Step) []string {
	rules := slices.Clone(d.Rules)
	add := func(r string) {
		if !slices.Contains(rules, r) {
			rules = append(rules, r)
		}
	}
	if slices.Contains(rules, features.ROW5) || slices.Contains(rules, features.ROW6) {
		add(features.ROW4) // staffmember's reading decides who is a student
	}
	last := best[len(best)-1]
	if f := last.file; f != nil && last.kind == upload {
		if f.bom {
			add(features.CSV4)
		}
		for _, h := range f.header {
			if h != strings.ToLower(strings.TrimSpace(h)) {
				add(features.CSV4)
			}
		}
		if len(f.blank) > 0 || f.crlf || f.mixed || f.noFinalBreak {
			add(features.CSV5)
		}
		for _, r := range f.rows {
			for _, c := range r {
				if v := unquote(c); v != strings.TrimSpace(v) {
					add(features.CSV5)
				}
			}
		}
		if d.row > 0 {
			names := usernames(f.render("{P}"))
			if d.row <= len(names) {
				name := strings.ToLower(names[d.row-1])
				for _, earlier := range names[:d.row-1] {
					if name != "" && strings.ToLower(earlier) == name {
						add(features.ROW9)
						add(features.ROW16)
					}
				}
				for _, st := range best[:len(best)-1] {
					if st.file != nil && slices.ContainsFunc(usernames(st.file.render("{P}")), func(n string) bool { return name != "" && strings.ToLower(n) == name }) {
						add(features.ROW16)
					}
				}
			}
		}
	}
	if comeAndGo(best) {
		add(features.CSV2) // a column the last file sends that an earlier one left out: every recognised column is read
	}
	slices.Sort(rules)
	return rules
}

// comeAndGo reports whether a reproduction of three imports or more sends,
// in its last file, a column that an earlier file sent and a later one
// left out.
func comeAndGo(best []Step) bool {
	var files []map[string]bool
	for _, st := range best {
		if st.file != nil && st.kind == upload {
			cols := map[string]bool{}
			for _, h := range st.file.header {
				cols[headerName(h)] = true
			}
			files = append(files, cols)
		}
	}
	if len(files) < 3 {
		return false
	}
	last := files[len(files)-1]
	for c := range last {
		sent, left := false, false
		for _, f := range files[:len(files)-1] {
			sent = sent || f[c]
			left = left || sent && !f[c]
		}
		if c != "" && left {
			return true
		}
	}
	return false
}

// withFile returns steps with the file of step s changed by change, the
// others shared.
func withFile(steps []Step, s int, change func(*csvFile)) []Step {
	out := slices.Clone(steps)
	f := out[s].file.clone()
	change(f)
	out[s].file = f
	return out
}

// dropBlank moves the blank lines before a removed row to the next one.
func dropBlank(f *csvFile, row int) {
	blank := map[int][]string{}
	for k, v := range f.blank {
		switch {
		case k > row:
			blank[k-1] = append(blank[k-1], v...)
		default:
			blank[k] = append(blank[k], v...)
		}
	}
	f.blank = blank
}

func isUsername(header string) bool {
	return strings.EqualFold(strings.Trim(strings.TrimSpace(header), `" `), "username")
}

func overlap(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
