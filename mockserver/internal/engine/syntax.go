package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// The syntax messages name the physical line where the bad quote starts and
// say how to fix it (R-CSV-6).
const (
	msgBareQuote = `a quote (") appears inside a field that does not start with one; ` +
		`put the whole field in quotes and double every quote inside it ("")`
	msgTextAfterQuote = `a quoted field has text after its closing quote; ` +
		`double every quote inside a quoted field ("")`
	msgUnclosedQuote = `a quoted field is never closed; add the closing quote`
)

// msgLoneCR says what DiagnoseWrongFile says of Macintosh line ends.
var msgLoneCR = macLineEnds.String()

func syntaxError(line int, msg string) *FileError {
	kind := ErrSyntax
	if msg == msgLoneCR {
		kind = ErrLoneCR
	}
	return &FileError{Summary: fmt.Sprintf("CSV syntax error on line %d: %s.", line, msg), Line: line, Kind: kind}
}

type syntaxState uint8

const (
	fieldStart syntaxState = iota
	unquoted
	quoted
	quoteInQuoted // a quote inside a quoted field: closing, or the first of ""
	crAfterQuote  // a \r right after a closing quote; only \n or the end may follow
	crOutside     // a \r outside quotes at the end of what was written; only \n or the end may follow
)

// SyntaxChecker checks the CSV syntax of a stream written to it, with
// the strictness of encoding/csv (no lazy quotes), without building any
// records. It is stricter in one way: a carriage return outside quotes must
// be followed by a line feed or end the file (R-CSV-6), since a file whose
// lines end in a lone carriage return would otherwise read as one line. It is cheap enough to run over a whole upload before anything
// is imported. A leading UTF-8 byte-order mark is skipped.
type SyntaxChecker struct {
	state     syntaxState
	line      int // current physical line, from 1
	quoteLine int // line of the opening quote of the current quoted field
	bom       int // bytes of the byte-order mark matched so far; -1 once past it
	err       *FileError
}

// NewSyntaxChecker returns a checker positioned at the start of a file.
func NewSyntaxChecker() *SyntaxChecker {
	return &SyntaxChecker{line: 1}
}

var bomBytes = []byte("\ufeff")

// Write feeds the next bytes of the file. It never fails, so that it can sit
// behind an io.MultiWriter; the first syntax error is kept for Close.
func (c *SyntaxChecker) Write(p []byte) (int, error) {
	n := len(p)
	for c.bom >= 0 && len(p) > 0 {
		if p[0] != bomBytes[c.bom] {
			// Not a byte-order mark: feed back what was held.
			held := bomBytes[:c.bom]
			c.bom = -1
			c.scan(held)
			break
		}
		c.bom++
		p = p[1:]
		if c.bom == len(bomBytes) {
			c.bom = -1
		}
	}
	if c.bom < 0 {
		c.scan(p)
	}
	return n, nil
}

// scan jumps from quote to quote: outside quotes only a quote matters, and
// it is legal only where a field starts (after a comma, a line break, or at
// the start of the file); lines are counted in between.
func (c *SyntaxChecker) scan(p []byte) {
	for len(p) > 0 && c.err == nil {
		switch c.state {
		case fieldStart, unquoted:
			i := bytes.IndexByte(p, '"')
			end := i
			if i < 0 {
				end = len(p)
			}
			if j := loneCR(p, end); j >= 0 {
				c.err = syntaxError(c.line+bytes.Count(p[:j], newline), msgLoneCR)
				return
			}
			if i < 0 {
				c.line += bytes.Count(p, newline)
				c.state = stateAfter(p[len(p)-1])
				return
			}
			c.line += bytes.Count(p[:i], newline)
			if i > 0 {
				c.state = stateAfter(p[i-1])
			}
			if c.state == unquoted {
				c.err = syntaxError(c.line, msgBareQuote)
				return
			}
			c.state, c.quoteLine = quoted, c.line
			p = p[i+1:]
		case quoted:
			i := bytes.IndexByte(p, '"')
			if i < 0 {
				c.line += bytes.Count(p, newline)
				return
			}
			c.line += bytes.Count(p[:i], newline)
			c.state = quoteInQuoted
			p = p[i+1:]
		case quoteInQuoted:
			switch p[0] {
			case '"':
				c.state = quoted
			case ',':
				c.state = fieldStart
			case '\n':
				c.state = fieldStart
				c.line++
			case '\r':
				c.state = crAfterQuote
			default:
				c.err = syntaxError(c.line, msgTextAfterQuote)
				return
			}
			p = p[1:]
		case crAfterQuote, crOutside:
			if p[0] != '\n' {
				c.err = syntaxError(c.line, msgLoneCR)
				return
			}
			c.state = fieldStart
			c.line++
			p = p[1:]
		}
	}
}

var newline = []byte{'\n'}

// stateAfter is the state outside quotes after byte b.
func stateAfter(b byte) syntaxState {
	switch b {
	case ',', '\n':
		return fieldStart
	case '\r':
		return crOutside
	}
	return unquoted
}

// loneCR returns the position of the first carriage return in p[:end]
// that is followed by a byte other than a line feed, or -1. A carriage
// return that ends p is judged by the next byte written.
func loneCR(p []byte, end int) int {
	for at := 0; at < end; {
		i := bytes.IndexByte(p[at:end], '\r')
		if i < 0 {
			return -1
		}
		at += i + 1
		if at < len(p) && p[at] != '\n' {
			return at - 1
		}
	}
	return -1
}

// Lines returns the number of physical lines seen so far.
func (c *SyntaxChecker) Lines() int { return c.line }

// Close reports the first syntax error of everything written, or nil.
func (c *SyntaxChecker) Close() error {
	if c.bom > 0 {
		held := bomBytes[:c.bom]
		c.bom = -1
		c.scan(held)
	}
	if c.err != nil {
		return c.err
	}
	if c.state == quoted {
		c.err = syntaxError(c.quoteLine, msgUnclosedQuote)
		return c.err
	}
	return nil
}

// CheckSyntax reads r to the end and reports its first CSV syntax error as
// a *FileError, or a read error.
func CheckSyntax(r io.Reader) error {
	_, err := checkSyntax(r)
	return err
}

// checkSyntax also returns the number of physical lines.
func checkSyntax(r io.Reader) (int, error) {
	c := NewSyntaxChecker()
	if _, err := io.Copy(c, r); err != nil {
		return 0, fmt.Errorf("check csv syntax: %w", err)
	}
	return c.Lines(), c.Close()
}

// IsSyntaxError reports whether err is a CSV syntax error: errors.Is(err,
// ErrSyntax).
func IsSyntaxError(err error) bool { return errors.Is(err, ErrSyntax) }
