// Package steps holds the godog step definitions of the conformance suite
// and the runner that drives them against a target.
//
// The steps speak only HTTP to a Target and read answers as raw JSON, so a
// missing "details" and an empty one are different things. They never import
// the reference server's rule engine or result types: every expectation
// comes from the feature text, so the reference server and the suite cannot
// agree by construction.
package steps

import (
	"net/http"
	"strings"
)

// Target is an endpoint under test and the profile the suite needs to test
// it: credentials and values the target declares.
type Target struct {
	// BaseURL is the scheme and host, e.g. https://school.example; the import
	// path is added to it.
	BaseURL string
	Client  *http.Client

	Username, Password string
	// NonAdminUsername and NonAdminPassword name a valid account without
	// system administration privileges; without them R-AUTH-3 is skipped.
	NonAdminUsername, NonAdminPassword string

	// AcademicLevel is an import ID the target declares; PresentationGroup a
	// current presentation group.
	AcademicLevel     string
	PresentationGroup string

	// Prefix starts every username, barcode and admin id the run makes, so
	// that the target's own patrons are never touched.
	Prefix string

	// BodyLimit is the target's largest accepted body, in bytes; 0 skips the
	// R-HTTP-5 scenario.
	BodyLimit int64
}

// NoRedirects is the CheckRedirect of a target's client: a redirect is the
// target's answer, and following it would turn a POST into a GET without
// the file.
func NoRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (t Target) url(path string) string {
	return strings.TrimRight(t.BaseURL, "/") + path
}
