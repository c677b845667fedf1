package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/autosync/autosync/mockserver/store"
)

// Deviations is a set of rules the reference server breaks on purpose. They
// exist only so that a test can show the conformance suite fails against a
// server that breaks a rule; a server started for real has none.
type Deviations uint64

// The deviations, each named for what it breaks.
const (
	AlwaysPluralUsers Deviations = 1 << iota
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
	endDeviations
)

var deviationNames = map[Deviations]string{
	AlwaysPluralUsers:       "always-plural-users",
	DetailsMissing:          "details-missing",
	DetailsAlways:           "details-always",
	SuccessDespiteFailures:  "success-despite-failures",
	NonAdminAccepted:        "non-admin-accepted",
	CaseSensitiveBooleans:   "case-sensitive-booleans",
	NoDigitBooleans:         "no-digit-booleans",
	OptionalEnabled:         "optional-enabled",
	StudentsWithoutYear:     "students-without-year",
	AnyGender:               "any-gender",
	UncheckedEmail:          "unchecked-email",
	DuplicateBarcodes:       "duplicate-barcodes",
	AnyAcademicLevel:        "any-academic-level",
	ZeroBasedRows:           "zero-based-rows",
	OnlyFilePartNamedFile:   "only-file-part-named-file",
	UpdatesCountedAsCreates: "updates-counted-as-creates",
	PlainFailureText:        "plain-failure-text",
	EmptyFileRefused:        "empty-file-refused",
	WrongAuthSummary:        "wrong-auth-summary",
	MissingUsernameAccepted: "missing-username-accepted",
	StaffWithYearAccepted:   "staff-with-year-accepted",
	HTMLErrorPages:          "html-error-pages",
	BodyReadBeforeAuth:      "body-read-before-auth",
	AnyPresentationGroup:    "any-presentation-group",
	FailedRowsApplied:       "failed-rows-applied",
}

// Has reports whether every deviation in x is in d.
func (d Deviations) Has(x Deviations) bool { return d&x == x && x != 0 }

// AllDeviations returns every single deviation, in declaration order.
func AllDeviations() []Deviations {
	var out []Deviations
	for x := Deviations(1); x < endDeviations; x <<= 1 {
		out = append(out, x)
	}
	return out
}

// String returns the deviations' names, comma-separated.
func (d Deviations) String() string {
	var names []string
	for _, x := range AllDeviations() {
		if d.Has(x) {
			names = append(names, deviationNames[x])
		}
	}
	return strings.Join(names, ",")
}

// ParseDeviations reads a comma-separated list of deviation names.
func ParseDeviations(s string) (Deviations, error) {
	var d Deviations
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		found := false
		for x, n := range deviationNames {
			if n == name {
				d |= x
				found = true
			}
		}
		if !found {
			known := make([]string, 0, len(deviationNames))
			for _, n := range deviationNames {
				known = append(known, n)
			}
			slices.Sort(known)
			return 0, fmt.Errorf("rules: unknown deviation %q (known: %s)", name, strings.Join(known, ", "))
		}
	}
	return d, nil
}

// apply returns the judges with the rules in d broken: the one place where
// a deviation changes a verdict. The rule functions do not know deviations
// exist.
func (d Deviations) apply(j judges) judges {
	if d == 0 {
		return j
	}
	// Rules that judge cells.
	if d.Has(CaseSensitiveBooleans) {
		wrapCells(&j, "R-ROW-4", func(r *row) {
			for _, c := range [...]Column{Enabled, StaffMember} {
				if v := r.vals[c]; v != "" && r.reason(c) == "" && !slices.Contains(trueFlags[:], v) && !slices.Contains(falseFlags[:], v) {
					r.fail(c, "R-ROW-4", booleanMessage(c))
					setTri(r, c, invalid)
				}
			}
		})
	}
	if d.Has(NoDigitBooleans) {
		wrapCells(&j, "R-ROW-4", func(r *row) {
			for _, c := range [...]Column{Enabled, StaffMember} {
				if v := r.vals[c]; v == "1" || v == "0" {
					r.fail(c, "R-ROW-4", booleanMessage(c))
					setTri(r, c, invalid)
				}
			}
		})
	}
	if d.Has(AnyGender) {
		wrapCells(&j, "R-ROW-12", func(r *row) {
			r.vals[Gender] = strings.ToUpper(r.vals[Gender])
			forgive(r, "R-ROW-12")
		})
	}
	for _, x := range []struct {
		dev  Deviations
		rule string
	}{{UncheckedEmail, "R-ROW-13"}, {AnyAcademicLevel, "R-ROW-8"}, {AnyPresentationGroup, "R-ROW-14"}} {
		if d.Has(x.dev) {
			wrapCells(&j, x.rule, func(r *row) { forgive(r, x.rule) })
		}
	}
	// Rules that need the store.
	for _, x := range []struct {
		dev  Deviations
		rule string
	}{{OptionalEnabled, "R-ROW-3"}, {StudentsWithoutYear, "R-ROW-5"}, {StaffWithYearAccepted, "R-ROW-6"}, {DuplicateBarcodes, "R-ROW-10"}} {
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
	// The file.
	if d.Has(EmptyFileRefused) {
		j.emptyFile = func() error { return &FileError{Summary: "The file is empty."} }
	}
	if d.Has(MissingUsernameAccepted) {
		j.badHeader = func(error) error { return nil }
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
