package lint

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// Thresholds say when a file's changes against the last accepted file are
// held back rather than sent.
type Thresholds struct {
	// Share is the fraction of the patrons both files hold whose barcode,
	// admin system id or form class may change at once (0.5: half).
	Share float64
	// Min is how many patrons both files must hold before a share is
	// judged, and how many new usernames matching a known patron under
	// another username are held back.
	Min int
}

// DefaultThresholds holds a file that rewrites half of the barcodes, ids
// or form classes of at least 20 known patrons, or whose new usernames
// name 20 or more known patrons under another username.
var DefaultThresholds = Thresholds{Share: 0.5, Min: 20}

// Hold is one reason to hold a file back: what is wrong, how many rows
// show it, and a few examples.
type Hold struct {
	Reason   string   `json:"reason"`
	Rows     int      `json:"rows,omitempty"`
	Examples []string `json:"examples"`
	Fix      string   `json:"fix"`
}

// maxExamples is how many examples a hold gives.
const maxExamples = 3

// see counts one more row that shows the hold's reason, keeping it as an
// example while there is room.
func (h *Hold) see(example string) {
	h.Rows++
	if len(h.Examples) < maxExamples {
		h.Examples = append(h.Examples, example)
	}
}

// guardRow is what the guard compares of a row.
type guardRow struct {
	username string
	barcode  string
	adminID  string
	form     string
}

// readGuardRows reads the rows of a CSV export by the server's header rules.
// Rows it cannot read are left out: the import judges those.
func readGuardRows(src io.Reader, each func(guardRow)) error {
	br := bufio.NewReader(src)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	var h *rules.Header
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if h == nil {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue
			}
			if h, err = rules.ParseHeader(rec); err != nil {
				return nil // no username column: nothing to compare
			}
			continue
		}
		cell := func(c rules.Column) string {
			if i := h.Position(c); i >= 0 && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		r := guardRow{username: cell(rules.Username), barcode: cell(rules.LibraryBarcode), adminID: cell(rules.AdminSystemID),
			form: cell(rules.FormClass)}
		if r.username != "" {
			each(r)
		}
	}
}

// Guard compares a file with the last file its target accepted and says
// why it should be held back, if it should: leading zeros lost from
// barcodes or ids the last file had, most barcodes, ids or form classes
// rewritten at once, or new usernames that name known patrons under
// another username (a changed username scheme, which would create a second
// patron for each). With no previous file (nil), only the damage lint sees
// in the file alone (see Report.Damage) holds it. A column the new file
// leaves out, or a cell it leaves blank, changes nothing and is not
// compared.
func Guard(prev, cur io.Reader, t Thresholds) ([]Hold, error) {
	if prev == nil {
		return nil, nil
	}
	known := map[string]guardRow{} // by store.Key(username)
	byID := map[string]string{}    // "b\x00barcode" or "a\x00admin id" → username
	if err := readGuardRows(prev, func(r guardRow) {
		known[store.Key(r.username)] = r
		if r.barcode != "" {
			byID["b\x00"+r.barcode] = r.username
		}
		if r.adminID != "" {
			byID["a\x00"+r.adminID] = r.username
		}
	}); err != nil {
		return nil, fmt.Errorf("the last accepted file: %w", err)
	}
	var zeros, rewritten [3]Hold // barcode, admin id, form class
	var renamed Hold
	both := 0
	compare := func(i int, name, was, now, username string) {
		if was == "" || now == "" || was == now {
			return
		}
		ex := fmt.Sprintf("%s: %s %q was %q", username, name, now, was)
		if strings.TrimLeft(was, "0") == now && was[0] == '0' {
			zeros[i].see(ex)
			return
		}
		rewritten[i].see(ex)
	}
	err := readGuardRows(cur, func(r guardRow) {
		old, ok := known[store.Key(r.username)]
		if !ok {
			for _, id := range [...]string{"a\x00" + r.adminID, "b\x00" + r.barcode} {
				if len(id) > 2 {
					if other, ok := byID[id]; ok {
						renamed.see(fmt.Sprintf("%s is new, but its %s is %s's", r.username, map[byte]string{'a': "adminsystemid", 'b': "librarybarcode"}[id[0]], other))
						break
					}
				}
			}
			return
		}
		both++
		compare(0, "librarybarcode", old.barcode, r.barcode, r.username)
		compare(1, "adminsystemid", old.adminID, r.adminID, r.username)
		compare(2, "formclass", old.form, r.form, r.username)
	})
	if err != nil {
		return nil, fmt.Errorf("the file: %w", err)
	}
	var holds []Hold
	for i, name := range [...]string{"librarybarcode", "adminsystemid"} {
		if z := zeros[i]; z.Rows > 0 {
			z.Reason = fmt.Sprintf("%s lost its leading zeros on %d row%s: a spreadsheet read the ids as numbers, and the server would store them so.", name, z.Rows, plural(z.Rows))
			z.Fix = "Export again from the source system and send that file without opening it, or format the column as Text before opening the data."
			holds = append(holds, z)
		}
	}
	for i, name := range [...]string{"librarybarcode", "adminsystemid", "formclass"} {
		r := rewritten[i]
		if both >= t.Min && float64(r.Rows) > t.Share*float64(both) {
			r.Reason = fmt.Sprintf("%s changes for %d of the %d patrons the last accepted file also had: more than %.0f%% at once.", name, r.Rows, both, 100*t.Share)
			r.Fix = "Check that the export is of the right school and year; if the change is meant, send it with --accept."
			holds = append(holds, r)
		}
	}
	if renamed.Rows >= t.Min {
		renamed.Reason = fmt.Sprintf("%d new usernames belong to patrons the last accepted file has under another username: the usernames' scheme changed, and the server would create a second patron for each.", renamed.Rows)
		renamed.Fix = "Make the new usernames match the existing ones before sending (the documents: \"Ensure existing usernames to a new usernames match before proceeding\"), or send it with --accept if new patrons are meant."
		holds = append(holds, renamed)
	}
	return holds, nil
}

// Damage returns the report's warnings of damage a spreadsheet did to the
// file (scientific notation, stripped leading zeros, garbled names,
// letters lost to ?), as holds.
func (r *Report) Damage() []Hold {
	var out []Hold
	for _, p := range r.Problems {
		if p.damage {
			ex := p.Value
			if p.Column != "" {
				ex = fmt.Sprintf("line %d, %s %q", p.Line, p.Column, p.Value)
			}
			h := Hold{Reason: p.Message, Fix: p.Fix}
			if ex != "" && p.Value != "" {
				h.Examples = []string{ex}
			}
			out = append(out, h)
		}
	}
	return out
}
