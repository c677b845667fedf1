package rules

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
// It keeps one byte a row plus the text of failed rows, so that even a large
// file's result stays small; the JSON is written from it on demand.
type Result struct {
	Created, Updated, Failed int

	outcomes []Outcome
	failures []failure // in row order
	dev      Deviations
}

type failure struct {
	row  int
	text string
}

// Processed returns the number of rows processed.
func (r *Result) Processed() int { return len(r.outcomes) }

// Success reports whether no row failed (R-RES-1).
func (r *Result) Success() bool {
	return r.Failed == 0 || r.dev.Has(SuccessDespiteFailures)
}

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

func (r *Result) failureText(n int) string {
	lo, hi := 0, len(r.failures)
	for lo < hi {
		m := (lo + hi) / 2
		if r.failures[m].row < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return r.failures[lo].text
}

func (r *Result) add(o Outcome, reasons []Reason) {
	if o == Updated && r.dev.Has(UpdatesCountedAsCreates) {
		r.Created++
	} else {
		switch o {
		case Created:
			r.Created++
		case Updated:
			r.Updated++
		case Failed:
			r.Failed++
		}
	}
	r.outcomes = append(r.outcomes, o)
	if o == Failed {
		r.failures = append(r.failures, failure{row: len(r.outcomes), text: r.failureMessage(reasons)})
	}
}

// failureMessage words a failed row the documented way: the first reason,
// "User failed to import:", then every reason, with one trailing space.
func (r *Result) failureMessage(reasons []Reason) string {
	var b bytes.Buffer
	if r.dev.Has(PlainFailureText) {
		return reasons[0].Text
	}
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
	return fmt.Sprintf("%s processed. %s created. %s updated. %s failed.",
		r.count(r.Processed()), r.count(r.Created), r.count(r.Updated), r.count(r.Failed))
}

func (r *Result) count(n int) string {
	if n == 1 && !r.dev.Has(AlwaysPluralUsers) {
		return "1 user"
	}
	return strconv.Itoa(n) + " users"
}

// hasDetails reports whether the answer carries details (R-RES-3).
func (r *Result) hasDetails() bool {
	if r.dev.Has(DetailsMissing) {
		return false
	}
	return r.Failed > 0 || r.dev.Has(DetailsAlways)
}

// WriteJSON writes the documented JSON answer: success, summary and, when a
// row failed, details for every row in numeric order (R-RES-3, R-RES-4).
func (r *Result) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(`{"success":`)
	bw.WriteString(strconv.FormatBool(r.Success()))
	bw.WriteString(`,"summary":`)
	writeJSONString(bw, r.Summary())
	if r.hasDetails() {
		bw.WriteString(`,"details":{`)
		f := 0
		first := 1
		if r.dev.Has(ZeroBasedRows) {
			first = 0
		}
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
				writeJSONString(bw, r.failures[f].text)
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
