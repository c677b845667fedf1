package mockserver

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver/rules"
)

// Every answer the server gives of its own, as go-containerregistry's
// registry declares its errors: the summaries of the JSON envelope and
// the requests refused as a whole, with their statuses. A file's own
// problems (a missing column, a row that fails) are the rule engine's
// (package rules); the web page's sentences are its templates'.

// The summaries the server answers with.
const (
	unauthorisedSummary = "Unauthorised. Check credentials." // exactly (R-AUTH-2)
	noFilePartSummary   = `No CSV file found in the request. Send it as a multipart file part, e.g. curl -F "file=@users.csv".`
	notMultipartSummary = `The request body must be multipart/form-data with the CSV as a file part, e.g. curl -F "file=@users.csv".`
	// Neither of these two says "try again": a fault of the server's is
	// mostly one that would fail again the same way, and a client that
	// retries at once only repeats it. The log says which.
	internalErrorSummary = "Internal server error; nothing more was imported. The server's log says why; tell its administrator."
	spoolErrorSummary    = "The server could not keep the upload on its disk (its folder for uploads is missing, full or not writable); nothing was imported. Sending the file again will fail the same way until that is fixed: tell the server's administrator."
	resetSummary         = "All patrons and the import history were removed."
)

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
	errNoBoundary   = &apiError{http.StatusBadRequest, "The multipart/form-data Content-Type has no boundary; let your HTTP client build the multipart body."}
	errNotFound     = &apiError{http.StatusNotFound, "Not found. The import endpoint is POST " + api.ImportPath + "."}
	errInternal     = &apiError{http.StatusInternalServerError, internalErrorSummary}
	errSpoolFailed  = &apiError{http.StatusInternalServerError, spoolErrorSummary}
	// The state file (or another Persistence) could not keep what was done.
	errImportNotSaved = &apiError{http.StatusInternalServerError, "The import was applied but could not be saved to the state file; it will be lost if the server restarts. Check the disk, then import the file again."}
	errResetNotSaved  = &apiError{http.StatusInternalServerError, "The reset could not be saved to the state file; nothing was removed. Check the disk and try again."}
	errCrossSite      = &apiError{http.StatusForbidden,
		"Refused: the browser says this request comes from another site. The web page, scripts and clients such as curl are not affected; nothing was changed."}
	errFaultQueueFull = &apiError{http.StatusBadRequest, fmt.Sprintf("The fault queue holds at most %d faults; DELETE /_mock/faults to clear it.", maxQueuedFaults)}
)

// errFile is a file the rule engine refused whole (a missing column, bad
// CSV syntax): its summary is the engine's.
func errFile(fe *rules.FileError) *apiError { return &apiError{http.StatusBadRequest, fe.Summary} }

// errWrapped is a refusal a seam's wrapper (WithSeam) answers with.
func errWrapped(status int, summary string) *apiError { return &apiError{status, summary} }

func errTooLarge(limit int64) *apiError {
	return &apiError{http.StatusRequestEntityTooLarge,
		fmt.Sprintf("The request body is larger than the limit of %s; nothing was imported. Split the file or raise the limit.", FormatBytes(limit))}
}

func errMethod(method string, allow []string) *apiError {
	return &apiError{http.StatusMethodNotAllowed,
		fmt.Sprintf("Method %s is not allowed here; use %s.", method, strings.Join(allow, " or "))}
}

func errBadMultipart(err error) *apiError {
	return &apiError{http.StatusBadRequest,
		fmt.Sprintf("The request body is not valid multipart/form-data (%v); nothing was imported. Let your HTTP client build it, e.g. curl -F \"file=@users.csv\".", err)}
}

func errUnknownHost(host string) *apiError {
	return &apiError{http.StatusMisdirectedRequest, fmt.Sprintf(
		"This server does not answer for the host name %q. Use its IP address or localhost, or start it with --host %s.", host, hostOnly(host))}
}

func errNoPatron(username string) *apiError {
	return &apiError{http.StatusNotFound, fmt.Sprintf("No patron has the username '%s'.", username)}
}

func errFaultNotJSON(err error) *apiError {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(`The fault is not one JSON object of %s, with times (and body, for a status) (%v); e.g. {"status": 503, "times": 2}.`, faultKeys(), err)}
}

func errFaultUnknown(err error) *apiError {
	return &apiError{http.StatusBadRequest, "The fault is not one the server can make: " + err.Error() + "."}
}
