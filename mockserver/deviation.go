package mockserver

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/autosync/autosync/mockserver/rules"
)

// httpRules are the rules of the endpoint that the server itself follows,
// above the rule engine. The reference server uses documentedHTTP;
// deviations (this file alone) replace some of them, to show that the
// conformance suite notices.
type httpRules struct {
	// mayImport says whether an account may import: only one with system
	// administration privileges (R-AUTH-1, R-AUTH-3).
	mayImport func(a Account) bool
	// beforeAuth runs before the credentials are looked at; the upload is
	// not read yet (R-AUTH-4).
	beforeAuth func(s *server, r *http.Request)
	// summary is the summary a refusal answers with (R-AUTH-2).
	summary func(e *apiError) string
	// writeError answers a refusal in JSON (R-HTTP-4, R-HTTP-6).
	writeError func(s *server, w http.ResponseWriter, r *http.Request, e *apiError)
	// isCSV says whether a part is the CSV: the first with a file name,
	// whatever its field name (R-HTTP-2).
	isCSV func(p *multipart.Part) bool
}

func documentedHTTP() httpRules {
	return httpRules{
		mayImport:  func(a Account) bool { return a.Admin },
		beforeAuth: func(*server, *http.Request) {},
		summary:    func(e *apiError) string { return e.summary },
		writeError: writeJSONError,
		isCSV:      func(p *multipart.Part) bool { return p.FileName() != "" },
	}
}

// deviate returns the rules with the server-level rules in d broken.
func deviate(h httpRules, d rules.Deviations) httpRules {
	if d.Has(rules.NonAdminAccepted) {
		h.mayImport = func(Account) bool { return true }
	}
	if d.Has(rules.BodyReadBeforeAuth) {
		h.beforeAuth = func(s *server, r *http.Request) {
			body, _ := io.ReadAll(io.LimitReader(r.Body, s.maxBody))
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
	}
	if d.Has(rules.WrongAuthSummary) {
		h.summary = func(e *apiError) string {
			if e.status == http.StatusUnauthorized {
				return deviatedAuthSummary
			}
			return e.summary
		}
	}
	if d.Has(rules.HTMLErrorPages) {
		h.writeError = func(s *server, w http.ResponseWriter, r *http.Request, e *apiError) {
			if e.status != http.StatusNotFound && e.status != http.StatusMethodNotAllowed {
				writeJSONError(s, w, r, e)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(e.status)
			fmt.Fprintf(w, "<html><body><h1>%d</h1></body></html>", e.status)
		}
	}
	if d.Has(rules.OnlyFilePartNamedFile) {
		h.isCSV = func(p *multipart.Part) bool { return p.FileName() != "" && p.FormName() == "file" }
	}
	return h
}
