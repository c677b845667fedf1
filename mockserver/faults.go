package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/autosync/autosync/mockserver/rules"
)

// Fault is a way the server answers an import badly on purpose, so that a
// school's script can be tested against the unhappy paths: an error
// status, a proxy's HTML page, a delay, a connection reset, or an answer
// cut off.
type Fault struct {
	// Status answers with this HTTP status and a JSON refusal, or an HTML
	// page when Body is "html"; nothing is imported.
	Status int    `json:"status,omitempty"`
	Body   string `json:"body,omitempty"`
	// Delay holds the answer back this long (e.g. "5s"); the import then
	// runs as usual.
	Delay string `json:"delay,omitempty"`
	// Reset closes the connection without an answer; nothing is imported.
	Reset bool `json:"reset,omitempty"`
	// Truncate imports the file, then cuts the JSON answer off half-way.
	Truncate bool `json:"truncate,omitempty"`
	// Times is how many import requests get the fault (default 1).
	Times int `json:"times,omitempty"`

	delay time.Duration
}

// faultKind is one way the server answers an import badly. Each kind is
// one entry of faultKinds: its key in /_mock/faults' JSON, how its values
// are checked, named and spelled for serve --fault, and what it does at
// the steps of an import it acts at. A new kind is its field in Fault and
// its entry here.
type faultKind struct {
	key string // its key in the JSON of /_mock/faults
	// given reports whether f is of this kind.
	given func(f *Fault) bool
	// check refuses values that make no fault, filling in what it needs.
	check func(f *Fault) error
	// name names f as /_mock/imports shows it (and serve --fault spells it).
	name func(f Fault) string
	// spec is how serve --fault spells the kind, for its messages, and
	// examples are spellings of it; parse reads such a spelling into f, or
	// reports that kind is not this one's.
	spec     string
	examples []string
	parse    func(kind string, f *Fault) (bool, error)

	// The steps it acts at; nil where it does not.
	//
	// answer answers the request instead of the import (nothing is read
	// or imported); it may end the connection instead.
	// rec is the import's history entry, the fault named in it.
	answer func(s *server, w http.ResponseWriter, r *http.Request, f Fault, rec ImportRecord)
	// received runs once the upload is read, before it is imported, and
	// says whether the import goes on.
	received func(s *server, r *http.Request, f Fault, rec ImportRecord) bool
	// wrap wraps the import's answer, and returns what to do once it is
	// written.
	wrap func(w http.ResponseWriter) (http.ResponseWriter, func())
}

var faultKinds = []faultKind{
	{
		key:   "status",
		given: func(f *Fault) bool { return f.Status != 0 },
		check: func(f *Fault) error {
			if f.Status < 400 || f.Status > 599 {
				return fmt.Errorf("status %d: give an error status, 400 to 599", f.Status)
			}
			if f.Body != "" && f.Body != "html" && f.Body != "json" {
				return fmt.Errorf(`body %q: give "json" (the default) or "html"`, f.Body)
			}
			return nil
		},
		name: func(f Fault) string {
			if f.Body == "html" {
				return strconv.Itoa(f.Status) + " html"
			}
			return strconv.Itoa(f.Status)
		},
		spec:     "an error status (503), 500html",
		examples: []string{"503", "500html"},
		parse: func(kind string, f *Fault) (bool, error) {
			var err error
			if code, ok := strings.CutSuffix(kind, "html"); ok {
				f.Body = "html"
				kind = code
			}
			f.Status, err = strconv.Atoi(kind)
			return err == nil, nil
		},
		answer: answerStatus,
	},
	{
		key:   "delay",
		given: func(f *Fault) bool { return f.Delay != "" },
		check: func(f *Fault) error {
			d, err := time.ParseDuration(f.Delay)
			if err != nil || d <= 0 || d > 10*time.Minute {
				return fmt.Errorf("delay %q: give a duration such as \"5s\", at most 10m", f.Delay)
			}
			f.delay = d
			return nil
		},
		name:     func(f Fault) string { return "delay " + f.delay.String() },
		spec:     "delay=5s",
		examples: []string{"delay=5s"},
		parse: func(kind string, f *Fault) (bool, error) {
			d, ok := strings.CutPrefix(kind, "delay=")
			f.Delay = d
			return ok, nil
		},
		received: (*server).delayed,
	},
	{
		key:      "reset",
		given:    func(f *Fault) bool { return f.Reset },
		check:    func(*Fault) error { return nil },
		name:     func(Fault) string { return "reset" },
		spec:     "reset",
		examples: []string{"reset"},
		parse:    func(kind string, f *Fault) (bool, error) { f.Reset = kind == "reset"; return f.Reset, nil },
		answer:   answerReset,
	},
	{
		key:      "truncate",
		given:    func(f *Fault) bool { return f.Truncate },
		check:    func(*Fault) error { return nil },
		name:     func(Fault) string { return "truncate" },
		spec:     "truncate",
		examples: []string{"truncate"},
		parse:    func(kind string, f *Fault) (bool, error) { f.Truncate = kind == "truncate"; return f.Truncate, nil },
		wrap: func(w http.ResponseWriter) (http.ResponseWriter, func()) {
			tw := &truncated{ResponseWriter: w}
			return tw, tw.cut
		},
	},
}

// kind returns the kind of a checked fault.
func (f *Fault) kind() *faultKind {
	for i := range faultKinds {
		if faultKinds[i].given(f) {
			return &faultKinds[i]
		}
	}
	return nil
}

// String names the fault as /_mock/imports shows it.
func (f Fault) String() string {
	if k := f.kind(); k != nil {
		return k.name(f)
	}
	return "none"
}

// faultKeys lists the kinds' JSON keys, for messages: "status", "delay",
// "reset" or "truncate".
func faultKeys() string {
	var keys []string
	for _, k := range faultKinds {
		keys = append(keys, strconv.Quote(k.key))
	}
	return strings.Join(keys[:len(keys)-1], ", ") + " or " + keys[len(keys)-1]
}

// check fills in the defaults and refuses a fault that is not one.
func (f *Fault) check() error {
	if f.Times == 0 {
		f.Times = 1
	}
	var kind *faultKind
	for i := range faultKinds {
		if faultKinds[i].given(f) {
			if kind != nil {
				kind = nil
				break
			}
			kind = &faultKinds[i]
		}
	}
	switch {
	case kind == nil:
		return errors.New("give exactly one of " + faultKeys())
	case f.Times < 1 || f.Times > maxFaultTimes:
		return fmt.Errorf("times %d: give 1 to %d", f.Times, maxFaultTimes)
	}
	return kind.check(f)
}

// The fault queue's bounds: so many faults queued, each for so many
// imports at most.
const (
	maxQueuedFaults = 100
	maxFaultTimes   = 1000
)

// RandomFault is a fault that strikes an import request at random, at
// Rate (0 to 1), for soak tests.
type RandomFault struct {
	Fault
	Rate float64
}

// ParseRandomFault reads a serve --fault SPEC: KIND:RATE, where KIND is an
// error status (503), a status with an HTML page (500html), reset,
// truncate or delay=DURATION, and RATE is the share of import requests it
// strikes, e.g. "503:0.1" or "delay=5s:0.2".
func ParseRandomFault(spec string) (RandomFault, error) {
	kind, rate, ok := strings.Cut(spec, ":")
	r, err := strconv.ParseFloat(rate, 64)
	if !ok || err != nil || r <= 0 || r > 1 {
		return RandomFault{}, fmt.Errorf("fault %q: want KIND:RATE with a rate above 0 and at most 1, e.g. 503:0.1", spec)
	}
	var f Fault
	known := false
	for _, k := range faultKinds {
		if known, err = k.parse(kind, &f); known || err != nil {
			break
		}
		f = Fault{}
	}
	if !known || err != nil {
		var specs []string
		for _, k := range faultKinds {
			specs = append(specs, k.spec)
		}
		return RandomFault{}, fmt.Errorf("fault %q: want %s before the colon", spec, strings.Join(specs, ", "))
	}
	if err := f.check(); err != nil {
		return RandomFault{}, fmt.Errorf("fault %q: %w", spec, err)
	}
	return RandomFault{Fault: f, Rate: r}, nil
}

// FaultExamples returns a spelling of each kind of fault serve --fault
// takes before the colon ("503", "500html", "delay=5s", …), for its help.
func FaultExamples() []string {
	var out []string
	for _, k := range faultKinds {
		out = append(out, k.examples...)
	}
	return out
}

// WithRandomFaults makes import requests meet the faults at random.
func WithRandomFaults(faults ...RandomFault) Option {
	return func(s *server) { s.faults.random = append(s.faults.random, faults...) }
}

// faultQueue is the queue POST /_mock/faults fills, and the random faults.
type faultQueue struct {
	mu     sync.Mutex
	queue  []Fault
	random []RandomFault
}

// next takes the fault the next import request gets, if any.
func (q *faultQueue) next() (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.queue) > 0 {
		f := q.queue[0]
		if q.queue[0].Times--; q.queue[0].Times == 0 {
			q.queue = q.queue[1:]
		}
		f.Times = 1
		return f, true
	}
	for _, rf := range q.random {
		if rand.Float64() < rf.Rate {
			return rf.Fault, true
		}
	}
	return Fault{}, false
}

func (q *faultQueue) list() []Fault {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]Fault{}, q.queue...)
}

// serveFaults is /_mock/faults: GET lists the queue, POST adds a fault to
// it, DELETE clears it.
func (s *server) serveFaults(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
		var f Fault
		dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
		dec.DisallowUnknownFields()
		err := dec.Decode(&f)
		if err == nil && dec.More() {
			err = errors.New("more after the object")
		} else if err == nil {
			var rest json.RawMessage
			if dec.Decode(&rest) != io.EOF {
				err = errors.New("more after the object")
			}
		}
		if err != nil {
			s.writeError(w, r, errFaultNotJSON(err))
			return
		}
		if err := f.check(); err != nil {
			s.writeError(w, r, errFaultUnknown(err))
			return
		}
		s.faults.mu.Lock()
		full := len(s.faults.queue) >= maxQueuedFaults
		if !full {
			s.faults.queue = append(s.faults.queue, f)
		}
		s.faults.mu.Unlock()
		if full {
			s.writeError(w, r, errFaultQueueFull)
			return
		}
	case http.MethodDelete:
		s.faults.mu.Lock()
		s.faults.queue = nil
		s.faults.mu.Unlock()
	}
	body, _ := json.Marshal(s.faults.list()) // a list of plain values always encodes
	writeJSON(w, r, http.StatusOK, body)
}

// answerReset closes the connection of the import request r without an
// answer; nothing is imported.
func answerReset(s *server, _ http.ResponseWriter, _ *http.Request, _ Fault, rec ImportRecord) {
	rec.Result = rawJSON(`{"success":false,"summary":"The connection was reset without an answer (a fault from /_mock/faults)."}`)
	s.history.add(rec)
	panic(http.ErrAbortHandler) // net/http closes the connection
}

// answerStatus answers the import request r with the fault's status, in
// JSON or as a proxy's HTML page; nothing is imported.
func answerStatus(s *server, w http.ResponseWriter, r *http.Request, f Fault, rec ImportRecord) {
	leaveBody(w, r)
	summary := fmt.Sprintf("%s (a fault from /_mock/faults); nothing was imported.", http.StatusText(f.Status))
	rec.Status, rec.Result = f.Status, rawJSON(rules.Refusal(summary))
	s.history.add(rec)
	if f.Body == "html" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%d %s</h1><hr><p>proxy</p></body></html>\n",
			f.Status, http.StatusText(f.Status), f.Status, http.StatusText(f.Status))
		return
	}
	writeJSON(w, r, f.Status, rules.Refusal(summary))
}

// delayed holds an import back for a delay fault, once its upload has been
// read whole (so that a client that gives up is seen: net/http notices a
// closed connection only once the body is read). It reports whether the
// import is to go on: an import whose client gave up during the delay, or
// that the server's shutdown cut off, is never applied.
func (s *server) delayed(r *http.Request, f Fault, rec ImportRecord) bool {
	if f.delay <= 0 {
		return true
	}
	t := time.NewTimer(f.delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	}
	rec.Status = 0
	rec.Result = rawJSON(`{"success":false,"summary":"The client gave up, or the server stopped, during a delay from /_mock/faults; nothing was imported."}`)
	s.history.add(rec)
	return false
}

// truncated writes the first half of an answer, then cuts the connection.
type truncated struct {
	http.ResponseWriter
	buf []byte
}

// Write keeps the answer back, to cut it at its half.
func (t *truncated) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	return len(p), nil
}

// cut sends the first half and ends the connection.
func (t *truncated) cut() {
	t.ResponseWriter.Write(t.buf[:len(t.buf)/2])
	http.NewResponseController(t.ResponseWriter).Flush()
	panic(http.ErrAbortHandler)
}
