// Package features holds the Gherkin conformance suite for the autoSync
// patron import API and the project's catalogue of the rules it checks.
//
// The feature files are embedded (FS), so the suite runs from any working
// directory and from the autosync binary. Every scenario is tagged with the
// IDs of the rules it asserts (@R-ROW-4) and the kind of what it asserts
// (@documented, @evidence or @decided); TestCatalogueCoverage fails when a
// rule has no scenario or a scenario names an unknown rule.
package features

import (
	"embed"
	"fmt"
	"strings"
)

// The IDs of the catalogue's rules (Rules), for code to name a rule by:
// r.fail(Username, features.ROW1, …) rather than by a string, so that a rule
// the catalogue lacks does not build. TestRulesByName fails on a rule ID
// written as a string anywhere else.
const (
	HTTP1 = "R-HTTP-1"
	HTTP2 = "R-HTTP-2"
	HTTP3 = "R-HTTP-3"
	HTTP4 = "R-HTTP-4"
	HTTP5 = "R-HTTP-5"
	HTTP6 = "R-HTTP-6"
	AUTH1 = "R-AUTH-1"
	AUTH2 = "R-AUTH-2"
	AUTH3 = "R-AUTH-3"
	AUTH4 = "R-AUTH-4"
	CSV1  = "R-CSV-1"
	CSV2  = "R-CSV-2"
	CSV3  = "R-CSV-3"
	CSV4  = "R-CSV-4"
	CSV5  = "R-CSV-5"
	CSV6  = "R-CSV-6"
	CSV7  = "R-CSV-7"
	CSV8  = "R-CSV-8"
	ROW1  = "R-ROW-1"
	ROW2  = "R-ROW-2"
	ROW3  = "R-ROW-3"
	ROW4  = "R-ROW-4"
	ROW5  = "R-ROW-5"
	ROW6  = "R-ROW-6"
	ROW7  = "R-ROW-7"
	ROW8  = "R-ROW-8"
	ROW9  = "R-ROW-9"
	ROW10 = "R-ROW-10"
	ROW11 = "R-ROW-11"
	ROW12 = "R-ROW-12"
	ROW13 = "R-ROW-13"
	ROW14 = "R-ROW-14"
	ROW15 = "R-ROW-15"
	ROW16 = "R-ROW-16"
	ROW17 = "R-ROW-17"
	ROW18 = "R-ROW-18"
	RES1  = "R-RES-1"
	RES2  = "R-RES-2"
	RES3  = "R-RES-3"
	RES4  = "R-RES-4"
)

// FS holds every feature file.
//
//go:embed *.feature
var FS embed.FS

// Kind says how sure the project is of a rule.
type Kind string

// The kinds of rule.
const (
	// Documented rules are stated by the source documents; every target
	// must meet them.
	Documented Kind = "documented"
	// Evidence rules are shown by public vendor material or the documents'
	// own examples.
	Evidence Kind = "evidence"
	// Decided rules are the project's choice where the documents are
	// silent; the reference server follows them, and the suite asserts them
	// only when strict.
	Decided Kind = "decided"
)

// Rule is one rule of the catalogue.
type Rule struct {
	ID        string
	Kinds     []Kind // a rule may be partly documented and partly decided
	Statement string
	Quote     string // the source documents' words, where documented
}

// failureTexts are the words by which a row's failure reason shows the
// rule it is for: a reason holding one of them is that rule's. A rule
// that fails rows adds its words here, beside its entry below
// (TestFailureTextsNameTheEngineRules fails until it does).
var failureTexts = []struct {
	text string
	rule string
}{
	{") is mandatory.", ROW1},
	{"is mandatory for new users.", ROW3},
	{"is not a valid boolean", ROW4},
	{"is mandatory for students.", ROW5},
	{"applies to students only", ROW6},
	{"is not a four-digit year", ROW7},
	{"is not a declared academic level", ROW8},
	{"Field (libraryBarcode) value", ROW10},
	{"Field (adminSystemId) value", ROW11},
	{"must be M, F or blank", ROW12},
	{"is not a well-formed email address", ROW13},
	{"is not a current presentation group", ROW14},
	{"is longer than 255 characters", ROW15},
	{"contains control characters", ROW15},
	{"is longer than 72 bytes", ROW17},
	{"Row has ", CSV7},
	{"not valid UTF-8", CSV7},
}

// Rules returns the catalogue, in reading order.
func Rules() []Rule {
	D, E, X := Documented, Evidence, Decided
	return []Rule{
		{HTTP1, []Kind{D}, "Imports are a POST to {base}/api/import/users; production is HTTPS (the reference server serves HTTP on loopback, HTTPS when asked).", "will HTTP POST a CSV file of users … to this URL: https://[school]/api/import/users"},
		{HTTP2, []Kind{D, X}, "The body is multipart/form-data; the first part with a file name is the CSV, whatever its field and file names (a part whose file name is empty is not a file).", "Infiniti will treat the first multi-part file of the HTTP POST as the CSV file - the file name and form attribute name of the post are ignored."},
		{HTTP3, []Kind{X}, "No file part: 400 with a JSON summary; a body that is not multipart: 415, also JSON.", ""},
		{HTTP4, []Kind{X}, "Other methods on a known path: 405 with Allow, whatever the credentials (HEAD gets no body); unknown paths: 404; both JSON.", ""},
		{HTTP5, []Kind{X}, "A body over the server's limit: 413 JSON, nothing imported.", ""},
		{HTTP6, []Kind{X}, "Every answer is JSON with Content-Type application/json; charset=utf-8.", ""},
		{AUTH1, []Kind{D, X}, "HTTP Basic Auth of an account with system administration privileges, in the header or in the URL (the account name and password compared exactly, letter case included; the scheme name Basic in any case).", "The action is protected by HTTP Basic Auth over SSL/TLS."},
		{AUTH2, []Kind{D}, `Missing, malformed or wrong credentials: {"success": false, "summary":"Unauthorised. Check credentials."}.`, `{"success": false, "summary":"Unauthorised. Check credentials."}`},
		{AUTH3, []Kind{D}, "An account without system administration privileges is refused the same way.", "the username and password of a new or existing user with system administration privileges"},
		{AUTH4, []Kind{X}, `The refusal is 401 with WWW-Authenticate: Basic realm="autosync", sent before the upload is read; credentials are compared in constant time.`, ""},
		{CSV1, []Kind{D, X}, "An empty file, or a header with no rows, is a successful import of nothing (and so is a file of only blank lines, or of only a byte-order mark).", "The CSV file may be empty; for schools performing scheduled incremental imports."},
		{CSV2, []Kind{D}, "The first row is the header; sixteen columns are recognised.", "The non-interactive user import requires specific header column names in the CSV file"},
		{CSV3, []Kind{D, X}, "A non-empty file without a username column is rejected whole: Missing mandatory column (username). (The summary begins so; a sentence may follow naming a wrong file, e.g. one separated by semicolons.)", "The CSV file used to transfer the data MUST contain the following fields: username"},
		{CSV4, []Kind{X}, "Header names match case-insensitively after trimming; a byte-order mark is skipped; unknown columns are ignored; a column named twice rejects the file, unless username is missing, which is named first.", ""},
		{CSV5, []Kind{X}, "RFC 4180 quoting, LF or CRLF; cells trimmed of any white space; empty and blank lines skipped without a row number, wherever they are, before the header too.", ""},
		{CSV6, []Kind{X}, "A file that is not well-formed CSV (a bad quote, or a line that ends in a carriage return alone, but for one at the very end of the file, which ends the last line) is rejected whole, naming the line; nothing is imported.", ""},
		{CSV7, []Kind{X}, "A row with the wrong number of fields (Row has 1 field but … for exactly one), or not valid UTF-8, fails alone.", ""},
		{CSV8, []Kind{D}, "Rows are numbered from 1, the first record after the header.", `"row number" -> "row outcome"`},
		{ROW1, []Kind{D}, "username is the matching key: an existing username is updated, a new one created; blank fails the row.", "username [varchar]: is the mandatory matching key for updating an existing user record or creating a new record"},
		{ROW2, []Kind{X}, "Usernames match case-insensitively; the creating spelling is kept.", ""},
		{ROW3, []Kind{D}, "A new patron needs enabled and staffmember; an update needs neither.", "Note: This data is mandatory for all new users."},
		{ROW4, []Kind{D, E}, "Booleans are Y, yes, true, 1 or N, no, false, 0, in any letter case.", "active = Y, yes, true, 1. inactive = N, no, false, 0."},
		{ROW5, []Kind{D, X}, "A new student needs graduationyear or academiclevel (and so does a patron an update makes a student, given or stored).", "graduationyear … (mandatory only for students) … academiclevel … (mandatory only for students)"},
		{ROW6, []Kind{D, X}, "Staff leave graduationyear and academiclevel blank; a value there fails the row, for a new or an existing staff member.", "Note: Exclude graduationyear and academiclevel for teacher profiles/data."},
		{ROW7, []Kind{D, X}, "graduationyear is a four-digit year (1900 to 2100).", "The year (YYYY) the patron will graduate from your school"},
		{ROW8, []Kind{D, X}, "academiclevel is a declared import ID (any case; stored as declared).", "the import ID as declared in Settings > Cohorts > Academic Levels"},
		{ROW9, []Kind{X}, "A username twice in one file is created by the first row and updated by the second.", ""},
		{ROW10, []Kind{D, X}, "librarybarcode is unique to one patron (judged row by row, in file order: a barcode freed earlier in the file is free; compared exactly, letter case included, after trimming; a barcode and an admin id never collide).", "must be unique to this patron"},
		{ROW11, []Kind{X}, "adminsystemid is unique to one patron.", ""},
		{ROW12, []Kind{D, X}, "gender is M, F or blank (any case; stored upper case).", "The patron's gender acceptable values are: M, F or blank"},
		{ROW13, []Kind{D, X}, "emailaddress is a well-formed bare address (RFC 5322's addr-spec: a dot-atom or quoted local part; a dot-atom domain, which needs no dot, or an IPv4 literal).", "Field (emailAddress) is not a well-formed email address."},
		{ROW14, []Kind{D, X}, "presentationgrouplabel is a current presentation group (any case; stored as configured).", "The presentation group must be a current presentation group"},
		{ROW15, []Kind{X}, "Text fields hold at most 255 characters, counted in code points, and no control or Unicode format characters; a password is judged by R-ROW-17 alone.", ""},
		{ROW16, []Kind{X}, "For an existing patron a blank cell or an absent column changes nothing.", ""},
		{ROW17, []Kind{X}, "password is stored only as a bcrypt hash and never shown, in any answer, page or log; over 72 bytes fails the row.", ""},
		{ROW18, []Kind{X}, "A failed row changes nothing: no patron is created, an existing one keeps every field, and its barcode or admin id is not taken.", ""},
		{RES1, []Kind{D}, "The answer has success (true only if no row failed) and summary.", "'success' - Whether all user records transferred without error."},
		{RES2, []Kind{D}, "summary is 'N users processed. C users created. U users updated. F users failed.', user for exactly one.", "3 users processed. 1 user created. 1 user updated. 1 user failed."},
		{RES3, []Kind{D, X}, "details appears only when a row failed, and then maps every row to User Created, User Updated or the failure text (a row without a username is judged by its cells alone; each field gives one reason: on a staff row, applies to students only for a year or level; otherwise control characters or length first).", "'details' - An array of each user row outcome. Only included if some rows failed to import."},
		{RES4, []Kind{X}, "A processed import answers 200 even when rows failed; details keys are in numeric order.", ""},
	}
}

// KindText names a rule's kinds as reports show them, e.g.
// "documented/decided".
func (r Rule) KindText() string {
	k := make([]string, len(r.Kinds))
	for i, v := range r.Kinds {
		k[i] = string(v)
	}
	return strings.Join(k, "/")
}

// MarkdownTable returns the catalogue as the Markdown table of
// docs/rules.md, which a test keeps equal to it.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| ID | kind | rule |\n|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", r.ID, r.KindText(), strings.ReplaceAll(r.Statement, "|", `\|`))
	}
	return b.String()
}
