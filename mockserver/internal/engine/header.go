package engine

import (
	"errors"
	"fmt"
	"strings"
)

// The kinds of FileError, for errors.Is: callers tell refusals apart by
// kind, never by their text.
var (
	// ErrMissingColumn: a non-empty file has no username column (R-CSV-3).
	ErrMissingColumn = errors.New("missing mandatory column")
	// ErrDuplicateColumn: a recognised column is named twice (R-CSV-4).
	ErrDuplicateColumn = errors.New("duplicate column")
	// ErrSyntax: the file is not well-formed CSV (R-CSV-6).
	ErrSyntax = errors.New("csv syntax error")
	// ErrLoneCR is the syntax error of a line that ends in a carriage
	// return alone (R-CSV-6); errors.Is(ErrLoneCR, ErrSyntax) holds.
	ErrLoneCR = fmt.Errorf("%w: lone carriage return", ErrSyntax)
)

// FileError rejects a file as a whole: nothing in it was imported. Its
// Summary is the sentence the server answers with.
type FileError struct {
	Summary string
	// Line is the physical line the problem is on, or 0 for the whole file.
	Line int
	// Kind is one of ErrMissingColumn, ErrDuplicateColumn, ErrSyntax and
	// ErrLoneCR.
	Kind error
	// WrongFile, if set, is what the file really is (a workbook, UTF-16
	// text, another separator); the summary's reason says it.
	WrongFile *WrongFile
}

// Error returns the summary.
func (e *FileError) Error() string { return e.Summary }

// Is makes errors.Is(err, ErrSyntax) and the like true for a FileError of
// that kind.
func (e *FileError) Is(target error) bool { return e.Kind != nil && errors.Is(e.Kind, target) }

// Header is a recognised header row.
type Header struct {
	index [numColumns]int // position of each column in a record, -1 if absent
	width int
	// Unknown lists header cells that name no recognised column. The server
	// ignores them; lint warns about them.
	Unknown []UnknownColumn
}

// UnknownColumn is a header cell the server ignores.
type UnknownColumn struct {
	Position int    // 0-based position in the header
	Name     string // as written, trimmed
}

// ParseHeader recognises a header record (R-CSV-2, R-CSV-3, R-CSV-4). A
// missing username column or a duplicate recognised column is a
// *FileError, the missing username first.
func ParseHeader(record []string) (*Header, error) {
	h := &Header{width: len(record)}
	for i := range h.index {
		h.index[i] = -1
	}
	dup := Column(-1) // the first recognised column named twice
	for i, cell := range record {
		if i == 0 {
			cell = strings.TrimPrefix(cell, "\ufeff")
		}
		c, ok := LookupColumn(cell)
		if !ok {
			h.Unknown = append(h.Unknown, UnknownColumn{Position: i, Name: strings.TrimSpace(cell)})
			continue
		}
		if h.index[c] >= 0 {
			if dup < 0 {
				dup = c
			}
			continue
		}
		h.index[c] = i
	}
	// A missing username is named first: whatever else is wrong with the
	// header, that is what the file most needs (R-CSV-4).
	if h.index[Username] < 0 {
		return nil, &FileError{Summary: "Missing mandatory column (username).", Kind: ErrMissingColumn}
	}
	if dup >= 0 {
		return nil, &FileError{Summary: fmt.Sprintf("Duplicate column (%s).", dup), Kind: ErrDuplicateColumn}
	}
	return h, nil
}

// Has reports whether the header names column c.
func (h *Header) Has(c Column) bool { return h.index[c] >= 0 }

// Position returns the 0-based position of column c in a record, or -1.
func (h *Header) Position(c Column) int { return h.index[c] }
