package mockserver

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver/rules"
)

const jsonType = "application/json; charset=utf-8"

// apiError is a request refused as a whole: its status and the summary of
// the JSON envelope {"success":false,"summary":…}.
type apiError struct {
	status  int
	summary string
}

// Error returns the status and the summary.
func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.summary) }

var (
	errUnauthorised = &apiError{http.StatusUnauthorized, unauthorisedSummary}
	errNoFilePart   = &apiError{http.StatusBadRequest, noFilePartSummary}             // R-HTTP-3
	errNotMultipart = &apiError{http.StatusUnsupportedMediaType, notMultipartSummary} // R-HTTP-3
	errNotFound     = &apiError{http.StatusNotFound, "Not found. The import endpoint is POST " + api.ImportPath + "."}
	errInternal     = &apiError{http.StatusInternalServerError, internalErrorSummary}
	errSpoolFailed  = &apiError{http.StatusInternalServerError, spoolErrorSummary}
)

func errTooLarge(limit int64) *apiError {
	return &apiError{http.StatusRequestEntityTooLarge,
		fmt.Sprintf("The request body is larger than the limit of %s; nothing was imported. Split the file or raise the limit.", FormatBytes(limit))}
}

func errMethod(method string, allow []string) *apiError {
	return &apiError{http.StatusMethodNotAllowed,
		fmt.Sprintf("Method %s is not allowed here; use %s.", method, strings.Join(allow, " or "))}
}

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
func (s *server) refuseImport(w http.ResponseWriter, r *http.Request, rec importRecord, e *apiError) {
	s.writeError(w, r, e)
	rec.Status, rec.Result = e.status, rawJSON(refusalBody(e))
	s.history.add(rec)
}
