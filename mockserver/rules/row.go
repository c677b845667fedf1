package rules

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/autosync/autosync/mockserver/store"
	"golang.org/x/crypto/bcrypt"
)

// maxText is the longest text value, in characters (R-ROW-15).
const maxText = 255

// maxPassword is bcrypt's limit, in bytes (R-ROW-17).
const maxPassword = 72

// tri is a boolean cell: not given, or given as true or false.
type tri uint8

const (
	unset tri = iota
	no
	yes
	invalid
)

// row is one data record after the checks that need no store.
type row struct {
	num, line int
	vals      [numColumns]string // trimmed cells; "" for blank or absent
	why       *faults            // nil while the row breaks no rule
	matched   string             // the stored spelling of an existing patron's username
	alone     string             // a reason that fails the row alone (R-CSV-7)
	enabled   tri
	staff     tri
	year      int
	hash      string
}

// faults are the reasons a row fails, by column. Most rows have none, so
// a row makes room for them only when it first fails.
type faults struct {
	reasons [numColumns]string // the failure reason of each column, if any
	rules   [numColumns]string // the ID of the rule each reason is for
}

// fail records why column c fails, and for which rule.
func (r *row) fail(c Column, rule, text string) {
	if r.why == nil {
		r.why = new(faults)
	}
	r.why.reasons[c], r.why.rules[c] = text, rule
}

// reason returns why column c fails, or "".
func (r *row) reason(c Column) string {
	if r.why == nil {
		return ""
	}
	return r.why.reasons[c]
}

func (r *row) failed() bool { return r.alone != "" || r.why != nil }

// check fills r from a record and applies every rule that needs no store.
// plain tells that every cell is known to be printable ASCII (so valid UTF-8
// without control characters); if false, check finds out. The password is
// not hashed here: hashing is left to hashPasswords so that it can run in
// parallel.
func (e *Engine) check(h *Header, record []string, r *row, plain bool) {
	*r = row{num: r.num, line: r.line}
	if len(record) != h.width {
		r.alone = fmt.Sprintf("Row has %d %s but the header has %d.", len(record), plural(len(record), "field"), h.width)
		return
	}
	if !plain {
		plain = true
		for _, cell := range record {
			if !printableASCII(cell) {
				plain = false
				if !utf8.ValidString(cell) {
					r.alone = "Row is not valid UTF-8; save the file as UTF-8."
					return
				}
			}
		}
	}
	for c, pos := range h.index {
		if pos >= 0 {
			v := record[pos]
			if !trimmed(v) {
				v = strings.TrimSpace(v)
			}
			r.vals[c] = v
		}
	}
	if r.vals[Username] == "" {
		r.fail(Username, "R-ROW-1", "Field (username) is mandatory.")
	}
	for c := Column(0); c < numColumns; c++ {
		v := r.vals[c]
		if v == "" || !c.isText() {
			continue
		}
		if !plain && hasControl(v) {
			r.fail(c, "R-ROW-15", fmt.Sprintf("Field (%s) contains control characters.", c.FieldName()))
		} else if len(v) > maxText && utf8.RuneCountInString(v) > maxText {
			r.fail(c, "R-ROW-15", fmt.Sprintf("Field (%s) is longer than %d characters.", c.FieldName(), maxText))
		}
	}
	r.enabled = e.boolean(r, Enabled)
	r.staff = e.boolean(r, StaffMember)
	if v := r.vals[EmailAddress]; v != "" && r.reason(EmailAddress) == "" && !e.wellFormedEmail(v) {
		r.fail(EmailAddress, "R-ROW-13", "Field (emailAddress) is not a well-formed email address.")
	}
	if v := r.vals[GraduationYear]; v != "" {
		if y, ok := year(v); ok {
			r.year = y
		} else {
			r.fail(GraduationYear, "R-ROW-7", "Field (graduationYear) is not a four-digit year.")
		}
	}
	e.declaredValue(r, AcademicLevel, "R-ROW-8", e.levels, "is not a declared academic level")
	e.declaredValue(r, PresentationGroupLabel, "R-ROW-14", e.groups, "is not a current presentation group")
	if v := r.vals[Gender]; v != "" {
		switch {
		case v == "M" || v == "F":
		case e.dev.Has(AnyGender) || v == "m" || v == "f":
			r.vals[Gender] = strings.ToUpper(v)
		default:
			r.fail(Gender, "R-ROW-12", "Field (gender) must be M, F or blank.")
		}
	}
	if v := r.vals[Password]; len(v) > maxPassword {
		r.fail(Password, "R-ROW-17", fmt.Sprintf("Field (password) is longer than %d bytes.", maxPassword))
	}
}

// hashPassword replaces a good row's password with its bcrypt hash, so that
// the plain password goes no further than this.
func (e *Engine) hashPassword(r *row) {
	if r.vals[Password] == "" || r.failed() || e.skipHash {
		r.vals[Password] = ""
		return
	}
	h, err := bcrypt.GenerateFromPassword([]byte(r.vals[Password]), e.bcryptCost)
	r.vals[Password] = ""
	if err != nil {
		r.fail(Password, "R-ROW-17", "Field (password) could not be stored; try another password.")
		return
	}
	r.hash = string(h)
}

func (e *Engine) boolean(r *row, c Column) tri {
	v := r.vals[c]
	if v == "" {
		return unset
	}
	if b, ok := e.parseBool(v); ok {
		if b {
			return yes
		}
		return no
	}
	r.fail(c, "R-ROW-4", fmt.Sprintf("Field (%s) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0.", c.FieldName()))
	return invalid
}

// ParseBool reads a boolean cell: Y, yes, true or 1 and N, no, false or 0,
// in any letter case (R-ROW-4). ok is false for anything else.
func ParseBool(v string) (value, ok bool) {
	var e Engine
	return e.parseBool(strings.TrimSpace(v))
}

// parseBool accepts the documented flags in any letter case (R-ROW-4).
func (e *Engine) parseBool(v string) (bool, bool) {
	for _, t := range [...]string{"Y", "yes", "true", "1"} {
		if e.sameFlag(v, t) {
			return true, !e.dev.Has(NoDigitBooleans) || t != "1"
		}
	}
	for _, f := range [...]string{"N", "no", "false", "0"} {
		if e.sameFlag(v, f) {
			return false, !e.dev.Has(NoDigitBooleans) || f != "0"
		}
	}
	return false, false
}

func (e *Engine) sameFlag(v, flag string) bool {
	if e.dev.Has(CaseSensitiveBooleans) {
		return v == flag
	}
	return strings.EqualFold(v, flag)
}

// wellFormedEmail accepts a bare local@domain address (R-ROW-13).
func (e *Engine) wellFormedEmail(v string) bool {
	if e.dev.Has(UncheckedEmail) {
		return true
	}
	if simpleEmail(v) {
		return true
	}
	a, err := mail.ParseAddress(v)
	return err == nil && a.Name == "" && a.Address == v
}

// simpleEmail accepts the everyday address: a dot-atom of ASCII atext, "@",
// and a dot-atom domain of letters, digits and hyphens. Every address it
// accepts, net/mail accepts as a bare address too (a fuzz test holds it to
// that); anything else is left to net/mail. It exists because net/mail is a
// third of the cost of judging a row.
func simpleEmail(v string) bool {
	at := strings.IndexByte(v, '@')
	if at <= 0 || at == len(v)-1 {
		return false
	}
	return dotAtom(v[:at], atextChar) && dotAtom(v[at+1:], domainChar)
}

// dotAtom reports whether s is dot-separated runs of characters of class.
func dotAtom(s string, class uint8) bool {
	prevDot := true // no leading dot
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if prevDot {
				return false
			}
			prevDot = true
			continue
		}
		if emailChars[c]&class == 0 {
			return false
		}
		prevDot = false
	}
	return !prevDot // no trailing dot
}

// emailChars classes the bytes of an everyday address.
var emailChars = func() (t [256]uint8) {
	for c := range 256 {
		b := byte(c)
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' {
			t[c] = domainChar | atextChar
		} else if strings.IndexByte("!#$%&'*+/=?^_`{|}~", b) >= 0 {
			t[c] = atextChar
		}
	}
	return t
}()

const (
	atextChar  = 1 << iota // allowed in the local part's atoms
	domainChar             // allowed in the domain's labels
)

func (e *Engine) declaredValue(r *row, c Column, rule string, set declaredSet, what string) {
	v := r.vals[c]
	if v == "" || r.reason(c) != "" {
		return
	}
	if _, ok := set.exact[v]; ok {
		return
	}
	if d, ok := set.folded[strings.ToLower(v)]; ok {
		r.vals[c] = d
		return
	}
	if (c == AcademicLevel && e.dev.Has(AnyAcademicLevel)) || (c == PresentationGroupLabel && e.dev.Has(AnyPresentationGroup)) {
		return
	}
	r.fail(c, rule, fmt.Sprintf("Field (%s) value '%s' %s.", c.FieldName(), v, what))
}

// year parses a four-digit year between 1900 and 2100 (R-ROW-7).
func year(v string) (int, bool) {
	if len(v) != 4 {
		return 0, false
	}
	y := 0
	for i := 0; i < 4; i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
		y = y*10 + int(v[i]-'0')
	}
	return y, y >= 1900 && y <= 2100
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

// hasControl reports control characters: C0 (tabs and line breaks
// included), DEL, C1, and Unicode format characters (category Cf: a
// byte-order mark, zero-width spaces and joiners, direction overrides),
// which would let two usernames look alike (R-ROW-15).
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return true
		}
		if c >= 0x80 {
			for _, r := range s[i:] {
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// apply judges r against the store and, if every rule holds, writes the
// patron whole; keys are r's, from Store.Keys. It returns the outcome and,
// for a failed row, its reasons in column order.
func (e *Engine) apply(tx *store.Tx, r *row, keys *store.Keys) (Outcome, []Reason) {
	if r.alone != "" {
		return Failed, []Reason{{Column: -1, Rule: "R-CSV-7", Text: r.alone}}
	}
	name := r.vals[Username]
	if name == "" {
		return Failed, r.failures()
	}
	existing, found := tx.GetWith(keys, name)
	r.matched = existing.Username
	if !found && !e.dev.Has(OptionalEnabled) {
		if r.enabled == unset {
			r.fail(Enabled, "R-ROW-3", "Field (enabled) is mandatory for new users.")
		}
		if r.staff == unset {
			r.fail(StaffMember, "R-ROW-3", "Field (staffMember) is mandatory for new users.")
		}
	}
	staff := r.staff
	if staff == unset && found {
		staff = no
		if existing.StaffMember {
			staff = yes
		}
	}
	switch staff {
	case yes:
		if !e.dev.Has(StaffWithYearAccepted) {
			for _, c := range [...]Column{GraduationYear, AcademicLevel} {
				if r.vals[c] != "" {
					r.fail(c, "R-ROW-6", fmt.Sprintf("Field (%s) applies to students only; leave it blank for staff.", c.FieldName()))
				}
			}
		}
	case no:
		hasYear := r.vals[GraduationYear] != "" || existing.GraduationYear != 0
		hasLevel := r.vals[AcademicLevel] != "" || existing.AcademicLevel != ""
		if !hasYear && !hasLevel && !e.dev.Has(StudentsWithoutYear) {
			r.fail(GraduationYear, "R-ROW-5", "Field (graduationYear) or Field (academicLevel) is mandatory for students.")
		}
	}
	if r.failed() {
		// Name every reason: the unique values too.
		if v := r.vals[LibraryBarcode]; v != "" && r.reason(LibraryBarcode) == "" && tx.BarcodeTaken(v, name) && !e.dev.Has(DuplicateBarcodes) {
			r.fail(LibraryBarcode, "R-ROW-10", takenMessage(LibraryBarcode, v))
		}
		if v := r.vals[AdminSystemID]; v != "" && r.reason(AdminSystemID) == "" && tx.AdminIDTaken(v, name) {
			r.fail(AdminSystemID, "R-ROW-11", takenMessage(AdminSystemID, v))
		}
		reasons := r.failures()
		if e.dev.Has(FailedRowsApplied) {
			// Apply the row's valid fields all the same.
			for c, why := range r.why.reasons {
				if why != "" {
					r.vals[c] = ""
				}
			}
			if r.enabled == invalid {
				r.enabled = unset
			}
			if r.staff == invalid {
				r.staff = unset
			}
			p := merge(existing, found, r)
			tx.PutWith(keys, &p)
		}
		return Failed, reasons
	}
	p := merge(existing, found, r)
	created, err := tx.PutWith(keys, &p)
	if err != nil {
		return e.unstored(r, found, err)
	}
	if created {
		return Created, nil
	}
	return Updated, nil
}

// unstored answers for a good row the store refused.
func (e *Engine) unstored(r *row, found bool, err error) (Outcome, []Reason) {
	var conflict *store.ConflictError
	switch {
	case errors.As(err, &conflict):
		if conflict.Barcode && !conflict.AdminID && e.dev.Has(DuplicateBarcodes) {
			if found { // answered as if stored
				return Updated, nil
			}
			return Created, nil
		}
		if conflict.Barcode {
			r.fail(LibraryBarcode, "R-ROW-10", takenMessage(LibraryBarcode, r.vals[LibraryBarcode]))
		}
		if conflict.AdminID {
			r.fail(AdminSystemID, "R-ROW-11", takenMessage(AdminSystemID, r.vals[AdminSystemID]))
		}
		return Failed, r.failures()
	default:
		return Failed, []Reason{{Column: -1, Text: "The patron could not be stored; shorten its fields."}}
	}
}

func takenMessage(c Column, v string) string {
	return fmt.Sprintf("Field (%s) value '%s' is already used by another patron.", c.FieldName(), v)
}

func (r *row) failures() []Reason {
	if r.why == nil {
		return nil
	}
	var out []Reason
	for c, s := range r.why.reasons {
		if s != "" {
			// The value is copied: the row's cells share their batch's
			// memory, which a kept reason must not hold on to.
			v := strings.Clone(r.vals[c])
			if Column(c) == Password {
				v = ""
			}
			out = append(out, Reason{Column: Column(c), Rule: r.why.rules[c], Text: s, Value: v})
		}
	}
	return out
}

// merge returns the patron a good row leaves: the existing patron with every
// non-blank cell of the row written over it (R-ROW-16). The store copies what
// it keeps, so the patron holds no part of the uploaded record (which had the
// plain password) once stored.
func merge(existing store.Patron, found bool, r *row) store.Patron {
	p := existing
	if !found {
		p.Username = r.vals[Username]
	}
	if r.enabled != unset {
		p.Enabled = r.enabled == yes
	}
	if r.staff != unset {
		p.StaffMember = r.staff == yes
	}
	if r.year != 0 {
		p.GraduationYear = r.year
	}
	if r.hash != "" {
		p.PasswordHash = r.hash
	}
	set := func(dst *string, c Column) {
		if v := r.vals[c]; v != "" {
			*dst = v
		}
	}
	set(&p.GivenName, GivenName)
	set(&p.Surname, Surname)
	set(&p.MiddleName, MiddleName)
	set(&p.PreferredName, PreferredName)
	set(&p.EmailAddress, EmailAddress)
	set(&p.AcademicLevel, AcademicLevel)
	set(&p.LibraryBarcode, LibraryBarcode)
	set(&p.AdminSystemID, AdminSystemID)
	set(&p.Gender, Gender)
	set(&p.FormClass, FormClass)
	set(&p.PresentationGroupLabel, PresentationGroupLabel)
	return p
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
