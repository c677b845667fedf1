package engine

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll reads every record of in with encoding/csv as it would judge the
// file, with each record's starting line; ok is false if it finds an error.
func readAll(in []byte) (records [][]string, lines []int, ok bool) {
	r := csv.NewReader(bytes.NewReader(in))
	r.FieldsPerRecord = -1
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return records, lines, true
		}
		if err != nil {
			return records, lines, false
		}
		line, _ := r.FieldPos(0)
		records, lines = append(records, rec), append(lines, line)
	}
}

// readBatches reads in with a recordReader whose buffer holds size bytes,
// starting a new batch every per records.
func readBatches(in []byte, size, per int) (records [][]string, lines []int, err error) {
	rr := newRecordReader(bufio.NewReaderSize(bytes.NewReader(in), size))
	for {
		rr.reset()
		var widths []int
		for len(widths) < per {
			var line, width int
			if line, width, err = rr.next(); err != nil {
				break
			}
			widths, lines = append(widths, width), append(lines, line)
		}
		text, at := string(rr.buf), 0
		for _, w := range widths {
			rec := []string{}
			for _, c := range rr.cells[at : at+w] {
				rec = append(rec, text[c.start:c.end])
			}
			records, at = append(records, rec), at+w
		}
		if errors.Is(err, io.EOF) {
			return records, lines, nil
		}
		if err != nil {
			return records, lines, err
		}
	}
}

// FuzzRecordReaderAgreesWithEncodingCSV holds the import's reader to
// encoding/csv: the same records, cell for cell, starting on the same lines,
// whatever the buffer size and batch length; and an error wherever
// encoding/csv finds one (the syntax pass keeps such files out anyway).
func FuzzRecordReaderAgreesWithEncodingCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a,\"b\nc\"\n", "\"a\"\"b\",c", "a\"b", "\"a\"b", "\"a", "\"a\"\r\n", "\"a\"\r",
		"\"a\"\rb", "x\r\ny\r", " \"a\"", "\"\"\"\"", "a,\"\"\n\"", "\"a\nb\nc\"\"\nd", "\n\n a \n\r\n,\n", "a,\"b\r\nc\",\"\"\r\n",
		"abcdefghijklmnopqrstuvwxyz,\"abcdefghijklmnopqrstuvwxyz\nabcdefghijklmnop\"\n", "a,b,\r\r\n", ",,\n\"\",\"\"\n"} {
		f.Add([]byte(s), uint8(0), uint8(1))
	}
	f.Fuzz(func(t *testing.T, in []byte, size, per uint8) {
		want, wantLines, ok := readAll(in)
		got, gotLines, err := readBatches(in, 16+int(size), 1+int(per%8))
		if !ok {
			require.Error(t, err, "encoding/csv rejects %q, the reader does not", in)
			return
		}
		require.NoError(t, err, "input %q", in)
		assert.Equal(t, want, got, "records of %q", in)
		assert.Equal(t, wantLines, gotLines, "lines of %q", in)
	})
}

func TestRecordReaderBlankAndDrop(t *testing.T) {
	rr := newRecordReader(bufio.NewReader(bytes.NewReader([]byte("a,b\n  \n\"\"\nc\n"))))
	_, w, err := rr.next()
	require.NoError(t, err)
	assert.False(t, rr.blank(w))
	for range 2 { // "  " and "" are blank lines
		_, w, err = rr.next()
		require.NoError(t, err)
		assert.True(t, rr.blank(w))
		rr.drop(w)
	}
	line, w, err := rr.next()
	require.NoError(t, err)
	assert.Equal(t, 4, line)
	assert.Equal(t, 1, w)
	var cells []string
	for _, c := range rr.cells {
		cells = append(cells, string(rr.buf[c.start:c.end]))
	}
	assert.Equal(t, []string{"a", "b", "c"}, cells, "the blank lines left nothing behind")
	_, _, err = rr.next()
	assert.ErrorIs(t, err, io.EOF)
}
