package mockserver

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/autosync/autosync/mockserver/rules"
)

// deviantMemory is what a deviant server keeps between requests: the
// columns of each roster's last import (rules.ColumnsOfLastImport).
type deviantMemory struct {
	mu      sync.Mutex
	columns map[string]map[string]bool // roster → the lower-case column names of its last import
}

// emptySuccess is the answer to an import of nothing (R-CSV-1).
var emptySuccess = []byte(`{"success":true,"summary":"0 users processed. 0 users created. 0 users updated. 0 users failed."}`)

// rowKey is a key of the answer's details of five digits or more.
const rowKey = `"(\d{5,})":"`

// deviateAnswerBody breaks the answer's JSON as d says.
func deviateAnswerBody(body []byte, d rules.Deviations) []byte {
	if d.Has(rules.QuotesUnescapedInJSON) { // R-RES-1
		body = bytes.ReplaceAll(body, []byte(`\"`), []byte(`"`))
	}
	if d.Has(rules.DetailsKeysAsText) { // R-RES-4
		var res struct {
			Success bool              `json:"success"`
			Summary string            `json:"summary"`
			Details map[string]string `json:"details,omitempty"`
		}
		if json.Unmarshal(body, &res) == nil && res.Details != nil {
			body, _ = json.Marshal(res) // a map's keys in text order
		}
	}
	if d.Has(rules.RowCounter16Bit) { // R-CSV-8
		body = regexp.MustCompile(rowKey).ReplaceAllFunc(body, func(m []byte) []byte {
			n, _ := strconv.Atoi(string(m[1 : len(m)-3]))
			return fmt.Appendf(nil, `"%d":"`, n&0xFFFF)
		})
	}
	return body
}

// emptyFromNonAdmin reports whether r carries the credentials of an
// account without admin privileges and an empty first file part.
func (s *server) emptyFromNonAdmin(r *http.Request) bool {
	account, known := s.account(r)
	if !known || account.Admin {
		return false
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, s.maxBody+1))
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

// deviateFile rewrites the first file part of a multipart body with f.
func deviateFile(raw []byte, boundary string, f func([]byte) ([]byte, *apiError)) ([]byte, *apiError) {
	mr := multipart.NewReader(bytes.NewReader(raw), boundary)
	var out bytes.Buffer
	mw := multipart.NewWriter(&out)
	if mw.SetBoundary(boundary) != nil {
		return raw, nil
	}
	done := false
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return raw, nil
		}
		body, err := io.ReadAll(p)
		if err != nil {
			return raw, nil
		}
		if p.FileName() != "" && !done {
			done = true
			var e *apiError
			if body, e = f(body); e != nil {
				return raw, e
			}
		}
		pw, err := mw.CreatePart(p.Header)
		if err != nil {
			return raw, nil
		}
		pw.Write(body)
	}
	mw.Close()
	return out.Bytes(), nil
}

// deviateCSV reads the file as the deviations of the file in d would.
func deviateCSV(file []byte, d rules.Deviations, memory *deviantMemory) ([]byte, *apiError) {
	if d.Has(rules.LinesCutAt64KiB) { // R-CSV-6
		sc := bufio.NewScanner(bytes.NewReader(file))
		line := 0
		for sc.Scan() {
			line++
		}
		if sc.Err() != nil {
			return nil, &apiError{http.StatusBadRequest, fmt.Sprintf("CSV syntax error on line %d: %v", line+1, sc.Err())}
		}
	}
	if d.Has(rules.BackslashEscapesQuote) { // R-CSV-5
		// RFC 4180 reads \"" inside quotes as \ and a quote, and the field
		// goes on: as fgetcsv reads \".
		file = bytes.ReplaceAll(file, []byte(`\"`), []byte(`\""`))
	}
	if d.Has(rules.OnlyFirstBatchImported) { // R-RES-2
		const batch = 10000
		lines := bytes.SplitAfterN(file, []byte("\n"), batch+2)
		if len(lines) > batch+1 {
			file = bytes.Join(lines[:batch+1], nil)
		}
	}
	if d.Has(rules.ColumnsOfLastImport) { // R-CSV-2
		file = memory.lastColumns(file)
	}
	return file, nil
}

// lastColumns keeps only the columns the roster's last import had, and
// remembers this import's. A roster is the usernames' stem: what comes
// before their last "-" (each scenario's own).
func (m *deviantMemory) lastColumns(file []byte) []byte {
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
