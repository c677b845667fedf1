package rules

import (
	"fmt"
	"github.com/autosync/autosync/features"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/store"
)

// Deviation is one rule the reference server breaks on purpose. Deviations
// exist only so that a test can show the conformance suite fails against a
// server that breaks a rule; a server started for real has none.
type Deviation uint8

// Deviations is a set of deviations.
type Deviations struct {
	bits [(endDeviations + 63) / 64]uint64
}

// The deviations, each named for what it breaks.
const (
	AlwaysPluralUsers Deviation = iota
	DetailsMissing
	DetailsAlways
	SuccessDespiteFailures
	NonAdminAccepted
	CaseSensitiveBooleans
	NoDigitBooleans
	OptionalEnabled
	StudentsWithoutYear
	AnyGender
	UncheckedEmail
	DuplicateBarcodes
	AnyAcademicLevel
	ZeroBasedRows
	OnlyFilePartNamedFile
	UpdatesCountedAsCreates
	PlainFailureText
	EmptyFileRefused
	WrongAuthSummary
	MissingUsernameAccepted
	StaffWithYearAccepted
	HTMLErrorPages
	BodyReadBeforeAuth
	AnyPresentationGroup
	FailedRowsApplied

	// Subtler ones, each a plausible vendor bug that breaks one rule at an
	// edge or in an interaction inside one file, read from REFERENCE.md's
	// wording of the rule.

	// TextLimitOnlyOnNames checks the 255-character limit on the username
	// and the given and family names only (R-ROW-15, on one field).
	TextLimitOnlyOnNames
	// FormatCharsOnlyInUsername lets format characters (zero-width
	// spaces, direction overrides) through in every field but the username
	// (R-ROW-15).
	FormatCharsOnlyInUsername
	// YearBoundsExclusive refuses 1900 and 2100 themselves (R-ROW-7, at
	// the ends).
	YearBoundsExclusive
	// YearParsedAsNumber accepts any number in range, "+2030" or "02030"
	// (R-ROW-7, in range but not in form).
	YearParsedAsNumber
	// PasswordLimitInCharacters counts the 72-byte limit in characters
	// (R-ROW-17).
	PasswordLimitInCharacters
	// PasswordOf72Refused refuses a password of exactly 72 bytes
	// (R-ROW-17, at the end).
	PasswordOf72Refused
	// StaffFlagUnchecked reads any staffmember it does not know as false
	// (R-ROW-4, on the second field).
	StaffFlagUnchecked
	// StaffFlagTruthCaseSensitive accepts TRUE for staffmember but reads
	// it as false: only the exact spellings are true (R-ROW-4).
	StaffFlagTruthCaseSensitive
	// StaffFlagDefaultsToFalse makes an existing staff member a student
	// when the row leaves staffmember blank (R-ROW-16).
	StaffFlagDefaultsToFalse
	// CellsTrimmedOfSpacesOnly trims spaces but not tabs or other white
	// space (R-CSV-5).
	CellsTrimmedOfSpacesOnly
	// ExtraEmptyFieldsAccepted lets a row have trailing empty fields past
	// the header's width (R-CSV-7).
	ExtraEmptyFieldsAccepted
	// FailedRowBarcodeReserved keeps a failed row's barcode for it, so a
	// later row of the same file cannot take it (R-ROW-18).
	FailedRowBarcodeReserved
	// FreedBarcodeStillTaken judges barcodes against the patrons as they
	// were before the file, so one freed earlier in the file is still
	// taken (R-ROW-10, in one file).
	FreedBarcodeStillTaken
	// UpdateTakesBarcode checks barcodes for new patrons only (R-ROW-10,
	// on the update path).
	UpdateTakesBarcode
	// AdminIDsSharedInFile checks admin ids against the patrons stored
	// before the file only (R-ROW-11, in one file).
	AdminIDsSharedInFile
	// GenderStoredAsSent accepts m and f but stores them in lower case
	// (R-ROW-12).
	GenderStoredAsSent
	// LevelStoredAsSent accepts a level in another case and stores it so
	// (R-ROW-8).
	LevelStoredAsSent
	// GroupStoredAsSent accepts a presentation group in another case and
	// stores it so (R-ROW-14).
	GroupStoredAsSent
	// SingularEndsInOne says "21 user" as some plural libraries do
	// (R-RES-2, past the small counts).
	SingularEndsInOne
	// EmailUncheckedOnUpdate checks e-mail addresses of new patrons only
	// (R-ROW-13, on the update path).
	EmailUncheckedOnUpdate
	// StaffYearAcceptedOnUpdate checks the year and level of staff only
	// when the row itself says staff (R-ROW-6, existing staff).
	StaffYearAcceptedOnUpdate
	// ExplicitStudentNeedsYear wants the year or level again from an
	// update that says staffmember=N (R-ROW-5, on the update path).
	ExplicitStudentNeedsYear
	// CaseSensitiveAcrossImports matches usernames in any case within one
	// file but answers a later file's other spelling as a new patron
	// (R-ROW-2, across files).
	CaseSensitiveAcrossImports
	// QuotedLocalPartRefused refuses every address whose local part is
	// quoted, "john doe"@example.com, as net/mail's Address does not
	// give it back as written (R-ROW-13).
	QuotedLocalPartRefused
	// DuplicateColumnFirst names a column given twice before a missing
	// username column (R-CSV-4).
	DuplicateColumnFirst

	// The points REFERENCE.md settled later, each broken as a vendor
	// might read the rule without them.

	// PasswordJudgedAsText refuses control and format characters in a
	// password, as in a text field (R-ROW-15).
	PasswordJudgedAsText
	// BarcodeCaseInsensitive takes a barcode in another letter case for
	// the same barcode, as a case-insensitive collation does (R-ROW-10).
	BarcodeCaseInsensitive
	// FormerStaffNeedNoYear checks the year or level of new students
	// only, so a staff member becomes a student without one (R-ROW-5).
	FormerStaffNeedNoYear
	// OneFieldsPlural says "Row has 1 fields" (R-CSV-7).
	OneFieldsPlural
	// NamelessRowJudgedAsNew judges a row without a username as a new
	// patron: enabled and staffmember mandatory, staff without a year
	// (R-RES-3, the rules that need the patron skipped).
	NamelessRowJudgedAsNew
	// StaffYearJudgedAsYear gives a staff row's malformed year the year's
	// own reason, not "applies to students only" (R-RES-3).
	StaffYearJudgedAsYear
	// DeclaredBeforeLength judges an academic level or a presentation
	// group against the declared ones before its length and characters
	// (R-RES-3, control characters or length first).
	DeclaredBeforeLength

	// Deviations of the server above the engine, in mockserver's
	// deviation.go.

	// NonAdminForbidden refuses a non-admin account with 403 and no
	// challenge (R-AUTH-4, on the second refusal path).
	NonAdminForbidden
	// CharsetMissingOnRefusals answers 400, 413 and 415 as
	// application/json without the charset (R-HTTP-6).
	CharsetMissingOnRefusals
	// OptionsAnswered answers OPTIONS on the import path 204, as CORS
	// middleware does (R-HTTP-4, a method the old outline left out).
	OptionsAnswered
	// PrefixRouting imports on any path under the import path (R-HTTP-4).
	PrefixRouting
	// EmptyFileNameIsFile takes a part with filename="" as the file
	// (R-HTTP-2).
	EmptyFileNameIsFile
	// LastLineWithoutBreakDropped drops a last line that has no line
	// break, as line-based readers do (R-CSV-5).
	LastLineWithoutBreakDropped
	// BOMSkippedOnlyBeforeUsername skips a byte-order mark only when the
	// header starts with username (R-CSV-4).
	BOMSkippedOnlyBeforeUsername
	// BlankLinesBeforeHeaderRefused takes the first line as the header
	// even when it is blank (R-CSV-5).
	BlankLinesBeforeHeaderRefused
	// PasswordCaseInsensitive takes the admin's password in any letter
	// case (R-AUTH-1).
	PasswordCaseInsensitive
	// AccountNameCaseInsensitive takes the admin's account name in any
	// letter case (R-AUTH-1).
	AccountNameCaseInsensitive
	// BlankFileRefused refuses a file of blank lines only, or of a
	// byte-order mark only, as one without a username column (R-CSV-1).
	BlankFileRefused
	// FinalCRRefused refuses a file whose last line ends in a carriage
	// return alone (R-CSV-6).
	FinalCRRefused
	// LoneCRLineAfter names the line after a carriage return alone, as a
	// reader that counts the carriage return as a line break does
	// (R-CSV-6).
	LoneCRLineAfter
	// SemicolonsSummaryOwn answers a file separated by semicolons with a
	// summary of its own, without Missing mandatory column (username).
	// first (R-CSV-3).
	SemicolonsSummaryOwn

	// The wire: a request another client writes otherwise, read wrongly
	// (mockserver's deviation_wire.go).

	// QuotedBoundaryKeepsQuotes takes a quoted boundary (boundary="…", as
	// .NET writes it) with its quotes, so it finds no part (R-HTTP-2).
	QuotedBoundaryKeepsQuotes
	// MediaTypeCaseSensitive knows multipart/form-data in lower case only
	// (R-HTTP-2).
	MediaTypeCaseSensitive
	// BoundaryMustComeFirst reads the boundary only as the first
	// parameter of the media type (R-HTTP-2).
	BoundaryMustComeFirst
	// PartHeadersCaseSensitive knows a part's Content-Disposition in that
	// spelling only (R-HTTP-2).
	PartHeadersCaseSensitive
	// UnquotedFileNameNotAFile finds a file name only in quotes, as a
	// regular expression written for curl's parts does (R-HTTP-2).
	UnquotedFileNameNotAFile
	// PreambleRefused wants the body to start with the first boundary
	// (R-HTTP-2).
	PreambleRefused
	// LastFilePartWins reads the last file part, as PHP keeps the last of
	// two parts of one name (R-HTTP-2).
	LastFilePartWins
	// ChunkedRefused wants a Content-Length: a chunked body is answered
	// 411 (R-HTTP-1).
	ChunkedRefused
	// ExpectRefused answers Expect: 100-continue with 417 (R-HTTP-1).
	ExpectRefused
	// QueryStringNotRouted routes on the whole request target, so a query
	// string makes the import path unknown (R-HTTP-1).
	QueryStringNotRouted
	// CookieSessionTrusted takes a request with a session cookie and no
	// credentials as the admin's (R-AUTH-2).
	CookieSessionTrusted
	// SchemeCaseSensitive knows the scheme Basic in that spelling only
	// (R-AUTH-1).
	SchemeCaseSensitive

	// Values that break a naive implementation (deviation_values.go, and
	// the answer and the upload in mockserver's deviation_values.go).

	// LevelMatchedWithLike matches academic levels with SQL LIKE, so % and
	// _ are wildcards (R-ROW-8).
	LevelMatchedWithLike
	// GroupMatchedWithGlob matches presentation groups as a glob, so *, ?
	// and [c] are patterns (R-ROW-14).
	GroupMatchedWithGlob
	// BarcodeMatchedWithLike looks barcodes up with SQL LIKE, so a barcode
	// holding % or _ is taken by another's (R-ROW-10).
	BarcodeMatchedWithLike
	// AdminIDMatchedWithGlob looks admin ids up as a glob (R-ROW-11).
	AdminIDMatchedWithGlob
	// LengthInUTF16Units counts the 255-character limit in UTF-16 units,
	// as Java, C# and JavaScript strings do (R-ROW-15).
	LengthInUTF16Units
	// LengthInGraphemes counts what shows on screen: a combining mark is
	// not counted (R-ROW-15).
	LengthInGraphemes
	// AstralRefused refuses characters beyond the BMP, as MySQL's
	// three-byte utf8 does (R-ROW-15).
	AstralRefused
	// RightToLeftRefused takes right-to-left letters for direction marks
	// (R-ROW-15).
	RightToLeftRefused
	// BarcodesNormalised compares barcodes in one normal form, so a
	// combining mark and the precomposed letter collide (R-ROW-10).
	BarcodesNormalised
	// AdminIDIsBarcode keeps barcodes and admin ids in one index, so one
	// patron's admin id cannot be another's barcode (R-ROW-10).
	AdminIDIsBarcode
	// ValuesHTMLEscaped writes the values that failure texts quote
	// HTML-escaped (&lt;, &amp;, &#39;) (R-ROW-10, every quoting message).
	ValuesHTMLEscaped
	// QuotesUnescapedInJSON writes the answer's strings without escaping
	// their quotes, so a value holding " breaks the JSON (R-RES-1).
	QuotesUnescapedInJSON
	// BackslashEscapesQuote reads a backslash before a quote as an escape,
	// as PHP's fgetcsv does (R-CSV-5).
	BackslashEscapesQuote
	// LinesCutAt64KiB reads the file a line at a time with a 64 KiB
	// buffer (bufio.Scanner's), so a longer line refuses a well-formed
	// file as a syntax error (R-CSV-6).
	LinesCutAt64KiB

	// The long run (mockserver's deviation_long.go).

	// RowCounter16Bit numbers rows with a 16-bit counter, so row 65,537
	// is answered as row 1 (R-CSV-8).
	RowCounter16Bit
	// OnlyFirstBatchImported imports the first 10,000 rows and drops the
	// rest, as a batch insert that is never repeated (R-RES-2).
	OnlyFirstBatchImported
	// ColumnsOfLastImport keeps the columns of a roster's last import and
	// reads only those of the next: a column left out once is forgotten
	// (R-CSV-2).
	ColumnsOfLastImport
	// NonAdminEmptyFileAccepted answers an empty file as a success before
	// it looks at the account's privileges (R-AUTH-3).
	NonAdminEmptyFileAccepted
	// EmptyBodyAccepted answers an empty body that is not multipart as an
	// empty import (R-HTTP-3).
	EmptyBodyAccepted

	// Rules no deviation broke before, each as a vendor plausibly would.

	// UsernameMatchedWithLike looks a username up with SQL LIKE when no
	// patron has it, as a server that writes LIKE for a case-insensitive
	// match does: a username holding % or _ updates the patron it matches
	// (R-ROW-1).
	UsernameMatchedWithLike
	// RepeatCountedAsCreated answers the second row of a username the file
	// created as created again, as a server that asks whether a patron
	// existed before the file does (R-ROW-9).
	RepeatCountedAsCreated
	// FailedImportsAnswered422 answers an import with a failed row 422
	// Unprocessable Entity, its JSON unchanged (R-RES-4).
	FailedImportsAnswered422
	// LimitAnsweredBadRequest answers a body over the limit 400 with the
	// reader's error, as Go's http.MaxBytesReader under a multipart reader
	// gives it (R-HTTP-5).
	LimitAnsweredBadRequest
	// UsernameAccentInsensitive matches usernames in an accent-insensitive
	// collation, as MySQL's default does: émile updates emile (R-ROW-1).
	UsernameAccentInsensitive
	// BarcodeAccentInsensitive keeps barcodes unique in an
	// accent-insensitive collation: B1́ is taken by B1's holder (R-ROW-10).
	BarcodeAccentInsensitive
	// EmailCommonRegex checks addresses with the regular expression most
	// often copied, [A-Za-z0-9._%+'-]+@…, so the rest of RFC 5322's atext
	// (!#$&*/=?^`{|}~) is refused (R-ROW-13).
	EmailCommonRegex
	// DetailsKeysAsText writes details with Go's encoding/json from a map,
	// its keys in text order: 1, 10, 11, 2 (R-RES-4).
	DetailsKeysAsText
	// LimitReachedRefused refuses a body of exactly the limit, as a check
	// that the body is below the limit rather than not over it does
	// (R-HTTP-5).
	LimitReachedRefused
	endDeviations
)

// Layer is where the reference server breaks a rule on purpose: in the
// rule engine's judges (the zero Layer), or around the server, to the
// request or the answer (mockserver's deviation files), which gates its
// work on the layers a server's deviations use.
type Layer uint8

// The layers.
const (
	InJudges   Layer = 0         // the rule engine's judges (NewDeviant)
	OnWire     Layer = 1 << iota // the request as another client writes it, before the server reads it
	OnWireBody                   // the same, from the raw upload
	OnUpload                     // the multipart upload, once its credentials pass
	OnAnswer                     // the answer, after the server
)

// deviationTable names each deviation, the rule it breaks and where it is
// done: the one list of them besides their constants. The suite's proof and explore's
// (steps/deviations) read the rule from it.
var deviationTable = [endDeviations]struct {
	name  string
	rule  string
	layer Layer
}{
	AlwaysPluralUsers:       {"always-plural-users", features.RES2, InJudges},
	DetailsMissing:          {"details-missing", features.RES3, InJudges},
	DetailsAlways:           {"details-always", features.RES3, InJudges},
	SuccessDespiteFailures:  {"success-despite-failures", features.RES1, InJudges},
	NonAdminAccepted:        {"non-admin-accepted", features.AUTH3, InJudges},
	CaseSensitiveBooleans:   {"case-sensitive-booleans", features.ROW4, InJudges},
	NoDigitBooleans:         {"no-digit-booleans", features.ROW4, InJudges},
	OptionalEnabled:         {"optional-enabled", features.ROW3, InJudges},
	StudentsWithoutYear:     {"students-without-year", features.ROW5, InJudges},
	AnyGender:               {"any-gender", features.ROW12, InJudges},
	UncheckedEmail:          {"unchecked-email", features.ROW13, InJudges},
	DuplicateBarcodes:       {"duplicate-barcodes", features.ROW10, InJudges},
	AnyAcademicLevel:        {"any-academic-level", features.ROW8, InJudges},
	ZeroBasedRows:           {"zero-based-rows", features.CSV8, InJudges},
	OnlyFilePartNamedFile:   {"only-file-part-named-file", features.HTTP2, OnUpload},
	UpdatesCountedAsCreates: {"updates-counted-as-creates", features.RES2, InJudges},
	PlainFailureText:        {"plain-failure-text", features.RES3, InJudges},
	EmptyFileRefused:        {"empty-file-refused", features.CSV1, InJudges},
	WrongAuthSummary:        {"wrong-auth-summary", features.AUTH2, OnAnswer},
	MissingUsernameAccepted: {"missing-username-accepted", features.CSV3, InJudges},
	StaffWithYearAccepted:   {"staff-with-year-accepted", features.ROW6, InJudges},
	HTMLErrorPages:          {"html-error-pages", features.HTTP4, OnAnswer},
	BodyReadBeforeAuth:      {"body-read-before-auth", features.AUTH4, InJudges},
	AnyPresentationGroup:    {"any-presentation-group", features.ROW14, InJudges},
	FailedRowsApplied:       {"failed-rows-applied", features.ROW18, InJudges},

	TextLimitOnlyOnNames:          {"text-limit-only-on-names", features.ROW15, InJudges},
	FormatCharsOnlyInUsername:     {"format-chars-only-in-username", features.ROW15, InJudges},
	YearBoundsExclusive:           {"year-bounds-exclusive", features.ROW7, InJudges},
	YearParsedAsNumber:            {"year-parsed-as-number", features.ROW7, InJudges},
	PasswordLimitInCharacters:     {"password-limit-in-characters", features.ROW17, InJudges},
	PasswordOf72Refused:           {"password-of-72-refused", features.ROW17, InJudges},
	StaffFlagUnchecked:            {"staff-flag-unchecked", features.ROW4, InJudges},
	StaffFlagTruthCaseSensitive:   {"staff-flag-truth-case-sensitive", features.ROW4, InJudges},
	StaffFlagDefaultsToFalse:      {"staff-flag-defaults-to-false", features.ROW16, InJudges},
	CellsTrimmedOfSpacesOnly:      {"cells-trimmed-of-spaces-only", features.CSV5, InJudges},
	ExtraEmptyFieldsAccepted:      {"extra-empty-fields-accepted", features.CSV7, InJudges},
	FailedRowBarcodeReserved:      {"failed-row-barcode-reserved", features.ROW18, InJudges},
	FreedBarcodeStillTaken:        {"freed-barcode-still-taken", features.ROW10, InJudges},
	UpdateTakesBarcode:            {"update-takes-barcode", features.ROW10, InJudges},
	AdminIDsSharedInFile:          {"admin-ids-shared-in-file", features.ROW11, InJudges},
	GenderStoredAsSent:            {"gender-stored-as-sent", features.ROW12, InJudges},
	LevelStoredAsSent:             {"level-stored-as-sent", features.ROW8, InJudges},
	GroupStoredAsSent:             {"group-stored-as-sent", features.ROW14, InJudges},
	SingularEndsInOne:             {"singular-ends-in-one", features.RES2, InJudges},
	EmailUncheckedOnUpdate:        {"email-unchecked-on-update", features.ROW13, InJudges},
	StaffYearAcceptedOnUpdate:     {"staff-year-accepted-on-update", features.ROW6, InJudges},
	ExplicitStudentNeedsYear:      {"explicit-student-needs-year", features.ROW5, InJudges},
	CaseSensitiveAcrossImports:    {"case-sensitive-across-imports", features.ROW2, InJudges},
	QuotedLocalPartRefused:        {"quoted-local-part-refused", features.ROW13, InJudges},
	DuplicateColumnFirst:          {"duplicate-column-first", features.CSV4, InJudges},
	NonAdminForbidden:             {"non-admin-forbidden", features.AUTH4, InJudges},
	CharsetMissingOnRefusals:      {"charset-missing-on-refusals", features.HTTP6, OnAnswer},
	OptionsAnswered:               {"options-answered", features.HTTP4, InJudges},
	PrefixRouting:                 {"prefix-routing", features.HTTP4, InJudges},
	EmptyFileNameIsFile:           {"empty-file-name-is-file", features.HTTP2, OnUpload},
	LastLineWithoutBreakDropped:   {"last-line-without-break-dropped", features.CSV5, OnUpload},
	BOMSkippedOnlyBeforeUsername:  {"bom-skipped-only-before-username", features.CSV4, OnUpload},
	BlankLinesBeforeHeaderRefused: {"blank-lines-before-header-refused", features.CSV5, OnUpload},
	PasswordJudgedAsText:          {"password-judged-as-text", features.ROW15, InJudges},
	BarcodeCaseInsensitive:        {"barcode-case-insensitive", features.ROW10, InJudges},
	FormerStaffNeedNoYear:         {"former-staff-need-no-year", features.ROW5, InJudges},
	OneFieldsPlural:               {"one-fields-plural", features.CSV7, InJudges},
	NamelessRowJudgedAsNew:        {"nameless-row-judged-as-new", features.RES3, InJudges},
	StaffYearJudgedAsYear:         {"staff-year-judged-as-year", features.RES3, InJudges},
	DeclaredBeforeLength:          {"declared-before-length", features.RES3, InJudges},
	PasswordCaseInsensitive:       {"password-case-insensitive", features.AUTH1, InJudges},
	AccountNameCaseInsensitive:    {"account-name-case-insensitive", features.AUTH1, InJudges},
	BlankFileRefused:              {"blank-file-refused", features.CSV1, OnUpload},
	FinalCRRefused:                {"final-cr-refused", features.CSV6, OnUpload},
	LoneCRLineAfter:               {"lone-cr-line-after", features.CSV6, OnAnswer},
	SemicolonsSummaryOwn:          {"semicolons-summary-own", features.CSV3, OnAnswer},

	QuotedBoundaryKeepsQuotes: {"quoted-boundary-keeps-quotes", features.HTTP2, OnWire},
	MediaTypeCaseSensitive:    {"media-type-case-sensitive", features.HTTP2, OnWire},
	BoundaryMustComeFirst:     {"boundary-must-come-first", features.HTTP2, OnWire},
	PartHeadersCaseSensitive:  {"part-headers-case-sensitive", features.HTTP2, OnWireBody},
	UnquotedFileNameNotAFile:  {"unquoted-file-name-not-a-file", features.HTTP2, OnWireBody},
	PreambleRefused:           {"preamble-refused", features.HTTP2, OnWireBody},
	LastFilePartWins:          {"last-file-part-wins", features.HTTP2, OnWireBody},
	ChunkedRefused:            {"chunked-refused", features.HTTP1, OnWire},
	ExpectRefused:             {"expect-refused", features.HTTP1, OnWire},
	QueryStringNotRouted:      {"query-string-not-routed", features.HTTP1, OnWire},
	CookieSessionTrusted:      {"cookie-session-trusted", features.AUTH2, OnWire},
	SchemeCaseSensitive:       {"scheme-case-sensitive", features.AUTH1, OnWire},

	LevelMatchedWithLike:      {"level-matched-with-like", features.ROW8, InJudges},
	GroupMatchedWithGlob:      {"group-matched-with-glob", features.ROW14, InJudges},
	BarcodeMatchedWithLike:    {"barcode-matched-with-like", features.ROW10, InJudges},
	AdminIDMatchedWithGlob:    {"admin-id-matched-with-glob", features.ROW11, InJudges},
	LengthInUTF16Units:        {"length-in-utf16-units", features.ROW15, InJudges},
	LengthInGraphemes:         {"length-in-graphemes", features.ROW15, InJudges},
	AstralRefused:             {"astral-refused", features.ROW15, InJudges},
	RightToLeftRefused:        {"right-to-left-refused", features.ROW15, InJudges},
	BarcodesNormalised:        {"barcodes-normalised", features.ROW10, InJudges},
	AdminIDIsBarcode:          {"admin-id-is-barcode", features.ROW10, InJudges},
	ValuesHTMLEscaped:         {"values-html-escaped", features.ROW10, InJudges},
	QuotesUnescapedInJSON:     {"quotes-unescaped-in-json", features.RES1, OnAnswer},
	BackslashEscapesQuote:     {"backslash-escapes-quote", features.CSV5, OnWireBody},
	LinesCutAt64KiB:           {"lines-cut-at-64kib", features.CSV6, OnWireBody},
	RowCounter16Bit:           {"row-counter-16-bit", features.CSV8, OnAnswer},
	OnlyFirstBatchImported:    {"only-first-batch-imported", features.RES2, OnWireBody},
	ColumnsOfLastImport:       {"columns-of-last-import", features.CSV2, OnWireBody},
	NonAdminEmptyFileAccepted: {"non-admin-empty-file-accepted", features.AUTH3, OnWire},
	EmptyBodyAccepted:         {"empty-body-accepted", features.HTTP3, OnWire},
	UsernameMatchedWithLike:   {"username-matched-with-like", features.ROW1, InJudges},
	RepeatCountedAsCreated:    {"repeat-counted-as-created", features.ROW9, InJudges},
	FailedImportsAnswered422:  {"failed-imports-answered-422", features.RES4, OnAnswer},
	LimitAnsweredBadRequest:   {"limit-answered-bad-request", features.HTTP5, OnAnswer},
	UsernameAccentInsensitive: {"username-accent-insensitive", features.ROW1, InJudges},
	BarcodeAccentInsensitive:  {"barcode-accent-insensitive", features.ROW10, InJudges},
	EmailCommonRegex:          {"email-common-regex", features.ROW13, InJudges},
	DetailsKeysAsText:         {"details-keys-as-text", features.RES4, OnAnswer},
	LimitReachedRefused:       {"limit-reached-refused", features.HTTP5, InJudges},
}

// Set returns the set of ds.
func Set(ds ...Deviation) Deviations {
	var d Deviations
	for _, x := range ds {
		d.bits[x/64] |= 1 << (x % 64)
	}
	return d
}

// Has reports whether x is in d.
func (d Deviations) Has(x Deviation) bool { return x < endDeviations && d.bits[x/64]&(1<<(x%64)) != 0 }

// In reports whether d holds a deviation done in one of the layers l.
func (d Deviations) In(l Layer) bool {
	for x := range endDeviations {
		if d.Has(x) && deviationTable[x].layer&l != 0 {
			return true
		}
	}
	return false
}

// Empty reports whether d holds no deviation.
func (d Deviations) Empty() bool { return d == Deviations{} }

// HasAny reports whether d holds any deviation of xs.
func (d Deviations) HasAny(xs ...Deviation) bool { return slices.ContainsFunc(xs, d.Has) }

// AllDeviations returns every single deviation, in declaration order.
func AllDeviations() []Deviation {
	out := make([]Deviation, 0, endDeviations)
	for x := range endDeviations {
		out = append(out, x)
	}
	return out
}

// String returns the deviation's name.
func (x Deviation) String() string { return deviationTable[x].name }

// Rule returns the ID of the rule the deviation breaks, the one a run
// against a server that has it must fail.
func (x Deviation) Rule() string { return deviationTable[x].rule }

// String returns the deviations' names, comma-separated.
func (d Deviations) String() string {
	var names []string
	for _, x := range AllDeviations() {
		if d.Has(x) {
			names = append(names, deviationTable[x].name)
		}
	}
	return strings.Join(names, ",")
}

// NewDeviant returns an engine for cfg that breaks the rules in d: for a
// test that shows the conformance suite notices. Only tests call it, so
// none of this file is linked into autosync (TestBinaryHasNoDeviations, in
// cmd/autosync, checks).
func NewDeviant(cfg Config, d Deviations) (*Engine, error) {
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	e.judges = d.apply(e.judges)
	return e, nil
}

// apply returns the judges with the rules in d broken: the one place where
// a deviation changes a verdict. The rule functions do not know deviations
// exist.
func (d Deviations) apply(j judges) judges {
	if d.Empty() {
		return j
	}
	// Rules that judge cells.
	if d.Has(CaseSensitiveBooleans) {
		wrapCells(&j, features.ROW4, func(r *row) {
			for _, c := range [...]Column{Enabled, StaffMember} {
				if v := r.vals[c]; v != "" && r.reason(c) == "" && !slices.Contains(trueFlags[:], v) && !slices.Contains(falseFlags[:], v) {
					r.fail(c, features.ROW4, booleanMessage(c))
					setTri(r, c, invalid)
				}
			}
		})
	}
	if d.Has(NoDigitBooleans) {
		wrapCells(&j, features.ROW4, func(r *row) {
			for _, c := range [...]Column{Enabled, StaffMember} {
				if v := r.vals[c]; v == "1" || v == "0" {
					r.fail(c, features.ROW4, booleanMessage(c))
					setTri(r, c, invalid)
				}
			}
		})
	}
	if d.Has(AnyGender) {
		wrapCells(&j, features.ROW12, func(r *row) {
			r.vals[Gender] = strings.ToUpper(r.vals[Gender])
			forgive(r, features.ROW12)
		})
	}
	for _, x := range []struct {
		dev  Deviation
		rule string
	}{{UncheckedEmail, features.ROW13}, {AnyAcademicLevel, features.ROW8}, {AnyPresentationGroup, features.ROW14}} {
		if d.Has(x.dev) {
			wrapCells(&j, x.rule, func(r *row) { forgive(r, x.rule) })
		}
	}
	// Rules that need the store.
	for _, x := range []struct {
		dev  Deviation
		rule string
	}{{OptionalEnabled, features.ROW3}, {StudentsWithoutYear, features.ROW5}, {StaffWithYearAccepted, features.ROW6}, {DuplicateBarcodes, features.ROW10}} {
		if d.Has(x.dev) {
			wrapStored(&j, x.rule, func(r *row) { forgive(r, x.rule) })
		}
	}
	if d.Has(DuplicateBarcodes) {
		taken := j.taken
		j.taken = func(r *row, c *store.ConflictError) (Outcome, []Reason) {
			if c.Barcode && !c.AdminID { // answered as if stored
				if r.stored.found {
					return Updated, nil
				}
				return Created, nil
			}
			return taken(r, c)
		}
	}
	if d.Has(FailedRowsApplied) {
		j.failedRow = func(_ *Engine, tx *store.Tx, r *row, keys *storage.Keys) (Outcome, []Reason) {
			reasons := r.failures()
			for c, why := range r.why.reasons { // the valid fields are applied all the same
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
			p := merge(r)
			storage.PutWith(tx, keys, &p)
			return Failed, reasons
		}
	}
	d.applyEdges(&j)
	d.applyValues(&j)
	// The file.
	if d.Has(EmptyFileRefused) {
		j.emptyFile = func() error { return &FileError{Summary: "The file is empty."} }
	}
	if d.Has(MissingUsernameAccepted) {
		j.badHeader = func([]string, error) error { return nil }
	}
	// The answer.
	w := &j.words
	if d.Has(AlwaysPluralUsers) {
		w.count = func(n int) string { return strconv.Itoa(n) + " users" }
	}
	if d.Has(DetailsMissing) {
		w.details = func(*Result) bool { return false }
	}
	if d.Has(DetailsAlways) {
		w.details = func(*Result) bool { return true }
	}
	if d.Has(SuccessDespiteFailures) {
		w.success = func(*Result) bool { return true }
	}
	if d.Has(ZeroBasedRows) {
		w.firstRow = 0
	}
	if d.Has(UpdatesCountedAsCreates) {
		w.counted = func(o Outcome) Outcome {
			if o == Updated {
				return Created
			}
			return o
		}
	}
	if d.Has(PlainFailureText) {
		w.failure = func(reasons []Reason) string { return reasons[0].Text }
	}
	return j
}

// wrapCells runs after the cell rule id, on the row it judged.
func wrapCells(j *judges, id string, after func(r *row)) {
	for i, rule := range j.cells {
		if rule.id == id {
			judge := rule.judge
			j.cells[i].judge = func(e *Engine, r *row) {
				judge(e, r)
				after(r)
			}
		}
	}
}

// wrapStored runs after the stored rule id, on the row it judged.
func wrapStored(j *judges, id string, after func(r *row)) {
	for i, rule := range j.stored {
		if rule.id == id {
			judge := rule.judge
			j.stored[i].judge = func(e *Engine, tx *store.Tx, r *row) {
				judge(e, tx, r)
				after(r)
			}
		}
	}
}

// forgive takes back every reason of rule from r.
func forgive(r *row, rule string) {
	if r.why == nil {
		return
	}
	left := false
	for c := range r.why.reasons {
		if r.why.rules[c] == rule {
			r.why.reasons[c], r.why.rules[c] = "", ""
		}
		left = left || r.why.reasons[c] != ""
	}
	if !left {
		r.why = nil
	}
}

func setTri(r *row, c Column, v tri) {
	if c == Enabled {
		r.enabled = v
	} else {
		r.staff = v
	}
}

// applyEdges breaks the rules of the subtler deviations, each at one edge.
func (d Deviations) applyEdges(j *judges) {
	// Cells.
	if d.Has(TextLimitOnlyOnNames) {
		wrapCells(j, features.ROW15, func(r *row) {
			for c := range Column(numColumns) {
				if c != Username && c != GivenName && c != Surname && strings.HasSuffix(r.reason(c), "characters.") {
					forgiveColumn(r, c)
				}
			}
		})
	}
	if d.Has(FormatCharsOnlyInUsername) {
		wrapCells(j, features.ROW15, func(r *row) {
			for c := range Column(numColumns) {
				if c != Username && strings.HasSuffix(r.reason(c), "control characters.") && !strings.ContainsFunc(r.vals[c], unicode.IsControl) {
					forgiveColumn(r, c)
				}
			}
		})
	}
	if d.Has(YearBoundsExclusive) {
		wrapCells(j, features.ROW7, func(r *row) {
			if v := r.vals[GraduationYear]; v == "1900" || v == "2100" {
				r.year = 0
				r.fail(GraduationYear, features.ROW7, "Field (graduationYear) is not a four-digit year.")
			}
		})
	}
	if d.Has(YearParsedAsNumber) {
		wrapCells(j, features.ROW7, func(r *row) {
			if n, err := strconv.Atoi(r.vals[GraduationYear]); err == nil && n >= 1900 && n <= 2100 && r.reason(GraduationYear) != "" {
				r.year = n
				forgiveColumn(r, GraduationYear)
			}
		})
	}
	if d.Has(PasswordLimitInCharacters) {
		wrapCells(j, features.ROW17, func(r *row) {
			if utf8.RuneCountInString(r.vals[Password]) <= maxPassword {
				forgiveColumn(r, Password)
			}
		})
	}
	if d.Has(PasswordOf72Refused) {
		wrapCells(j, features.ROW17, func(r *row) {
			if len(r.vals[Password]) == maxPassword {
				r.fail(Password, features.ROW17, fmt.Sprintf("Field (password) is longer than %d bytes.", maxPassword))
			}
		})
	}
	if d.Has(StaffFlagUnchecked) {
		wrapCells(j, features.ROW4, func(r *row) {
			if r.staff == invalid {
				r.staff = no
				forgiveColumn(r, StaffMember)
			}
		})
	}
	if d.Has(StaffFlagTruthCaseSensitive) {
		wrapCells(j, features.ROW4, func(r *row) {
			if r.staff == yes && !slices.Contains(trueFlags[:], r.vals[StaffMember]) {
				r.staff = no
			}
		})
	}
	j.trimSpacesOnly = d.Has(CellsTrimmedOfSpacesOnly)
	j.extraEmptyFields = d.Has(ExtraEmptyFieldsAccepted)
	for _, x := range []struct {
		dev  Deviation
		rule string
		col  Column
	}{{GenderStoredAsSent, features.ROW12, Gender}, {LevelStoredAsSent, features.ROW8, AcademicLevel}, {GroupStoredAsSent, features.ROW14, PresentationGroupLabel}} {
		if d.Has(x.dev) {
			aroundCells(j, x.rule, func(r *row, judge func()) {
				sent := r.vals[x.col]
				judge()
				if r.reason(x.col) == "" {
					r.vals[x.col] = sent
				}
			})
		}
	}

	// Rows against the store, on the path of an update.
	if d.Has(StaffFlagDefaultsToFalse) {
		beforeStored(j, func(r *row) {
			if r.stored.found && r.staff == unset {
				r.staff = no
			}
		})
	}
	if d.Has(EmailUncheckedOnUpdate) {
		wrapStored(j, features.ROW3, func(r *row) {
			if r.stored.found {
				forgive(r, features.ROW13)
			}
		})
	}
	if d.Has(StaffYearAcceptedOnUpdate) {
		wrapStored(j, features.ROW6, func(r *row) {
			if r.stored.found && r.staff == unset {
				forgive(r, features.ROW6)
			}
		})
	}
	if d.Has(ExplicitStudentNeedsYear) {
		wrapStored(j, features.ROW5, func(r *row) {
			if r.stored.found && r.staff == no && r.vals[GraduationYear] == "" && r.vals[AcademicLevel] == "" && r.reason(GraduationYear) == "" {
				r.fail(GraduationYear, features.ROW5, "Field (graduationYear) or Field (academicLevel) is mandatory for students.")
			}
		})
	}

	// Interactions inside one file. These keep what earlier rows of the
	// import did; rows are applied one at a time, in order, and a row
	// number that does not grow starts another import.
	var seen importMemory
	if d.Has(FailedRowBarcodeReserved) {
		failed := j.failedRow
		j.failedRow = func(e *Engine, tx *store.Tx, r *row, keys *storage.Keys) (Outcome, []Reason) {
			seen.at(r)
			if v := r.vals[LibraryBarcode]; v != "" {
				seen.set("reserved", v, r.num)
			}
			return failed(e, tx, r, keys)
		}
		wrapStored(j, features.ROW10, func(r *row) {
			seen.at(r)
			if v := r.vals[LibraryBarcode]; v != "" && seen.has("reserved", v) && r.reason(LibraryBarcode) == "" {
				r.fail(LibraryBarcode, features.ROW10, takenMessage(LibraryBarcode, v))
			}
		})
	}
	if d.Has(FreedBarcodeStillTaken) {
		wrapStored(j, features.ROW10, func(r *row) {
			seen.at(r)
			v, old := r.vals[LibraryBarcode], r.stored.patron.LibraryBarcode
			if v != "" && seen.has("freed", v) && r.reason(LibraryBarcode) == "" {
				r.fail(LibraryBarcode, features.ROW10, takenMessage(LibraryBarcode, v))
			}
			if r.stored.found && v != "" && old != "" && v != old {
				seen.set("freed", old, r.num)
			}
		})
	}
	if d.Has(UpdateTakesBarcode) {
		taken := j.taken
		j.taken = func(r *row, c *store.ConflictError) (Outcome, []Reason) {
			if c.Barcode && !c.AdminID && r.stored.found { // answered as if stored
				return Updated, nil
			}
			return taken(r, c)
		}
	}
	if d.Has(AdminIDsSharedInFile) {
		wrapStored(j, features.ROW11, func(r *row) {
			seen.at(r)
			if v := r.vals[AdminSystemID]; v != "" && !r.failed() {
				seen.set("adminid", v, r.num)
			}
		})
		taken := j.taken
		j.taken = func(r *row, c *store.ConflictError) (Outcome, []Reason) {
			if c.AdminID && !c.Barcode && seen.first("adminid", r.vals[AdminSystemID]) < r.num { // answered as if stored
				if r.stored.found {
					return Updated, nil
				}
				return Created, nil
			}
			return taken(r, c)
		}
	}
	if d.Has(RepeatCountedAsCreated) {
		outcome := j.outcome
		j.outcome = func(r *row, o Outcome) Outcome {
			seen.at(r)
			key := storage.Key(r.vals[Username])
			switch {
			case o == Created:
				seen.set("created", key, r.num)
			case o == Updated && seen.has("created", key):
				o = Created
			}
			if outcome != nil {
				return outcome(r, o)
			}
			return o
		}
	}
	if d.Has(CaseSensitiveAcrossImports) {
		beforeStored(j, func(r *row) {
			seen.at(r)
			key := storage.Key(r.vals[Username])
			if r.stored.found && r.stored.patron.Username != r.vals[Username] && !seen.has("touched", key) {
				seen.set("spelled", strconv.Itoa(r.num), r.num)
			}
			seen.set("touched", key, r.num)
		})
		j.outcome = func(r *row, o Outcome) Outcome {
			if o == Updated && seen.has("spelled", strconv.Itoa(r.num)) {
				return Created
			}
			return o
		}
	}

	if d.Has(EmailCommonRegex) {
		wrapCells(j, features.ROW13, func(r *row) {
			v := r.vals[EmailAddress]
			local := v[:max(strings.LastIndexByte(v, '@'), 0)]
			if v != "" && r.reason(EmailAddress) == "" && !strings.HasPrefix(local, `"`) &&
				strings.ContainsFunc(local, func(c rune) bool { return !strings.ContainsRune("._%+'-", c) && !isAlnumASCII(c) }) {
				r.fail(EmailAddress, features.ROW13, "Field (emailAddress) is not a well-formed email address.")
			}
		})
	}
	if d.Has(QuotedLocalPartRefused) {
		wrapCells(j, features.ROW13, func(r *row) {
			if strings.HasPrefix(r.vals[EmailAddress], `"`) && r.reason(EmailAddress) == "" {
				r.fail(EmailAddress, features.ROW13, "Field (emailAddress) is not a well-formed email address.")
			}
		})
	}

	d.applySettled(j)

	// The file.
	if d.Has(DuplicateColumnFirst) {
		bad := j.badHeader
		j.badHeader = func(record []string, err error) error {
			seen := map[Column]bool{}
			for _, cell := range record {
				if c, ok := LookupColumn(strings.TrimPrefix(cell, "\ufeff")); ok {
					if seen[c] {
						return &FileError{Summary: fmt.Sprintf("Duplicate column (%s).", c), Kind: ErrDuplicateColumn}
					}
					seen[c] = true
				}
			}
			return bad(record, err)
		}
	}

	// The answer.
	if d.Has(SingularEndsInOne) {
		j.words.count = func(n int) string {
			if n%10 == 1 && n%100 != 11 {
				return strconv.Itoa(n) + " user"
			}
			return strconv.Itoa(n) + " users"
		}
	}
}

// isAlnumASCII reports whether c is an ASCII letter or digit.
func isAlnumASCII(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// importMemory is what a deviation remembers of the rows of the import
// being applied: named sets of values, each with the first row that put
// it there.
type importMemory struct {
	last int
	sets map[string]map[string]int
}

// at starts afresh when r begins another import.
func (m *importMemory) at(r *row) {
	if r.num <= m.last || m.sets == nil {
		m.sets = map[string]map[string]int{}
	}
	m.last = r.num
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

// aroundCells runs around the cell rule id: around calls judge to judge.
func aroundCells(j *judges, id string, around func(r *row, judge func())) {
	for i, rule := range j.cells {
		if rule.id == id {
			judge := rule.judge
			j.cells[i].judge = func(e *Engine, r *row) {
				around(r, func() { judge(e, r) })
			}
		}
	}
}

// beforeStored runs before the first stored rule, on the row it judges.
func beforeStored(j *judges, before func(r *row)) {
	judge := j.stored[0].judge
	j.stored[0].judge = func(e *Engine, tx *store.Tx, r *row) {
		before(r)
		judge(e, tx, r)
	}
}

// forgiveColumn takes back column c's reason.
func forgiveColumn(r *row, c Column) {
	if r.why == nil {
		return
	}
	r.why.reasons[c], r.why.rules[c] = "", ""
	for _, why := range r.why.reasons {
		if why != "" {
			return
		}
	}
	r.why = nil
}

// applySettled breaks the points REFERENCE.md settled later, each at its
// edge.
func (d Deviations) applySettled(j *judges) {
	if d.Has(PasswordJudgedAsText) {
		wrapCells(j, features.ROW15, func(r *row) {
			if v := r.vals[Password]; hasControl(v) && r.reason(Password) == "" {
				r.fail(Password, features.ROW15, fieldMessage(Password, "contains control characters."))
			}
		})
	}
	if d.Has(BarcodeCaseInsensitive) {
		// The barcodes of the patrons stored, folded, with their holders;
		// a stale entry is a bug such a server could have too.
		held := map[string]string{}
		wrapStored(j, features.ROW10, func(r *row) {
			v := r.vals[LibraryBarcode]
			if owner, ok := held[strings.ToLower(v)]; ok && v != "" && r.reason(LibraryBarcode) == "" && owner != storage.Key(r.vals[Username]) {
				r.fail(LibraryBarcode, features.ROW10, takenMessage(LibraryBarcode, v))
			}
		})
		outcome := j.outcome
		j.outcome = func(r *row, o Outcome) Outcome {
			if v := r.vals[LibraryBarcode]; v != "" {
				held[strings.ToLower(v)] = storage.Key(r.vals[Username])
			}
			if outcome != nil {
				return outcome(r, o)
			}
			return o
		}
	}
	if d.Has(FormerStaffNeedNoYear) {
		wrapStored(j, features.ROW5, func(r *row) {
			if r.stored.found {
				forgive(r, features.ROW5)
			}
		})
	}
	if d.Has(NamelessRowJudgedAsNew) {
		wrapCells(j, features.ROW1, func(r *row) {
			if r.vals[Username] != "" {
				return
			}
			if r.vals[Enabled] == "" {
				r.fail(Enabled, features.ROW3, "Field (enabled) is mandatory for new users.")
			}
			if r.vals[StaffMember] == "" {
				r.fail(StaffMember, features.ROW3, "Field (staffMember) is mandatory for new users.")
			}
		})
	}
	if d.Has(StaffYearJudgedAsYear) {
		wrapStored(j, features.ROW6, func(r *row) {
			if v := r.vals[GraduationYear]; strings.HasSuffix(r.reason(GraduationYear), "applies to students only; leave it blank for staff.") {
				if _, ok := year(v); !ok {
					r.fail(GraduationYear, features.ROW7, "Field (graduationYear) is not a four-digit year.")
				}
			}
		})
	}
	if d.Has(DeclaredBeforeLength) {
		for i, rule := range j.cells {
			if rule.id == features.ROW8 {
				judge := rule.judge
				j.cells[i].judge = func(e *Engine, r *row) {
					for _, c := range [...]Column{AcademicLevel, PresentationGroupLabel} {
						if r.why != nil && r.why.rules[c] == features.ROW15 {
							forgiveColumn(r, c)
						}
					}
					judge(e, r)
					declaredValue(r, PresentationGroupLabel, features.ROW14, e.groups, "is not a current presentation group")
				}
			}
		}
	}
	if d.Has(OneFieldsPlural) {
		failure := j.words.failure
		j.words.failure = func(reasons []Reason) string {
			return strings.ReplaceAll(failure(reasons), "Row has 1 field but", "Row has 1 fields but")
		}
	}
}
