// Package rules is the one rule engine for autoSync patron CSV files.
//
// It recognises the header, checks the CSV syntax of a whole file, judges
// every row by the rules of the catalogue (features/catalogue.go), applies
// good rows to a store and words the result exactly as the documented
// endpoint does. It knows nothing of HTTP: the reference server, the linter
// and the faker all import it, so they can never disagree about a rule.
//
// A file is judged offline, with no HTTP, as the server would import it:
//
//	engine, err := rules.New(rules.Config{AcademicLevels: rules.DefaultAcademicLevels()})
//	…
//	res, err := engine.Import(ctx, store.New(), file, rules.WithRowReport(func(r rules.RowReport) {
//		fmt.Println(r.Row, r.Username, len(r.Reasons))
//	}))
//	…
//	fmt.Println(res.Summary())
//
// The engine itself lives in mockserver/internal/engine, and this package
// is its whole public face: every name here is the engine's own, so the
// fields and methods of its types (Engine.Import, Config, Result,
// RowReport) are documented there: go doc
// github.com/autosync/autosync/mockserver/internal/engine.Engine. The
// engine's judges, which tests break on purpose (mockserver/deviant), are
// not part of this face.
package rules

import (
	"io"

	"github.com/autosync/autosync/mockserver/internal/engine"
	"github.com/autosync/autosync/mockserver/store"
)

// Column is one recognised CSV column, in the documented order. Failure
// reasons are reported in this order.
type Column = engine.Column

// The recognised columns, in the order the documents list them.
const (
	Username               = engine.Username
	Enabled                = engine.Enabled
	StaffMember            = engine.StaffMember
	GivenName              = engine.GivenName
	Surname                = engine.Surname
	MiddleName             = engine.MiddleName
	PreferredName          = engine.PreferredName
	EmailAddress           = engine.EmailAddress
	GraduationYear         = engine.GraduationYear
	AcademicLevel          = engine.AcademicLevel
	LibraryBarcode         = engine.LibraryBarcode
	AdminSystemID          = engine.AdminSystemID
	Gender                 = engine.Gender
	Password               = engine.Password
	FormClass              = engine.FormClass
	PresentationGroupLabel = engine.PresentationGroupLabel
)

// NumColumns is the number of recognised columns.
const NumColumns = engine.NumColumns

// Columns returns every recognised column in the documented order.
func Columns() []Column { return engine.Columns() }

// LookupColumn returns the column a header cell names.
func LookupColumn(name string) (Column, bool) { return engine.LookupColumn(name) }

// Value returns column c of a stored patron as a CSV cell would write it:
// true or false for the flags, the year, "" for what is not set.
func Value(p *store.Patron, c Column) string { return engine.Value(p, c) }

// SetValue writes a cell's value into column c of p, as the rules read it
// (a boolean for the flags, a year), and reports whether the value could be
// read; "" sets nothing.
func SetValue(p *store.Patron, c Column, v string) bool { return engine.SetValue(p, c, v) }

// Config is what a server declares: the values some columns must take.
type Config = engine.Config

// Engine judges and applies rows under one Config. It holds no state that
// an import changes, so one Engine serves any number of imports. Its
// methods, Import among them, are documented where it is declared: go doc
// github.com/autosync/autosync/mockserver/internal/engine.Engine.
type Engine = engine.Engine

// New returns an engine for cfg.
func New(cfg Config) (*Engine, error) { return engine.New(cfg) }

// DefaultAcademicLevels returns the academic level import IDs a server
// declares when none are configured: the reference server's, and what lint,
// fake and push assume unless told.
func DefaultAcademicLevels() []string { return engine.DefaultAcademicLevels() }

// DefaultPresentationGroups returns the presentation groups current when
// none are configured.
func DefaultPresentationGroups() []string { return engine.DefaultPresentationGroups() }

// ParseBool reads a boolean cell: Y, yes, true or 1 and N, no, false or 0,
// in any letter case (R-ROW-4).
func ParseBool(v string) (value, ok bool) { return engine.ParseBool(v) }

// CheckStored reports what makes p a patron no import could have stored,
// whatever the server's configuration: no username, or one with spaces
// around it; a graduation year outside 1900 to 2100 (R-ROW-7); text that is
// not UTF-8, holds control characters or is longer than 255 characters
// (R-ROW-15).
func CheckStored(p *store.Patron) error { return engine.CheckStored(p) }

// Header is a recognised header row.
type Header = engine.Header

// UnknownColumn is a header cell the server ignores.
type UnknownColumn = engine.UnknownColumn

// FileError rejects a file as a whole: nothing in it was imported.
type FileError = engine.FileError

// The kinds of FileError, for errors.Is.
var (
	ErrMissingColumn   = engine.ErrMissingColumn   // no username column (R-CSV-3)
	ErrDuplicateColumn = engine.ErrDuplicateColumn // a column given twice (R-CSV-4)
	ErrSyntax          = engine.ErrSyntax          // the file is not well-formed CSV (R-CSV-6)
	ErrLoneCR          = engine.ErrLoneCR          // a line ends in a carriage return alone; a kind of ErrSyntax
)

// ParseHeader recognises a header record (R-CSV-2, R-CSV-3, R-CSV-4).
func ParseHeader(record []string) (*Header, error) { return engine.ParseHeader(record) }

// SyntaxChecker checks the CSV syntax of a stream written to it, with the
// strictness of encoding/csv (no lazy quotes), without building records.
type SyntaxChecker = engine.SyntaxChecker

// NewSyntaxChecker returns a checker positioned at the start of a file.
func NewSyntaxChecker() *SyntaxChecker { return engine.NewSyntaxChecker() }

// CheckSyntax reads r to the end and reports its first CSV syntax error as
// a *FileError, or a read error.
func CheckSyntax(r io.Reader) error { return engine.CheckSyntax(r) }

// IsSyntaxError reports whether err is a CSV syntax error: errors.Is(err,
// ErrSyntax).
func IsSyntaxError(err error) bool { return engine.IsSyntaxError(err) }

// WrongFileKind is what a file that is not a comma-separated UTF-8 export
// turns out to be.
type WrongFileKind = engine.WrongFileKind

// The kinds of wrong file DiagnoseWrongFile tells apart.
const (
	Workbook       = engine.Workbook       // a workbook sent instead of its CSV export
	UTF16          = engine.UTF16          // text in UTF-16
	OtherSeparator = engine.OtherSeparator // a header separated by semicolons or tabs
	MacLineEnds    = engine.MacLineEnds    // lines that end in a carriage return alone
)

// WrongFile is the diagnosis of a file the server cannot read as the export
// it expects: what the file is, and how to make the right one.
type WrongFile = engine.WrongFile

// HeadSize is how much of the start of a file DiagnoseWrongFile needs.
const HeadSize = engine.HeadSize

// DiagnoseWrongFile tells from the first bytes of a file (HeadSize is
// enough) whether it is a workbook, UTF-16 text, separated by semicolons or
// tabs, or has Macintosh line ends, or returns nil.
func DiagnoseWrongFile(head []byte) *WrongFile { return engine.DiagnoseWrongFile(head) }

// ReadHead reads the first HeadSize bytes of src, wherever it stood, and
// rewinds it.
func ReadHead(src io.ReadSeeker) ([]byte, error) { return engine.ReadHead(src) }

// ImportOption adjusts one import.
type ImportOption = engine.ImportOption

// RowReport tells an import's caller what became of one row.
type RowReport = engine.RowReport

// Diff is what one row did to its patron, for a preview of a file's
// changes (see WithDiffs).
type Diff = engine.Diff

// WithChanges calls fn, in row order, with each patron a row created or
// changed, as stored: what a journal of the store must write.
func WithChanges(fn func(p *store.Patron)) ImportOption { return engine.WithChanges(fn) }

// WithFirstRowReports calls fn for each of the first n rows, in row order:
// an import that wants to show a few rows pays for those alone.
func WithFirstRowReports(n int, fn func(RowReport)) ImportOption {
	return engine.WithFirstRowReports(n, fn)
}

// WithCheckedSyntax tells Import that c has already been fed the whole
// file, as it was spooled, so the syntax pass need not read it again.
func WithCheckedSyntax(c *SyntaxChecker) ImportOption { return engine.WithCheckedSyntax(c) }

// WithHeader calls fn with the recognised header before any row is applied.
func WithHeader(fn func(*Header)) ImportOption { return engine.WithHeader(fn) }

// WithRowReport calls fn for every row, in row order, after it is applied.
func WithRowReport(fn func(RowReport)) ImportOption { return engine.WithRowReport(fn) }

// WithDiffs calls fn, in row order, with what every row does to its patron:
// before and after, field by field.
func WithDiffs(fn func(*Diff)) ImportOption { return engine.WithDiffs(fn) }

// Outcome is what happened to one row.
type Outcome = engine.Outcome

// The outcomes of a row.
const (
	Created = engine.Created
	Updated = engine.Updated
	Failed  = engine.Failed
)

// Reason is one reason a row failed.
type Reason = engine.Reason

// Result is the outcome of one import: the counts, and each row's outcome.
type Result = engine.Result

// FailureGroup is one failure text of a result and the rows that failed
// with it.
type FailureGroup = engine.FailureGroup

// Refusal is the JSON answer for a request refused as a whole:
// {"success":false,"summary":…}.
func Refusal(summary string) []byte { return engine.Refusal(summary) }

// PatronJSON is a patron as /_mock/patrons shows it: an object keyed by the
// CSV column names, in column order. There is no password field, ever.
type PatronJSON = engine.PatronJSON

// NewPatronJSON returns p as /_mock/patrons shows it.
func NewPatronJSON(p store.Patron) PatronJSON { return engine.NewPatronJSON(p) }
