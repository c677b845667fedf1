package lint

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"github.com/autosync/autosync/features"
	"io"
)

// wrongFile recognises a file that is not CSV text at all, from its first
// bytes: a spreadsheet workbook, or UTF-16 text. Nothing else lint could say
// of such a file would be true.
func wrongFile(src io.ReadSeeker) (*Problem, error) {
	defer src.Seek(0, io.SeekStart)
	head := make([]byte, 4096)
	n, err := io.ReadFull(src, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("lint: read: %w", err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return &Problem{Severity: Error, Rule: features.CSV2,
			Message: "This is a spreadsheet workbook (.xlsx or .ods, a zip file), not CSV: the server cannot read it.",
			Fix:     "Open it in Excel and choose File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\", then send that file."}, nil
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return &Problem{Severity: Error, Rule: features.CSV2,
			Message: "This is an Excel 97-2003 workbook (.xls), not CSV: the server cannot read it.",
			Fix:     "Open it in Excel and choose File > Save As > \"CSV UTF-8 (Comma delimited) (*.csv)\", then send that file."}, nil
	}
	if order := utf16Order(head); order != "" {
		return &Problem{Severity: Error, Line: 1, Rule: features.CSV2,
			Message: fmt.Sprintf("The file is UTF-16 text (%s), as Excel's \"Unicode Text\" writes; the server reads UTF-8 only.", order),
			Fix: fmt.Sprintf("In Excel choose Save As > \"CSV UTF-8 (Comma delimited)\", or convert it: iconv -f %s -t UTF-8 in.csv > out.csv",
				map[string]string{"little-endian": "UTF-16LE", "big-endian": "UTF-16BE", "with a byte-order mark": "UTF-16"}[order])}, nil
	}
	return nil, nil
}

// utf16Order tells UTF-16 text by its byte-order mark, or, without one, by
// the zero bytes that ASCII letters leave in every other byte.
func utf16Order(head []byte) string {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		return "with a byte-order mark"
	}
	if len(head) < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i+1 < len(head); i += 2 {
		if head[i] == 0 && head[i+1] != 0 {
			even++
		}
		if head[i] != 0 && head[i+1] == 0 {
			odd++
		}
	}
	pairs := len(head) / 2
	switch {
	case odd*10 >= pairs*8:
		return "little-endian"
	case even*10 >= pairs*8:
		return "big-endian"
	}
	return ""
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
