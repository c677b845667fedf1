// Package target speaks HTTP to an autoSync endpoint under test, for the
// conformance suite (package steps), autosync explore and any other client
// that judges a target: it sends uploads and requests and records each
// exchange with credentials redacted and a curl command that repeats it,
// runs the preflight that checks a target's settings before a run, notes
// the patrons a run created and disables them afterwards.
//
// It knows nothing of godog or of the reference server: a client of it
// brings its own expectations.
package target

import (
	"context"
	"net"
	"net/http"
	"strings"
	"unicode"
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

	// ReadOnly says the run must change nothing on the target (a
	// production endpoint): the preflight sends its empty file alone, not
	// its test student, and a scenario that would send a file with rows
	// under valid credentials is skipped before it does.
	ReadOnly bool

	// Dial, when set, opens a connection to the target for a request
	// written byte for byte (the ways of sending of package wire);
	// otherwise one is dialled to BaseURL's host, in TLS for https.
	Dial func(ctx context.Context) (net.Conn, error)
}

// NoRedirects is the CheckRedirect of a target's client: a redirect is the
// target's answer, and following it would turn a POST into a GET without
// the file.
func NoRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// URL returns the target's URL for path.
func (t Target) URL(path string) string {
	return strings.TrimRight(t.BaseURL, "/") + path
}

// Exit codes of a run: of autosync verify, autosync explore, and of a
// preflight that stops one.
const (
	ExitConformant  = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitUnreachable = 3
	// ExitInterrupted is a run stopped by SIGINT or SIGTERM with no rule
	// failed in what ran (128 + SIGINT, as shells report it).
	ExitInterrupted = 130
)

// SwapCase returns v with the case of each letter swapped ("Year 7" →
// "yEAR 7"), as scenarios and autosync explore send a name in another
// letter case than declared.
func SwapCase(v string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, v)
}
