package mockserver

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"regexp"
	"strings"

	"github.com/autosync/autosync/api"
	"github.com/autosync/autosync/mockserver/rules"
)

// The patterns the body deviations look for, compiled only when one is
// used (none of this is in autosync): a part's Content-Disposition line in
// any case, and a file name parameter not in quotes with the RFC 5987 one
// beside it.
const (
	partDisposition  = `(?im)^(content-disposition)(\s*:)`
	unquotedFileName = `(?i);\s*filename\*?=[^"\s;][^;\r\n]*`
)

// deviateWire breaks the rules of the wire on r, or answers it; it reports
// whether it answered.
func (s *server) deviateWire(w http.ResponseWriter, r *http.Request, d rules.Deviations, memory *deviantMemory) bool {
	if !d.In(rules.OnWire | rules.OnWireBody) {
		return false
	}
	if d.Has(rules.SchemeCaseSensitive) { // R-AUTH-1
		if a := r.Header.Get("Authorization"); a != "" && !strings.HasPrefix(a, "Basic ") {
			r.Header.Del("Authorization")
		}
	}
	if d.Has(rules.CookieSessionTrusted) && r.Header.Get("Authorization") == "" { // R-AUTH-2
		if _, err := r.Cookie("session"); err == nil {
			admin := s.accounts[s.adminIndex()]
			r.SetBasicAuth(admin.Username, admin.Password)
		}
	}
	if r.URL.Path != api.ImportPath || r.Method != http.MethodPost {
		return false
	}
	if d.Has(rules.NonAdminEmptyFileAccepted) && s.emptyFromNonAdmin(r) { // R-AUTH-3
		writeJSON(w, r, http.StatusOK, emptySuccess)
		return true
	}
	if d.Has(rules.QueryStringNotRouted) && r.URL.RawQuery != "" { // R-HTTP-1
		r.URL.Path += "?" + r.URL.RawQuery
		return false
	}
	if _, ok := s.authorised(r); !ok {
		return false // refused before the upload is read, as the server does
	}
	if d.Has(rules.ExpectRefused) && r.Header.Get("Expect") != "" { // R-HTTP-1
		writeJSON(w, r, http.StatusExpectationFailed, rules.Refusal("Expectation Failed."))
		return true
	}
	if d.Has(rules.ChunkedRefused) && r.ContentLength < 0 { // R-HTTP-1
		writeJSON(w, r, http.StatusLengthRequired, rules.Refusal("Length Required: send a Content-Length."))
		return true
	}
	ct := r.Header.Get("Content-Type")
	if d.Has(rules.EmptyBodyAccepted) && r.ContentLength == 0 && !strings.HasPrefix(strings.ToLower(ct), "multipart/") { // R-HTTP-3
		writeJSON(w, r, http.StatusOK, emptySuccess)
		return true
	}
	media, rest, _ := strings.Cut(ct, ";")
	if d.Has(rules.MediaTypeCaseSensitive) && strings.TrimSpace(media) != "multipart/form-data" { // R-HTTP-2
		r.Header.Set("Content-Type", "application/octet-stream")
		return false
	}
	if d.Has(rules.BoundaryMustComeFirst) && !strings.HasPrefix(strings.TrimSpace(rest), "boundary=") { // R-HTTP-2
		r.Header.Set("Content-Type", strings.TrimSpace(media))
		return false
	}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil || params["boundary"] == "" {
		return false
	}
	if d.Has(rules.QuotedBoundaryKeepsQuotes) && strings.Contains(rest, `boundary="`) { // R-HTTP-2
		r.Header.Set("Content-Type", mime.FormatMediaType("multipart/form-data", map[string]string{"boundary": `"` + params["boundary"] + `"`}))
		return false
	}
	if d.In(rules.OnWireBody) {
		if e := s.deviateWireBody(r, d, params["boundary"], memory); e != nil {
			s.writeError(w, r, e)
			return true
		}
	}
	return false
}

// deviateWireBody rewrites the upload of r as the body deviations read
// it, or refuses it.
func (s *server) deviateWireBody(r *http.Request, d rules.Deviations, boundary string, memory *deviantMemory) *apiError {
	raw, err := io.ReadAll(io.LimitReader(r.Body, s.maxBody+1))
	if err != nil {
		return &apiError{http.StatusBadRequest, err.Error()}
	}
	defer func() { r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw)) }()
	if d.Has(rules.PreambleRefused) && !bytes.HasPrefix(raw, []byte("--"+boundary)) { // R-HTTP-2
		return errNoFilePart
	}
	if d.Has(rules.PartHeadersCaseSensitive) { // R-HTTP-2
		re := regexp.MustCompile(partDisposition)
		raw = re.ReplaceAllFunc(raw, func(m []byte) []byte {
			if bytes.HasPrefix(m, []byte("Content-Disposition")) {
				return m
			}
			return re.ReplaceAll(m, []byte("X-Disposition$2"))
		})
	}
	if d.Has(rules.UnquotedFileNameNotAFile) { // R-HTTP-2
		raw = regexp.MustCompile(unquotedFileName).ReplaceAll(raw, nil)
	}
	if d.Has(rules.LastFilePartWins) { // R-HTTP-2
		raw = lastFileFirst(raw, boundary)
	}
	if d.HasAny(rules.BackslashEscapesQuote, rules.LinesCutAt64KiB, rules.OnlyFirstBatchImported, rules.ColumnsOfLastImport) {
		var e *apiError
		raw, e = deviateFile(raw, boundary, func(csv []byte) ([]byte, *apiError) { return deviateCSV(csv, d, memory) })
		return e
	}
	return nil
}

// lastFileFirst writes the multipart body raw again with its last file
// part first.
func lastFileFirst(raw []byte, boundary string) []byte {
	type stored struct {
		header textproto.MIMEHeader
		body   []byte
		file   bool
	}
	var parts []stored
	mr := multipart.NewReader(bytes.NewReader(raw), boundary)
	last := -1
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		body, err := io.ReadAll(p)
		if err != nil {
			return raw
		}
		parts = append(parts, stored{p.Header, body, p.FileName() != ""})
		if p.FileName() != "" {
			last = len(parts) - 1
		}
	}
	if last <= 0 {
		return raw
	}
	parts = append([]stored{parts[last]}, append(parts[:last:last], parts[last+1:]...)...)
	var out bytes.Buffer
	mw := multipart.NewWriter(&out)
	if mw.SetBoundary(boundary) != nil {
		return raw
	}
	for _, p := range parts {
		pw, err := mw.CreatePart(p.header)
		if err != nil {
			return raw
		}
		pw.Write(p.body)
	}
	mw.Close()
	return out.Bytes()
}
