package mockserver

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// PatronJSON is a patron as /_mock/patrons shows it (see
// rules.PatronJSON).
type PatronJSON = rules.PatronJSON

// NewPatronJSON returns p as /_mock/patrons shows it.
func NewPatronJSON(p store.Patron) PatronJSON { return rules.NewPatronJSON(p) }

func (s *server) servePatrons(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", jsonType)
	if r.Method == http.MethodHead {
		return
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	bw.WriteByte('[')
	first := true
	n := 0
	for p := range s.store.All() {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		if n++; n%1024 == 0 {
			s.answerDeadline(w) // a reader that keeps reading is not cut off
		}
		if err := enc.Encode(NewPatronJSON(p)); err != nil {
			s.log.Warn("patron list not delivered", "err", err)
			return
		}
	}
	bw.WriteString("]\n")
	bw.Flush()
}

func (s *server) servePatron(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/_mock/patrons/")
	p, ok := s.store.Get(name)
	if !ok {
		s.writeError(w, r, errNoPatron(name))
		return
	}
	body, err := json.Marshal(NewPatronJSON(p))
	if err != nil {
		s.writeError(w, r, errInternal)
		return
	}
	writeJSON(w, r, http.StatusOK, body)
}

// serveImports streams the history entry by entry, so that a slow reader
// holds no copy of it; each entry must be taken within the write bound.
func (s *server) serveImports(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", jsonType)
	if r.Method == http.MethodHead {
		return
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	bw.WriteByte('[')
	for i, rec := range s.history.list() {
		if i > 0 {
			bw.WriteByte(',')
		}
		s.answerDeadline(w)
		if err := enc.Encode(rec); err != nil {
			s.log.Warn("import history not delivered", "err", err)
			return
		}
	}
	bw.WriteString("]\n")
	bw.Flush()
}

func (s *server) serveReset(w http.ResponseWriter, r *http.Request) {
	if apiErr := s.reset(); apiErr != nil {
		s.writeError(w, r, apiErr)
		return
	}
	writeJSON(w, r, http.StatusOK, []byte(`{"success":true,"summary":"`+resetSummary+`"}`))
}

// reset removes every patron, the history and the files tried on the
// page, and with a state file says so there first.
func (s *server) reset() *apiError { return s.page.reset() }
