package mockserver

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/autosync/autosync/api"
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
	// refusal is the answer to credentials that may not import (R-AUTH-2,
	// R-AUTH-3, R-AUTH-4).
	refusal func(s *server, r *http.Request) *apiError
	// intercept may answer a request before it is routed, or change its
	// path, and says whether it answered (R-HTTP-4). Nil for the reference.
	intercept func(w http.ResponseWriter, r *http.Request) bool
	// file is what the import reads of the file part, or a refusal of it
	// (R-CSV-4, R-CSV-5). Nil for the reference, which reads the part.
	file func(part io.Reader) (io.Reader, *apiError)
}

func documentedHTTP() httpRules {
	return httpRules{
		mayImport:  func(a Account) bool { return a.Admin },
		beforeAuth: func(*server, *http.Request) {},
		summary:    func(e *apiError) string { return e.summary },
		writeError: writeJSONError,
		isCSV:      func(p *multipart.Part) bool { return p.FileName() != "" },
		refusal:    func(*server, *http.Request) *apiError { return errUnauthorised },
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
	if d.Has(rules.EmptyFileNameIsFile) {
		h.isCSV = func(p *multipart.Part) bool {
			return strings.Contains(p.Header.Get("Content-Disposition"), "filename=")
		}
	}
	if d.Has(rules.NonAdminForbidden) {
		h.refusal = func(s *server, r *http.Request) *apiError {
			user, pass, _ := r.BasicAuth()
			for _, a := range s.accounts {
				if a.Username == user && a.Password == pass && !a.Admin {
					return &apiError{http.StatusForbidden, unauthorisedSummary}
				}
			}
			return errUnauthorised
		}
	}
	if d.Has(rules.CharsetMissingOnRefusals) {
		write := h.writeError
		h.writeError = func(s *server, w http.ResponseWriter, r *http.Request, e *apiError) {
			switch e.status {
			case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(e.status)
				w.Write(s.refusalBody(e))
				return
			}
			write(s, w, r, e)
		}
	}
	if d.Has(rules.OptionsAnswered) || d.Has(rules.PrefixRouting) {
		h.intercept = func(w http.ResponseWriter, r *http.Request) bool {
			if d.Has(rules.OptionsAnswered) && r.Method == http.MethodOptions && r.URL.Path == api.ImportPath {
				w.Header().Set("Allow", "POST, OPTIONS")
				w.WriteHeader(http.StatusNoContent)
				return true
			}
			if d.Has(rules.PrefixRouting) && strings.HasPrefix(r.URL.Path, api.ImportPath+"/") {
				r.URL.Path = api.ImportPath
			}
			return false
		}
	}
	if d.Has(rules.LastLineWithoutBreakDropped) || d.Has(rules.BOMSkippedOnlyBeforeUsername) || d.Has(rules.BlankLinesBeforeHeaderRefused) {
		h.file = func(part io.Reader) (io.Reader, *apiError) {
			b, err := io.ReadAll(part)
			if err != nil {
				return nil, &apiError{http.StatusBadRequest, err.Error()}
			}
			if d.Has(rules.LastLineWithoutBreakDropped) && len(b) > 0 && b[len(b)-1] != '\n' {
				b = b[:bytes.LastIndexByte(b, '\n')+1]
			}
			if rest, ok := bytes.CutPrefix(b, []byte("\ufeff")); ok && d.Has(rules.BOMSkippedOnlyBeforeUsername) &&
				!bytes.HasPrefix(bytes.ToLower(rest), []byte("username")) {
				// The mark stays part of the first name, which then names
				// no column; the engine would skip a mark, so it is kept as
				// a character the engine does not skip.
				b = append([]byte("\u200b"), rest...)
			}
			if d.Has(rules.BlankLinesBeforeHeaderRefused) {
				first, _, _ := bytes.Cut(b, []byte("\n"))
				if len(b) > 0 && len(bytes.TrimSpace(first)) == 0 {
					return nil, &apiError{http.StatusBadRequest, "Missing mandatory column (username)."}
				}
			}
			return bytes.NewReader(b), nil
		}
	}
	return h
}
