package mockserver

import (
	"net/http"
	"slices"

	"github.com/autosync/autosync/mockserver/internal/seam"
)

// seamView is what a seam's wrapper (WithSeam) sees of the server.
type seamView struct{ s *server }

func (v seamView) ServeHTTP(w http.ResponseWriter, r *http.Request) { v.s.ServeHTTP(w, r) }

func (v seamView) Accounts() []seam.Account {
	out := make([]seam.Account, len(v.s.accounts))
	for i, a := range v.s.accounts {
		out[i] = seam.Account{Username: a.Username, Password: a.Password, Admin: a.Admin}
	}
	return out
}

func (v seamView) MaxBody() int64 { return v.s.maxBody }

func (v seamView) Authorised(r *http.Request) bool {
	_, ok := v.s.authorised(r)
	return ok
}

func (v seamView) AdminRoute(r *http.Request) bool {
	rt, ok := v.s.route(r.URL.Path)
	return ok && rt.admin && slices.Contains(rt.methods, r.Method)
}

func (v seamView) WriteJSON(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	writeJSON(w, r, status, body)
}

func (v seamView) Refuse(w http.ResponseWriter, r *http.Request, e seam.Refusal) {
	v.s.writeError(w, r, errWrapped(e.Status, e.Summary))
}

func (v seamView) Refusals() seam.Refusals {
	refusal := func(e *apiError) seam.Refusal { return seam.Refusal{Status: e.status, Summary: e.summary} }
	return seam.Refusals{
		Unauthorised: refusal(errUnauthorised),
		NoFilePart:   refusal(errNoFilePart),
		TooLarge:     refusal(errTooLarge(v.s.maxBody)),
	}
}
