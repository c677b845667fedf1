package deviant

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/mockserver/internal/engine"
	"github.com/autosync/autosync/mockserver/internal/seam"
	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
	"golang.org/x/text/unicode/norm"
)

// table is every deviation: its name, the rule it breaks, and what it does
// to the engine's judges or around the server. The proof (steps/deviations)
// runs the suite and explore against a server with each one alone.
var table = []Deviation{
	{name: "always-plural-users", rule: features.RES2, judges: func(j *engine.Judges) {
		j.Words.Count = func(n int) string { return strconv.Itoa(n) + " users" }
	}},
	{name: "details-missing", rule: features.RES3, judges: func(j *engine.Judges) {
		j.Words.Details = func(*rules.Result) bool { return false }
	}},
	{name: "details-always", rule: features.RES3, judges: func(j *engine.Judges) {
		j.Words.Details = func(*rules.Result) bool { return true }
	}},
	{name: "success-despite-failures", rule: features.RES1, judges: func(j *engine.Judges) {
		j.Words.Success = func(*rules.Result) bool { return true }
	}},
	{name: "non-admin-accepted", rule: features.AUTH3, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if a, known := account(s, r); known && !a.Admin && s.AdminRoute(r) {
			ad := admin(s)
			r.SetBasicAuth(ad.Username, ad.Password)
		}
		return false
	})},
	{name: "case-sensitive-booleans", rule: features.ROW4, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW4, func(r *engine.Row) {
			for _, c := range [...]rules.Column{rules.Enabled, rules.StaffMember} {
				if v := r.Vals[c]; v != "" && r.Reason(c) == "" && !slices.Contains(engine.TrueFlags[:], v) && !slices.Contains(engine.FalseFlags[:], v) {
					r.Fail(c, features.ROW4, engine.BooleanMessage(c))
					setTri(r, c, engine.Invalid)
				}
			}
		})
	}},
	{name: "no-digit-booleans", rule: features.ROW4, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW4, func(r *engine.Row) {
			for _, c := range [...]rules.Column{rules.Enabled, rules.StaffMember} {
				if v := r.Vals[c]; v == "1" || v == "0" {
					r.Fail(c, features.ROW4, engine.BooleanMessage(c))
					setTri(r, c, engine.Invalid)
				}
			}
		})
	}},
	{name: "optional-enabled", rule: features.ROW3, judges: forgivenStored(features.ROW3)},
	{name: "students-without-year", rule: features.ROW5, judges: forgivenStored(features.ROW5)},
	{name: "any-gender", rule: features.ROW12, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW12, func(r *engine.Row) {
			r.Vals[rules.Gender] = strings.ToUpper(r.Vals[rules.Gender])
			forgive(r, features.ROW12)
		})
	}},
	{name: "unchecked-email", rule: features.ROW13, judges: forgivenCells(features.ROW13)},
	{name: "duplicate-barcodes", rule: features.ROW10, judges: func(j *engine.Judges) {
		forgivenStored(features.ROW10)(j)
		taken := j.Taken
		j.Taken = func(r *engine.Row, c *store.ConflictError) (rules.Outcome, []rules.Reason) {
			if c.Barcode && !c.AdminID { // answered as if stored
				if r.Stored.Found {
					return rules.Updated, nil
				}
				return rules.Created, nil
			}
			return taken(r, c)
		}
	}},
	{name: "any-academic-level", rule: features.ROW8, judges: forgivenCells(features.ROW8)},
	{name: "zero-based-rows", rule: features.CSV8, judges: func(j *engine.Judges) {
		j.Words.FirstRow = 0
	}},
	{name: "only-file-part-named-file", rule: features.HTTP2, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		return parts(raw, boundary, func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal) {
			if fileName(h) != "" && formName(h) != "file" {
				h.Set("Content-Disposition", fmt.Sprintf("form-data; name=%q", formName(h)))
			}
			return body, nil
		})
	})},
	{name: "updates-counted-as-creates", rule: features.RES2, judges: func(j *engine.Judges) {
		j.Words.Counted = func(o rules.Outcome) rules.Outcome {
			if o == rules.Updated {
				return rules.Created
			}
			return o
		}
	}},
	{name: "plain-failure-text", rule: features.RES3, judges: func(j *engine.Judges) {
		j.Words.Failure = func(reasons []rules.Reason) string { return reasons[0].Text }
	}},
	{name: "empty-file-refused", rule: features.CSV1, judges: func(j *engine.Judges) {
		j.EmptyFile = func() error { return &rules.FileError{Summary: "The file is empty."} }
	}},
	{name: "wrong-auth-summary", rule: features.AUTH2, wrap: after(func(a *answer) {
		if a.status == http.StatusUnauthorized {
			a.body = rules.Refusal("Unauthorized.")
		}
	})},
	{name: "missing-username-accepted", rule: features.CSV3, judges: func(j *engine.Judges) {
		j.BadHeader = func([]string, error) error { return nil }
	}},
	{name: "staff-with-year-accepted", rule: features.ROW6, judges: forgivenStored(features.ROW6)},
	{name: "html-error-pages", rule: features.HTTP4, wrap: after(func(a *answer) {
		if a.status == http.StatusNotFound || a.status == http.StatusMethodNotAllowed {
			a.header.Set("Content-Type", "text/html; charset=utf-8")
			a.body = fmt.Appendf(nil, "<html><body><h1>%d</h1></body></html>", a.status)
		}
	})},
	{name: "body-read-before-auth", rule: features.AUTH4, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if s.AdminRoute(r) {
			body, _ := io.ReadAll(io.LimitReader(r.Body, s.MaxBody()))
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		return false
	})},
	{name: "any-presentation-group", rule: features.ROW14, judges: forgivenCells(features.ROW14)},
	{name: "failed-rows-applied", rule: features.ROW18, judges: func(j *engine.Judges) {
		j.FailedRow = func(_ *rules.Engine, tx *store.Tx, r *engine.Row, keys *storage.Keys) (rules.Outcome, []rules.Reason) {
			reasons := r.Reasons()
			for c, why := range r.Why.Reasons { // the valid fields are applied all the same
				if why != "" {
					r.Vals[c] = ""
				}
			}
			if r.EnabledFlag == engine.Invalid {
				r.EnabledFlag = engine.Unset
			}
			if r.StaffFlag == engine.Invalid {
				r.StaffFlag = engine.Unset
			}
			p := engine.Merge(r)
			storage.PutWith(tx, keys, &p)
			return rules.Failed, reasons
		}
	}},
	// Checks the 255-character limit on the username and the given and family
	// names only (R-ROW-15, on one field).
	{name: "text-limit-only-on-names", rule: features.ROW15, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW15, func(r *engine.Row) {
			for c := range rules.Column(rules.NumColumns) {
				if c != rules.Username && c != rules.GivenName && c != rules.Surname && strings.HasSuffix(r.Reason(c), "characters.") {
					forgiveColumn(r, c)
				}
			}
		})
	}},
	// Lets format characters (zero-width spaces, direction overrides) through in
	// every field but the username (R-ROW-15).
	{name: "format-chars-only-in-username", rule: features.ROW15, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW15, func(r *engine.Row) {
			for c := range rules.Column(rules.NumColumns) {
				if c != rules.Username && strings.HasSuffix(r.Reason(c), "control characters.") && !strings.ContainsFunc(r.Vals[c], unicode.IsControl) {
					forgiveColumn(r, c)
				}
			}
		})
	}},
	// Refuses 1900 and 2100 themselves (R-ROW-7, at the ends).
	{name: "year-bounds-exclusive", rule: features.ROW7, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW7, func(r *engine.Row) {
			if v := r.Vals[rules.GraduationYear]; v == "1900" || v == "2100" {
				r.YearValue = 0
				r.Fail(rules.GraduationYear, features.ROW7, "Field (graduationYear) is not a four-digit year.")
			}
		})
	}},
	// Accepts any number in range, "+2030" or "02030" (R-ROW-7, in range but not
	// in form).
	{name: "year-parsed-as-number", rule: features.ROW7, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW7, func(r *engine.Row) {
			if n, err := strconv.Atoi(r.Vals[rules.GraduationYear]); err == nil && n >= 1900 && n <= 2100 && r.Reason(rules.GraduationYear) != "" {
				r.YearValue = n
				forgiveColumn(r, rules.GraduationYear)
			}
		})
	}},
	// Counts the 72-byte limit in characters (R-ROW-17).
	{name: "password-limit-in-characters", rule: features.ROW17, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW17, func(r *engine.Row) {
			if utf8.RuneCountInString(r.Vals[rules.Password]) <= engine.MaxPassword {
				forgiveColumn(r, rules.Password)
			}
		})
	}},
	// Refuses a password of exactly 72 bytes (R-ROW-17, at the end).
	{name: "password-of-72-refused", rule: features.ROW17, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW17, func(r *engine.Row) {
			if len(r.Vals[rules.Password]) == engine.MaxPassword {
				r.Fail(rules.Password, features.ROW17, fmt.Sprintf("Field (password) is longer than %d bytes.", engine.MaxPassword))
			}
		})
	}},
	// Reads any staffmember it does not know as false (R-ROW-4, on the second
	// field).
	{name: "staff-flag-unchecked", rule: features.ROW4, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW4, func(r *engine.Row) {
			if r.StaffFlag == engine.Invalid {
				r.StaffFlag = engine.No
				forgiveColumn(r, rules.StaffMember)
			}
		})
	}},
	// Accepts TRUE for staffmember but reads it as false: only the exact
	// spellings are true (R-ROW-4).
	{name: "staff-flag-truth-case-sensitive", rule: features.ROW4, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW4, func(r *engine.Row) {
			if r.StaffFlag == engine.Yes && !slices.Contains(engine.TrueFlags[:], r.Vals[rules.StaffMember]) {
				r.StaffFlag = engine.No
			}
		})
	}},
	// Makes an existing staff member a student when the row leaves staffmember
	// blank (R-ROW-16).
	{name: "staff-flag-defaults-to-false", rule: features.ROW16, judges: func(j *engine.Judges) {
		beforeStored(j, func(r *engine.Row) {
			if r.Stored.Found && r.StaffFlag == engine.Unset {
				r.StaffFlag = engine.No
			}
		})
	}},
	// Trims spaces but not tabs or other white space (R-CSV-5).
	{name: "cells-trimmed-of-spaces-only", rule: features.CSV5, judges: func(j *engine.Judges) { j.TrimSpacesOnly = true }},
	// Lets a row have trailing empty fields past the header's width (R-CSV-7).
	{name: "extra-empty-fields-accepted", rule: features.CSV7, judges: func(j *engine.Judges) { j.ExtraEmptyFields = true }},
	// Keeps a failed row's barcode for it, so a later row of the same file
	// cannot take it (R-ROW-18).
	{name: "failed-row-barcode-reserved", rule: features.ROW18, judges: func(j *engine.Judges) {
		var seen importMemory
		failed := j.FailedRow
		j.FailedRow = func(e *rules.Engine, tx *store.Tx, r *engine.Row, keys *storage.Keys) (rules.Outcome, []rules.Reason) {
			// The stored rules judged the row first, and seen is at it: a
			// second at would take the same row for another import.
			if v := r.Vals[rules.LibraryBarcode]; v != "" {
				seen.set("reserved", v, r.Num)
			}
			return failed(e, tx, r, keys)
		}
		wrapStored(j, features.ROW10, func(r *engine.Row) {
			seen.at(r)
			if v := r.Vals[rules.LibraryBarcode]; v != "" && seen.has("reserved", v) && r.Reason(rules.LibraryBarcode) == "" {
				r.Fail(rules.LibraryBarcode, features.ROW10, engine.TakenMessage(rules.LibraryBarcode, v))
			}
		})
	}},
	// Judges barcodes against the patrons as they were before the file, so one
	// freed earlier in the file is still taken (R-ROW-10, in one file).
	{name: "freed-barcode-still-taken", rule: features.ROW10, judges: func(j *engine.Judges) {
		var seen importMemory
		wrapStored(j, features.ROW10, func(r *engine.Row) {
			seen.at(r)
			v, old := r.Vals[rules.LibraryBarcode], r.Stored.Patron.LibraryBarcode
			if v != "" && seen.has("freed", v) && r.Reason(rules.LibraryBarcode) == "" {
				r.Fail(rules.LibraryBarcode, features.ROW10, engine.TakenMessage(rules.LibraryBarcode, v))
			}
			if r.Stored.Found && v != "" && old != "" && v != old {
				seen.set("freed", old, r.Num)
			}
		})
	}},
	// Checks barcodes for new patrons only (R-ROW-10, on the update path).
	{name: "update-takes-barcode", rule: features.ROW10, judges: func(j *engine.Judges) {
		taken := j.Taken
		j.Taken = func(r *engine.Row, c *store.ConflictError) (rules.Outcome, []rules.Reason) {
			if c.Barcode && !c.AdminID && r.Stored.Found { // answered as if stored
				return rules.Updated, nil
			}
			return taken(r, c)
		}
	}},
	// Checks admin ids against the patrons stored before the file only
	// (R-ROW-11, in one file).
	{name: "admin-ids-shared-in-file", rule: features.ROW11, judges: func(j *engine.Judges) {
		var seen importMemory
		wrapStored(j, features.ROW11, func(r *engine.Row) {
			seen.at(r)
			if v := r.Vals[rules.AdminSystemID]; v != "" && !r.Failed() {
				seen.set("adminid", v, r.Num)
			}
		})
		taken := j.Taken
		j.Taken = func(r *engine.Row, c *store.ConflictError) (rules.Outcome, []rules.Reason) {
			if c.AdminID && !c.Barcode && seen.first("adminid", r.Vals[rules.AdminSystemID]) < r.Num { // answered as if stored
				if r.Stored.Found {
					return rules.Updated, nil
				}
				return rules.Created, nil
			}
			return taken(r, c)
		}
	}},
	// Accepts m and f but stores them in lower case (R-ROW-12).
	{name: "gender-stored-as-sent", rule: features.ROW12, judges: storedAsSent(features.ROW12, rules.Gender)},
	// Accepts a level in another case and stores it so (R-ROW-8).
	{name: "level-stored-as-sent", rule: features.ROW8, judges: storedAsSent(features.ROW8, rules.AcademicLevel)},
	// Accepts a presentation group in another case and stores it so (R-ROW-14).
	{name: "group-stored-as-sent", rule: features.ROW14, judges: storedAsSent(features.ROW14, rules.PresentationGroupLabel)},
	// Says "21 user" as some plural libraries do (R-RES-2, past the small
	// counts).
	{name: "singular-ends-in-one", rule: features.RES2, judges: func(j *engine.Judges) {
		j.Words.Count = func(n int) string {
			if n%10 == 1 && n%100 != 11 {
				return strconv.Itoa(n) + " user"
			}
			return strconv.Itoa(n) + " users"
		}
	}},
	// Checks e-mail addresses of new patrons only (R-ROW-13, on the update
	// path).
	{name: "email-unchecked-on-update", rule: features.ROW13, judges: func(j *engine.Judges) {
		wrapStored(j, features.ROW3, func(r *engine.Row) {
			if r.Stored.Found {
				forgive(r, features.ROW13)
			}
		})
	}},
	// Checks the year and level of staff only when the row itself says staff
	// (R-ROW-6, existing staff).
	{name: "staff-year-accepted-on-update", rule: features.ROW6, judges: func(j *engine.Judges) {
		wrapStored(j, features.ROW6, func(r *engine.Row) {
			if r.Stored.Found && r.StaffFlag == engine.Unset {
				forgive(r, features.ROW6)
			}
		})
	}},
	// Wants the year or level again from an update that says staffmember=N
	// (R-ROW-5, on the update path).
	{name: "explicit-student-needs-year", rule: features.ROW5, judges: func(j *engine.Judges) {
		wrapStored(j, features.ROW5, func(r *engine.Row) {
			if r.Stored.Found && r.StaffFlag == engine.No && r.Vals[rules.GraduationYear] == "" && r.Vals[rules.AcademicLevel] == "" && r.Reason(rules.GraduationYear) == "" {
				r.Fail(rules.GraduationYear, features.ROW5, "Field (graduationYear) or Field (academicLevel) is mandatory for students.")
			}
		})
	}},
	// Matches usernames in any case within one file but answers a later file's
	// other spelling as a new patron (R-ROW-2, across files).
	{name: "case-sensitive-across-imports", rule: features.ROW2, judges: func(j *engine.Judges) {
		var seen importMemory
		beforeStored(j, func(r *engine.Row) {
			seen.at(r)
			key := storage.Key(r.Vals[rules.Username])
			if r.Stored.Found && r.Stored.Patron.Username != r.Vals[rules.Username] && !seen.has("touched", key) {
				seen.set("spelled", strconv.Itoa(r.Num), r.Num)
			}
			seen.set("touched", key, r.Num)
		})
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			if o == rules.Updated && seen.has("spelled", strconv.Itoa(r.Num)) {
				return rules.Created
			}
			return o
		}
	}},
	// Refuses every address whose local part is quoted, "john doe"@example.com,
	// as net/mail's Address does not give it back as written (R-ROW-13).
	{name: "quoted-local-part-refused", rule: features.ROW13, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW13, func(r *engine.Row) {
			if strings.HasPrefix(r.Vals[rules.EmailAddress], `"`) && r.Reason(rules.EmailAddress) == "" {
				r.Fail(rules.EmailAddress, features.ROW13, "Field (emailAddress) is not a well-formed email address.")
			}
		})
	}},
	// Names a column given twice before a missing username column (R-CSV-4).
	{name: "duplicate-column-first", rule: features.CSV4, judges: func(j *engine.Judges) {
		bad := j.BadHeader
		j.BadHeader = func(record []string, err error) error {
			seen := map[rules.Column]bool{}
			for _, cell := range record {
				if c, ok := rules.LookupColumn(strings.TrimPrefix(cell, "\ufeff")); ok {
					if seen[c] {
						return &rules.FileError{Summary: fmt.Sprintf("Duplicate column (%s).", c), Kind: rules.ErrDuplicateColumn}
					}
					seen[c] = true
				}
			}
			return bad(record, err)
		}
	}},
	// Refuses control and format characters in a password, as in a text field
	// (R-ROW-15).
	{name: "password-judged-as-text", rule: features.ROW15, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW15, func(r *engine.Row) {
			if v := r.Vals[rules.Password]; engine.HasControl(v) && r.Reason(rules.Password) == "" {
				r.Fail(rules.Password, features.ROW15, engine.FieldMessage(rules.Password, "contains control characters."))
			}
		})
	}},
	// Takes a barcode in another letter case for the same barcode, as a
	// case-insensitive collation does (R-ROW-10).
	{name: "barcode-case-insensitive", rule: features.ROW10, judges: func(j *engine.Judges) {
		// Barcodes of the patrons stored, folded, with their holders;
		// a stale entry is a bug such a server could have too.
		held := map[string]string{}
		wrapStored(j, features.ROW10, func(r *engine.Row) {
			v := r.Vals[rules.LibraryBarcode]
			if owner, ok := held[strings.ToLower(v)]; ok && v != "" && r.Reason(rules.LibraryBarcode) == "" && owner != storage.Key(r.Vals[rules.Username]) {
				r.Fail(rules.LibraryBarcode, features.ROW10, engine.TakenMessage(rules.LibraryBarcode, v))
			}
		})
		outcome := j.Reword
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			if v := r.Vals[rules.LibraryBarcode]; v != "" {
				held[strings.ToLower(v)] = storage.Key(r.Vals[rules.Username])
			}
			if outcome != nil {
				return outcome(r, o)
			}
			return o
		}
	}},
	// Checks the year or level of new students only, so a staff member becomes a
	// student without one (R-ROW-5).
	{name: "former-staff-need-no-year", rule: features.ROW5, judges: func(j *engine.Judges) {
		wrapStored(j, features.ROW5, func(r *engine.Row) {
			if r.Stored.Found {
				forgive(r, features.ROW5)
			}
		})
	}},
	// Says "Row has 1 fields" (R-CSV-7).
	{name: "one-fields-plural", rule: features.CSV7, judges: func(j *engine.Judges) {
		failure := j.Words.Failure
		j.Words.Failure = func(reasons []rules.Reason) string {
			return strings.ReplaceAll(failure(reasons), "Row has 1 field but", "Row has 1 fields but")
		}
	}},
	// Judges a row without a username as a new patron: enabled and staffmember
	// mandatory, staff without a year (R-RES-3, the rules that need the patron
	// skipped).
	{name: "nameless-row-judged-as-new", rule: features.RES3, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW1, func(r *engine.Row) {
			if r.Vals[rules.Username] != "" {
				return
			}
			if r.Vals[rules.Enabled] == "" {
				r.Fail(rules.Enabled, features.ROW3, "Field (enabled) is mandatory for new users.")
			}
			if r.Vals[rules.StaffMember] == "" {
				r.Fail(rules.StaffMember, features.ROW3, "Field (staffMember) is mandatory for new users.")
			}
		})
	}},
	// Gives a staff row's malformed year the year's own reason, not "applies to
	// students only" (R-RES-3).
	{name: "staff-year-judged-as-year", rule: features.RES3, judges: func(j *engine.Judges) {
		wrapStored(j, features.ROW6, func(r *engine.Row) {
			if v := r.Vals[rules.GraduationYear]; strings.HasSuffix(r.Reason(rules.GraduationYear), "applies to students only; leave it blank for staff.") {
				if _, ok := engine.ParseYear(v); !ok {
					r.Fail(rules.GraduationYear, features.ROW7, "Field (graduationYear) is not a four-digit year.")
				}
			}
		})
	}},
	// Judges an academic level or a presentation group against the declared ones
	// before its length and characters (R-RES-3, control characters or length
	// first).
	{name: "declared-before-length", rule: features.RES3, judges: func(j *engine.Judges) {
		for i, rule := range j.Cells {
			if rule.ID == features.ROW8 {
				judge := rule.Judge
				j.Cells[i].Judge = func(e *rules.Engine, r *engine.Row) {
					for _, c := range [...]rules.Column{rules.AcademicLevel, rules.PresentationGroupLabel} {
						if r.Why != nil && r.Why.Rules[c] == features.ROW15 {
							forgiveColumn(r, c)
						}
					}
					judge(e, r)
					engine.DeclaredValue(r, rules.PresentationGroupLabel, features.ROW14, engine.DeclaredGroups(e), "is not a current presentation group")
				}
			}
		}
	}},
	// Refuses a non-admin account with 403 and no challenge (R-AUTH-4, on the
	// second refusal path).
	{name: "non-admin-forbidden", rule: features.AUTH4, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if a, known := account(s, r); known && !a.Admin && s.AdminRoute(r) {
			s.Refuse(w, r, seam.Refusal{Status: http.StatusForbidden, Summary: s.Refusals().Unauthorised.Summary})
			return true
		}
		return false
	})},
	// Answers 400, 413 and 415 as application/json without the charset
	// (R-HTTP-6).
	{name: "charset-missing-on-refusals", rule: features.HTTP6, wrap: after(func(a *answer) {
		if a.status == http.StatusBadRequest || a.status == http.StatusRequestEntityTooLarge || a.status == http.StatusUnsupportedMediaType {
			a.header.Set("Content-Type", "application/json")
		}
	})},
	// Answers OPTIONS on the import path 204, as CORS middleware does (R-HTTP-4,
	// a method the old outline left out).
	{name: "options-answered", rule: features.HTTP4, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodOptions || r.URL.Path != api.ImportPath {
			return false
		}
		w.Header().Set("Allow", "POST, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return true
	})},
	// Imports on any path under the import path (R-HTTP-4).
	{name: "prefix-routing", rule: features.HTTP4, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, api.ImportPath+"/") {
			r.URL.Path = api.ImportPath
		}
		return false
	})},
	// Takes a part with filename="" as the file (R-HTTP-2).
	{name: "empty-file-name-is-file", rule: features.HTTP2, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		return parts(raw, boundary, func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal) {
			if fileName(h) == "" && strings.Contains(h.Get("Content-Disposition"), "filename=") {
				h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="upload"`, formName(h)))
			}
			return body, nil
		})
	})},
	// Drops a last line that has no line break, as line-based readers do
	// (R-CSV-5).
	{name: "last-line-without-break-dropped", rule: features.CSV5, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		if len(csv) > 0 && csv[len(csv)-1] != '\n' {
			csv = csv[:bytes.LastIndexByte(csv, '\n')+1]
		}
		return csv, nil
	})},
	// Skips a byte-order mark only when the header starts with username
	// (R-CSV-4).
	{name: "bom-skipped-only-before-username", rule: features.CSV4, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		if rest, ok := bytes.CutPrefix(csv, []byte("\ufeff")); ok && !bytes.HasPrefix(bytes.ToLower(rest), []byte("username")) {
			// Mark stays part of the first name, which then names no
			// column; the engine would skip a mark, so it is kept as a
			// character the engine does not skip.
			csv = append([]byte("\u200b"), rest...)
		}
		return csv, nil
	})},
	// Takes the first line as the header even when it is blank (R-CSV-5).
	{name: "blank-lines-before-header-refused", rule: features.CSV5, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		if first, _, _ := bytes.Cut(csv, []byte("\n")); len(csv) > 0 && len(bytes.TrimSpace(first)) == 0 {
			return nil, &seam.Refusal{Status: http.StatusBadRequest, Summary: "Missing mandatory column (username)."}
		}
		return csv, nil
	})},
	// Takes the admin's password in any letter case (R-AUTH-1).
	{name: "password-case-insensitive", rule: features.AUTH1, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if user, pass, ok := r.BasicAuth(); ok {
			for _, a := range s.Accounts() {
				if a.Username == user && strings.EqualFold(a.Password, pass) {
					r.SetBasicAuth(a.Username, a.Password)
				}
			}
		}
		return false
	})},
	// Takes the admin's account name in any letter case (R-AUTH-1).
	{name: "account-name-case-insensitive", rule: features.AUTH1, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if user, pass, ok := r.BasicAuth(); ok {
			for _, a := range s.Accounts() {
				if strings.EqualFold(a.Username, user) && a.Password == pass {
					r.SetBasicAuth(a.Username, a.Password)
				}
			}
		}
		return false
	})},
	// Refuses a file of blank lines only, or of a byte-order mark only, as one
	// without a username column (R-CSV-1).
	{name: "blank-file-refused", rule: features.CSV1, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		if len(csv) > 0 && len(bytes.TrimSpace(bytes.TrimPrefix(csv, []byte("\ufeff")))) == 0 {
			return nil, &seam.Refusal{Status: http.StatusBadRequest, Summary: "Missing mandatory column (username)."}
		}
		return csv, nil
	})},
	// Refuses a file whose last line ends in a carriage return alone (R-CSV-6).
	{name: "final-cr-refused", rule: features.CSV6, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		if bytes.HasSuffix(csv, []byte("\r")) {
			return nil, &seam.Refusal{Status: http.StatusBadRequest,
				Summary: fmt.Sprintf("CSV syntax error on line %d: the file ends with a carriage return alone.", bytes.Count(csv, []byte("\n"))+1)}
		}
		return csv, nil
	})},
	// Names the line after a carriage return alone, as a reader that counts the
	// carriage return as a line break does (R-CSV-6).
	{name: "lone-cr-line-after", rule: features.CSV6, wrap: after(func(a *answer) {
		if a.status != http.StatusBadRequest {
			return
		}
		loneCR := regexp.MustCompile(`CSV syntax error on line (\d+): a line ends with a carriage return alone`)
		a.body = loneCR.ReplaceAllFunc(a.body, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(loneCR.FindSubmatch(m)[1]))
			return fmt.Appendf(nil, "CSV syntax error on line %d: a line ends with a carriage return alone", n+1)
		})
	})},
	// Answers a file separated by semicolons with a summary of its own, without
	// Missing mandatory column (username). first (R-CSV-3).
	{name: "semicolons-summary-own", rule: features.CSV3, wrap: after(func(a *answer) {
		if a.status == http.StatusBadRequest {
			a.body = bytes.Replace(a.body, []byte("Missing mandatory column (username). The file is separated by semicolons"), []byte("The file is separated by semicolons"), 1)
		}
	})},
	// Takes a quoted boundary (boundary="…", as .NET writes it) with its quotes,
	// so it finds no part (R-HTTP-2).
	{name: "quoted-boundary-keeps-quotes", rule: features.HTTP2, wrap: wire(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		ct := r.Header.Get("Content-Type")
		_, rest, _ := strings.Cut(ct, ";")
		if _, params, err := mime.ParseMediaType(ct); err == nil && params["boundary"] != "" && strings.Contains(rest, `boundary="`) {
			r.Header.Set("Content-Type", mime.FormatMediaType("multipart/form-data", map[string]string{"boundary": `"` + params["boundary"] + `"`}))
		}
		return false
	})},
	// Knows multipart/form-data in lower case only (R-HTTP-2).
	{name: "media-type-case-sensitive", rule: features.HTTP2, wrap: wire(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if media, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(media) != "multipart/form-data" {
			r.Header.Set("Content-Type", "application/octet-stream")
		}
		return false
	})},
	// Reads the boundary only as the first parameter of the media type
	// (R-HTTP-2).
	{name: "boundary-must-come-first", rule: features.HTTP2, wrap: wire(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if media, rest, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); !strings.HasPrefix(strings.TrimSpace(rest), "boundary=") {
			r.Header.Set("Content-Type", strings.TrimSpace(media))
		}
		return false
	})},
	// Knows a part's Content-Disposition in that spelling only (R-HTTP-2).
	{name: "part-headers-case-sensitive", rule: features.HTTP2, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		re := regexp.MustCompile(`(?im)^(content-disposition)(\s*:)`)
		return re.ReplaceAllFunc(raw, func(m []byte) []byte {
			if bytes.HasPrefix(m, []byte("Content-Disposition")) {
				return m
			}
			return re.ReplaceAll(m, []byte("X-Disposition$2"))
		}), nil
	})},
	// Finds a file name only in quotes, as a regular expression written for
	// curl's parts does (R-HTTP-2).
	{name: "unquoted-file-name-not-a-file", rule: features.HTTP2, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		// A file name parameter not in quotes, with the RFC 5987 one
		// beside it, is no file name to a pattern written for curl's.
		return regexp.MustCompile(`(?i);\s*filename\*?=[^"\s;][^;\r\n]*`).ReplaceAll(raw, nil), nil
	})},
	// Wants the body to start with the first boundary (R-HTTP-2).
	{name: "preamble-refused", rule: features.HTTP2, wrap: func(s seam.Server, next http.Handler) http.Handler {
		return upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
			if !bytes.HasPrefix(raw, []byte("--"+boundary)) {
				noFile := s.Refusals().NoFilePart
				return raw, &noFile
			}
			return raw, nil
		})(s, next)
	}},
	// Reads the last file part, as PHP keeps the last of two parts of one name
	// (R-HTTP-2).
	{name: "last-file-part-wins", rule: features.HTTP2, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		return lastFileFirst(raw, boundary), nil
	})},
	// Wants a Content-Length: a chunked body is answered 411 (R-HTTP-1).
	{name: "chunked-refused", rule: features.HTTP1, wrap: wire(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if r.ContentLength < 0 {
			s.WriteJSON(w, r, http.StatusLengthRequired, rules.Refusal("Length Required: send a Content-Length."))
			return true
		}
		return false
	})},
	// Answers Expect: 100-continue with 417 (R-HTTP-1).
	{name: "expect-refused", rule: features.HTTP1, wrap: wire(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Expect") != "" {
			s.WriteJSON(w, r, http.StatusExpectationFailed, rules.Refusal("Expectation Failed."))
			return true
		}
		return false
	})},
	// Routes on the whole request target, so a query string makes the import
	// path unknown (R-HTTP-1).
	{name: "query-string-not-routed", rule: features.HTTP1, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if importing(r) && r.URL.RawQuery != "" {
			r.URL.Path += "?" + r.URL.RawQuery
		}
		return false
	})},
	// Takes a request with a session cookie and no credentials as the admin's
	// (R-AUTH-2).
	{name: "cookie-session-trusted", rule: features.AUTH2, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if _, err := r.Cookie("session"); err == nil && r.Header.Get("Authorization") == "" {
			a := admin(s)
			r.SetBasicAuth(a.Username, a.Password)
		}
		return false
	})},
	// Knows the scheme Basic in that spelling only (R-AUTH-1).
	{name: "scheme-case-sensitive", rule: features.AUTH1, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if a := r.Header.Get("Authorization"); a != "" && !strings.HasPrefix(a, "Basic ") {
			r.Header.Del("Authorization")
		}
		return false
	})},
	// Matches academic levels with SQL LIKE, so % and _ are wildcards (R-ROW-8).
	{name: "level-matched-with-like", rule: features.ROW8, judges: declaredAsPattern(features.ROW8, rules.AcademicLevel, engine.DeclaredLevels, like)},
	// Matches presentation groups as a glob, so *, ? and [c] are patterns
	// (R-ROW-14).
	{name: "group-matched-with-glob", rule: features.ROW14, judges: declaredAsPattern(features.ROW14, rules.PresentationGroupLabel, engine.DeclaredGroups, glob)},
	// Looks barcodes up with SQL LIKE, so a barcode holding % or _ is taken by
	// another's (R-ROW-10).
	{name: "barcode-matched-with-like", rule: features.ROW10, judges: uniqueAsPattern(features.ROW10, rules.LibraryBarcode, like)},
	// Looks admin ids up as a glob (R-ROW-11).
	{name: "admin-id-matched-with-glob", rule: features.ROW11, judges: uniqueAsPattern(features.ROW11, rules.AdminSystemID, glob)},
	// Counts the 255-character limit in UTF-16 units, as Java, C# and JavaScript
	// strings do (R-ROW-15).
	{name: "length-in-utf16-units", rule: features.ROW15, judges: func(j *engine.Judges) {
		eachText(j, func(r *engine.Row, c rules.Column, v string) {
			if r.Reason(c) == "" && len(utf16.Encode([]rune(v))) > engine.MaxText {
				r.Fail(c, features.ROW15, engine.FieldMessage(c, fmt.Sprintf("is longer than %d characters.", engine.MaxText)))
			}
		})
	}},
	// Counts what shows on screen: a combining mark is not counted (R-ROW-15).
	{name: "length-in-graphemes", rule: features.ROW15, judges: func(j *engine.Judges) {
		eachText(j, func(r *engine.Row, c rules.Column, v string) {
			if strings.HasSuffix(r.Reason(c), "characters.") && !strings.HasSuffix(r.Reason(c), "control characters.") &&
				len([]rune(strings.Map(dropMarks, v))) <= engine.MaxText {
				forgiveColumn(r, c)
			}
		})
	}},
	// Refuses characters beyond the BMP, as MySQL's three-byte utf8 does
	// (R-ROW-15).
	{name: "astral-refused", rule: features.ROW15, judges: func(j *engine.Judges) {
		eachText(j, func(r *engine.Row, c rules.Column, v string) {
			if r.Reason(c) == "" && strings.ContainsFunc(v, func(ch rune) bool { return ch > 0xFFFF }) {
				r.Fail(c, features.ROW15, engine.FieldMessage(c, "contains characters that cannot be stored."))
			}
		})
	}},
	// Takes right-to-left letters for direction marks (R-ROW-15).
	{name: "right-to-left-refused", rule: features.ROW15, judges: func(j *engine.Judges) {
		eachText(j, func(r *engine.Row, c rules.Column, v string) {
			if r.Reason(c) == "" && strings.ContainsFunc(v, func(ch rune) bool { return unicode.In(ch, unicode.Hebrew, unicode.Arabic) }) {
				r.Fail(c, features.ROW15, engine.FieldMessage(c, "contains control characters."))
			}
		})
	}},
	// Compares barcodes in one normal form, so a combining mark and the
	// precomposed letter collide (R-ROW-10).
	{name: "barcodes-normalised", rule: features.ROW10, judges: func(j *engine.Judges) {
		afterStored(j, features.ROW10, func(tx *store.Tx, r *engine.Row) {
			v := r.Vals[rules.LibraryBarcode]
			if v == "" || r.Reason(rules.LibraryBarcode) != "" {
				return
			}
			for _, other := range []string{norm.NFC.String(v), norm.NFD.String(v)} {
				if other != v && tx.BarcodeTaken(other, r.Vals[rules.Username]) {
					r.Fail(rules.LibraryBarcode, features.ROW10, engine.TakenMessage(rules.LibraryBarcode, v))
					return
				}
			}
		})
	}},
	// Keeps barcodes and admin ids in one index, so one patron's admin id cannot
	// be another's barcode (R-ROW-10).
	{name: "admin-id-is-barcode", rule: features.ROW10, judges: func(j *engine.Judges) {
		afterStored(j, features.ROW10, func(tx *store.Tx, r *engine.Row) {
			if v := r.Vals[rules.LibraryBarcode]; v != "" && r.Reason(rules.LibraryBarcode) == "" && tx.AdminIDTaken(v, r.Vals[rules.Username]) {
				r.Fail(rules.LibraryBarcode, features.ROW10, engine.TakenMessage(rules.LibraryBarcode, v))
			}
		})
	}},
	// Writes the values that failure texts quote HTML-escaped (&lt;, &amp;,
	// &#39;) (R-ROW-10, every quoting message).
	{name: "values-html-escaped", rule: features.ROW10, judges: func(j *engine.Judges) {
		failure := j.Words.Failure
		j.Words.Failure = func(reasons []rules.Reason) string {
			out := make([]rules.Reason, len(reasons))
			for i, why := range reasons {
				why.Text = regexp.MustCompile(quotedValue).ReplaceAllStringFunc(why.Text, func(q string) string {
					return "'" + html.EscapeString(q[1:len(q)-2]) + "' "
				})
				out[i] = why
			}
			return failure(out)
		}
	}},
	// Writes the answer's strings without escaping their quotes, so a value
	// holding " breaks the JSON (R-RES-1).
	{name: "quotes-unescaped-in-json", rule: features.RES1, wrap: after(func(a *answer) { a.body = bytes.ReplaceAll(a.body, []byte(`\"`), []byte(`"`)) })},
	// Reads a backslash before a quote as an escape, as PHP's fgetcsv does
	// (R-CSV-5).
	{name: "backslash-escapes-quote", rule: features.CSV5, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		// RFC 4180 reads \"" inside quotes as \ and a quote, and the field
		// goes on: as fgetcsv reads \".
		return bytes.ReplaceAll(csv, []byte(`\"`), []byte(`\""`)), nil
	})},
	// Reads the file a line at a time with a 64 KiB buffer (bufio.Scanner's), so
	// a longer line refuses a well-formed file as a syntax error (R-CSV-6).
	{name: "lines-cut-at-64kib", rule: features.CSV6, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		sc := bufio.NewScanner(bytes.NewReader(csv))
		line := 0
		for sc.Scan() {
			line++
		}
		if sc.Err() != nil {
			return nil, &seam.Refusal{Status: http.StatusBadRequest, Summary: fmt.Sprintf("CSV syntax error on line %d: %v", line+1, sc.Err())}
		}
		return csv, nil
	})},
	// Numbers rows with a 16-bit counter, so row 65,537 is answered as row 1
	// (R-CSV-8).
	{name: "row-counter-16-bit", rule: features.CSV8, wrap: after(func(a *answer) {
		// A key of the answer's details of five digits or more.
		a.body = regexp.MustCompile(`"(\d{5,})":"`).ReplaceAllFunc(a.body, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(m[1 : len(m)-3]))
			return fmt.Appendf(nil, `"%d":"`, n&0xFFFF)
		})
	})},
	// Imports the first 10,000 rows and drops the rest, as a batch insert that
	// is never repeated (R-RES-2).
	{name: "only-first-batch-imported", rule: features.RES2, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		const batch = 10000
		if lines := bytes.SplitAfterN(csv, []byte("\n"), batch+2); len(lines) > batch+1 {
			csv = bytes.Join(lines[:batch+1], nil)
		}
		return csv, nil
	})},
	// Keeps the columns of a roster's last import and reads only those of the
	// next: a column left out once is forgotten (R-CSV-2).
	{name: "columns-of-last-import", rule: features.CSV2, wrap: func(s seam.Server, next http.Handler) http.Handler {
		memory := &rosterColumns{}
		return file(func(csv []byte) ([]byte, *seam.Refusal) { return memory.lastColumns(csv), nil })(s, next)
	}},
	// Answers an empty file as a success before it looks at the account's
	// privileges (R-AUTH-3).
	{name: "non-admin-empty-file-accepted", rule: features.AUTH3, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if importing(r) && emptyFromNonAdmin(s, r) {
			s.WriteJSON(w, r, http.StatusOK, emptySuccess)
			return true
		}
		return false
	})},
	// Answers an empty body that is not multipart as an empty import (R-HTTP-3).
	{name: "empty-body-accepted", rule: features.HTTP3, wrap: wire(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if r.ContentLength == 0 && !strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/") {
			s.WriteJSON(w, r, http.StatusOK, emptySuccess)
			return true
		}
		return false
	})},
	// Looks a username up with SQL LIKE when no patron has it, as a server that
	// writes LIKE for a case-insensitive match does: a username holding % or _
	// updates the patron it matches (R-ROW-1).
	{name: "username-matched-with-like", rule: features.ROW1, judges: usernameAsPattern(func(v, name string) bool { return strings.ContainsAny(v, "%_") && like(v, name) })},
	// Answers the second row of a username the file created as created again, as
	// a server that asks whether a patron existed before the file does
	// (R-ROW-9).
	{name: "repeat-counted-as-created", rule: features.ROW9, judges: func(j *engine.Judges) {
		var seen importMemory
		outcome := j.Reword
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			seen.at(r)
			key := storage.Key(r.Vals[rules.Username])
			switch {
			case o == rules.Created:
				seen.set("created", key, r.Num)
			case o == rules.Updated && seen.has("created", key):
				o = rules.Created
			}
			if outcome != nil {
				return outcome(r, o)
			}
			return o
		}
	}},
	// Answers an import with a failed row 422 Unprocessable Entity, its JSON
	// unchanged (R-RES-4).
	{name: "failed-imports-answered-422", rule: features.RES4, wrap: after(func(a *answer) {
		if a.status == http.StatusOK && bytes.HasPrefix(a.body, []byte(`{"success":false`)) {
			a.status = http.StatusUnprocessableEntity
		}
	})},
	// Answers a body over the limit 400 with the reader's error, as Go's
	// http.MaxBytesReader under a multipart reader gives it (R-HTTP-5).
	{name: "limit-answered-bad-request", rule: features.HTTP5, wrap: after(func(a *answer) {
		if a.status == http.StatusRequestEntityTooLarge {
			a.status = http.StatusBadRequest
			a.body = rules.Refusal("multipart: NextPart: http: request body too large")
		}
	})},
	// Matches usernames in an accent-insensitive collation, as MySQL's default
	// does: émile updates emile (R-ROW-1).
	{name: "username-accent-insensitive", rule: features.ROW1, judges: usernameFolded(accentFold)},
	// Keeps barcodes unique in an accent-insensitive collation: B1́ is taken by
	// B1's holder (R-ROW-10).
	{name: "barcode-accent-insensitive", rule: features.ROW10, judges: uniqueAsPattern(features.ROW10, rules.LibraryBarcode, accentInsensitive)},
	// Checks addresses with the regular expression most often copied,
	// [A-Za-z0-9._%+'-]+@…, so the rest of RFC 5322's atext (!#$&*/=?^`{|}~) is
	// refused (R-ROW-13).
	{name: "email-common-regex", rule: features.ROW13, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW13, func(r *engine.Row) {
			v := r.Vals[rules.EmailAddress]
			local := v[:max(strings.LastIndexByte(v, '@'), 0)]
			if v != "" && r.Reason(rules.EmailAddress) == "" && !strings.HasPrefix(local, `"`) &&
				strings.ContainsFunc(local, func(c rune) bool { return !strings.ContainsRune("._%+'-", c) && !isAlnumASCII(c) }) {
				r.Fail(rules.EmailAddress, features.ROW13, "Field (emailAddress) is not a well-formed email address.")
			}
		})
	}},
	// Writes details with Go's encoding/json from a map, its keys in text order:
	// 1, 10, 11, 2 (R-RES-4).
	{name: "details-keys-as-text", rule: features.RES4, wrap: after(func(a *answer) {
		var res struct {
			Success bool              `json:"success"`
			Summary string            `json:"summary"`
			Details map[string]string `json:"details,omitempty"`
		}
		if json.Unmarshal(a.body, &res) == nil && res.Details != nil {
			a.body, _ = json.Marshal(res) // a map's keys in text order
		}
	})},
	// Refuses a body of exactly the limit, as a check that the body is below the
	// limit rather than not over it does (R-HTTP-5).
	{name: "limit-reached-refused", rule: features.HTTP5, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if !importing(r) || !s.Authorised(r) {
			return false
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, s.MaxBody()+1))
		if int64(len(body)) == s.MaxBody() {
			s.Refuse(w, r, s.Refusals().TooLarge)
			return true
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		return false
	})},
	// Keeps usernames in a column of 64 characters, as a VARCHAR(64)
	// schema does, and refuses longer ones (R-ROW-15, below the limit).
	{name: "username-limit-64", rule: features.ROW15, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW15, func(r *engine.Row) {
			if utf8.RuneCountInString(r.Vals[rules.Username]) > 64 && r.Reason(rules.Username) == "" {
				r.Fail(rules.Username, features.ROW15, engine.FieldMessage(rules.Username, "is longer than 64 characters."))
			}
		})
	}},
	// Keeps barcodes in a column of 64 characters (R-ROW-15, below the
	// limit).
	{name: "barcode-limit-64", rule: features.ROW15, judges: func(j *engine.Judges) {
		wrapCells(j, features.ROW15, func(r *engine.Row) {
			if utf8.RuneCountInString(r.Vals[rules.LibraryBarcode]) > 64 && r.Reason(rules.LibraryBarcode) == "" {
				r.Fail(rules.LibraryBarcode, features.ROW15, engine.FieldMessage(rules.LibraryBarcode, "is longer than 64 characters."))
			}
		})
	}},

	// Found by looking for bugs nobody listed: each went past the suite
	// and explore until the scenario or the value that shows it was added.

	// Accepts a domain that ends in a dot, an absolute DNS name:
	// ann@example.com. (R-ROW-13).
	{name: "email-domain-trailing-dot", rule: features.ROW13, judges: func(j *engine.Judges) {
		aroundCells(j, features.ROW13, func(r *engine.Row, judge func()) {
			v := r.Vals[rules.EmailAddress]
			if strings.HasSuffix(v, ".") && !strings.HasSuffix(v, "..") && strings.Contains(v, "@") {
				r.Vals[rules.EmailAddress] = strings.TrimSuffix(v, ".")
				judge()
				r.Vals[rules.EmailAddress] = v
				return
			}
			judge()
		})
	}},
	// Keeps barcodes in a numeric column, so 00123 and 123 are one barcode
	// (R-ROW-10).
	{name: "barcode-leading-zeros-ignored", rule: features.ROW10, judges: uniqueAsPattern(features.ROW10, rules.LibraryBarcode, func(a, b string) bool {
		x, errA := strconv.ParseUint(a, 10, 64)
		y, errB := strconv.ParseUint(b, 10, 64)
		return errA == nil && errB == nil && x == y
	})},
	// Treats the year and the level as one setting: an update that gives one
	// clears the other, stored (R-ROW-16).
	{name: "level-clears-stored-year", rule: features.ROW16, judges: func(j *engine.Judges) {
		wrapStored(j, features.ROW11, func(r *engine.Row) {
			if r.Stored.Found && !r.Failed() {
				if r.Vals[rules.AcademicLevel] != "" && r.Vals[rules.GraduationYear] == "" {
					r.Stored.Patron.GraduationYear = 0
				}
				if r.Vals[rules.GraduationYear] != "" && r.Vals[rules.AcademicLevel] == "" {
					r.Stored.Patron.AcademicLevel = ""
				}
			}
		})
	}},
	// Routes the import path in any letter case, as IIS and ASP.NET do:
	// /API/Import/Users imports (R-HTTP-4).
	{name: "path-case-insensitive", rule: features.HTTP4, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != api.ImportPath && strings.EqualFold(r.URL.Path, api.ImportPath) {
			r.URL.Path = api.ImportPath
		}
		return false
	})},
	// Takes a file part for the CSV only when its Content-Type is one a CSV
	// is expected in (text/csv, text/plain, application/octet-stream, or
	// none): application/vnd.ms-excel, as browsers on Windows with Excel
	// send a .csv, is no file (R-HTTP-2).
	{name: "csv-media-types-only", rule: features.HTTP2, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		return parts(raw, boundary, func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal) {
			media, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
			if fileName(h) != "" && h.Get("Content-Type") != "" && !slices.Contains([]string{"text/csv", "text/plain", "application/octet-stream"}, media) {
				h.Set("Content-Disposition", fmt.Sprintf("form-data; name=%q", formName(h)))
			}
			return body, nil
		})
	})},
	// Splits the decoded credentials at every colon and keeps the first two
	// pieces, as `const [user, pass] = decoded.split(":")` does: a password
	// holding a colon is never right (R-AUTH-1).
	{name: "password-cut-at-colon", rule: features.AUTH1, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if user, pass, ok := r.BasicAuth(); ok && strings.Contains(pass, ":") {
			r.SetBasicAuth(user, strings.SplitN(pass, ":", 2)[0])
		}
		return false
	})},
	// Writes success of an import as 1 or 0, as PHP's json_encode of a MySQL
	// TINYINT does (R-RES-1).
	{name: "success-as-number", rule: features.RES1, wrap: after(func(a *answer) {
		if a.status == http.StatusOK {
			a.body = bytes.Replace(a.body, []byte(`"success":true`), []byte(`"success":1`), 1)
			a.body = bytes.Replace(a.body, []byte(`"success":false`), []byte(`"success":0`), 1)
		}
	})},
	// Writes the summary's counts with a thousands separator, as PHP's
	// number_format or a locale's formatting does: "1,000 users
	// processed." (R-RES-2, past 999).
	{name: "counts-with-thousands-separator", rule: features.RES2, judges: func(j *engine.Judges) {
		count := j.Words.Count
		j.Words.Count = func(n int) string {
			digits, rest, _ := strings.Cut(count(n), " ")
			for i := len(digits) - 3; i > 0; i -= 3 {
				digits = digits[:i] + "," + digits[i:]
			}
			return digits + " " + rest
		}
	}},
	// Writes characters beyond the BMP in an import's answer as CESU-8
	// (each UTF-16 surrogate in three bytes), as Java's modified UTF-8 and
	// MySQL's utf8 do: the answer is no longer UTF-8 (R-HTTP-6).
	{name: "astral-as-cesu-8", rule: features.HTTP6, wrap: afterImports(func(a *answer) {
		var out []byte
		for _, c := range string(a.body) {
			if c <= 0xFFFF {
				out = utf8.AppendRune(out, c)
				continue
			}
			hi, lo := utf16.EncodeRune(c)
			for _, u := range [...]rune{hi, lo} {
				out = append(out, byte(0xE0|u>>12), byte(0x80|u>>6&0x3F), byte(0x80|u&0x3F))
			}
		}
		a.body = out
	})},
	// Skips a row whose cells are all blank, as a line of commas alone that
	// a spreadsheet writes for an empty row is (R-CSV-5, a blank line is one
	// cell of white space).
	{name: "comma-only-rows-skipped", rule: features.CSV5, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		out := bytes.Clone(csv)
		for _, rec := range csvRecords(csv) {
			cells := csvCells(csv, rec)
			if len(cells) < 2 || bytes.IndexByte(csv[rec.start:rec.end], '\r') >= 0 {
				continue
			}
			if !slices.ContainsFunc(cells, func(c recordSpan) bool { return strings.TrimSpace(cellText(csv[c.start:c.end])) != "" }) {
				for i := rec.start; i < rec.end; i++ { // a blank line the reference skips, lines kept
					if out[i] != '\n' {
						out[i] = ' '
					}
				}
			}
		}
		return out, nil
	})},
	// Trims header names as Java's String.trim does, of characters up to
	// U+0020 alone: a name padded with no-break or ideographic spaces names
	// no column (R-CSV-4).
	{name: "header-trimmed-of-ascii-only", rule: features.CSV4, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		for _, rec := range csvRecords(csv) {
			cells := csvCells(csv, rec)
			if blankRecord(csv, cells) {
				continue
			}
			out := append([]byte(nil), csv[:rec.start]...)
			for i, c := range cells {
				if i > 0 {
					out = append(out, ',')
				}
				name := strings.TrimPrefix(cellText(csv[c.start:c.end]), "\ufeff")
				_, ours := rules.LookupColumn(name)
				trimmed := strings.TrimFunc(name, func(r rune) bool { return r <= ' ' })
				col, theirs := rules.LookupColumn(trimmed)
				theirs = theirs && strings.TrimSpace(trimmed) == trimmed
				switch {
				case theirs && !ours:
					out = append(out, col.String()...)
				case ours && !theirs:
					out = append(out, "not-a-column"...)
				default:
					out = append(out, csv[c.start:c.end]...)
				}
			}
			return append(out, csv[rec.end:]...), nil
		}
		return csv, nil
	})},
	// Strips a byte-order mark from the header's first cell, not from the
	// file, so a mark before blank lines is taken for the header: blank
	// lines are skipped but after a mark (R-CSV-5).
	{name: "bom-then-blank-line-refused", rule: features.CSV5, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		if rest, ok := bytes.CutPrefix(csv, []byte("\ufeff")); ok && len(bytes.TrimSpace(rest)) > 0 {
			if first, _, found := bytes.Cut(rest, []byte("\n")); found && len(bytes.TrimSpace(first)) == 0 {
				return nil, &seam.Refusal{Status: http.StatusBadRequest, Summary: "Missing mandatory column (username)."}
			}
		}
		return csv, nil
	})},
	// Decodes only the cells of the columns it reads, so a byte that is not
	// UTF-8 in a column it ignores passes (R-CSV-7).
	{name: "utf8-checked-in-known-columns-only", rule: features.CSV7, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		out := bytes.Clone(csv)
		var known []bool
		for _, rec := range csvRecords(csv) {
			cells := csvCells(csv, rec)
			if blankRecord(csv, cells) {
				continue
			}
			if known == nil {
				for _, c := range cells {
					_, ok := rules.LookupColumn(strings.TrimPrefix(cellText(csv[c.start:c.end]), "\ufeff"))
					known = append(known, ok)
				}
				continue
			}
			for i, c := range cells {
				for at := c.start; i < len(known) && !known[i] && at < c.end; {
					_, n := utf8.DecodeRune(csv[at:c.end])
					if n == 1 && csv[at] >= utf8.RuneSelf {
						out[at] = '?'
					}
					at += n
				}
			}
		}
		return out, nil
	})},
	// Names the line a record starts on for a stray quote on a later line
	// of it, as encoding/csv's ParseError.StartLine does (R-CSV-6).
	{name: "syntax-error-names-record-start", rule: features.CSV6, wrap: func(s seam.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var sent []byte
			named := after(func(a *answer) {
				re := regexp.MustCompile(`CSV syntax error on line (\d+): a (quote |quoted field has)`)
				a.body = re.ReplaceAllFunc(a.body, func(m []byte) []byte {
					n, _ := strconv.Atoi(string(re.FindSubmatch(m)[1]))
					return bytes.Replace(m, []byte(strconv.Itoa(n)), []byte(strconv.Itoa(recordStartLine(sent, n))), 1)
				})
			})
			file(func(csv []byte) ([]byte, *seam.Refusal) { sent = csv; return csv, nil })(s, named(s, next)).ServeHTTP(w, r)
		})
	}},
	// Trims each field before it unquotes it, so spaces or tabs around a
	// quoted field, "ann" ,, pass (R-CSV-6).
	{name: "padding-around-quotes-accepted", rule: features.CSV6, wrap: file(func(csv []byte) ([]byte, *seam.Refusal) {
		var out []byte
		last := 0
		for _, rec := range csvRecords(csv) {
			for _, c := range csvCells(csv, rec) {
				cell := csv[c.start:c.end]
				t := bytes.Trim(cell, " \t")
				if len(t) < len(cell) && len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' &&
					!bytes.Contains(bytes.ReplaceAll(t[1:len(t)-1], []byte(`""`), nil), []byte(`"`)) {
					out = append(append(out, csv[last:c.start]...), t...)
					last = c.end
				}
			}
		}
		return append(out, csv[last:]...), nil
	})},
	// Takes a username's spelling from its first row in the file, as a
	// server that gathers a file's usernames before it applies a row does:
	// when that row failed, the patron keeps the spelling of the failed row,
	// not of the row that created it (R-ROW-2, after a failed first row).
	{name: "first-spelling-in-file-kept", rule: features.ROW2, judges: func(j *engine.Judges) {
		var seen importMemory
		spelling := map[string]string{} // a username's matching key → its first spelling in the file
		beforeStored(j, func(r *engine.Row) {
			seen.at(r)
			if !seen.has("import", "") {
				clear(spelling)
				seen.set("import", "", r.Num)
			}
			key := strings.Clone(storage.Key(r.Vals[rules.Username]))
			first, ok := spelling[key]
			if !ok {
				spelling[key] = strings.Clone(r.Vals[rules.Username])
				return
			}
			if !r.Stored.Found {
				r.Vals[rules.Username] = first
			}
		})
	}},
	// Marks a username seen as soon as its row is read, failed or not, and
	// answers its later rows as updates: the row that creates a patron
	// whose first row failed is answered User Updated (R-ROW-9, after a
	// failed first row).
	{name: "failed-row-username-seen", rule: features.ROW9, judges: func(j *engine.Judges) {
		var seen importMemory
		beforeStored(j, func(r *engine.Row) {
			seen.at(r)
			seen.set("seen", strings.Clone(storage.Key(r.Vals[rules.Username])), r.Num)
		})
		outcome := j.Reword
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			if o == rules.Created && seen.first("seen", storage.Key(r.Vals[rules.Username])) < r.Num {
				o = rules.Updated
			}
			if outcome != nil {
				return outcome(r, o)
			}
			return o
		}
	}},
	// Inserts a file's new patrons in one batch at its end and checks an
	// update's barcode against the patrons stored alone: a barcode a new
	// patron took earlier in the file is free to an existing one
	// (R-ROW-10, a new patron, then an update, in one file).
	{name: "update-misses-new-rows-barcodes", rule: features.ROW10, judges: func(j *engine.Judges) {
		var seen importMemory
		wrapStored(j, features.ROW10, func(r *engine.Row) {
			seen.at(r)
			if r.Stored.Found && seen.has("inserted", r.Vals[rules.LibraryBarcode]) && r.Why != nil && r.Why.Rules[rules.LibraryBarcode] == features.ROW10 {
				forgiveColumn(r, rules.LibraryBarcode)
			}
		})
		outcome := j.Reword
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			if v := r.Vals[rules.LibraryBarcode]; o == rules.Created && v != "" {
				seen.set("inserted", strings.Clone(v), r.Num)
			}
			if outcome != nil {
				return outcome(r, o)
			}
			return o
		}
		taken := j.Taken
		j.Taken = func(r *engine.Row, c *store.ConflictError) (rules.Outcome, []rules.Reason) {
			if c.Barcode && !c.AdminID && r.Stored.Found && seen.has("inserted", r.Vals[rules.LibraryBarcode]) { // answered as if stored
				return rules.Updated, nil
			}
			return taken(r, c)
		}
	}},
	// Looks for another holder of an admin id with username <> ? compared
	// exactly, as a binary collation does, while patrons are found in any
	// letter case: an update in another letter case that repeats its own
	// admin id is told another patron uses it (R-ROW-11).
	{name: "own-admin-id-taken-in-other-case", rule: features.ROW11, judges: func(j *engine.Judges) {
		wrapStored(j, features.ROW11, func(r *engine.Row) {
			v := r.Vals[rules.AdminSystemID]
			if r.Stored.Found && v != "" && v == r.Stored.Patron.AdminSystemID && r.Vals[rules.Username] != r.Stored.Patron.Username && r.Reason(rules.AdminSystemID) == "" {
				r.Fail(rules.AdminSystemID, features.ROW11, engine.TakenMessage(rules.AdminSystemID, v))
			}
		})
	}},
	// Keeps each existing patron as it first fetched it in the file and
	// merges every later row of that username into that copy, as a cache
	// filled on a hit and never refreshed does: a second row's blank cells
	// undo what the first row changed (R-ROW-16, an existing patron twice
	// in one file).
	{name: "patron-cached-for-the-file", rule: features.ROW16, judges: func(j *engine.Judges) {
		var seen importMemory
		fetched := map[string]store.Patron{} // a username's matching key → the patron as first fetched
		beforeStored(j, func(r *engine.Row) {
			seen.at(r)
			if !seen.has("import", "") {
				clear(fetched)
				seen.set("import", "", r.Num)
			}
			if !r.Stored.Found {
				return
			}
			key := strings.Clone(storage.Key(r.Vals[rules.Username]))
			if p, ok := fetched[key]; ok {
				r.Stored.Patron = p
				return
			}
			p := r.Stored.Patron
			for i := range store.TextNames() {
				f := store.TextField(&p, i)
				*f = strings.Clone(*f)
			}
			fetched[key] = p
		})
	}},
	// Clears an updated patron's old barcode before it judges the row, so
	// that two patrons could swap barcodes, and does not put it back when
	// the row fails: a failed update that gives a new barcode loses the old
	// one (R-ROW-18).
	{name: "failed-update-frees-barcode", rule: features.ROW18, judges: func(j *engine.Judges) {
		failed := j.FailedRow
		j.FailedRow = func(e *rules.Engine, tx *store.Tx, r *engine.Row, keys *storage.Keys) (rules.Outcome, []rules.Reason) {
			if v, old := r.Vals[rules.LibraryBarcode], r.Stored.Patron.LibraryBarcode; r.Stored.Found && v != "" && old != "" && v != old {
				p := r.Stored.Patron
				p.LibraryBarcode = ""
				tx.Put(&p)
			}
			return failed(e, tx, r, keys)
		}
	}},
	// Reads a part's file name from filename= alone, as PHP's multipart
	// parser does: a part that names its file only in RFC 5987's
	// filename*=utf-8''…, as urllib3 1.x writes a name beyond ASCII, is no
	// file (R-HTTP-2).
	{name: "filename-star-alone-not-a-file", rule: features.HTTP2, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		plain := regexp.MustCompile(`(?i);\s*filename\s*=`)
		return parts(raw, boundary, func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal) {
			if fileName(h) != "" && !plain.MatchString(h.Get("Content-Disposition")) {
				h.Set("Content-Disposition", fmt.Sprintf("form-data; name=%q", formName(h)))
			}
			return body, nil
		})
	})},
	// Writes the import's answers with a byte-order mark before the JSON,
	// as .NET's StreamWriter with Encoding.UTF8 does (RFC 8259 forbids it):
	// a JSON parser refuses the answer (R-HTTP-6).
	{name: "json-with-bom", rule: features.HTTP6, wrap: afterImports(func(a *answer) {
		if len(a.body) > 0 {
			a.body = append([]byte("\ufeff"), a.body...)
		}
	})},
	// Checks the password with an LDAP simple bind, which with an empty
	// password is an unauthenticated bind and succeeds: an account's name
	// with no password is let in as that account (R-AUTH-2).
	{name: "empty-password-binds", rule: features.AUTH2, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if user, pass, ok := r.BasicAuth(); ok && pass == "" {
			for _, a := range s.Accounts() {
				if a.Username == user {
					r.SetBasicAuth(a.Username, a.Password)
				}
			}
		}
		return false
	})},
	// Refuses a body whose Content-Length is over the limit before it looks
	// at the credentials, as a proxy's client_max_body_size in front of the
	// application does: a wrong password is answered 413, not 401
	// (R-AUTH-4).
	{name: "size-checked-before-credentials", rule: features.AUTH4, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		if importing(r) && r.ContentLength > s.MaxBody() && !s.Authorised(r) {
			s.Refuse(w, r, s.Refusals().TooLarge)
			return true
		}
		return false
	})},
	// Imports rows as the upload streams in and stops at the limit, so a
	// body over the limit is refused 413 with the rows before the limit
	// kept (R-HTTP-5, nothing imported).
	{name: "rows-imported-before-limit", rule: features.HTTP5, wrap: before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		boundary, ok := uploading(s, r)
		if !ok {
			return false
		}
		raw, _ := io.ReadAll(io.LimitReader(r.Body, s.MaxBody()+1))
		if int64(len(raw)) <= s.MaxBody() {
			r.Body = io.NopCloser(bytes.NewReader(raw))
			return false
		}
		empty, _ := fileBody(nil) // what the body the head is imported in adds
		if head := streamedHead(raw[:max(s.MaxBody()-int64(len(empty)), 0)], boundary); head != nil {
			body, ctype := fileBody(head)
			req := r.Clone(r.Context())
			req.Header.Set("Content-Type", ctype)
			req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			s.ServeHTTP(&answer{ResponseWriter: w, header: http.Header{}}, req) // imported, its answer never sent
		}
		s.Refuse(w, r, s.Refusals().TooLarge)
		return true
	})},
	// Reads a text field named file as the CSV when no part has a file
	// name, as a server that also takes curl -F "file=<users.csv" (the
	// file's content as a text field) does: a multipart body without a
	// file part is imported (R-HTTP-3).
	{name: "text-field-named-file-read", rule: features.HTTP3, wrap: upload(func(raw []byte, boundary string) ([]byte, *seam.Refusal) {
		hasFile := false
		parts(raw, boundary, func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal) {
			hasFile = hasFile || fileName(h) != ""
			return body, nil
		})
		if hasFile {
			return raw, nil
		}
		return parts(raw, boundary, func(h textproto.MIMEHeader, body []byte) ([]byte, *seam.Refusal) {
			if formName(h) == "file" && !strings.Contains(strings.ToLower(h.Get("Content-Disposition")), "filename") {
				h.Set("Content-Disposition", `form-data; name="file"; filename="file"`)
			}
			return body, nil
		})
	})},
	// Refuses a character that Python's str.isprintable or Go's
	// unicode.IsPrint rejects: a no-break or ideographic space inside a
	// name ("Mary Ann", "山田　太郎") is taken for a control character
	// (R-ROW-15).
	{name: "non-ascii-spaces-refused", rule: features.ROW15, judges: func(j *engine.Judges) {
		eachText(j, func(r *engine.Row, c rules.Column, v string) {
			if r.Reason(c) == "" && strings.ContainsFunc(v, func(ch rune) bool { return !unicode.IsPrint(ch) }) {
				r.Fail(c, features.ROW15, engine.FieldMessage(c, "contains control characters."))
			}
		})
	}},
	// Compares levels as PHP's in_array with loose == does: two numeric
	// strings compare as numbers, so 07, 7.0 and 7e0 are the declared
	// level 7 (R-ROW-8).
	{name: "level-compared-as-number", rule: features.ROW8, judges: declaredAsPattern(features.ROW8, rules.AcademicLevel, engine.DeclaredLevels, func(v, declared string) bool {
		x, errV := strconv.ParseFloat(v, 64)
		y, errD := strconv.ParseFloat(declared, 64)
		return errV == nil && errD == nil && x == y
	})},
	// Matches groups after Python's " ".join(v.split()), so a group
	// written with its inner space doubled, or a no-break space, is the
	// current group (R-ROW-14).
	{name: "group-white-space-collapsed", rule: features.ROW14, judges: declaredAsPattern(features.ROW14, rules.PresentationGroupLabel, engine.DeclaredGroups, func(v, declared string) bool {
		return strings.Join(strings.Fields(v), " ") == declared
	})},
	// Writes the reasons of the rules that look the patron up after the
	// cells' own, not in column order (R-RES-3).
	{name: "patron-reasons-last", rule: features.RES3, judges: func(j *engine.Judges) {
		failure := j.Words.Failure
		j.Words.Failure = func(reasons []rules.Reason) string {
			var cells, patron []rules.Reason
			for _, why := range reasons {
				if slices.Contains([]string{features.ROW3, features.ROW5, features.ROW6, features.ROW10, features.ROW11}, why.Rule) {
					patron = append(patron, why)
				} else {
					cells = append(cells, why)
				}
			}
			return failure(append(cells, patron...))
		}
	}},
	// Counts from MySQL's affected rows for ON DUPLICATE KEY UPDATE: an
	// update that changes nothing is answered User Updated but counted
	// nowhere (R-RES-2).
	{name: "unchanged-update-not-counted", rule: features.RES2, judges: func(j *engine.Judges) {
		unchanged := false // the row just applied changed nothing stored
		reword := j.Reword
		j.Reword = func(r *engine.Row, o rules.Outcome) rules.Outcome {
			unchanged = o == rules.Updated && engine.Merge(r) == r.Stored.Patron
			if reword != nil {
				return reword(r, o)
			}
			return o
		}
		counted := j.Words.Counted
		j.Words.Counted = func(o rules.Outcome) rules.Outcome {
			if o == rules.Updated && unchanged {
				unchanged = false
				return 0 // no count
			}
			return counted(o)
		}
	}},
	// Numbers rows as Python's csv.reader.line_num - 1 does once blank
	// lines are dropped: a quoted line break moves every later row's
	// number up by one (R-CSV-8).
	{name: "rows-numbered-by-line", rule: features.CSV8, wrap: func(s seam.Server, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var sent []byte
			renumbered := after(func(a *answer) {
				if a.status != http.StatusOK || sent == nil {
					return
				}
				nums := lineNumbers(sent)
				key := regexp.MustCompile(`([{,])"(\d+)":"`)
				a.body = key.ReplaceAllFunc(a.body, func(m []byte) []byte {
					sub := key.FindSubmatch(m)
					n, _ := strconv.Atoi(string(sub[2]))
					if n >= 1 && n <= len(nums) {
						n = nums[n-1]
					}
					return fmt.Appendf(nil, `%s"%d":"`, sub[1], n)
				})
			})
			file(func(csv []byte) ([]byte, *seam.Refusal) { sent = csv; return csv, nil })(s, renumbered(s, next)).ServeHTTP(w, r)
		})
	}},
}
