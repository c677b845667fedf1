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
	"strings"
	"sync"

	gherkin "github.com/cucumber/gherkin/go/v26"
	messages "github.com/cucumber/messages/go/v21"

	"github.com/autosync/autosync/features"
)

// Values returns, for each column the scenarios' CSV files name (by its
// header name in lower case, trimmed; an empty name aside), the distinct cells they give it, in
// order: outlines expanded, cells holding a placeholder ({user:ann},
// {year}) left out, since only a run gives them a value (a brace alone is
// a character: a!#{|}z@example.edu is kept). A CSV file is a
// step's text block whose header names username.
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
						if i >= len(header) || header[i] == "" || placeholder.MatchString(cell) {
							continue
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

// placeholder is a placeholder of the feature files, {user:ann} or {year},
// as the suite's steps read them.
var placeholder = regexp.MustCompile(`\{[A-Za-z]+(?::[^{}]*)?\}`)

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
