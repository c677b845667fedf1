package engine

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unsafe"
)

// errQuote is what recordReader returns for a quote encoding/csv would
// refuse; it is never met in a file whose syntax was checked first.
var errQuote = errors.New("misplaced quote")

// span is where one cell lies in a recordReader's buffer.
type span struct{ start, end int }

// recordReader reads the records of a CSV file as encoding/csv reads them
// (comma-separated, no lazy quotes; a fuzz test holds it to that), a batch at
// a time: the cells of a whole batch are copied into one buffer, which its
// owner may turn into strings, so reading allocates nothing per record. A
// record without quotes is copied whole and split where it lies.
type recordReader struct {
	br    *bufio.Reader
	line  int    // physical lines read so far
	buf   []byte // the cells of the current batch
	cells []span // where each cell of the batch lies in buf
	long  []byte // a line longer than br's buffer, gathered
	eof   bool
}

func newRecordReader(br *bufio.Reader) *recordReader {
	return &recordReader{br: br}
}

// reset empties the buffer for a new batch, reusing its memory.
func (rr *recordReader) reset() {
	rr.buf, rr.cells = rr.buf[:0], rr.cells[:0]
}

// readLine returns the next physical line with its line break, "\r\n"
// turned into "\n", as encoding/csv does; an empty line and io.EOF at the
// end. The line is valid until the next call.
func (rr *recordReader) readLine() ([]byte, error) {
	if rr.eof {
		return nil, io.EOF
	}
	line, err := rr.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		rr.long = append(rr.long[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = rr.br.ReadSlice('\n')
			rr.long = append(rr.long, line...)
		}
		line = rr.long
	}
	if errors.Is(err, io.EOF) {
		rr.eof = true
		if len(line) == 0 {
			return nil, io.EOF
		}
		err = nil
		if line[len(line)-1] == '\r' { // dropped before the end, as encoding/csv does
			line = line[:len(line)-1]
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read line %d: %w", rr.line+1, err)
	}
	rr.line++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, nil
}

// next reads the next record, skipping empty lines, and adds its cells to
// the batch. It returns the physical line the record starts on and its
// number of cells, or io.EOF.
func (rr *recordReader) next() (start, cells int, err error) {
	var line []byte
	for {
		if line, err = rr.readLine(); err != nil {
			return 0, 0, err
		}
		if len(line) != lengthNL(line) {
			break
		}
	}
	start, first := rr.line, len(rr.cells)
	if bytes.IndexByte(line, '"') < 0 {
		// No quotes: the cells are the line, split at its commas.
		body := line[:len(line)-lengthNL(line)]
		base := len(rr.buf)
		rr.buf = append(rr.buf, body...)
		at := base
		for j, c := range body { // cells are short: a plain loop beats IndexByte
			if c == ',' {
				rr.cells = append(rr.cells, span{at, base + j})
				at = base + j + 1
			}
		}
		rr.cells = append(rr.cells, span{at, base + len(body)})
		return start, len(rr.cells) - first, nil
	}
	for {
		begin := len(rr.buf)
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, ',')
			field := line
			if i >= 0 {
				field = line[:i]
			} else {
				field = line[:len(line)-lengthNL(line)]
			}
			if bytes.IndexByte(field, '"') >= 0 {
				return 0, 0, fmt.Errorf("line %d: %w", rr.line, errQuote)
			}
			rr.buf = append(rr.buf, field...)
			rr.cells = append(rr.cells, span{begin, len(rr.buf)})
			if i < 0 {
				return start, len(rr.cells) - first, nil
			}
			line = line[i+1:]
			continue
		}
		line = line[1:] // the opening quote
		for {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				if len(line) == 0 { // the file ends inside quotes
					return 0, 0, fmt.Errorf("line %d: %w", rr.line, errQuote)
				}
				rr.buf = append(rr.buf, line...) // the field goes on to the next line
				if line, err = rr.readLine(); errors.Is(err, io.EOF) {
					line = nil
				} else if err != nil {
					return 0, 0, err
				}
				continue
			}
			rr.buf = append(rr.buf, line[:i]...)
			line = line[i+1:]
			if len(line) > 0 && line[0] == '"' { // "" is one quote
				rr.buf = append(rr.buf, '"')
				line = line[1:]
				continue
			}
			break
		}
		rr.cells = append(rr.cells, span{begin, len(rr.buf)})
		switch {
		case len(line) > 0 && line[0] == ',':
			line = line[1:]
		case len(line) == lengthNL(line):
			return start, len(rr.cells) - first, nil
		default:
			return 0, 0, fmt.Errorf("line %d: %w", rr.line, errQuote)
		}
	}
}

// drop takes the last n cells back out of the batch.
func (rr *recordReader) drop(n int) {
	rr.cells = rr.cells[:len(rr.cells)-n]
	if len(rr.cells) == 0 {
		rr.buf = rr.buf[:0]
	} else {
		rr.buf = rr.buf[:rr.cells[len(rr.cells)-1].end]
	}
}

// blank reports whether the last record read, of n cells, is a blank line:
// one cell of nothing but white space (R-CSV-5).
func (rr *recordReader) blank(n int) bool {
	if n != 1 {
		return false
	}
	c := rr.cells[len(rr.cells)-1]
	return len(bytes.TrimSpace(rr.buf[c.start:c.end])) == 0
}

// lengthNL is 1 if line ends with a line break, else 0.
func lengthNL(line []byte) int {
	if len(line) > 0 && line[len(line)-1] == '\n' {
		return 1
	}
	return 0
}

// text returns the batch's buffer as a string, without a copy, for its
// cells to be strings over it. That is safe because the buffer is written
// again only once the batch has come back empty, and nothing that outlives
// the batch keeps such a string: the store copies what it keeps, reasons and
// row reports copy their values.
func (b *batch) text() string {
	return unsafe.String(unsafe.SliceData(b.buf), len(b.buf))
}
