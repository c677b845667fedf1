package mockserver

import (
	"net/http"

	"github.com/autosync/autosync/mockserver/rules"
)

const jsonType = "application/json; charset=utf-8"

// writeJSON writes a JSON body with its status (R-HTTP-6). A HEAD request
// gets the headers alone.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	w.Header().Set("Content-Type", jsonType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func (s *server) writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+defaultRealm+`"`)
	}
	leaveBody(w, r)                           // refused before the body was read: 401, 404, 405, 413, 415
	writeJSON(w, r, e.status, refusalBody(e)) // R-HTTP-4, R-HTTP-6
}

// refusalBody is the JSON envelope of a refusal, as answered and as the
// import history keeps it.
func refusalBody(e *apiError) []byte {
	return rules.Refusal(e.summary)
}

// refuseImport answers an import request with e and records it in the
// import history.
func (s *server) refuseImport(w http.ResponseWriter, r *http.Request, rec ImportRecord, e *apiError) {
	s.writeError(w, r, e)
	rec.Status, rec.Result = e.status, rawJSON(refusalBody(e))
	s.history.add(rec)
}
