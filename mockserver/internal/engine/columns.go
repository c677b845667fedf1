// Package engine is the rule engine behind package rules: the header, the
// CSV syntax, the judges of every row, the store it applies good rows to and
// the wording of the result. Package rules is its public face; the judges,
// which only tests rewrite (mockserver/deviant), are exported here for them
// and nowhere else.
package engine

import (
	"slices"
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

// column declares one recognised column: everything the engine, the
// store's users (the journal, /_mock/patrons, the page, the preview) and
// the tools know of it. A new column is a constant above, its entry here,
// and its field in store.Patron; a rule, if it has one, is a judge in
// check.go.
type column struct {
	header string // as the documents spell it in a header
	field  string // the camel-case name the documented messages use
	kind   kind
	words  words // for a text column: whose words it holds
}

// words says whose words a text column holds, for the checks that look for
// a spreadsheet's damage to people's writing (lint): a code a system made
// is not damaged the way a name is.
type words uint8

const (
	code       words = iota // a system's identifier or address (username, barcode, e-mail)
	personName              // a person's name: a ? is never part of one
	label                   // words a school wrote (a form class, a presentation group)
)

// kind is how a column's cells are read and stored.
type kind uint8

const (
	textCell     kind = iota // free text, trimmed (R-ROW-15 applies)
	flagCell                 // a boolean (R-ROW-4)
	yearCell                 // a four-digit year
	enumCell                 // text of a fixed form of its own (gender), stored as written
	passwordCell             // stored only as its bcrypt hash, never shown
)

var columns = [numColumns]column{
	Username:               {"username", "username", textCell, code},
	Enabled:                {"enabled", "enabled", flagCell, code},
	StaffMember:            {"staffmember", "staffMember", flagCell, code},
	GivenName:              {"givenname", "givenName", textCell, personName},
	Surname:                {"surname", "surname", textCell, personName},
	MiddleName:             {"middlename", "middleName", textCell, personName},
	PreferredName:          {"preferredname", "preferredName", textCell, personName},
	EmailAddress:           {"emailaddress", "emailAddress", textCell, code},
	GraduationYear:         {"graduationyear", "graduationYear", yearCell, code},
	AcademicLevel:          {"academiclevel", "academicLevel", textCell, code},
	LibraryBarcode:         {"librarybarcode", "libraryBarcode", textCell, code},
	AdminSystemID:          {"adminsystemid", "adminSystemId", textCell, code},
	Gender:                 {"gender", "gender", enumCell, code},
	Password:               {"password", "password", passwordCell, code},
	FormClass:              {"formclass", "formClass", textCell, label},
	PresentationGroupLabel: {"presentationgrouplabel", "presentationGroupLabel", textCell, label},
}

// fieldOf is, for each column of text (textCell or enumCell), the
// store.TextField that holds its value: the string field of store.Patron
// of the column's name, in any letter case (givenname: GivenName); -1 for
// the others. A text column without its field stops the program at once.
var fieldOf = func() (out [numColumns]int) {
	names := store.TextNames()
	for c, col := range columns {
		out[c] = -1
		if col.kind != textCell && col.kind != enumCell {
			continue
		}
		out[c] = slices.Index(names, col.header)
		if out[c] < 0 {
			panic("rules: store.Patron has no string field for the column " + col.header)
		}
	}
	return out
}()

// merged are the columns of text a row writes over its stored patron
// (every one but the username, whose stored spelling stays), with their
// fields: what merge walks for each row.
var merged = func() (out []textField) {
	for c, i := range fieldOf {
		if i >= 0 && Column(c) != Username {
			out = append(out, textField{Column(c), i})
		}
	}
	return out
}()

// textField is a column of text and the store.TextField that holds it.
type textField struct {
	column Column
	field  int
}

// text returns the patron's field that holds column c, or nil.
func text(p *store.Patron, c Column) *string {
	if i := fieldOf[c]; i >= 0 {
		return store.TextField(p, i)
	}
	return nil
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
	return columns[c].header
}

// FieldName returns the camel-case name used in failure messages
// (e.g. "emailAddress").
func (c Column) FieldName() string {
	if c < 0 || c >= numColumns {
		return "column(?)"
	}
	return columns[c].field
}

// LookupColumn returns the column a header cell names. Header names match
// case-insensitively after trimming white space (R-CSV-4).
func LookupColumn(name string) (Column, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for i, col := range columns {
		if col.header == name {
			return Column(i), true
		}
	}
	return -1, false
}

// isText reports whether a column holds free text, to which the length and
// control-character rule (R-ROW-15) applies. Booleans, the year and gender
// have formats of their own; the password has its own byte limit.
func (c Column) isText() bool { return columns[c].kind == textCell }

// PersonName reports whether the column holds a person's name (given,
// family, middle, preferred): a ? is never part of one.
func (c Column) PersonName() bool { return columns[c].words == personName }

// Written reports whether the column holds words people wrote, names and
// labels, where a spreadsheet's encoding damage shows; not codes a system
// made (a username, a barcode, an address, a level's import ID).
func (c Column) Written() bool { return columns[c].words != code }

// Secret reports whether the column is the password, whose value is never
// stored, shown or logged.
func (c Column) Secret() bool { return columns[c].kind == passwordCell }

// Flag reports whether the column is a boolean (enabled, staffmember).
func (c Column) Flag() bool { return columns[c].kind == flagCell }

// Value returns column c of a stored patron as a CSV cell would write it:
// true or false for the flags, the year, "" for what is not set. The
// password is never returned: a stored patron has only its hash.
func Value(p *store.Patron, c Column) string {
	switch c {
	case Enabled:
		return strconv.FormatBool(p.Enabled)
	case StaffMember:
		return strconv.FormatBool(p.StaffMember)
	case GraduationYear:
		if p.GraduationYear == 0 {
			return ""
		}
		return strconv.Itoa(p.GraduationYear)
	}
	if f := text(p, c); f != nil {
		return *f
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
	case Enabled:
		p.Enabled, ok = parseBool(v)
	case StaffMember:
		p.StaffMember, ok = parseBool(v)
	case GraduationYear:
		var y int
		if y, ok = ParseYear(v); ok {
			p.GraduationYear = y
		}
	default:
		if f := text(p, c); f != nil {
			*f, ok = v, true
		}
	}
	return ok
}

// IsText reports whether c holds free text, the cells R-ROW-15 judges: for
// a judge written outside the engine (mockserver/deviant).
func IsText(c Column) bool { return c.isText() }
