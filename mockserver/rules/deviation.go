package rules

import (
	"fmt"
	"slices"
	"strings"
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
