package lint

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/mockserver/rules"
)

// wrongFile diagnoses, from its first bytes, a file that is not a
// comma-separated UTF-8 export (a workbook, UTF-16 text, another separator,
// Macintosh line ends), in the server's words, or returns nil.
func wrongFile(src io.ReadSeeker) (*rules.WrongFile, error) {
	head, err := rules.ReadHead(src)
	if err != nil {
		return nil, fmt.Errorf("lint: %w", err)
	}
	return rules.DiagnoseWrongFile(head), nil
}

// wrongFileProblem is the error lint reports for a wrong file.
func wrongFileProblem(w *rules.WrongFile) Problem {
	p := Problem{Severity: Error, Rule: features.CSV2, Message: sentence(w.What), Fix: sentence(w.Fix)}
	if w.Kind != rules.Workbook {
		p.Line = 1
	}
	return p
}

// sentence capitalises a clause and ends it with a full stop.
func sentence(clause string) string {
	return strings.ToUpper(clause[:1]) + clause[1:] + "."
}

// MaxLine is the longest physical line lint reads. A row of patrons is a
// few kilobytes at most (sixteen fields of 255 characters); a longer line
// means the file is not an export, and is reported rather than held whole.
const MaxLine = 1 << 20

// longLine returns the first physical line longer than MaxLine, reading
// the file a piece at a time, or 0.
func longLine(src io.ReadSeeker) (line, length int, err error) {
	defer src.Seek(0, io.SeekStart)
	br := bufio.NewReaderSize(src, 64<<10)
	n := 1
	for {
		length := 0
		for {
			piece, err := br.ReadSlice('\n')
			length += len(piece)
			if length > MaxLine {
				return n, length, nil
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				return 0, 0, nil
			}
			if err != nil {
				return 0, 0, fmt.Errorf("lint: read: %w", err)
			}
			break
		}
		n++
	}
}
