package features

import (
	"fmt"
	"strings"
)

// Dimension is one way a rule can be met in the middle and broken at its
// edges.
type Dimension string

// The dimensions of a rule.
const (
	// Boundary: each end of a range or a limit, from below, at it, and
	// just inside; a value in range but not in the rule's form; a limit
	// counted in characters against one counted in bytes.
	Boundary Dimension = "boundary"
	// Field: each column the rule governs.
	Field Dimension = "field"
	// Path: each way a row meets the rule: a new patron or an update, new
	// or existing staff, each kind of refusal.
	Path Dimension = "path"
	// Dialect: how the file is written: line endings, a byte-order mark,
	// quoting, padding, blank lines, a missing last line break.
	Dialect Dimension = "dialect"
	// Interaction: rows of one file, or files in turn, that change what
	// the rule says of a later row.
	Interaction Dimension = "interaction"
	// Shape: the answer past the small cases: counts, statuses, headers.
	Shape Dimension = "shape"
	// Wire: the request as another client writes it: header case, the
	// boundary's quoting, part headers, chunks, Expect, the scheme's case
	// (the ways of package api/wire).
	Wire Dimension = "wire"
	// Values: values that break a naive implementation and are valid here:
	// wildcards, markup and quotes, characters beyond the BMP, combining
	// and right-to-left, limits counted three ways (features/hostile).
	Values Dimension = "values"
)

// Dimensions lists the dimensions in the order reports show them.
func Dimensions() []Dimension {
	return []Dimension{Boundary, Field, Path, Dialect, Interaction, Shape, Wire, Values}
}

// Edge is one cell of a rule's coverage matrix: a place where a server
// that meets the rule in the middle may still break it, and the scenario
// that checks it there. Scenario is a scenario's name as reports show it
// (an outline's example with its values filled in); TestEdgesCovered
// fails when no scenario of the rule has that name.
type Edge struct {
	Dimension Dimension
	Name      string
	Scenario  string
}

// Edges returns the coverage matrix: by rule ID, the edges of every rule
// of the catalogue.
func Edges() map[string][]Edge {
	B, F, P, D, I, S := Boundary, Field, Path, Dialect, Interaction, Shape
	m := map[string][]Edge{
		HTTP1: {
			{P, "POST to the import path", "A POST of a CSV file to the import path is processed"},
		},
		HTTP2: {
			{F, "any field name", `A file part in field "users" named "users" is the CSV`},
			{F, "any file name, even another extension", `A file part in field "file" named "report.xlsx" is the CSV`},
			{F, "a file name beyond ASCII", `A file part in field "csv" named "Élèves 2026.CSV" is the CSV`},
			{P, "a text part first", "Text fields before the file part are passed over"},
			{P, "two file parts", "Only the first file part is read"},
			{B, "an empty file name is no file", "A file part with an empty file name is not the file"},
		},
		HTTP3: {
			{P, "multipart without a file part", "A multipart request without a file part is refused"},
			{P, "text/csv", "A body that is not multipart is refused"},
			{P, "a form body", "A body sent as application/x-www-form-urlencoded is refused with 415 in JSON"},
			{P, "raw bytes", "A body sent as application/octet-stream is refused with 415 in JSON"},
			{B, "multipart, but not form-data", "A body sent as multipart/mixed; boundary=abc is refused with 415 in JSON"},
			{B, "no content type at all", "A body without a content type is refused with 415 in JSON"},
		},
		HTTP4: {
			{P, "GET, with and without credentials", "GET on the import path without credentials is not allowed"},
			{P, "PUT", "PUT on the import path without credentials is answered 405 in JSON"},
			{P, "DELETE", "DELETE on the import path with credentials is answered 405 in JSON"},
			{P, "PATCH", "PATCH on the import path without credentials is answered 405 in JSON"},
			{P, "OPTIONS", "OPTIONS on the import path with credentials is answered 405 in JSON"},
			{P, "HEAD, with no body", "HEAD on the import path with credentials is not allowed and has no body"},
			{B, "a path one letter short", `POST "/api/import/user" with credentials answers 404 in JSON`},
			{B, "a path under the import path", `POST "/api/import/users/extra" with credentials answers 404 in JSON`},
			{B, "the parent path", `POST "/api/import" without credentials answers 404 in JSON`},
			{P, "an unknown path without credentials", `GET "/api/import/users.json" without credentials answers 404 in JSON`},
			{B, "the import path in another letter case", `POST "/API/IMPORT/USERS" with credentials answers 404 in JSON`},
		},
		HTTP5: {
			{B, "over the limit; nothing imported", "A body over the limit is refused and nothing is imported"},
			{B, "exactly the limit, imported", "A body of exactly the limit is imported"},
		},
		HTTP6: {
			{S, "200", "The answer to a good import is JSON with a UTF-8 content type"},
			{S, "200 with a failed row", "The answer to an import with a failed row is JSON with a UTF-8 content type"},
			{S, "400 missing column", "The answer to a file without a username column is JSON with a UTF-8 content type"},
			{S, "400 duplicate column", "The answer to a column named twice is JSON with a UTF-8 content type"},
			{S, "400 syntax error", "The answer to a file that is not CSV is JSON with a UTF-8 content type"},
			{S, "400 no file part", "The answer to a multipart body without a file is JSON with a UTF-8 content type"},
			{S, "401", "The answer to missing credentials is JSON with a UTF-8 content type"},
			{S, "401 for the non-admin account", "The answer to the non-admin account is JSON with a UTF-8 content type"},
			{S, "404", `DELETE "/import/users" with credentials answers 404 in JSON`},
			{S, "405", "The answer to a GET with credentials is JSON with a UTF-8 content type"},
			{S, "413", "A body over the limit is refused and nothing is imported"},
			{S, "415", "The answer to a body that is not multipart is JSON with a UTF-8 content type"},
		},
		AUTH1: {
			{P, "the Authorization header", "An admin's credentials in the Authorization header are accepted"},
			{P, "credentials in the URL", "An admin's credentials in the URL work like the header"},
			{B, "the account name in another letter case", "An upload with the admin's username in another letter case is refused, as credentials are compared exactly"},
			{B, "the password in another letter case", "An upload with the admin's password in another letter case is refused, as credentials are compared exactly"},
			{B, "the scheme name in lower case", "A file written as the scheme in lower case writes it is read as the documents say"},
			{B, "the scheme name in capitals", "A file written as the scheme in capitals writes it is read as the documents say"},
		},
		AUTH2: {
			{P, "no credentials", "An upload without credentials is refused"},
			{P, "a malformed header", "An upload with a malformed Authorization header is refused"},
			{P, "a wrong password", "An upload with a wrong password is refused"},
			{P, "an unknown user", "An upload as an unknown user is refused"},
			{P, "another scheme", "An upload with a Bearer token is refused"},
			{B, "Basic without a colon", "An upload with Basic credentials without a colon is refused"},
		},
		AUTH3: {
			{P, "a valid non-admin account", "A valid account without system administration privileges is refused the same way"},
		},
		AUTH4: {
			{P, "a wrong password", "The refusal is a 401 with a Basic challenge"},
			{P, "no credentials", "An upload without credentials is refused with 401, the Basic challenge and JSON"},
			{P, "a malformed header", "An upload with a malformed Authorization header is refused with 401, the Basic challenge and JSON"},
			{P, "an unknown user", "An upload as an unknown user is refused with 401, the Basic challenge and JSON"},
			{P, "the non-admin account", "An upload as the non-admin account is refused with 401, the Basic challenge and JSON"},
			{P, "another scheme", "An upload with a Bearer token is refused with 401, the Basic challenge and JSON"},
			{I, "before the upload is read", "Credentials are checked before the upload is read"},
		},
		CSV1: {
			{B, "zero bytes", "An empty file is a successful import of nothing"},
			{B, "a header alone", "A header row with no data rows is the same"},
			{D, "CRLF", "A header alone, with Windows line endings, is a successful import of nothing"},
			{D, "no final line break", "A header alone, without a final line break, is a successful import of nothing"},
			{D, "blank lines only", "A file of blank lines only is a successful import of nothing"},
			{D, "a byte-order mark only", "A file of a byte-order mark only is a successful import of nothing"},
		},
		CSV2: {
			{F, "all sixteen columns", "Every recognised column is accepted"},
			{F, "every column's value kept", "Every recognised column's value is stored"},
			{D, "columns in any order", "Columns may come in any order"},
		},
		CSV3: {
			{B, "a near name (usernames)", `A header of "usernames,enabled,staffmember,graduationyear" has no username column and is rejected whole`},
			{B, "a near name (user name)", `A header of "user name,enabled,staffmember,graduationyear" has no username column and is rejected whole`},
			{B, "another name", "A file without a username column is rejected as a whole"},
			{P, "a header alone", "A header alone without a username column is rejected"},
			{D, "semicolons: the summary begins with the missing column", "A file separated by semicolons is refused with a summary that begins with the missing column"},
		},
		CSV4: {
			{D, "upper case", "The header name USERNAME is the username column"},
			{D, "quoted", `The header name "username" is the username column`},
			{D, "quoted with padding", `The header name " UserName " is the username column`},
			{D, "padded with a tab", "The header name {tab}username is the username column"},
			{D, "padded with no-break spaces", "The header name {char:U+00A0}username{char:U+00A0} is the username column"},
			{D, "padded with an ideographic space", "The header name {char:U+3000}Username is the username column"},
			{D, "BOM before username", "A byte-order mark before the header is skipped"},
			{D, "BOM before another column, CRLF", "A byte-order mark before a header that does not start with username is skipped"},
			{D, "BOM and a header alone", "A header alone after a byte-order mark is a successful import of nothing"},
			{F, "unknown, repeated unknown and empty names", "Unknown and empty column names are ignored, whatever their cells hold"},
			{B, "twice in another case", "A column named twice rejects the file"},
			{B, "twice, padded", `The header "username,enabled,staffmember,formclass, FORMCLASS" names a column twice and rejects the file`},
			{F, "username twice", `The header "username,enabled,staffmember,graduationyear,UserName" names a column twice and rejects the file`},
			{P, "no username and a column twice: the missing username first", "A header without username that names a column twice is refused for the missing username first"},
		},
		CSV5: {
			{D, "quotes, commas, CRLF", "Quoted commas and quotes, Windows line endings and padded cells all work"},
			{D, "a quoted CRLF, quoted empty cells", "A quoted Windows line break and quoted empty cells work"},
			{F, "tabs around every cell", "Cells padded with tabs are trimmed"},
			{F, "no-break spaces", "Cells padded with no-break spaces are trimmed"},
			{F, "ideographic spaces", "Cells padded with ideographic spaces are trimmed"},
			{F, "tabs and spaces", "Cells padded with tabs and spaces are trimmed"},
			{D, "blank lines, LF", "Empty and blank lines are skipped and get no row number"},
			{D, "blank lines before the header, CRLF", "Blank lines before the header and between rows, with Windows line endings, get no row number"},
			{D, "blank lines, mixed line endings", "Blank lines before the header and between rows, with mixed line endings, get no row number"},
			{D, "blank lines after a byte-order mark", "Blank lines before the header and between rows, after a byte-order mark, get no row number"},
			{B, "a line of commas alone is a row", "A line of commas alone is a row of blank cells, not a blank line"},
			{D, "blank lines, no final line break", "Blank lines before the header and between rows, without a final line break, get no row number"},
			{D, "last line without a break, LF", "The last row is read without a final line break, with Unix line endings"},
			{D, "last line without a break, CRLF", "The last row is read without a final line break, with Windows line endings"},
			{D, "a header and blank lines", "A header followed by blank lines only is a successful import of nothing"},
			{S, "blank lines not processed", "Blank lines are not counted as processed"},
			{B, "a username of white space", "A username of tabs is blank and fails the row"},
			{B, "a flag of white space", "A new patron whose enabled is only white space fails as if it were blank"},
		},
		CSV6: {
			{P, "a quote inside a field", "A file with a stray quote is rejected whole and the line is named"},
			{P, "an unclosed quote", "An unclosed quote names the line it opens on"},
			{P, "text after a closing quote, CRLF", "A syntax error after text after a closing quote names its physical line and imports nothing"},
			{P, "lone CR line endings", "Lines that end in a lone carriage return reject the file"},
			{P, "one lone CR mid-file", "A syntax error at a carriage return alone names its physical line and imports nothing"},
			{B, "on the header line", "A syntax error in the header names its physical line and imports nothing"},
			{D, "after blank lines", "A syntax error after blank lines names its physical line and imports nothing"},
			{D, "after a quoted line break", "A syntax error after a quoted line break names its physical line and imports nothing"},
			{D, "on the second line of a record", "A syntax error on the second line of a record names its physical line and imports nothing"},
			{B, "a space after a closing quote", "A syntax error after a space after a closing quote names its physical line and imports nothing"},
			{B, "a space before an opening quote", "A syntax error after a space before an opening quote names its physical line and imports nothing"},
			{D, "semicolons, every text field quoted (LibreOffice)", "A semicolon export with every text field quoted is a syntax error on its header line"},
			{B, "a lone CR at the very end, LF", "A carriage return alone at the very end of the file ends the last line, after Unix line endings"},
			{B, "a lone CR at the very end, CRLF", "A carriage return alone at the very end of the file ends the last line, after Windows endings"},
		},
		CSV7: {
			{B, "one field short and one over", "A row with the wrong number of fields fails alone"},
			{B, "extra empty fields; one field", "Rows with extra empty fields or one field fail alone, and are counted"},
			{F, "bad UTF-8 in givenname", "A row that is not valid UTF-8 fails alone"},
			{F, "bad UTF-8 in surname", "A row with a byte that is not UTF-8 in surname fails alone"},
			{F, "bad UTF-8 in formclass", "A row with a byte that is not UTF-8 in formclass fails alone"},
			{F, "bad UTF-8 in an unknown column", "A row with a byte that is not UTF-8 in notes fails alone"},
			{S, "success with only such a row", "An import whose only failure is a row of the wrong width is not a success"},
		},
		CSV8: {
			{B, "numbered from 1", "Rows are numbered from 1, the first record after the header"},
			{D, "a quoted line break", "A quoted line break does not start a new row number"},
		},
		ROW1: {
			{P, "update and create", "An existing username is updated and a new one created"},
			{I, "the same file twice", "Importing the same file again updates every patron"},
			{B, "spaces", "A blank username fails the row"},
			{B, "an empty quote", "A username of an empty quote is blank and fails the row"},
		},
		ROW2: {
			{I, "in one file", "Usernames match whatever their letter case"},
			{I, "in a later file, beyond ASCII", "A later file in another letter case updates the patron"},
			{I, "the spelling kept, one file", "The spelling that created the patron is kept"},
			{I, "the spelling kept, a later file", "A later file in another letter case keeps the creating spelling"},
			{I, "after a failed row", "The spelling of the row that created the patron is kept, not of a failed row before it"},
		},
		ROW3: {
			{F, "enabled blank", "A new patron without an enabled value fails"},
			{F, "staffmember blank", "A new patron without a staffmember value fails"},
			{F, "enabled column absent", "A new patron without an enabled column fails"},
			{F, "staffmember column absent", "A new patron without a staffmember column fails"},
			{F, "both", "Without both, both reasons are given"},
			{P, "update, columns absent", "The documents' sample update file needs neither"},
			{P, "update, cells blank", "An update with blank enabled and staffmember cells needs neither"},
		},
		ROW4: {
			{F, "enabled, every spelling", "The documented flags yes and no are accepted"},
			{F, "staffmember true", `staffmember "true" makes a staff member, who leaves the year blank`},
			{F, "staffmember false", `staffmember "false" makes a student, who needs a year or a level`},
			{B, "letter case, enabled", "Flags are accepted in any letter case"},
			{B, "letter case, staffmember true", `staffmember "TRUE" in another letter case is still true`},
			{B, "letter case, staffmember false", `staffmember "False" in another letter case is still false`},
			{B, "near misses, enabled", `The flag "00" is a near miss and fails the row`},
			{B, "near misses, staffmember", `The staffmember flag "01" fails the row`},
			{P, "update", "An invalid flag on an update fails the row and a valid one updates"},
			{P, "bulk deactivation", "A bulk deactivation file disables existing patrons"},
		},
		ROW5: {
			{F, "year, level or both", "A new student with a graduation year, a level, or both is created"},
			{B, "neither", "A new student with neither fails"},
			{B, "white space only", "A new student whose year and level are only white space fails"},
			{P, "an existing student", "An existing student stays a student without giving the year again"},
			{P, "staff who become students", "A staff member who becomes a student needs a year or a level"},
			{I, "staff with a stored year become students", "A staff member with a stored year becomes a student without giving it again"},
		},
		ROW6: {
			{F, "year", "A staff row with a year or a level fails"},
			{F, "year and level", "A staff row with both a year and a level gives both reasons"},
			{P, "new staff", "Staff are created with the year and level left blank"},
			{P, "existing staff, year", "An existing staff member given a graduationyear fails, staffmember left blank"},
			{P, "existing staff, level", "An existing staff member given a academiclevel fails, staffmember left blank"},
			{P, "existing staff saying so", "An existing staff member given a graduationyear fails, staffmember given again"},
			{I, "a student becoming staff with a year", "A student who becomes staff in a row that gives a year fails"},
			{I, "a student becoming staff keeps the year", "A student who becomes staff keeps the year the row leaves blank"},
		},
		ROW7: {
			{B, "1899, below", `The year "1899" fails the row`},
			{B, "1900, at", "The year 1900, at or inside the range, is accepted"},
			{B, "1901, just inside", "The year 1901, at or inside the range, is accepted"},
			{B, "2099, just inside", "The year 2099, at or inside the range, is accepted"},
			{B, "2100, at", "The year 2100, at or inside the range, is accepted"},
			{B, "2101, above", `The year "2101" fails the row`},
			{B, "in range, not the form (+2030)", `The year "+2030" is not four digits and fails the row`},
			{B, "in range, not the form (02030)", `The year "02030" is not four digits and fails the row`},
			{B, "other digits", "The four-digit year ２０３０ outside the range fails the row"},
			{P, "update", "A year on an update is judged too"},
		},
		ROW8: {
			{B, "another letter case", "Academic levels match in any letter case"},
			{B, "padded", "A declared level padded with white space is accepted"},
			{B, "one character off", "A level one character off a declared one fails the row"},
			{P, "update", "A level on an update is judged too"},
			{F, "stored as declared", "A level sent in another letter case is stored as declared"},
		},
		ROW9: {
			{I, "create, then update", "A username twice in one file is created, then updated"},
			{I, "in another letter case, a value moved", "A username twice in one file, in another letter case, is created then updated"},
			{I, "after a failed first row", "A username whose first row failed is created by its second"},
		},
		ROW10: {
			{P, "new patron", "A barcode already held by another patron fails the row"},
			{P, "update", "An existing patron cannot take another patron's barcode"},
			{I, "two new patrons in one file", "Two new patrons in one file cannot share a barcode"},
			{I, "moved inside one file", "A barcode and an admin id moved to another patron later in the same file are free"},
			{I, "swapped inside one file", "Two patrons cannot swap barcodes in one file, row by row"},
			{D, "padded", "A padded barcode is the same barcode"},
			{S, "both conflicts named", "A row that takes both a barcode and an admin id gives both reasons"},
			{B, "another letter case is another barcode", "A barcode in another letter case is another barcode"},
			{B, "leading zeros make another barcode", "A barcode of digits is text: leading zeros make another barcode"},
			{F, "a barcode never collides with an admin id", "A barcode and an admin id never collide with each other"},
			{I, "a new patron, then an update, in one file", "An existing patron cannot take the barcode a new patron took earlier in the file"},
		},
		ROW11: {
			{P, "new patron", "An admin system id already held by another patron fails the row"},
			{P, "update", "An existing patron cannot take another patron's admin system id"},
			{I, "two new patrons in one file", "Two new patrons in one file cannot share an admin system id"},
			{I, "moved inside one file", "A barcode and an admin id moved to another patron later in the same file are free"},
			{B, "its own id, in another letter case", "A patron written in another letter case keeps its own admin system id"},
		},
		ROW12: {
			{B, "lower case", "Lower case m and f are accepted"},
			{B, "near misses", `The gender "MF" near M or F fails the row`},
			{P, "update", "A gender on an update is judged too"},
			{F, "stored upper case", "Lower case m and f are stored upper case"},
		},
		ROW13: {
			{B, "everyday forms", "Everyday address forms are accepted"},
			{B, "angle brackets alone", `The address "<jane@example.edu>" fails the row`},
			{B, "a space", `The address "jane smith@example.edu" fails the row`},
			{B, "two dots", `The address "jane@example..edu" fails the row`},
			{B, "no local part", `The address "@example.edu" fails the row`},
			{B, "a dot at an end of either part", `The address "jane@example.edu." fails the row`},
			{B, "a quoted local part", "An address with a quoted local part is accepted"},
			{B, "a quoted local part holding a space", "An address with a quoted local part holding a space is accepted"},
			{B, "escapes in a quoted local part", "An address with escapes in a quoted local part is accepted"},
			{B, "an unterminated quoted local part", "An address with an unterminated quoted local part fails the row"},
			{B, "a quote closed before the @", "An address with a quote closed before the @ fails the row"},
			{B, "a quoted display name", "An address with a quoted display name fails the row"},
			{B, "a domain without a dot", "An address with a domain without a dot is accepted"},
			{B, "an IPv4 literal", "An address with an IPv4 address literal is accepted"},
			{B, "an IPv4 literal out of range", "An address with an IPv4 literal out of range fails the row"},
			{B, "an IPv6 literal, refused", "An address with an IPv6 address literal fails the row"},
			{P, "update", "An address on an update is judged too"},
		},
		ROW14: {
			{B, "another letter case, padded", "Presentation groups match in any letter case and padded"},
			{P, "update", "A presentation group on an update is judged too"},
			{F, "stored as configured", "A presentation group sent in another letter case is stored as configured"},
		},
		ROW15: {
			{B, "givenname at 255 and 256", "255 characters are accepted and 256 fail"},
			{F, "username", "A username holds 255 characters and fails at 256"},
			{F, "surname", "surname holds 255 two-byte characters and fails at 256"},
			{F, "middlename", "middlename holds 255 two-byte characters and fails at 256"},
			{F, "preferredname", "preferredname holds 255 two-byte characters and fails at 256"},
			{F, "formclass", "formclass holds 255 two-byte characters and fails at 256"},
			{F, "librarybarcode", "librarybarcode holds 255 two-byte characters and fails at 256"},
			{F, "adminsystemid", "adminsystemid holds 255 two-byte characters and fails at 256"},
			{F, "emailaddress", "A zero-width joiner in emailaddress fails the row"},
			{B, "a tab", "A tab in surname fails the row"},
			{B, "a quoted line feed", "A line feed in preferredname fails the row"},
			{B, "a quoted carriage return", "A carriage return in formclass fails the row"},
			{B, "DEL", "A delete in middlename fails the row"},
			{B, "a C1 control", "A C1 next line in givenname fails the row"},
			{B, "a soft hyphen", "A soft hyphen in surname fails the row"},
			{B, "a zero-width space", "A zero-width space in formclass fails the row"},
			{B, "a direction override", "A direction override in librarybarcode fails the row"},
			{B, "a byte-order mark", "A byte-order mark in adminsystemid fails the row"},
			{P, "update", "A text field on an update is judged too"},
			{B, "counted in code points, beyond the BMP", "Characters beyond the Basic Multilingual Plane count one each, so 255 are accepted and 256 fail"},
			{F, "a password is not a text field", "A password with control and format characters is accepted, as only its length in bytes is judged"},
		},
		ROW16: {
			{F, "every field, blank", "Cells of nothing keep every field of an existing patron"},
			{D, "every field, white space", "Cells of white space keep every field of an existing patron"},
			{F, "absent columns", "Blank cells and absent columns change nothing"},
			{I, "the year or the level alone", "A row that gives the year or the level alone keeps the other"},
			{F, "barcode", "A blank cell keeps the patron's barcode"},
			{F, "admin id", "A blank cell keeps the patron's admin system id"},
			{F, "staffmember", "A blank staffmember cell keeps a staff member staff"},
			{I, "year of a student become staff", "A student who becomes staff keeps the year the row leaves blank"},
			{I, "an existing patron twice in one file", "An existing patron updated twice in one file keeps what the first row changed"},
		},
		ROW17: {
			{B, "72 bytes, at", "A password of 72 bytes is accepted"},
			{B, "73 bytes, over", "A password longer than 72 bytes fails the row"},
			{B, "72 bytes in 36 characters", "A password of 36 two-byte characters (72 bytes) is accepted"},
			{B, "74 bytes in 37 characters", "A password of 37 two-byte characters is over 72 bytes and fails"},
			{P, "update", "A password on an update is judged too and never echoed"},
			{S, "never in an answer", "A password is accepted and never shown in the answer"},
		},
		ROW18: {
			{P, "a new patron", "A failed new row takes no barcode and creates no patron"},
			{P, "an update", "A failed update keeps the patron's barcode and admin id"},
			{I, "values free for a later row", "A failed row's barcode and admin id are free for a later row of the same file"},
			{I, "a patron created earlier in the file", "A failed update of a patron created earlier in the file changes nothing"},
		},
		RES1: {
			{S, "a partly failed import", "The documents' example of a partly failed import"},
			{S, "only updates failed", "An import whose only failures are updates is not a success"},
			{S, "updates only", "An import of updates only is a success without details"},
		},
		RES2: {
			{B, "exactly one", "The summary of 1 new students says \"user\" for exactly one"},
			{B, "21 and 11", "The summary of 11 updates, 21 new and 1 failing rows"},
			{B, "21 failed, 0 created", "The summary of 1 updates, 0 new and 21 failing rows"},
			{B, "101", "The summary of 0 updates, 101 new and 0 failing rows"},
			{B, "past 999, with no separator", "The summary of 0 updates, 1000 new and 0 failing rows"},
			{S, "updates counted", "Updates are counted as updates"},
		},
		RES3: {
			{S, "none when all succeed", "A fully successful import has no details"},
			{S, "every row, past nine", "Every row of a failed import of twelve rows is in the details"},
			{S, "every reason in column order", "A failed row's text has the documented shape, every reason in column order"},
			{P, "a row without a username: its cells judged", "A row without a username is judged by its cells alone, every reason in column order"},
			{P, "a row without a username: the patron's rules skipped", "A row without a username skips the rules that need the patron"},
			{F, "a staff row's year and level: applies to students only first", "A staff row's year or level gets applies to students only, whatever else is wrong with it"},
			{F, "control characters or length first, one reason a field", "Control characters or length come first, and the field's other checks are skipped"},
		},
		RES4: {
			{S, "200 and numeric order past nine", "A processed import answers 200 with details keys in numeric order"},
		},
	}
	for _, more := range []map[string][]Edge{wireEdges(), valueEdges(), longRunEdges()} {
		for id, list := range more {
			m[id] = append(m[id], list...)
		}
	}
	return m
}

// CoverageTable returns the coverage matrix as the Markdown table of the
// "Edges" section of docs/rules.md, which a test keeps equal to it: a row a rule,
// a column a dimension, each cell the edges of that dimension.
func CoverageTable() string {
	edges := Edges()
	var b strings.Builder
	b.WriteString("| rule |")
	for _, d := range Dimensions() {
		fmt.Fprintf(&b, " %s |", d)
	}
	b.WriteString("\n|---|")
	for range Dimensions() {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| %s |", r.ID)
		for _, d := range Dimensions() {
			var names []string
			for _, e := range edges[r.ID] {
				if e.Dimension == d {
					names = append(names, e.Name)
				}
			}
			fmt.Fprintf(&b, " %s |", strings.ReplaceAll(strings.Join(names, "; "), "|", `\|`))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// EdgeCount returns how many edges the matrix has.
func EdgeCount() int {
	n := 0
	for _, e := range Edges() {
		n += len(e)
	}
	return n
}
