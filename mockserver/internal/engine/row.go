package engine

import (
	"errors"
	"fmt"
	"github.com/autosync/autosync/features"
	"strings"
	"unicode/utf8"

	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/store"
	"golang.org/x/crypto/bcrypt"
)

// Tri is a boolean cell: not given, or given as true or false.
type Tri uint8

// The values of a boolean cell.
const (
	Unset   Tri = iota // blank or absent
	No                 // N, no, false, 0
	Yes                // Y, yes, true, 1
	Invalid            // anything else (R-ROW-4)
)

// Row is one data record while it is judged: its trimmed cells and what
// the rules made of them.
type Row struct {
	Num, line int
	// ascii says every cell is printable ASCII, so valid UTF-8 without
	// control characters. The reader, which sees a row's cells side by
	// side, finds it out at once.
	ascii       bool
	Vals        [numColumns]string // trimmed cells; "" for blank or absent
	Why         *failures          // nil while the row breaks no rule
	Stored      *stored            // what the store holds under the username, while the row is applied
	Matched     string             // the stored spelling of an existing patron's username
	alone       string             // a reason that fails the row alone (R-CSV-7)
	EnabledFlag Tri
	StaffFlag   Tri
	YearValue   int
	hash        string
	// password says the row gives a password, which a good row's import
	// stores (hashed anew) even where it is the one stored.
	password bool
}

// failures are the reasons a row fails, by column. Most rows have none, so
// a row makes room for them only when it first fails.
type failures struct {
	Reasons [numColumns]string // the failure reason of each column, if any
	Rules   [numColumns]string // the ID of the rule each reason is for
}

// Fail records why column c fails, and for which rule.
func (r *Row) Fail(c Column, rule, text string) {
	if r.Why == nil {
		r.Why = new(failures)
	}
	r.Why.Reasons[c], r.Why.Rules[c] = text, rule
}

// Reason returns why column c fails, or "".
func (r *Row) Reason(c Column) string {
	if r.Why == nil {
		return ""
	}
	return r.Why.Reasons[c]
}

// Failed reports whether r breaks a rule.
func (r *Row) Failed() bool { return r.alone != "" || r.Why != nil }

// Reasons returns the row's reasons in column order.
func (r *Row) Reasons() []Reason {
	if r.alone != "" {
		return []Reason{{Column: -1, Rule: features.CSV7, Text: r.alone}}
	}
	if r.Why == nil {
		return nil
	}
	var out []Reason
	for c, s := range r.Why.Reasons {
		if s != "" {
			// The value is copied: the row's cells share their batch's
			// memory, which a kept reason must not hold on to.
			v := strings.Clone(r.Vals[c])
			if Column(c) == Password {
				v = ""
			}
			out = append(out, Reason{Column: Column(c), Rule: r.Why.Rules[c], Text: s, Value: v})
		}
	}
	return out
}

// stored is what the store holds for a row's username.
type stored struct {
	Patron store.Patron
	Found  bool
	// put is the patron the row left, and changed says it differs from
	// the one stored before (or is new): what a journal must write. Its
	// strings may share the batch's memory; they are for the call only.
	put     store.Patron
	changed bool
}

// check reads a record into r and judges it by every rule that needs no
// store. The password is hashed later, by hashPasswords, so that hashing
// runs in parallel.
func (e *Engine) check(h *Header, record []string, r *Row) {
	*r = Row{Num: r.Num, line: r.line, ascii: r.ascii}
	if !e.fields(h, record, r) {
		return
	}
	for _, rule := range e.judges.Cells {
		rule.Judge(e, r)
	}
}

// apply judges r against the store and, if every rule holds, writes the
// patron whole (R-ROW-16); a failed row changes nothing (R-ROW-18). keys
// are r's, from storage.KeysOf; s is room for the stored patron, reused
// from row to row. It returns the outcome and, for a failed row, its
// reasons in column order.
func (e *Engine) apply(tx *store.Tx, r *Row, keys *storage.Keys, s *stored) (Outcome, []Reason) {
	if r.alone != "" || r.Vals[Username] == "" {
		return Failed, r.Reasons()
	}
	r.Stored = s
	r.Stored.changed = false
	r.Stored.Patron, r.Stored.Found = storage.GetWith(tx, keys, r.Vals[Username])
	r.Matched = r.Stored.Patron.Username
	for _, rule := range e.judges.Stored {
		rule.Judge(e, tx, r)
	}
	if r.Failed() {
		return e.judges.FailedRow(e, tx, r, keys)
	}
	p := Merge(r)
	created, err := storage.PutWith(tx, keys, &p)
	var conflict *store.ConflictError
	switch {
	case errors.As(err, &conflict):
		return e.judges.Taken(r, conflict)
	case err != nil:
		return Failed, []Reason{{Column: -1, Text: "The patron could not be stored; shorten its fields."}}
	}
	o := Updated
	if created {
		o = Created
	}
	s.put, s.changed = p, created || p != s.Patron
	if e.judges.Reword != nil {
		o = e.judges.Reword(r, o)
	}
	return o, nil
}

// hashPassword replaces a good row's password with its bcrypt hash, so that
// the plain password goes no further than this.
func (e *Engine) hashPassword(r *Row) {
	r.password = r.Vals[Password] != "" && !r.Failed()
	if r.Vals[Password] == "" || r.Failed() || e.skipHash {
		r.Vals[Password] = ""
		return
	}
	h, err := bcrypt.GenerateFromPassword([]byte(r.Vals[Password]), e.bcryptCost)
	r.Vals[Password] = ""
	if err != nil {
		r.Fail(Password, features.ROW17, "Field (password) could not be stored; try another password.")
		return
	}
	r.hash = string(h)
}

// Merge returns the patron a row leaves: the stored patron with every
// non-blank cell of the row written over it (R-ROW-16). The store copies
// what it keeps, so the patron holds no part of the uploaded record (which
// had the plain password) once stored.
func Merge(r *Row) store.Patron {
	p := r.Stored.Patron
	if !r.Stored.Found {
		p.Username = r.Vals[Username]
	}
	if r.EnabledFlag == Yes || r.EnabledFlag == No {
		p.Enabled = r.EnabledFlag == Yes
	}
	if r.StaffFlag == Yes || r.StaffFlag == No {
		p.StaffMember = r.StaffFlag == Yes
	}
	if r.YearValue != 0 {
		p.GraduationYear = r.YearValue
	}
	if r.hash != "" {
		p.PasswordHash = r.hash
	}
	for _, t := range merged {
		if v := r.Vals[t.column]; v != "" {
			*store.TextField(&p, t.field) = v
		}
	}
	return p
}

// trimmed reports whether strings.TrimSpace would leave v as it is because
// it neither starts nor ends with white space: true for most cells, at once.
func trimmed(v string) bool {
	return v == "" || ' ' < v[0] && v[0] < utf8.RuneSelf && ' ' < v[len(v)-1] && v[len(v)-1] < utf8.RuneSelf
}

// printableASCII reports whether s is all printable ASCII (0x20 to 0x7e),
// eight bytes at a time.
func printableASCII[T string | []byte](s T) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A byte below 0x20, or at or above 0x7f, sets its high bit here.
		if ((x-0x20*ones)|(x+0x01*ones)|x)&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// FieldMessage is a reason about column c: "Field (givenName) " and text.
func FieldMessage(c Column, text string) string {
	return fmt.Sprintf("Field (%s) %s", c.FieldName(), text)
}
