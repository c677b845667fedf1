package deviant

import (
	"bytes"
	"strings"
)

// A small reading of a CSV file's records and cells as bytes, for the
// deviations that rewrite a file as a wrong reader would see it: spans
// into the file, so that what they leave alone stays as it was sent.

// recordSpan is where a record, or a cell, lies in a file.
type recordSpan struct{ start, end int }

// csvRecords returns the records of csv, past a byte-order mark, each
// without its line break: a quoted line break does not end one.
func csvRecords(csv []byte) []recordSpan {
	var out []recordSpan
	start, in := 0, false
	if bytes.HasPrefix(csv, []byte("\ufeff")) {
		start = 3
	}
	for i := start; i < len(csv); i++ {
		switch csv[i] {
		case '"':
			in = !in
		case '\n':
			if !in {
				end := i
				if end > start && csv[end-1] == '\r' {
					end--
				}
				out = append(out, recordSpan{start, end})
				start = i + 1
			}
		}
	}
	if start < len(csv) {
		end := len(csv)
		if !in && csv[end-1] == '\r' {
			end--
		}
		out = append(out, recordSpan{start, end})
	}
	return out
}

// csvCells returns where each cell of the record rec lies in csv.
func csvCells(csv []byte, rec recordSpan) []recordSpan {
	var out []recordSpan
	start, in := rec.start, false
	for i := rec.start; i < rec.end; i++ {
		switch csv[i] {
		case '"':
			in = !in
		case ',':
			if !in {
				out = append(out, recordSpan{start, i})
				start = i + 1
			}
		}
	}
	return append(out, recordSpan{start, rec.end})
}

// cellText is a cell's value, unquoted.
func cellText(cell []byte) string {
	if len(cell) >= 2 && cell[0] == '"' && cell[len(cell)-1] == '"' {
		return strings.ReplaceAll(string(cell[1:len(cell)-1]), `""`, `"`)
	}
	return string(cell)
}

// blankRecord reports whether a record is a blank line: one cell of white
// space (R-CSV-5).
func blankRecord(csv []byte, cells []recordSpan) bool {
	return len(cells) == 1 && strings.TrimSpace(cellText(csv[cells[0].start:cells[0].end])) == ""
}

// recordStartLine returns the line that the record holding line n of csv
// starts on.
func recordStartLine(csv []byte, n int) int {
	line, start, in := 1, 1, false
	for _, b := range csv {
		if line >= n {
			break
		}
		switch b {
		case '"':
			in = !in
		case '\n':
			line++
			if !in {
				start = line
			}
		}
	}
	return start
}

// lineNumbers returns, for each row of csv (a record after the header,
// blank lines left out), the number Python's csv.reader.line_num - 1 gives
// it once blank lines are dropped: the lines read up to its end, less one.
func lineNumbers(csv []byte) []int {
	var out []int
	lines, header := 0, true
	for _, rec := range csvRecords(csv) {
		if blankRecord(csv, csvCells(csv, rec)) {
			continue
		}
		lines += bytes.Count(csv[rec.start:rec.end], []byte("\n")) + 1
		if header {
			header = false
			continue
		}
		out = append(out, lines-1)
	}
	return out
}
