package mockserver

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver/rules"
)

// deviant wraps the server in the rules of the endpoint it breaks on
// purpose (the deviations of rules.Deviations that sit above the rule
// engine), to show that the conformance suite notices. The server itself
// knows nothing of them: each is done here, to the request before the
// server sees it or to the answer after, and WithDeviations, which only
// tests call, is the one way here.
func (s *server) deviant(d rules.Deviations) http.Handler {
	memory := &deviantMemory{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.deviateWire(w, r, d, memory) {
			return
		}
		if d.Has(rules.OptionsAnswered) && r.Method == http.MethodOptions && r.URL.Path == api.ImportPath {
			w.Header().Set("Allow", "POST, OPTIONS") // R-HTTP-4
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if d.Has(rules.PrefixRouting) && strings.HasPrefix(r.URL.Path, api.ImportPath+"/") {
			r.URL.Path = api.ImportPath // R-HTTP-4
		}
		if user, pass, ok := r.BasicAuth(); ok && d.HasAny(rules.PasswordCaseInsensitive, rules.AccountNameCaseInsensitive) {
			for _, a := range s.accounts { // R-AUTH-1
				if d.Has(rules.PasswordCaseInsensitive) && a.Username == user && strings.EqualFold(a.Password, pass) ||
					d.Has(rules.AccountNameCaseInsensitive) && strings.EqualFold(a.Username, user) && a.Password == pass {
					r.SetBasicAuth(a.Username, a.Password)
				}
			}
		}
		if rt, ok := s.route(r.URL.Path); ok && rt.admin && slices.Contains(rt.methods, r.Method) {
			account, known := s.account(r)
			switch {
			case known && !account.Admin && d.Has(rules.NonAdminForbidden): // R-AUTH-4
				leaveBody(w, r)
				writeJSON(w, r, http.StatusForbidden, rules.Refusal(unauthorisedSummary))
				return
			case known && !account.Admin && d.Has(rules.NonAdminAccepted): // R-AUTH-1
				admin := s.accounts[s.adminIndex()]
				r.SetBasicAuth(admin.Username, admin.Password)
			}
			if d.Has(rules.BodyReadBeforeAuth) { // R-AUTH-4
				body, _ := io.ReadAll(io.LimitReader(r.Body, s.maxBody))
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
		}
		if _, ok := s.authorised(r); ok && r.Method == http.MethodPost && r.URL.Path == api.ImportPath && d.Has(rules.LimitReachedRefused) { // R-HTTP-5
			body, _ := io.ReadAll(io.LimitReader(r.Body, s.maxBody+1))
			if int64(len(body)) == s.maxBody {
				s.writeError(w, r, errTooLarge(s.maxBody))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		if _, ok := s.authorised(r); ok && r.Method == http.MethodPost && r.URL.Path == api.ImportPath && d.In(rules.OnUpload) {
			// Only once the credentials would pass: the server refuses
			// others before it reads the upload (R-AUTH-4).
			if e := s.deviateUpload(r, d); e != nil {
				s.writeError(w, r, e)
				return
			}
		}
		if !d.In(rules.OnAnswer) {
			s.ServeHTTP(w, r)
			return
		}
		rec := &answer{ResponseWriter: w, header: http.Header{}}
		s.ServeHTTP(rec, r)
		rec.deviate(d)
	})
}

// account returns the account whose credentials r carries, if any.
func (s *server) account(r *http.Request) (Account, bool) {
	user, pass, ok := r.BasicAuth()
	for _, a := range s.accounts {
		if ok && a.Username == user && a.Password == pass {
			return a, true
		}
	}
	return Account{}, false
}

func (s *server) adminIndex() int {
	for i, a := range s.accounts {
		if a.Admin {
			return i
		}
	}
	return 0
}

// deviateUpload rewrites the multipart upload of r as the upload
// deviations would read it, or refuses it.
func (s *server) deviateUpload(r *http.Request, d rules.Deviations) *apiError {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, s.maxBody+1))
	if err != nil {
		return &apiError{http.StatusBadRequest, err.Error()}
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	var out bytes.Buffer
	mw := multipart.NewWriter(&out)
	if mw.SetBoundary(params["boundary"]) != nil {
		return nil
	}
	mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil // not multipart the server could read either: it says so
		}
		body, err := io.ReadAll(part)
		if err != nil {
			return nil
		}
		header := textproto.MIMEHeader{}
		for k, v := range part.Header {
			header[k] = v
		}
		disposition := header.Get("Content-Disposition")
		named := part.FileName() != ""
		if d.Has(rules.EmptyFileNameIsFile) && !named && strings.Contains(disposition, "filename=") { // R-HTTP-2
			header.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename="upload"`, part.FormName()))
			named = true
		}
		if d.Has(rules.OnlyFilePartNamedFile) && named && part.FormName() != "file" { // R-HTTP-2
			header.Set("Content-Disposition", fmt.Sprintf("form-data; name=%q", part.FormName()))
			named = false
		}
		if named && !found {
			found = true
			if d.Has(rules.LastLineWithoutBreakDropped) && len(body) > 0 && body[len(body)-1] != '\n' { // R-CSV-5
				body = body[:bytes.LastIndexByte(body, '\n')+1]
			}
			if rest, ok := bytes.CutPrefix(body, []byte("\ufeff")); ok && d.Has(rules.BOMSkippedOnlyBeforeUsername) &&
				!bytes.HasPrefix(bytes.ToLower(rest), []byte("username")) { // R-CSV-4
				// The mark stays part of the first name, which then names
				// no column; the engine would skip a mark, so it is kept as
				// a character the engine does not skip.
				body = append([]byte("\u200b"), rest...)
			}
			if d.Has(rules.BlankFileRefused) && len(body) > 0 && len(bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\ufeff")))) == 0 { // R-CSV-1
				return &apiError{http.StatusBadRequest, "Missing mandatory column (username)."}
			}
			if d.Has(rules.FinalCRRefused) && bytes.HasSuffix(body, []byte("\r")) { // R-CSV-6
				return &apiError{http.StatusBadRequest, fmt.Sprintf("CSV syntax error on line %d: the file ends with a carriage return alone.", bytes.Count(body, []byte("\n"))+1)}
			}
			if d.Has(rules.BlankLinesBeforeHeaderRefused) { // R-CSV-5
				first, _, _ := bytes.Cut(body, []byte("\n"))
				if len(body) > 0 && len(bytes.TrimSpace(first)) == 0 {
					return &apiError{http.StatusBadRequest, "Missing mandatory column (username)."}
				}
			}
		}
		pw, err := mw.CreatePart(header)
		if err != nil {
			return nil
		}
		pw.Write(body)
	}
	mw.Close()
	r.Body, r.ContentLength = io.NopCloser(&out), int64(out.Len())
	return nil
}

// answer holds a deviant server's answer back, to change it before it is
// sent.
type answer struct {
	http.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *answer) Header() http.Header { return a.header }

func (a *answer) WriteHeader(code int) {
	if a.status == 0 {
		a.status = code
	}
}

func (a *answer) Write(p []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's deadlines.
func (a *answer) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// deviate sends the answer, broken as d says.
func (a *answer) deviate(d rules.Deviations) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	body := a.body.Bytes()
	switch {
	case d.Has(rules.WrongAuthSummary) && a.status == http.StatusUnauthorized: // R-AUTH-2
		body = rules.Refusal(deviatedAuthSummary)
	case d.Has(rules.HTMLErrorPages) && (a.status == http.StatusNotFound || a.status == http.StatusMethodNotAllowed): // R-HTTP-6
		a.header.Set("Content-Type", "text/html; charset=utf-8")
		body = fmt.Appendf(nil, "<html><body><h1>%d</h1></body></html>", a.status)
	case d.Has(rules.LoneCRLineAfter) && a.status == http.StatusBadRequest: // R-CSV-6
		loneCRLine := regexp.MustCompile(`CSV syntax error on line (\d+): a line ends with a carriage return alone`)
		body = loneCRLine.ReplaceAllFunc(body, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(loneCRLine.FindSubmatch(m)[1]))
			return fmt.Appendf(nil, "CSV syntax error on line %d: a line ends with a carriage return alone", n+1)
		})
	case d.Has(rules.SemicolonsSummaryOwn) && a.status == http.StatusBadRequest: // R-CSV-3
		body = bytes.Replace(body, []byte("Missing mandatory column (username). The file is separated by semicolons"), []byte("The file is separated by semicolons"), 1)
	case d.Has(rules.FailedImportsAnswered422) && a.status == http.StatusOK && bytes.HasPrefix(body, []byte(`{"success":false`)): // R-RES-4
		a.status = http.StatusUnprocessableEntity
	case d.Has(rules.LimitAnsweredBadRequest) && a.status == http.StatusRequestEntityTooLarge: // R-HTTP-5
		a.status = http.StatusBadRequest
		body = rules.Refusal("multipart: NextPart: http: request body too large")
	case d.Has(rules.CharsetMissingOnRefusals) && (a.status == http.StatusBadRequest || a.status == http.StatusRequestEntityTooLarge ||
		a.status == http.StatusUnsupportedMediaType): // R-HTTP-6
		a.header.Set("Content-Type", "application/json")
	}
	body = deviateAnswerBody(body, d)
	for k, v := range a.header {
		a.ResponseWriter.Header()[k] = v
	}
	a.ResponseWriter.Header().Del("Content-Length")
	a.ResponseWriter.WriteHeader(a.status)
	a.ResponseWriter.Write(body)
}
