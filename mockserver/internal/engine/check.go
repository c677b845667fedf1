package engine

import (
	"fmt"
	"github.com/autosync/autosync/features"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/store"
)

// This file is the rules of the catalogue (features/catalogue.go) that judge rows, one function
// each, named for its rule. A row's cells are plain strings here; how they
// were read and how the store finds patrons fast is not these functions'
// concern.

// MaxText is the longest text value, in characters (R-ROW-15).
const MaxText = 255

// MaxPassword is bcrypt's limit, in bytes (R-ROW-17).
const MaxPassword = 72

// Judges are the rules the engine applies to every row, in order, and the
// ways it answers what they found. Every engine uses defaultJudges; only
// NewWith lets another package (mockserver/deviant, for tests) rewrite
// them, to show that the conformance suite notices a broken rule.
type Judges struct {
	// Cells judge a row by its own cells.
	Cells []cellRule
	// Stored judge a row against the patron stored under its username.
	Stored []storedRule
	// FailedRow is what a row that broke a rule does to the store.
	FailedRow func(e *Engine, tx *store.Tx, r *Row, keys *storage.Keys) (Outcome, []Reason)
	// Taken answers a good row whose unique values the store found taken.
	Taken func(r *Row, c *store.ConflictError) (Outcome, []Reason)
	// EmptyFile answers an empty file, or one with a header alone: nil
	// for a successful import of nothing (R-CSV-1).
	EmptyFile func() error
	// BadHeader answers a header record ParseHeader refused with err
	// (R-CSV-3, R-CSV-4): nil to import nothing and succeed.
	BadHeader func(record []string, err error) error
	// Words words the answer.
	Words wording
	// Reword, when set, rewords the outcome of a row that was applied.
	Reword func(r *Row, o Outcome) Outcome
	// TrimSpacesOnly trims cells of spaces alone, not all white space;
	// ExtraEmptyFields lets a row have more fields than the header when
	// the extra ones are empty. Both are false for the reference: they sit
	// on the slow paths of fields, so that a row that needs neither pays
	// nothing.
	TrimSpacesOnly, ExtraEmptyFields bool
}

// cellRule is a rule that needs nothing but the row.
type cellRule struct {
	ID    string
	Judge func(e *Engine, r *Row)
}

// storedRule is a rule that needs the stored patron.
type storedRule struct {
	ID    string
	Judge func(e *Engine, tx *store.Tx, r *Row)
}

func defaultJudges() Judges {
	return Judges{
		Cells: []cellRule{
			{features.ROW1, usernameGiven},
			{features.ROW15, plainText},
			{features.ROW4, booleans},
			{features.ROW13, emailAddress},
			{features.ROW7, graduationYear},
			{features.ROW8, academicLevel},
			{features.ROW14, presentationGroup},
			{features.ROW12, gender},
			{features.ROW17, passwordLength},
		},
		Stored: []storedRule{
			{features.ROW3, mandatoryForNew},
			{features.ROW6, staffLeaveStudentFields},
			{features.ROW5, studentsNeedYearOrLevel},
			{features.ROW10, uniqueBarcode},
			{features.ROW11, uniqueAdminID},
		},
		FailedRow: changeNothing,
		Taken:     takenValues,
		EmptyFile: func() error { return nil },
		BadHeader: func(_ []string, err error) error { return err },
		Words:     documentedWording(),
	}
}

// fields reads a record's cells into r, trimmed (R-CSV-5). A row with the
// wrong number of fields, or that is not UTF-8, fails alone (R-CSV-7).
func (e *Engine) fields(h *Header, record []string, r *Row) bool {
	if len(record) > h.width && e.judges.ExtraEmptyFields && emptyCells(record[h.width:]) {
		record = record[:h.width]
	}
	if len(record) != h.width {
		r.alone = fmt.Sprintf("Row has %d %s but the header has %d.", len(record), plural(len(record), "field"), h.width)
		return false
	}
	for _, cell := range record {
		if !r.ascii && !printableASCII(cell) && !utf8.ValidString(cell) {
			r.alone = "Row is not valid UTF-8; save the file as UTF-8."
			return false
		}
	}
	for c, pos := range h.index {
		if pos >= 0 {
			v := record[pos]
			if !trimmed(v) {
				if e.judges.TrimSpacesOnly {
					v = strings.Trim(v, " ")
				} else {
					v = strings.TrimSpace(v)
				}
			}
			r.Vals[c] = v
		}
	}
	return true
}

// usernameGiven: the username is the matching key, so a row without one
// fails (R-ROW-1).
func usernameGiven(_ *Engine, r *Row) {
	if r.Vals[Username] == "" {
		r.Fail(Username, features.ROW1, "Field (username) is mandatory.")
	}
}

// plainText: text fields hold at most 255 characters and no control or
// format characters (R-ROW-15).
func plainText(_ *Engine, r *Row) {
	for c := range Column(numColumns) {
		v := r.Vals[c]
		if v == "" || !c.isText() {
			continue
		}
		if !r.ascii && HasControl(v) {
			r.Fail(c, features.ROW15, FieldMessage(c, "contains control characters."))
		} else if len(v) > MaxText && utf8.RuneCountInString(v) > MaxText {
			r.Fail(c, features.ROW15, FieldMessage(c, fmt.Sprintf("is longer than %d characters.", MaxText)))
		}
	}
}

// HasControl reports control characters: C0 (tabs and line breaks
// included), DEL, C1, and Unicode format characters (category Cf: a
// byte-order mark, zero-width spaces and joiners, direction overrides),
// which would let two usernames look alike (R-ROW-15).
func HasControl(s string) bool {
	if printableASCII(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// booleans: enabled and staffmember are Y, yes, true or 1, or N, no, false
// or 0, in any letter case (R-ROW-4).
func booleans(_ *Engine, r *Row) {
	r.EnabledFlag = boolean(r, Enabled)
	r.StaffFlag = boolean(r, StaffMember)
}

func boolean(r *Row, c Column) Tri {
	v := r.Vals[c]
	if v == "" {
		return Unset
	}
	b, ok := parseBool(v)
	switch {
	case !ok:
		r.Fail(c, features.ROW4, BooleanMessage(c))
		return Invalid
	case b:
		return Yes
	}
	return No
}

// BooleanMessage is the reason a flag's cell fails for (R-ROW-4).
func BooleanMessage(c Column) string {
	return FieldMessage(c, "is not a valid boolean; use Y, yes, true, 1, N, no, false or 0.")
}

// The documented booleans (R-ROW-4).
var (
	TrueFlags  = [...]string{"Y", "yes", "true", "1"}
	FalseFlags = [...]string{"N", "no", "false", "0"}
)

// ParseBool reads a boolean cell: Y, yes, true or 1 and N, no, false or 0,
// in any letter case (R-ROW-4). ok is false for anything else.
func ParseBool(v string) (value, ok bool) {
	return parseBool(strings.TrimSpace(v))
}

func parseBool(v string) (value, ok bool) {
	for _, t := range TrueFlags {
		if strings.EqualFold(v, t) {
			return true, true
		}
	}
	for _, f := range FalseFlags {
		if strings.EqualFold(v, f) {
			return false, true
		}
	}
	return false, false
}

// emailAddress: an e-mail address is a bare local@domain, RFC 5322's
// addr-spec (R-ROW-13): see email.go.
func emailAddress(_ *Engine, r *Row) {
	v := r.Vals[EmailAddress]
	if v == "" || r.Reason(EmailAddress) != "" {
		return
	}
	if !simpleEmail(v) && !addrSpec(v) {
		r.Fail(EmailAddress, features.ROW13, "Field (emailAddress) is not a well-formed email address.")
	}
}

// graduationYear: a four-digit year from 1900 to 2100 (R-ROW-7).
func graduationYear(_ *Engine, r *Row) {
	v := r.Vals[GraduationYear]
	if v == "" {
		return
	}
	if y, ok := ParseYear(v); ok {
		r.YearValue = y
		return
	}
	r.Fail(GraduationYear, features.ROW7, "Field (graduationYear) is not a four-digit year.")
}

// ParseYear reads a graduation year of four digits, 1900 to 2100 (R-ROW-7).
func ParseYear(v string) (int, bool) {
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

// academicLevel: an academic level is an import ID the server declares,
// matched in any case and stored as declared (R-ROW-8).
func academicLevel(e *Engine, r *Row) {
	DeclaredValue(r, AcademicLevel, features.ROW8, e.levels, "is not a declared academic level")
}

// presentationGroup: a presentation group is a current one on the server,
// matched in any case and stored as configured (R-ROW-14).
func presentationGroup(e *Engine, r *Row) {
	DeclaredValue(r, PresentationGroupLabel, features.ROW14, e.groups, "is not a current presentation group")
}

// DeclaredValue judges column c of r against the declared values of set,
// failing it for rule with what ("is not a declared academic level"), and
// writes a value matched in another letter case as declared.
func DeclaredValue(r *Row, c Column, rule string, set DeclaredSet, what string) {
	v := r.Vals[c]
	if v == "" || r.Reason(c) != "" {
		return
	}
	if _, ok := set.exact[v]; ok {
		return
	}
	if d, ok := set.Folded[strings.ToLower(v)]; ok {
		r.Vals[c] = d
		return
	}
	r.Fail(c, rule, fmt.Sprintf("Field (%s) value '%s' %s.", c.FieldName(), v, what))
}

// gender: M, F or blank, in any case, stored upper case (R-ROW-12).
func gender(_ *Engine, r *Row) {
	switch v := r.Vals[Gender]; v {
	case "", "M", "F":
	case "m", "f":
		r.Vals[Gender] = strings.ToUpper(v)
	default:
		r.Fail(Gender, features.ROW12, "Field (gender) must be M, F or blank.")
	}
}

// passwordLength: a password is at most bcrypt's 72 bytes (R-ROW-17).
func passwordLength(_ *Engine, r *Row) {
	if len(r.Vals[Password]) > MaxPassword {
		r.Fail(Password, features.ROW17, fmt.Sprintf("Field (password) is longer than %d bytes.", MaxPassword))
	}
}

// mandatoryForNew: a new patron needs enabled and staffmember; an update
// needs neither (R-ROW-3).
func mandatoryForNew(_ *Engine, _ *store.Tx, r *Row) {
	if r.Stored.Found {
		return
	}
	if r.EnabledFlag == Unset {
		r.Fail(Enabled, features.ROW3, "Field (enabled) is mandatory for new users.")
	}
	if r.StaffFlag == Unset {
		r.Fail(StaffMember, features.ROW3, "Field (staffMember) is mandatory for new users.")
	}
}

// isStaff tells whether the row leaves a staff member, a student, or
// neither (staffmember invalid, or blank for a new patron).
func isStaff(r *Row) Tri {
	if r.StaffFlag == Unset && r.Stored.Found {
		if r.Stored.Patron.StaffMember {
			return Yes
		}
		return No
	}
	return r.StaffFlag
}

// staffLeaveStudentFields: staff leave graduationyear and academiclevel
// blank (R-ROW-6).
func staffLeaveStudentFields(_ *Engine, _ *store.Tx, r *Row) {
	if isStaff(r) != Yes {
		return
	}
	for _, c := range [...]Column{GraduationYear, AcademicLevel} {
		if r.Vals[c] != "" {
			r.Fail(c, features.ROW6, FieldMessage(c, "applies to students only; leave it blank for staff."))
		}
	}
}

// studentsNeedYearOrLevel: a student has a graduation year or an academic
// level, given now or stored (R-ROW-5).
func studentsNeedYearOrLevel(_ *Engine, _ *store.Tx, r *Row) {
	if isStaff(r) != No {
		return
	}
	hasYear := r.Vals[GraduationYear] != "" || r.Stored.Patron.GraduationYear != 0
	hasLevel := r.Vals[AcademicLevel] != "" || r.Stored.Patron.AcademicLevel != ""
	if !hasYear && !hasLevel {
		r.Fail(GraduationYear, features.ROW5, "Field (graduationYear) or Field (academicLevel) is mandatory for students.")
	}
}

// uniqueBarcode: a library barcode belongs to one patron (R-ROW-10). A good
// row's is checked as it is stored (see takenValues); a failed row's here,
// so that the answer names every reason.
func uniqueBarcode(_ *Engine, tx *store.Tx, r *Row) {
	if v := r.Vals[LibraryBarcode]; v != "" && r.Failed() && r.Reason(LibraryBarcode) == "" && tx.BarcodeTaken(v, r.Vals[Username]) {
		r.Fail(LibraryBarcode, features.ROW10, TakenMessage(LibraryBarcode, v))
	}
}

// uniqueAdminID: an admin system id belongs to one patron (R-ROW-11), as
// uniqueBarcode.
func uniqueAdminID(_ *Engine, tx *store.Tx, r *Row) {
	if v := r.Vals[AdminSystemID]; v != "" && r.Failed() && r.Reason(AdminSystemID) == "" && tx.AdminIDTaken(v, r.Vals[Username]) {
		r.Fail(AdminSystemID, features.ROW11, TakenMessage(AdminSystemID, v))
	}
}

// takenValues answers a good row whose barcode or admin id the store found
// taken as it stored it (R-ROW-10, R-ROW-11): the store changed nothing.
func takenValues(r *Row, c *store.ConflictError) (Outcome, []Reason) {
	if c.Barcode {
		r.Fail(LibraryBarcode, features.ROW10, TakenMessage(LibraryBarcode, r.Vals[LibraryBarcode]))
	}
	if c.AdminID {
		r.Fail(AdminSystemID, features.ROW11, TakenMessage(AdminSystemID, r.Vals[AdminSystemID]))
	}
	return Failed, r.Reasons()
}

// TakenMessage is the reason a unique value another patron holds fails
// for (R-ROW-10, R-ROW-11).
func TakenMessage(c Column, v string) string {
	return fmt.Sprintf("Field (%s) value '%s' is already used by another patron.", c.FieldName(), v)
}

// changeNothing: a failed row changes nothing, not even its valid fields
// (R-ROW-18).
func changeNothing(_ *Engine, _ *store.Tx, r *Row, _ *storage.Keys) (Outcome, []Reason) {
	return Failed, r.Reasons()
}

// emptyCells reports whether every cell is empty.
func emptyCells(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}
