package mockserver

import (
	"encoding/json"
	"sync"
	"time"
)

// history keeps the latest imports, oldest first.
type history struct {
	mu      sync.Mutex
	limit   int
	entries []importRecord
}

// importRecord is one answered import request as /_mock/imports shows it.
type importRecord struct {
	Time     time.Time      `json:"time"`
	FileName string         `json:"filename"`
	Rows     int            `json:"rows"`
	Status   int            `json:"status"`
	Result   json.Marshaler `json:"result"`
}

func (h *history) add(rec importRecord) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, rec)
	if over := len(h.entries) - h.limit; over > 0 {
		h.entries = append(h.entries[:0:0], h.entries[over:]...)
	}
}

func (h *history) list() []importRecord {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]importRecord{}, h.entries...) // [] rather than null when empty
}

func (h *history) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = nil
}
