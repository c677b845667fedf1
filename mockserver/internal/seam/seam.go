// Package seam is the one point where the reference server can be built
// otherwise than its options allow: with another rule engine, and wrapped
// in a handler that sees the server's accounts and answers. Only packages
// under mockserver can name it; mockserver/deviant uses it to break rules
// on purpose, for the tests that show the conformance suite notices. A
// server started for real never goes through it.
package seam

import (
	"net/http"

	"github.com/autosync/autosync/mockserver/rules"
)

// Build is how a server is built otherwise. Either field may be nil.
type Build struct {
	// Engine makes the server's rule engine for its configuration.
	Engine func(cfg rules.Config) (*rules.Engine, error)
	// Wrap returns the handler that answers in the server's place; it
	// passes requests on to s.
	Wrap func(s Server) http.Handler
	// Serial makes the server run one import or check at a time, for an
	// engine that remembers the rows of the file it is in.
	Serial bool
}

// Account is one account the server knows.
type Account struct {
	Username, Password string
	Admin              bool
}

// Refusal is a request refused as a whole: its status and the summary of
// its JSON envelope.
type Refusal struct {
	Status  int
	Summary string
}

// Server is what a wrapper sees of the server it wraps.
type Server interface {
	http.Handler
	// Accounts returns the accounts the server knows.
	Accounts() []Account
	// MaxBody returns the body limit, in bytes.
	MaxBody() int64
	// Authorised reports whether r carries an admin's credentials.
	Authorised(r *http.Request) bool
	// AdminRoute reports whether r asks a path that needs an admin's
	// credentials, with a method the path allows.
	AdminRoute(r *http.Request) bool
	// WriteJSON answers r with a JSON body, as the server answers.
	WriteJSON(w http.ResponseWriter, r *http.Request, status int, body []byte)
	// Refuse answers r with a refusal, as the server refuses a request.
	Refuse(w http.ResponseWriter, r *http.Request, e Refusal)
	// Refusals returns the refusals of the server's own that a wrapper
	// may need to answer with.
	Refusals() Refusals
}

// Refusals are some of the server's own refusals.
type Refusals struct {
	Unauthorised Refusal // wrong or missing credentials (R-AUTH-2)
	NoFilePart   Refusal // a multipart body without a file part (R-HTTP-3)
	TooLarge     Refusal // a body over the limit (R-HTTP-5)
}
