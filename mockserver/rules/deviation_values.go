package rules

import (
	"fmt"
	"html"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/store"
	"golang.org/x/text/unicode/norm"
)

// applyValues breaks the rules with the values of package
// features/hostile: matching with LIKE or a glob, counting another way,
// refusing valid characters, escaping what is quoted.
func (d Deviations) applyValues(j *judges) {
	// Declared values matched as patterns.
	for _, x := range []struct {
		dev   Deviation
		rule  string
		col   Column
		set   func(e *Engine) declaredSet
		match func(pattern, v string) bool
	}{
		{LevelMatchedWithLike, features.ROW8, AcademicLevel, func(e *Engine) declaredSet { return e.levels }, like},
		{GroupMatchedWithGlob, features.ROW14, PresentationGroupLabel, func(e *Engine) declaredSet { return e.groups }, glob},
	} {
		if !d.Has(x.dev) {
			continue
		}
		afterCells(j, x.rule, func(e *Engine, r *row) {
			v := r.vals[x.col]
			if v == "" || r.why == nil || r.why.rules[x.col] != x.rule {
				return
			}
			for lower, declared := range x.set(e).folded {
				if x.match(strings.ToLower(v), lower) {
					forgiveColumn(r, x.col)
					r.vals[x.col] = declared
					return
				}
			}
		})
	}

	// Unique values looked up as patterns, across imports: the values of
	// the rows the deviant server has applied.
	for _, x := range []struct {
		dev   Deviation
		rule  string
		col   Column
		match func(pattern, v string) bool
	}{
		{BarcodeMatchedWithLike, features.ROW10, LibraryBarcode, like},
		{AdminIDMatchedWithGlob, features.ROW11, AdminSystemID, glob},
		{BarcodeAccentInsensitive, features.ROW10, LibraryBarcode, accentInsensitive},
	} {
		if !d.Has(x.dev) {
			continue
		}
		held := map[string]string{} // value → its holder's username, lower case
		wrapStored(j, x.rule, func(r *row) {
			v, user := r.vals[x.col], strings.ToLower(r.vals[Username])
			if v == "" || r.reason(x.col) != "" {
				return
			}
			for other, holder := range held {
				if holder != user && other != v && x.match(strings.ToLower(v), strings.ToLower(other)) {
					r.fail(x.col, x.rule, takenMessage(x.col, v))
					return
				}
			}
			if !r.failed() {
				held[v] = user
			}
		})
	}

	// Usernames looked up as patterns when none is the username: the
	// usernames of the rows the deviant server has applied.
	for _, x := range []struct {
		dev   Deviation
		match func(v, name string) bool
	}{
		{UsernameMatchedWithLike, func(v, name string) bool { return strings.ContainsAny(v, "%_") && like(v, name) }},
		{UsernameAccentInsensitive, accentInsensitive},
	} {
		if !d.Has(x.dev) {
			continue
		}
		held := map[string]bool{} // the matching keys of the usernames applied
		judge := j.stored[0].judge
		j.stored[0].judge = func(e *Engine, tx *store.Tx, r *row) {
			if v := storage.Key(r.vals[Username]); !r.stored.found {
				for name := range held {
					if p, ok := tx.Get(name); ok && name != v && x.match(v, name) {
						r.vals[Username], r.matched = p.Username, p.Username
						r.stored.patron, r.stored.found = p, true
						break
					}
				}
			}
			judge(e, tx, r)
		}
		outcome := j.outcome
		j.outcome = func(r *row, o Outcome) Outcome {
			held[storage.Key(r.vals[Username])] = true
			if outcome != nil {
				return outcome(r, o)
			}
			return o
		}
	}

	// Lengths and characters.
	if d.Has(LengthInUTF16Units) {
		eachText(j, func(r *row, c Column, v string) {
			if r.reason(c) == "" && len(utf16.Encode([]rune(v))) > maxText {
				r.fail(c, features.ROW15, fieldMessage(c, fmt.Sprintf("is longer than %d characters.", maxText)))
			}
		})
	}
	if d.Has(LengthInGraphemes) {
		eachText(j, func(r *row, c Column, v string) {
			if strings.HasSuffix(r.reason(c), "characters.") && !strings.HasSuffix(r.reason(c), "control characters.") &&
				len([]rune(strings.Map(dropMarks, v))) <= maxText {
				forgiveColumn(r, c)
			}
		})
	}
	if d.Has(AstralRefused) {
		eachText(j, func(r *row, c Column, v string) {
			if r.reason(c) == "" && strings.ContainsFunc(v, func(ch rune) bool { return ch > 0xFFFF }) {
				r.fail(c, features.ROW15, fieldMessage(c, "contains characters that cannot be stored."))
			}
		})
	}
	if d.Has(RightToLeftRefused) {
		eachText(j, func(r *row, c Column, v string) {
			if r.reason(c) == "" && strings.ContainsFunc(v, func(ch rune) bool { return unicode.In(ch, unicode.Hebrew, unicode.Arabic) }) {
				r.fail(c, features.ROW15, fieldMessage(c, "contains control characters."))
			}
		})
	}

	// Barcodes against other values.
	if d.Has(BarcodesNormalised) {
		afterStored(j, features.ROW10, func(tx *store.Tx, r *row) {
			v := r.vals[LibraryBarcode]
			if v == "" || r.reason(LibraryBarcode) != "" {
				return
			}
			for _, other := range []string{norm.NFC.String(v), norm.NFD.String(v)} {
				if other != v && tx.BarcodeTaken(other, r.vals[Username]) {
					r.fail(LibraryBarcode, features.ROW10, takenMessage(LibraryBarcode, v))
					return
				}
			}
		})
	}
	if d.Has(AdminIDIsBarcode) {
		afterStored(j, features.ROW10, func(tx *store.Tx, r *row) {
			if v := r.vals[LibraryBarcode]; v != "" && r.reason(LibraryBarcode) == "" && tx.AdminIDTaken(v, r.vals[Username]) {
				r.fail(LibraryBarcode, features.ROW10, takenMessage(LibraryBarcode, v))
			}
		})
	}

	// The answer.
	if d.Has(ValuesHTMLEscaped) {
		failure := j.words.failure
		j.words.failure = func(reasons []Reason) string {
			out := make([]Reason, len(reasons))
			for i, why := range reasons {
				why.Text = regexp.MustCompile(quotedValue).ReplaceAllStringFunc(why.Text, func(q string) string {
					return "'" + html.EscapeString(q[1:len(q)-2]) + "' "
				})
				out[i] = why
			}
			return failure(out)
		}
	}
}

// quotedValue is a value a failure text quotes, with its quotes:
// "value 'X' is …".
const quotedValue = `'.*' `

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
func accentInsensitive(a, b string) bool {
	fold := func(v string) string { return strings.ToLower(strings.Map(dropMarks, norm.NFD.String(v))) }
	return fold(a) == fold(b)
}

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

// afterCells runs after the cell rule id, with the engine.
func afterCells(j *judges, id string, after func(e *Engine, r *row)) {
	for i, rule := range j.cells {
		if rule.id == id {
			judge := rule.judge
			j.cells[i].judge = func(e *Engine, r *row) {
				judge(e, r)
				after(e, r)
			}
		}
	}
}

// afterStored runs after the stored rule id, with the transaction.
func afterStored(j *judges, id string, after func(tx *store.Tx, r *row)) {
	for i, rule := range j.stored {
		if rule.id == id {
			judge := rule.judge
			j.stored[i].judge = func(e *Engine, tx *store.Tx, r *row) {
				judge(e, tx, r)
				after(tx, r)
			}
		}
	}
}

// eachText runs after the text rule (R-ROW-15) on every text cell given.
func eachText(j *judges, f func(r *row, c Column, v string)) {
	wrapCells(j, features.ROW15, func(r *row) {
		for c := range Column(numColumns) {
			if v := r.vals[c]; v != "" && c.isText() {
				f(r, c, v)
			}
		}
	})
}
