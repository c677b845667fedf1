package mockserver

import (
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/autosync/autosync/mockserver/rules"
)

// DefaultHistoryBudget is how much memory the import history may hold for
// the results it keeps: their counts, each row's outcome and the failure
// texts. Past it, the oldest entries lose their failure texts first, then
// the entries themselves; the newest keeps as many texts as fit.
const DefaultHistoryBudget = 64 << 20

// history keeps the latest imports, oldest first, within a memory budget.
type history struct {
	mu      sync.Mutex
	limit   int // entries
	budget  int // bytes of results
	entries []ImportRecord
	last    int // the ID of the latest entry
}

// ImportRecord is one answered import request as /_mock/imports shows it.
type ImportRecord struct {
	// ID numbers the entry from 1, for good: the web page's links to it
	// keep their meaning as older entries go.
	ID       int            `json:"id"`
	Time     time.Time      `json:"time"`
	FileName string         `json:"filename"`
	Rows     int            `json:"rows"`
	Status   int            `json:"status"`
	Result   json.Marshaler `json:"result"`
	// Fault names the fault from /_mock/faults the request met, if any.
	Fault string `json:"fault,omitempty"`
	// LeftOut counts the failed rows whose text the budget left out; their
	// outcome in result reads as left out.
	LeftOut int `json:"failuresLeftOut,omitempty"`

	// The line and username of the first keptHistoryRows rows, for the web
	// page's row table.
	lines []int32
	names []string
}

// keptHistoryRows is how many rows of each import the history keeps the
// line and username of.
const keptHistoryRows = 1000

func (rec *ImportRecord) memory() int {
	rows := 4 * len(rec.lines)
	for _, n := range rec.names {
		rows += 16 + len(n)
	}
	switch res := rec.Result.(type) {
	case *rules.Result:
		return rows + res.Memory()
	case rawJSON: // a refusal, or an answer read back from the state file
		return rows + len(res)
	}
	return rows + 256
}

// trim keeps at most budget bytes of rec's failure texts.
func (rec *ImportRecord) trim(budget int) {
	if res, ok := rec.Result.(*rules.Result); ok {
		res = res.Trim(budget)
		rec.Result, rec.LeftOut = res, res.LeftOut()
	}
}

// add appends rec, numbering it, and returns its ID.
func (h *history) add(rec ImportRecord) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case rec.ID == 0:
		h.last++
		rec.ID = h.last
	case rec.ID > h.last: // reserved, or read back from the state file
		h.last = rec.ID
	}
	rec.FileName = keptText(rec.FileName) // a name the client chose, kept or logged bounded
	rec.trim(h.budget / 2)                // the newest keeps what fits in half, leaving room for others
	h.entries = append(h.entries, rec)
	if over := len(h.entries) - h.limit; over > 0 {
		h.entries = slices.Delete(h.entries, 0, over) // in place: readers get copies
	}
	total := 0
	for i := range h.entries {
		total += h.entries[i].memory()
	}
	// Over budget: the oldest lose their texts, then go.
	for i := 0; total > h.budget && i < len(h.entries)-1; i++ {
		before := h.entries[i].memory()
		h.entries[i].trim(0)
		total -= before - h.entries[i].memory()
	}
	for total > h.budget && len(h.entries) > 1 {
		total -= h.entries[0].memory()
		h.entries = slices.Delete(h.entries, 0, 1)
	}
	return rec.ID
}

// reserve numbers an entry before it is added, so that the state file
// keeps the ID the page links to.
func (h *history) reserve() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.last++
	return h.last
}

// get returns the entry numbered id.
func (h *history) get(id int) (ImportRecord, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, rec := range h.entries {
		if rec.ID == id {
			return rec, true
		}
	}
	return ImportRecord{}, false
}

func (h *history) list() []ImportRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]ImportRecord{}, h.entries...) // [] rather than null when empty
}

func (h *history) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = nil
}
