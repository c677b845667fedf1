// Package examples reads the values the scenarios' CSV files give each
// column: what the suite's authors thought worth sending. autosync explore
// sends each in a row of its own, so that a value a new scenario holds
// reaches explore with no list to keep.
package examples

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/features/placeholder"
)

// Values returns, for each column the scenarios' CSV files name (by its
// header name in lower case, trimmed; an empty name aside), the distinct
// cells they give it, in order: outlines expanded, the placeholders that
// need no run expanded ({tab}, {repeat:é:256}, {hostile:astral-255}: see
// placeholder.Fixed), and cells holding another ({user:ann}, {year}) left
// out, since only a run gives them a value (a brace alone is a character:
// a!#{|}z@example.edu is kept). A CSV file is a step's text block whose
// header names username.
//
// An identifier padded to a length, {user:bob:256:𝒜}, {barcode:b1:255:𝒜}
// or {adminid:s1:255}, is kept too, written for the sender to finish:
// {P}bob{len:256:𝒜}, {P}BB1{len:255:𝒜}, {P}AS1{len:255:x}, where the sender
// writes its prefix for {P} and pads the cell with the character to the
// length (the limits of R-ROW-15 are in these). A value of digits unique to
// a run, {digits:b1}, is written {D} and the name's bytes in decimal,
// {D}9849, where the sender writes its prefix in digits for {D}.
func Values() (map[string][]string, error) {
	v, err := read()
	if err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(v))
	for c, cells := range v {
		out[c] = slices.Clone(cells)
	}
	return out, nil
}

// read parses the embedded feature files once: they do not change while
// the program runs.
var read = sync.OnceValues(func() (map[string][]string, error) {
	names, err := fs.Glob(features.FS, "*.feature")
	if err != nil {
		return nil, fmt.Errorf("list features: %w", err)
	}
	seen := map[string]map[string]bool{}
	out := map[string][]string{}
	for _, name := range names {
		src, err := fs.ReadFile(features.FS, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(src), (&messages.Incrementing{}).NewId)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		for _, p := range gherkin.Pickles(*doc, name, (&messages.Incrementing{}).NewId) {
			for _, st := range p.Steps {
				if st.Argument == nil || st.Argument.DocString == nil {
					continue
				}
				header, rows := records(st.Argument.DocString.Content)
				if !slices.Contains(header, "username") {
					continue
				}
				for _, row := range rows {
					for i, cell := range row {
						if i >= len(header) || header[i] == "" {
							continue
						}
						if placeholder.Pattern.MatchString(cell) {
							var ok bool
							if cell, ok = finished(cell); !ok {
								continue
							}
						}
						c := header[i]
						if seen[c] == nil {
							seen[c] = map[string]bool{}
						}
						if !seen[c][cell] {
							seen[c][cell] = true
							out[c] = append(out[c], cell)
						}
					}
				}
			}
		}
	}
	return out, nil
})

// finished returns cell with its placeholders expanded, or a padded
// identifier written for the sender to finish; ok is false when a
// placeholder needs a run.
func finished(cell string) (string, bool) {
	if v, ok := paddedIdentifier(cell); ok {
		return v, true
	}
	all := true
	v := placeholder.Pattern.ReplaceAllStringFunc(cell, func(m string) string {
		sub := placeholder.Pattern.FindStringSubmatch(m)
		name, arg := sub[1], sub[2]
		if name == "digits" {
			var b strings.Builder
			b.WriteString("{D}")
			for _, c := range []byte(arg) {
				b.WriteString(strconv.Itoa(int(c)))
			}
			return b.String()
		}
		if name == "hostile" {
			// The text block is read as CSV already: the value as it is,
			// not with its quotes doubled for a quoted field.
			arg = strings.TrimSuffix(arg, ":csv")
		}
		v, ok := placeholder.Fixed(name, arg)
		all = all && ok
		return v
	})
	return v, all
}

// padded is a cell that is one identifier padded to a length, as the
// suite's steps read it: {user:bob:256:𝒜}, the fill x when none is given.
var padded = regexp.MustCompile(`^\{(user|barcode|adminid):([A-Za-z0-9]+):(\d+)(?::([^{}:]))?\}$`)

// paddedIdentifier writes a padded identifier for the sender to finish,
// as Values says; ok is false for any other placeholder.
func paddedIdentifier(cell string) (string, bool) {
	m := padded.FindStringSubmatch(cell)
	if m == nil {
		return "", false
	}
	id, fill := strings.ToLower(m[2]), m[4]
	switch m[1] {
	case "barcode":
		id = "B" + strings.ToUpper(m[2])
	case "adminid":
		id = "A" + strings.ToUpper(m[2])
	}
	if fill == "" {
		fill = "x"
	}
	return "{P}" + id + "{len:" + m[3] + ":" + fill + "}", true
}

// records reads a text block as CSV, leniently (some files are malformed on
// purpose): its header names, trimmed and in lower case, and its rows.
func records(text string) ([]string, [][]string) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	var all [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil
		}
		all = append(all, rec)
	}
	if len(all) == 0 {
		return nil, nil
	}
	header := make([]string, len(all[0]))
	for i, h := range all[0] {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	}
	return header, all[1:]
}
