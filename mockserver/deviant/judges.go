package deviant

import (
	"path"
	"regexp"
	"strings"
	"unicode"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/mockserver/internal/engine"
	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
	"golang.org/x/text/unicode/norm"
)

// The ways a deviation rewrites the engine's judges (engine.NewWith): run
// something before, after or around one rule, take reasons back, remember
// what earlier rows of the import did.

// wrapCells runs after the cell rule id, on the row it judged.
func wrapCells(j *engine.Judges, id string, after func(r *engine.Row)) {
	for i, rule := range j.Cells {
		if rule.ID == id {
			judge := rule.Judge
			j.Cells[i].Judge = func(e *rules.Engine, r *engine.Row) {
				judge(e, r)
				after(r)
			}
		}
	}
}

// wrapStored runs after the stored rule id, on the row it judged.
func wrapStored(j *engine.Judges, id string, after func(r *engine.Row)) {
	for i, rule := range j.Stored {
		if rule.ID == id {
			judge := rule.Judge
			j.Stored[i].Judge = func(e *rules.Engine, tx *store.Tx, r *engine.Row) {
				judge(e, tx, r)
				after(r)
			}
		}
	}
}

// forgive takes back every reason of rule from r.
func forgive(r *engine.Row, rule string) {
	if r.Why == nil {
		return
	}
	left := false
	for c := range r.Why.Reasons {
		if r.Why.Rules[c] == rule {
			r.Why.Reasons[c], r.Why.Rules[c] = "", ""
		}
		left = left || r.Why.Reasons[c] != ""
	}
	if !left {
		r.Why = nil
	}
}

func setTri(r *engine.Row, c rules.Column, v engine.Tri) {
	if c == rules.Enabled {
		r.EnabledFlag = v
	} else {
		r.StaffFlag = v
	}
}

// forgiveColumn takes back column c's reason.
func forgiveColumn(r *engine.Row, c rules.Column) {
	if r.Why == nil {
		return
	}
	r.Why.Reasons[c], r.Why.Rules[c] = "", ""
	for _, why := range r.Why.Reasons {
		if why != "" {
			return
		}
	}
	r.Why = nil
}

// aroundCells runs around the cell rule id: around calls judge to judge.
func aroundCells(j *engine.Judges, id string, around func(r *engine.Row, judge func())) {
	for i, rule := range j.Cells {
		if rule.ID == id {
			judge := rule.Judge
			j.Cells[i].Judge = func(e *rules.Engine, r *engine.Row) {
				around(r, func() { judge(e, r) })
			}
		}
	}
}

// beforeStored runs before the first stored rule, on the row it judges.
func beforeStored(j *engine.Judges, before func(r *engine.Row)) {
	judge := j.Stored[0].Judge
	j.Stored[0].Judge = func(e *rules.Engine, tx *store.Tx, r *engine.Row) {
		before(r)
		judge(e, tx, r)
	}
}

// importMemory is what a deviation remembers of the rows of the import
// being applied: named sets of values, each with the first row that put
// it there.
type importMemory struct {
	last int
	sets map[string]map[string]int
}

// at starts afresh when r begins another import.
func (m *importMemory) at(r *engine.Row) {
	if r.Num <= m.last || m.sets == nil {
		m.sets = map[string]map[string]int{}
	}
	m.last = r.Num
}

func (m *importMemory) set(name, v string, num int) {
	if m.sets[name] == nil {
		m.sets[name] = map[string]int{}
	}
	if _, ok := m.sets[name][v]; !ok {
		m.sets[name][v] = num
	}
}

func (m *importMemory) has(name, v string) bool {
	_, ok := m.sets[name][v]
	return ok
}

// first returns the row that first put v in the set, or a row number past
// any other.
func (m *importMemory) first(name, v string) int {
	if n, ok := m.sets[name][v]; ok {
		return n
	}
	return int(^uint(0) >> 1)
}

// isAlnumASCII reports whether c is an ASCII letter or digit.
func isAlnumASCII(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// afterCells runs after the cell rule id, with the engine.
func afterCells(j *engine.Judges, id string, after func(e *rules.Engine, r *engine.Row)) {
	for i, rule := range j.Cells {
		if rule.ID == id {
			judge := rule.Judge
			j.Cells[i].Judge = func(e *rules.Engine, r *engine.Row) {
				judge(e, r)
				after(e, r)
			}
		}
	}
}

// afterStored runs after the stored rule id, with the transaction.
func afterStored(j *engine.Judges, id string, after func(tx *store.Tx, r *engine.Row)) {
	for i, rule := range j.Stored {
		if rule.ID == id {
			judge := rule.Judge
			j.Stored[i].Judge = func(e *rules.Engine, tx *store.Tx, r *engine.Row) {
				judge(e, tx, r)
				after(tx, r)
			}
		}
	}
}

// eachText runs after the text rule (R-ROW-15) on every text cell given.
func eachText(j *engine.Judges, f func(r *engine.Row, c rules.Column, v string)) {
	wrapCells(j, features.ROW15, func(r *engine.Row) {
		for c := range rules.Column(rules.NumColumns) {
			if v := r.Vals[c]; v != "" && engine.IsText(c) {
				f(r, c, v)
			}
		}
	})
}

// like reports whether v matches the SQL LIKE pattern (% any run, _ any
// one character).
func like(pattern, v string) bool {
	var b strings.Builder
	b.WriteString("^")
	for _, ch := range pattern {
		switch ch {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(ch)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(v)
}

// accentInsensitive reports whether a and b are one value to a collation
// that ignores accents and letter case, as MySQL's _ai_ci ones do.
func accentInsensitive(a, b string) bool { return accentFold(a) == accentFold(b) }

// accentFold is v as a collation that ignores accents and letter case
// compares it.
func accentFold(v string) string { return strings.ToLower(strings.Map(dropMarks, norm.NFD.String(v))) }

// glob reports whether v matches the glob pattern (*, ?, [class]).
func glob(pattern, v string) bool {
	ok, err := path.Match(pattern, v)
	return err == nil && ok
}

// dropMarks drops combining marks, which a count of what shows on screen
// leaves out.
func dropMarks(ch rune) rune {
	if unicode.Is(unicode.Mn, ch) {
		return -1
	}
	return ch
}

// quotedValue is a value a failure text quotes, with its quotes:
// "value 'X' is …".
const quotedValue = `'.*' `

// forgivenCells takes back every reason of the cell rule after it judged.
func forgivenCells(rule string) func(j *engine.Judges) {
	return func(j *engine.Judges) { wrapCells(j, rule, func(r *engine.Row) { forgive(r, rule) }) }
}

// forgivenStored takes back every reason of the stored rule after it
// judged.
func forgivenStored(rule string) func(j *engine.Judges) {
	return func(j *engine.Judges) { wrapStored(j, rule, func(r *engine.Row) { forgive(r, rule) }) }
}

// storedAsSent keeps column col as the row sent it, in whatever letter
// case, where the rule found it good.
func storedAsSent(rule string, col rules.Column) func(j *engine.Judges) {
	return func(j *engine.Judges) {
		aroundCells(j, rule, func(r *engine.Row, judge func()) {
			sent := r.Vals[col]
			judge()
			if r.Reason(col) == "" {
				r.Vals[col] = sent
			}
		})
	}
}

// declaredAsPattern matches a value of col against the declared ones as a
// pattern, so that a value the rule refused is taken for the first
// declared one it matches.
func declaredAsPattern(rule string, col rules.Column, set func(e *rules.Engine) engine.DeclaredSet, match func(pattern, v string) bool) func(j *engine.Judges) {
	return func(j *engine.Judges) {
		afterCells(j, rule, func(e *rules.Engine, r *engine.Row) {
			v := r.Vals[col]
			if v == "" || r.Why == nil || r.Why.Rules[col] != rule {
				return
			}
			for lower, declared := range set(e).Folded {
				if match(strings.ToLower(v), lower) {
					forgiveColumn(r, col)
					r.Vals[col] = declared
					return
				}
			}
		})
	}
}

// uniqueAsPattern looks a unique value of col up as a pattern, across
// imports: against the values of the rows the deviant server has applied.
func uniqueAsPattern(rule string, col rules.Column, match func(pattern, v string) bool) func(j *engine.Judges) {
	return func(j *engine.Judges) {
		held := map[string]string{} // value → its holder's username, lower case
		wrapStored(j, rule, func(r *engine.Row) {
			v, user := r.Vals[col], strings.ToLower(r.Vals[rules.Username])
			if v == "" || r.Reason(col) != "" {
				return
			}
			for other, holder := range held {
				if holder != user && other != v && match(strings.ToLower(v), strings.ToLower(other)) {
					r.Fail(col, rule, engine.TakenMessage(col, v))
					return
				}
			}
			if !r.Failed() {
				held[strings.Clone(v)] = strings.Clone(user)
			}
		})
	}
}

// usernameFolded looks a username up by its fold when no patron has it:
// among the usernames of the rows the deviant server has applied, the one
// that folds alike (a map, so a long run stays quick).
func usernameFolded(fold func(string) string) func(j *engine.Judges) {
	return func(j *engine.Judges) {
		held := map[string]string{} // a fold → the matching key of a username applied
		judge := j.Stored[0].Judge
		j.Stored[0].Judge = func(e *rules.Engine, tx *store.Tx, r *engine.Row) {
			if v := storage.Key(r.Vals[rules.Username]); !r.Stored.Found {
				if name, ok := held[fold(v)]; ok && name != v {
					if p, ok := tx.Get(name); ok {
						r.Vals[rules.Username], r.Matched = p.Username, p.Username
						r.Stored.Patron, r.Stored.Found = p, true
					}
				}
			}
			judge(e, tx, r)
		}
		reword := j.Reword
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			key := strings.Clone(storage.Key(r.Vals[rules.Username]))
			held[fold(key)] = key
			if reword != nil {
				return reword(r, o)
			}
			return o
		}
	}
}

// usernameAsPattern looks a username up as a pattern when no patron has
// it: against the usernames of the rows the deviant server has applied.
func usernameAsPattern(match func(v, name string) bool) func(j *engine.Judges) {
	return func(j *engine.Judges) {
		held := map[string]bool{} // the matching keys of the usernames applied
		judge := j.Stored[0].Judge
		j.Stored[0].Judge = func(e *rules.Engine, tx *store.Tx, r *engine.Row) {
			if v := storage.Key(r.Vals[rules.Username]); !r.Stored.Found {
				for name := range held {
					if p, ok := tx.Get(name); ok && name != v && match(v, name) {
						r.Vals[rules.Username], r.Matched = p.Username, p.Username
						r.Stored.Patron, r.Stored.Found = p, true
						break
					}
				}
			}
			judge(e, tx, r)
		}
		reword := j.Reword
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			held[strings.Clone(storage.Key(r.Vals[rules.Username]))] = true // a row's cells share its batch's memory
			if reword != nil {
				return reword(r, o)
			}
			return o
		}
	}
}
