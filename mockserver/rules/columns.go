// Package rules is the one rule engine for autoSync patron CSV files.
//
// It recognises the header, checks the CSV syntax of a whole file, judges
// every row by the rules of the catalogue (features/catalogue.go), applies good rows to a store and
// words the result exactly as the documented endpoint does. It knows nothing
// of HTTP: the reference server, the linter and the faker all import it, so
// they can never disagree about a rule.
package rules

import (
	"strconv"
	"strings"

	"github.com/autosync/autosync/mockserver/store"
)

// Column is one recognised CSV column, in the documented order. Failure
// reasons are reported in this order.
type Column int

// The recognised columns, in the order the documents list them.
const (
	Username Column = iota
	Enabled
	StaffMember
	GivenName
	Surname
	MiddleName
	PreferredName
	EmailAddress
	GraduationYear
	AcademicLevel
	LibraryBarcode
	AdminSystemID
	Gender
	Password
	FormClass
	PresentationGroupLabel
	numColumns
)

// NumColumns is the number of recognised columns.
const NumColumns = int(numColumns)

var columnNames = [numColumns]string{
	"username", "enabled", "staffmember", "givenname", "surname", "middlename",
	"preferredname", "emailaddress", "graduationyear", "academiclevel",
	"librarybarcode", "adminsystemid", "gender", "password", "formclass",
	"presentationgrouplabel",
}

// fieldNames are the camel-case names the documented messages use.
var fieldNames = [numColumns]string{
	"username", "enabled", "staffMember", "givenName", "surname", "middleName",
	"preferredName", "emailAddress", "graduationYear", "academicLevel",
	"libraryBarcode", "adminSystemId", "gender", "password", "formClass",
	"presentationGroupLabel",
}

// Columns returns every recognised column in the documented order.
func Columns() []Column {
	out := make([]Column, numColumns)
	for i := range out {
		out[i] = Column(i)
	}
	return out
}

// String returns the column's header name as the documents spell it
// (lower case, e.g. "emailaddress").
func (c Column) String() string {
	if c < 0 || c >= numColumns {
		return "column(?)"
	}
	return columnNames[c]
}

// FieldName returns the camel-case name used in failure messages
// (e.g. "emailAddress").
func (c Column) FieldName() string {
	if c < 0 || c >= numColumns {
		return "column(?)"
	}
	return fieldNames[c]
}

// LookupColumn returns the column a header cell names. Header names match
// case-insensitively after trimming white space (R-CSV-4).
func LookupColumn(name string) (Column, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, n := range columnNames {
		if n == name {
			return Column(i), true
		}
	}
	return -1, false
}

// isText reports whether a column holds free text, to which the length and
// control-character rule (R-ROW-15) applies. Booleans, the year and gender
// have formats of their own; the password has its own byte limit.
func (c Column) isText() bool {
	switch c {
	case Enabled, StaffMember, GraduationYear, Gender, Password:
		return false
	}
	return true
}

// Value returns column c of a stored patron as a CSV cell would write it:
// true or false for the flags, the year, "" for what is not set. The
// password is never returned: a stored patron has only its hash.
func Value(p *store.Patron, c Column) string {
	switch c {
	case Username:
		return p.Username
	case Enabled:
		return strconv.FormatBool(p.Enabled)
	case StaffMember:
		return strconv.FormatBool(p.StaffMember)
	case GivenName:
		return p.GivenName
	case Surname:
		return p.Surname
	case MiddleName:
		return p.MiddleName
	case PreferredName:
		return p.PreferredName
	case EmailAddress:
		return p.EmailAddress
	case GraduationYear:
		if p.GraduationYear == 0 {
			return ""
		}
		return strconv.Itoa(p.GraduationYear)
	case AcademicLevel:
		return p.AcademicLevel
	case LibraryBarcode:
		return p.LibraryBarcode
	case AdminSystemID:
		return p.AdminSystemID
	case Gender:
		return p.Gender
	case FormClass:
		return p.FormClass
	case PresentationGroupLabel:
		return p.PresentationGroupLabel
	}
	return ""
}

// SetValue writes a cell's value into column c of p, as the rules read
// it (a boolean for the flags, a year), and reports whether the value
// could be read; "" sets nothing. The password is never set: a patron
// holds only its hash.
func SetValue(p *store.Patron, c Column, v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return true
	}
	var ok bool
	switch c {
	case Username:
		p.Username = v
	case Enabled:
		p.Enabled, ok = parseBool(v)
		return ok
	case StaffMember:
		p.StaffMember, ok = parseBool(v)
		return ok
	case GivenName:
		p.GivenName = v
	case Surname:
		p.Surname = v
	case MiddleName:
		p.MiddleName = v
	case PreferredName:
		p.PreferredName = v
	case EmailAddress:
		p.EmailAddress = v
	case GraduationYear:
		y, ok := year(v)
		if ok {
			p.GraduationYear = y
		}
		return ok
	case AcademicLevel:
		p.AcademicLevel = v
	case LibraryBarcode:
		p.LibraryBarcode = v
	case AdminSystemID:
		p.AdminSystemID = v
	case Gender:
		p.Gender = v
	case FormClass:
		p.FormClass = v
	case PresentationGroupLabel:
		p.PresentationGroupLabel = v
	default:
		return false
	}
	return true
}
