package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// WrongFileKind is what a file that is not a comma-separated UTF-8 export
// turns out to be.
type WrongFileKind uint8

// The kinds of wrong file DiagnoseWrongFile tells apart.
const (
	// Workbook: a spreadsheet workbook (.xlsx, .xls, .ods) sent instead of
	// its CSV export.
	Workbook WrongFileKind = iota + 1
	// UTF16: text in UTF-16, as Excel's "Unicode Text" writes.
	UTF16
	// OtherSeparator: a header separated by semicolons or tabs, quoted or
	// not, as a spreadsheet set to another list separator writes.
	OtherSeparator
	// MacLineEnds: lines that end in a carriage return alone, as Excel's
	// "CSV (Macintosh)" writes.
	MacLineEnds
)

// WrongFile is the diagnosis of a file the server cannot read as the
// export it expects: what the file is, and how to make the right one. The
// server puts it in the reason of its refusal, lint reports it and push
// prints it, in the same words.
type WrongFile struct {
	Kind WrongFileKind
	// What says what the file is, as a clause: "the file is an Excel
	// workbook (.xlsx), not CSV text".
	What string
	// Fix says how to make the file the server reads, as a clause.
	Fix string
}

// String returns What and Fix as one clause, without a final full stop.
func (w *WrongFile) String() string { return w.What + "; " + w.Fix }

// Sentence returns What and Fix as a sentence, capitalised, with a full
// stop.
func (w *WrongFile) Sentence() string {
	s := w.String()
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// HeadSize is how much of the start of a file DiagnoseWrongFile needs.
const HeadSize = 4096

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

	saveAsCSV = `open it in the spreadsheet and save it as "CSV UTF-8 (Comma delimited) (*.csv)" ` +
		`(LibreOffice: "Text CSV (.csv)", character set "Unicode (UTF-8)", field delimiter ","), then send that file`

	macLineEnds = &WrongFile{Kind: MacLineEnds,
		What: `a line ends with a carriage return alone, as Excel's "CSV (Macintosh)" writes`,
		Fix:  `save the file as "CSV UTF-8" so that lines end with a line feed`}
)

// DiagnoseWrongFile tells from the first bytes of a file (HeadSize is
// enough) whether it is a workbook, UTF-16 text, separated by semicolons
// or tabs, or has Macintosh line ends, or returns nil. It names only what
// its bytes show beyond doubt: a comma-separated UTF-8 export, however
// damaged its rows, is never diagnosed.
func DiagnoseWrongFile(head []byte) *WrongFile {
	switch {
	case bytes.HasPrefix(head, zipMagic):
		what := "the file is a zip archive, such as a spreadsheet workbook (.xlsx or .ods), not CSV text"
		switch {
		case bytes.Contains(head, []byte("application/vnd.oasis.opendocument.spreadsheet")):
			what = "the file is an OpenDocument spreadsheet (.ods), not CSV text"
		case bytes.Contains(head, []byte("[Content_Types].xml")) || bytes.Contains(head, []byte("xl/")):
			what = "the file is an Excel workbook (.xlsx), not CSV text"
		}
		return &WrongFile{Kind: Workbook, What: what, Fix: saveAsCSV}
	case bytes.HasPrefix(head, oleMagic):
		return &WrongFile{Kind: Workbook, What: "the file is an Excel 97-2003 workbook (.xls), not CSV text", Fix: saveAsCSV}
	}
	if order, from := utf16Order(head); order != "" {
		return &WrongFile{Kind: UTF16,
			What: fmt.Sprintf(`the file is UTF-16 text (%s), as Excel's "Unicode Text" writes; the server reads UTF-8 only`, order),
			Fix:  fmt.Sprintf(`save it as "CSV UTF-8 (Comma delimited)", or convert it: iconv -f %s -t UTF-8 in.csv > out.csv`, from)}
	}
	head = bytes.TrimPrefix(head, bomBytes)
	line, crAlone := firstLine(head)
	if sep := headerSeparator(line); sep != "" {
		w := &WrongFile{Kind: OtherSeparator,
			What: fmt.Sprintf("the file is separated by %s, not commas; the server reads commas only", sep),
			Fix:  `save it as "CSV UTF-8 (Comma delimited)", or set the spreadsheet's list separator to a comma before saving`}
		if sep == "tabs" {
			w.Fix = `save it as "CSV UTF-8 (Comma delimited)" rather than as text (tab delimited)`
		}
		return w
	}
	if crAlone {
		return macLineEnds
	}
	return nil
}

// ReadHead reads the first HeadSize bytes of src, wherever it stood, and
// rewinds it.
func ReadHead(src io.ReadSeeker) ([]byte, error) {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind the file: %w", err)
	}
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(src, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read the start of the file: %w", err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind the file: %w", err)
	}
	return head[:n], nil
}

// utf16Order tells UTF-16 text by its byte-order mark, or, without one, by
// the zero bytes that ASCII letters leave in every other byte. It returns
// the byte order in words and the name iconv knows the encoding by.
func utf16Order(head []byte) (order, iconv string) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return "little-endian, with a byte-order mark", "UTF-16"
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return "big-endian, with a byte-order mark", "UTF-16"
	case len(head) < 4:
		return "", ""
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
		return "little-endian", "UTF-16LE"
	case even*10 >= pairs*8:
		return "big-endian", "UTF-16BE"
	}
	return "", ""
}

// firstLine returns the first line of head that holds more than white
// space (blank lines before the header are skipped, R-CSV-5), and whether
// it ends in a carriage return alone. Line breaks inside quotes are part of
// the line.
func firstLine(head []byte) (line []byte, crAlone bool) {
	start, quoted := 0, false
	for i := 0; i < len(head); i++ {
		switch c := head[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n' || c == '\r':
			if len(bytes.TrimFunc(head[start:i], unicode.IsSpace)) == 0 {
				start = i + 1
				continue
			}
			return head[start:i], c == '\r' && (i+1 == len(head) || head[i+1] != '\n')
		}
	}
	return head[start:], false
}

// headerSeparator names what separates a header line with no comma outside
// quotes, if semicolons or tabs do and a recognised column is among the
// pieces, quoted or not.
func headerSeparator(line []byte) string {
	var commas, semicolons, tabs int
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		case c == '\t':
			tabs++
		}
	}
	if commas > 0 {
		return ""
	}
	sep, name := ";", "semicolons (;)"
	switch {
	case tabs > semicolons:
		sep, name = "\t", "tabs"
	case semicolons == 0:
		return ""
	}
	for _, piece := range strings.Split(string(line), sep) {
		piece = strings.Trim(strings.TrimSpace(piece), `"`)
		if _, ok := LookupColumn(piece); ok {
			return name
		}
	}
	return ""
}

// explainRefusal puts the diagnosis of a wrong file into the reason of a
// refusal for a missing username column (R-CSV-3) or a syntax error
// (R-CSV-6): those rules fix how the summary begins, and the diagnosis says
// what is really wrong. Other errors are returned as they are.
func explainRefusal(src io.ReadSeeker, err error) error {
	var fe *FileError
	if !errors.As(err, &fe) || !(errors.Is(fe, ErrMissingColumn) || errors.Is(fe, ErrSyntax)) || fe.WrongFile != nil {
		return err
	}
	head, herr := ReadHead(src)
	if herr != nil {
		return err
	}
	w := DiagnoseWrongFile(head)
	if w == nil || (w.Kind == MacLineEnds && errors.Is(fe, ErrLoneCR)) {
		return err
	}
	out := *fe
	out.WrongFile = w
	switch {
	case errors.Is(fe, ErrMissingColumn):
		out.Summary = fe.Summary + " " + w.Sentence()
	case w.Kind == OtherSeparator && fe.Line > 1:
		// A real syntax error further down: it stays, and the separator is
		// said too.
		out.Summary = fe.Summary + " Besides, " + w.String() + "."
	default:
		out.Summary = fmt.Sprintf("CSV syntax error on line %d: %s.", fe.Line, w)
	}
	return &out
}
