package engine

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver/store"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckSyntax(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantLine int // 0: no error
		wantMsg  string
	}{
		{name: "plain", in: "a,b\n1,2\n"},
		{name: "quoted comma, doubled quote and line break", in: "a,b\n\"1,\"\"x\"\"\ny\",2\n"},
		{name: "crlf after closing quote", in: "a,b\r\n\"1\",\"2\"\r\n"},
		{name: "cr before end of file", in: "a,\"b\"\r"},
		{name: "byte-order mark then quote", in: "\ufeff\"a\",b\n"},
		{name: "empty", in: ""},
		{name: "bare quote", in: "a,b\nx,y\"z\n", wantLine: 2, wantMsg: "does not start with one"},
		{name: "space before quote is a bare quote", in: "a,b\n1, \"2\"\n", wantLine: 2, wantMsg: "does not start with one"},
		{name: "text after closing quote", in: "a,b\n\"1\"x,2\n", wantLine: 2, wantMsg: "text after its closing quote"},
		{name: "lone cr after closing quote", in: "a,b\n\"1\"\rx\n", wantLine: 2, wantMsg: "carriage return alone"},
		{name: "lone cr line ends (R-CSV-6)", in: "a,b\r1,2\r3,4\r", wantLine: 1, wantMsg: "carriage return alone"},
		{name: "lone cr on a later line", in: "a,b\n1,2\n3\r,4\n", wantLine: 3, wantMsg: "carriage return alone"},
		{name: "lone cr before a quote", in: "a,b\n1,\r\"2\"\n", wantLine: 2, wantMsg: "carriage return alone"},
		{name: "cr inside quotes is a value", in: "a,b\n\"1\r2\",3\n"},
		{name: "crlf everywhere", in: "a,b\r\n1,2\r\n"},
		{name: "unclosed quote names its opening line", in: "a,b\n\"1\n\n\n", wantLine: 2, wantMsg: "never closed"},
		{name: "error after multi-line field counts physical lines", in: "a,b\n\"1\n2\",3\nx\"y,z\n", wantLine: 4, wantMsg: "does not start with one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSyntax(strings.NewReader(tt.in))
			if tt.wantLine == 0 {
				require.NoError(t, err)
				return
			}
			var fe *FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.wantLine, fe.Line)
			assert.Contains(t, fe.Summary, "CSV syntax error on line ")
			assert.Contains(t, fe.Summary, tt.wantMsg)
			assert.True(t, IsSyntaxError(err))
		})
	}
}

// TestSyntaxCheckerSplitWrites feeds a file one byte at a time: the state,
// the byte-order mark included, must carry across writes.
func TestSyntaxCheckerSplitWrites(t *testing.T) {
	for _, in := range []string{"\ufeff\"a\"\"\",b\r\n1,2\n", "a,b\n1,x\"\n", "\ufeffa\n\"open\n", "a,b\r1,2\r", "a,b\r\n1,2\r\n", "a,\"b\"\r\n"} {
		c := NewSyntaxChecker()
		for i := 0; i < len(in); i++ {
			c.Write([]byte{in[i]})
		}
		assert.Equal(t, errString(CheckSyntax(strings.NewReader(in))), errString(c.Close()), "input %q", in)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// csvError reports whether encoding/csv, reading as the import does, finds a
// syntax error, and the line of the bad quote.
func csvError(in []byte) (bool, int) {
	in = bytes.TrimPrefix(in, bomBytes)
	r := csv.NewReader(bytes.NewReader(in))
	r.FieldsPerRecord = -1
	for {
		_, err := r.Read()
		if err == io.EOF {
			return false, 0
		}
		if pe, ok := err.(*csv.ParseError); ok {
			return true, pe.Line
		}
		if err != nil {
			return true, 0
		}
	}
}

// FuzzSyntaxAgreesWithEncodingCSV holds the cheap syntax pass to exactly
// encoding/csv's strictness: whenever one finds an error, so does the other.
// Without it, a file could pass the check and then fail half-way through an
// import.
func FuzzSyntaxAgreesWithEncodingCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a,\"b\nc\"\n", "\"a\"\"b\",c", "a\"b", "\"a\"b", "\"a", "\"a\"\r\n", "\"a\"\r",
		"\"a\"\rb", "\ufeff\"a\"", "x\r\ny\r", " \"a\"", "\"\"\"\"", "a,\"\"\n\"", "\"a\nb\nc\"\"\nd"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		want, wantLine := csvError(in)
		err := CheckSyntax(bytes.NewReader(in))
		if !want {
			if err != nil && !(strings.Contains(err.Error(), msgLoneCR) && hasLoneCR(in)) {
				t.Fatalf("encoding/csv reads %q, checker says %v", in, err)
			}
			return
		}
		var fe *FileError
		if !assert.ErrorAs(t, err, &fe, "encoding/csv rejects %q, checker accepts it", in) {
			return
		}
		if fe.Summary == syntaxError(fe.Line, msgUnclosedQuote).Summary {
			return // we name the opening quote's line; encoding/csv names the end of the file
		}
		if fe.Summary == syntaxError(fe.Line, msgLoneCR).Summary && hasLoneCR(in) {
			return // a lone carriage return came before what encoding/csv refuses
		}
		assert.Equal(t, wantLine, fe.Line, "line of the error in %q", in)
	})
}

// hasLoneCR reports whether in has a carriage return followed by something
// other than a line feed: the one thing the checker refuses beyond
// encoding/csv (R-CSV-6).
func hasLoneCR(in []byte) bool {
	for i, b := range in {
		if b == '\r' && i+1 < len(in) && in[i+1] != '\n' {
			return true
		}
	}
	return false
}

func FuzzPrintableASCII(f *testing.F) {
	for _, s := range []string{"", "abc", "abcdefghijklmnop", "abc\tdefghijk", "abcdefg\x7f", "~~~~~~~~ ", "ééééé", "\x00\x00\x00\x00\x00\x00\x00\x00", "\x1f\x20\x7e\x7f\x80\xff abcdef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := true
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] >= 0x7f {
				want = false
			}
		}
		if got := printableASCII(s); got != want {
			t.Fatalf("printableASCII(%q) = %v, want %v", s, got, want)
		}
	})
}

func FuzzTrimmed(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a", "a ", "\ta\n", "\u00a0a", "a\u0085", "é", "ab c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if trimmed(s) && strings.TrimSpace(s) != s {
			t.Fatalf("trimmed(%q), but strings.TrimSpace changes it", s)
		}
	})
}

// TestFileErrorKinds: callers tell refusals apart with errors.Is, never by
// their text.
func TestFileErrorKinds(t *testing.T) {
	e, err := New(Config{})
	require.NoError(t, err)
	tests := []struct {
		in   string
		kind error
		not  error
	}{
		{"givenname\nann\n", ErrMissingColumn, ErrSyntax},
		{"username,email,EmailAddress,emailaddress\n", ErrDuplicateColumn, ErrMissingColumn},
		{"givenname,surname,Surname\nann,lee,lee\n", ErrMissingColumn, ErrDuplicateColumn}, // R-CSV-4: the missing username first
		{"username\na\"b\n", ErrSyntax, ErrLoneCR},
		{"username\ra\rb\n", ErrLoneCR, ErrDuplicateColumn},
	}
	for _, tt := range tests {
		_, err := e.Import(context.Background(), store.New(), strings.NewReader(tt.in))
		assert.ErrorIs(t, err, tt.kind, "%q", tt.in)
		assert.NotErrorIs(t, err, tt.not, "%q", tt.in)
	}
	assert.ErrorIs(t, ErrLoneCR, ErrSyntax, "a lone carriage return is a syntax error")
}
