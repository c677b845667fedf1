package engine

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Outcome is what happened to one row.
type Outcome uint8

// The outcomes of a row.
const (
	Created Outcome = iota + 1
	Updated
	Failed
)

// Reason is one reason a row failed. Column is -1 for a reason that concerns
// the whole row (R-CSV-7).
type Reason struct {
	Column Column
	Rule   string // the ID of the rule broken, e.g. R-ROW-13
	Text   string
	Value  string // the cell's value; never a password
}

// Result is the outcome of one import: the counts, and each row's outcome.
// It keeps one byte a row, eight bytes a failed row, and each distinct
// failure text once, so that even a large file's result stays small; the
// JSON is written from it on demand. A Result is not changed once the
// import has returned it.
type Result struct {
	Created, Updated, Failed int

	outcomes []Outcome
	failures []failure        // in row order
	texts    []string         // the distinct failure texts
	index    map[string]int32 // text → its place in texts, while the import runs
	textSize int              // bytes of texts
	leftOut  int              // failed rows whose text Trim left out
	words    wording
}

// leftOutText stands for a failure text that Trim left out.
const leftOutText = "(This row's failure text was left out of the import history to bound its memory.)"

// wording words a result the documented way; only a deviation
// (mockserver/deviant, through NewWith) replaces parts of it.
type wording struct {
	Count    func(n int) string            // "1 user", "2 users" (R-RES-2)
	Counted  func(o Outcome) Outcome       // which count an outcome adds to (R-RES-2)
	Failure  func(reasons []Reason) string // a failed row's text (R-RES-3)
	Details  func(r *Result) bool          // whether the answer has details (R-RES-3)
	Success  func(r *Result) bool          // R-RES-1
	FirstRow int                           // the number of the first row (R-CSV-8)
}

func documentedWording() wording {
	return wording{
		Count:    countUsers,
		Counted:  func(o Outcome) Outcome { return o },
		Failure:  failureMessage,
		Details:  func(r *Result) bool { return r.Failed > 0 },
		Success:  func(r *Result) bool { return r.Failed == 0 },
		FirstRow: 1,
	}
}

type failure struct {
	row  int32
	text int32 // in texts; -1 when left out
}

// Processed returns the number of rows processed.
func (r *Result) Processed() int { return len(r.outcomes) }

// Success reports whether no row failed (R-RES-1).
func (r *Result) Success() bool { return r.words.Success(r) }

// Row returns the outcome of row n (numbered from 1) and, for a failed row,
// its failure text.
func (r *Result) Row(n int) (Outcome, string) {
	if n < 1 || n > len(r.outcomes) {
		return 0, ""
	}
	o := r.outcomes[n-1]
	if o != Failed {
		return o, ""
	}
	return o, r.failureText(n)
}

// FailedRows returns how many rows failed, outcome by outcome (a judge
// that counts otherwise does not change it).
func (r *Result) FailedRows() int { return len(r.failures) }

// FailedRow returns the number of the i-th failed row, from 0, in file
// order.
func (r *Result) FailedRow(i int) int { return int(r.failures[i].row) }

// FailureGroup is one failure text of a result and the rows that failed
// with it.
type FailureGroup struct {
	Text  string `json:"text"`
	Rows  int    `json:"rows"`
	First int    `json:"first"` // the first row that failed with it
}

// FailureGroups groups the failed rows by their failure text, the most
// rows first (then by first row). Rows whose text was left out to bound
// memory form one group of their own.
func (r *Result) FailureGroups() []FailureGroup {
	at := map[int32]int{}
	var out []FailureGroup
	for _, f := range r.failures {
		i, ok := at[f.text]
		if !ok {
			i = len(out)
			at[f.text] = i
			out = append(out, FailureGroup{Text: r.text(f), First: int(f.row)})
		}
		out[i].Rows++
	}
	slices.SortStableFunc(out, func(a, b FailureGroup) int {
		if a.Rows != b.Rows {
			return b.Rows - a.Rows
		}
		return a.First - b.First
	})
	return out
}

func (r *Result) failureText(n int) string {
	lo, hi := 0, len(r.failures)
	for lo < hi {
		m := (lo + hi) / 2
		if int(r.failures[m].row) < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return r.text(r.failures[lo])
}

func (r *Result) text(f failure) string {
	if f.text < 0 {
		return leftOutText
	}
	return r.texts[f.text]
}

// Memory is about how many bytes the result holds, for a budget.
func (r *Result) Memory() int {
	return len(r.outcomes) + 8*len(r.failures) + r.textSize + 16*len(r.texts)
}

// LeftOut returns how many failed rows' texts Trim left out.
func (r *Result) LeftOut() int { return r.leftOut }

// Trim returns a copy of the result that holds at most about budget bytes
// of failure text: it keeps the counts and every row's outcome, and the
// texts of the first failed rows that fit; the others read as left out.
// The result itself is not changed.
func (r *Result) Trim(budget int) *Result {
	if r.textSize+16*len(r.texts) <= budget {
		return r
	}
	t := *r
	t.index = nil
	t.failures = slices.Clone(r.failures)
	t.texts, t.textSize, t.leftOut = nil, 0, r.leftOut
	kept := map[int32]int32{}
	for i, f := range t.failures {
		if f.text < 0 {
			continue
		}
		if k, ok := kept[f.text]; ok {
			t.failures[i].text = k
			continue
		}
		text := r.texts[f.text]
		if t.textSize+len(text)+16 > budget {
			t.failures[i].text = -1
			t.leftOut++
			continue
		}
		kept[f.text] = int32(len(t.texts))
		t.failures[i].text = int32(len(t.texts))
		t.texts = append(t.texts, text)
		t.textSize += len(text)
	}
	return &t
}

func (r *Result) add(o Outcome, reasons []Reason) {
	switch r.words.Counted(o) {
	case Created:
		r.Created++
	case Updated:
		r.Updated++
	case Failed:
		r.Failed++
	}
	r.outcomes = append(r.outcomes, o)
	if o == Failed {
		text := r.words.Failure(reasons)
		i, ok := r.index[text]
		if !ok {
			if r.index == nil {
				r.index = map[string]int32{}
			}
			i = int32(len(r.texts))
			r.index[text] = i
			r.texts = append(r.texts, text)
			r.textSize += len(text)
		}
		r.failures = append(r.failures, failure{row: int32(len(r.outcomes)), text: i})
	}
}

// failureMessage words a failed row the documented way: the first reason,
// "User failed to import:", then every reason, with one trailing space
// (R-RES-3).
func failureMessage(reasons []Reason) string {
	var b bytes.Buffer
	b.WriteString(reasons[0].Text)
	b.WriteString(" User failed to import:")
	for _, rs := range reasons {
		b.WriteByte(' ')
		b.WriteString(rs.Text)
	}
	b.WriteByte(' ')
	return b.String()
}

// Summary is the documented one-line summary (R-RES-2).
func (r *Result) Summary() string {
	c := r.words.Count
	return fmt.Sprintf("%s processed. %s created. %s updated. %s failed.",
		c(r.Processed()), c(r.Created), c(r.Updated), c(r.Failed))
}

// countUsers counts users the documented way: "user" for exactly one
// (R-RES-2).
func countUsers(n int) string {
	if n == 1 {
		return "1 user"
	}
	return strconv.Itoa(n) + " users"
}

// WriteJSON writes the documented JSON answer: success, summary and, when a
// row failed, details for every row in numeric order (R-RES-3, R-RES-4).
func (r *Result) WriteJSON(w io.Writer) error {
	size := 128 // a result without details
	if r.words.Details(r) {
		size = min(32<<10, 128+64*len(r.outcomes)) // a row's outcome, or most failures
	}
	bw := bufio.NewWriterSize(w, size)
	bw.WriteString(`{"success":`)
	bw.WriteString(strconv.FormatBool(r.Success()))
	bw.WriteString(`,"summary":`)
	writeJSONString(bw, r.Summary())
	if r.words.Details(r) {
		bw.WriteString(`,"details":{`)
		f := 0
		first := r.words.FirstRow
		for i, o := range r.outcomes {
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteByte('"')
			bw.WriteString(strconv.Itoa(i + first))
			bw.WriteString(`":`)
			switch o {
			case Created:
				bw.WriteString(`"User Created"`)
			case Updated:
				bw.WriteString(`"User Updated"`)
			default:
				writeJSONString(bw, r.text(r.failures[f]))
				f++
			}
		}
		bw.WriteByte('}')
	}
	bw.WriteByte('}')
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return nil
}

// MarshalJSON returns the documented JSON answer.
func (r *Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeJSONString writes s as a JSON string, leaving <, > and & as they are.
func writeJSONString(w *bufio.Writer, s string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// Refusal is the JSON answer for a request refused as a whole:
// {"success":false,"summary":…}.
func Refusal(summary string) []byte {
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	bw.WriteString(`{"success":false,"summary":`)
	writeJSONString(bw, summary)
	bw.WriteByte('}')
	bw.Flush()
	return b.Bytes()
}
