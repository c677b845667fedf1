package deviant

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"sync"

	"github.com/autosync/autosync/mockserver/internal/seam"
)

// wire runs f before the server on an import whose credentials pass: the
// request as the server would read it otherwise, once it knows who asks.
func wire(f func(s seam.Server, w http.ResponseWriter, r *http.Request) bool) func(seam.Server, http.Handler) http.Handler {
	return before(func(s seam.Server, w http.ResponseWriter, r *http.Request) bool {
		return importing(r) && s.Authorised(r) && f(s, w, r)
	})
}

// emptySuccess is the answer to an import of nothing (R-CSV-1).
var emptySuccess = []byte(`{"success":true,"summary":"0 users processed. 0 users created. 0 users updated. 0 users failed."}`)

// emptyFromNonAdmin reports whether r carries the credentials of an
// account without admin privileges and an empty first file part.
func emptyFromNonAdmin(s seam.Server, r *http.Request) bool {
	account, known := account(s, r)
	if !known || account.Admin {
		return false
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, s.MaxBody()+1))
	r.Body = io.NopCloser(bytes.NewReader(raw))
	if err != nil {
		return false
	}
	mr, err := (&http.Request{Header: r.Header, Body: io.NopCloser(bytes.NewReader(raw))}).MultipartReader()
	if err != nil {
		return false
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return false
		}
		if p.FileName() != "" {
			n, _ := io.Copy(io.Discard, p)
			return n == 0
		}
	}
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

// rosterColumns is what a server that keeps a roster's columns remembers
// between requests: the columns of each roster's last import.
type rosterColumns struct {
	mu      sync.Mutex
	columns map[string]map[string]bool // roster → the lower-case column names of its last import
}

// lastColumns keeps only the columns the roster's last import had, and
// remembers this import's. A roster is the usernames' stem: what comes
// before their last "-" (each scenario's own).
func (m *rosterColumns) lastColumns(file []byte) []byte {
	cr := csv.NewReader(bytes.NewReader(file))
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	if err != nil || len(records) < 2 {
		return file
	}
	header := records[0]
	user := -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), "username") {
			user = i
		}
	}
	if user < 0 || user >= len(records[1]) {
		return file
	}
	roster := records[1][user]
	if i := strings.LastIndex(roster, "-"); i > 0 {
		roster = roster[:i]
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.columns == nil {
		m.columns = map[string]map[string]bool{}
	}
	last := m.columns[roster]
	now := map[string]bool{}
	for _, h := range header {
		now[strings.ToLower(strings.TrimSpace(h))] = true
	}
	m.columns[roster] = now
	if last == nil {
		return file
	}
	var keep []int
	for i, h := range header {
		if last[strings.ToLower(strings.TrimSpace(h))] {
			keep = append(keep, i)
		}
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for _, rec := range records {
		var cells []string
		for _, i := range keep {
			if i < len(rec) {
				cells = append(cells, rec[i])
			}
		}
		w.Write(cells)
	}
	w.Flush()
	return out.Bytes()
}

// streamedHead returns the complete lines of the first file part that raw,
// a multipart body cut short, holds so far, or nil.
func streamedHead(raw []byte, boundary string) []byte {
	mr := multipart.NewReader(bytes.NewReader(raw), boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil
		}
		if p.FileName() == "" {
			continue
		}
		got, _ := io.ReadAll(p)
		if i := bytes.LastIndexByte(got, '\n'); i >= 0 {
			return got[:i+1]
		}
		return nil
	}
}

// fileBody returns a multipart body of file alone, as the file part
// "file", and its Content-Type.
func fileBody(file []byte) ([]byte, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "users.csv")
	fw.Write(file)
	mw.Close()
	return body.Bytes(), mw.FormDataContentType()
}
