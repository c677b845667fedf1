package lint_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	utf16enc "unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/cmd/autosync/internal/lint"
	"github.com/autosync/autosync/fixtures/fake"
	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/autosync/autosync/mockserver/rules"
)

func defaults() lint.Options {
	return lint.Options{AcademicLevels: rules.DefaultAcademicLevels(), PresentationGroups: rules.DefaultPresentationGroups()}
}

func check(t *testing.T, csv []byte, o lint.Options) *lint.Report {
	t.Helper()
	rep, err := lint.Check(context.Background(), bytes.NewReader(csv), "users.csv", o)
	require.NoError(t, err)
	return rep
}

func roster(t *testing.T, o fake.Options) []byte {
	t.Helper()
	o.AcademicLevels, o.PresentationGroups, o.ClassOf = rules.DefaultAcademicLevels(), rules.DefaultPresentationGroups(), 2026
	var b bytes.Buffer
	_, err := fake.Write(&b, o)
	require.NoError(t, err)
	return b.Bytes()
}

// TestDialects: lint names the whole-file problem of every dialect the
// generator writes, and none for a plain valid file.
func TestDialects(t *testing.T) {
	tests := []struct {
		dialect  string
		severity lint.Severity
		want     string
	}{
		{"", "", ""},
		{"bom", lint.Note, "byte-order mark"},
		{"crlf", "", ""},
		{"header-case", "", ""},
		{"semicolon", lint.Error, "separated by semicolons"},
		{"cp1252", lint.Error, "not UTF-8 text; it is probably Windows-1252"},
		{"excel", lint.Warning, "scientific notation"},
		{"trailing-empty-columns", lint.Warning, "ends with 2 empty columns"},
		{"mac-cr", lint.Error, "carriage return alone"},
	}
	for _, tt := range tests {
		t.Run("dialect "+tt.dialect, func(t *testing.T) {
			d, err := fake.ParseDialect(tt.dialect)
			require.NoError(t, err)
			rep := check(t, roster(t, fake.Options{Rows: 400, Seed: 4, Dialect: d}), defaults())
			var whole []lint.Problem
			for _, p := range rep.Problems {
				if p.Row == 0 {
					whole = append(whole, p)
				}
			}
			if tt.want == "" {
				assert.Empty(t, rep.Problems)
				return
			}
			require.NotEmpty(t, whole, "a whole-file problem")
			assert.Equal(t, tt.severity, whole[0].Severity)
			assert.Contains(t, whole[0].Message, tt.want)
			assert.NotEmpty(t, whole[0].Fix, "every whole-file problem says how to fix it")
			assert.Equal(t, rep.Problems[0], whole[0], "whole-file problems come first")
		})
	}
}

func post(t *testing.T, csv []byte) map[string]string {
	t.Helper()
	_, b := mocktest.New().Post(t, csv)
	var v struct{ Details map[string]string }
	require.NoError(t, json.Unmarshal(b, &v), "%s", b)
	return v.Details
}

// TestRejectedExactlyWhenTheServerFails: on generated files with faults,
// lint reports a row as rejected exactly when the server fails that row.
func TestRejectedExactlyWhenTheServerFails(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run("seed "+strconv.FormatUint(seed, 10), func(t *testing.T) {
			csv := roster(t, fake.Options{Rows: 500, Seed: seed, InvalidRate: 0.2, Dialect: fake.Dialect(seed%2) * fake.Excel})
			failed := map[int]bool{}
			for row, outcome := range post(t, csv) {
				if outcome != "User Created" && outcome != "User Updated" {
					n, _ := strconv.Atoi(row)
					failed[n] = true
				}
			}
			require.NotEmpty(t, failed)
			flagged := map[int]bool{}
			for _, p := range check(t, csv, defaults()).Problems {
				if p.Severity == lint.Error && p.Row > 0 {
					flagged[p.Row] = true
				}
			}
			assert.Equal(t, failed, flagged)
		})
	}
}

func TestHeaderProblems(t *testing.T) {
	tests := []struct {
		header, want string
	}{
		{"email", `did you mean "emailaddress"?`},
		{"Given Name", `did you mean "givenname"?`},
		{"usrname", `it looks like "username", which the header already has`},
		{"email,emailaddress", `it looks like "emailaddress", which the header already has`},
		{"barcode", `did you mean "librarybarcode"?`},
		{"graduation_year", `did you mean "graduationyear"?`},
		{"house", `"house" is not a recognised column; the server ignores it.`},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			rep := check(t, []byte("username,enabled,staffmember,academiclevel,"+tt.header+"\nann,Y,N,7,x\n"), defaults())
			require.NotEmpty(t, rep.Problems)
			assert.Equal(t, lint.Warning, rep.Problems[0].Severity)
			assert.Contains(t, rep.Problems[0].Message, tt.want)
		})
	}
	rep := check(t, []byte("user,enabled\nx,Y\n"), defaults())
	require.Len(t, rep.Problems, 2)
	assert.Equal(t, "Missing mandatory column (username).", rep.Problems[1].Message)
	assert.Equal(t, "R-CSV-3", rep.Problems[1].Rule)
	rep = check(t, []byte("username,enabled\nann,Y\n\"bob,Y\n"), defaults())
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, 3, rep.Problems[0].Line)
	assert.Contains(t, rep.Problems[0].Message, "CSV syntax error on line 3")
}

func TestExcelDamageAndDuplicates(t *testing.T) {
	csv := "username,enabled,staffmember,academiclevel,librarybarcode,adminsystemid\n" +
		"ann,Y,N,7,1234,55\nANN,Y,N,7,99,56\nbob,Y,N,7,7.12E+11,5\nbob,Y,N,7,12345,57\n"
	rep := check(t, []byte(csv), defaults())
	var messages []string
	for _, p := range rep.Problems {
		assert.Equal(t, lint.Warning, p.Severity, p.Message)
		messages = append(messages, p.String())
	}
	all := strings.Join(messages, "\n")
	assert.Contains(t, all, "librarybarcode is in scientific notation on 1 row")
	assert.Contains(t, all, "librarybarcode holds numbers from 2 to 5 digits")
	assert.Contains(t, all, "adminsystemid holds numbers from 1 to 2 digits")
	assert.Contains(t, all, `line 3 (row 2), username "ANN": The usernames "ann" (an earlier row) and "ANN" differ only in letter case`)
	assert.Contains(t, all, `line 5 (row 4), username "bob": The username "bob" is on an earlier row too`)
	assert.Equal(t, 0, rep.Errors)
}

// TestExisting: rows of known usernames are judged as updates.
func TestExisting(t *testing.T) {
	update := []byte("username,formclass\nann,7B\nnew,7C\n")
	rep := check(t, update, defaults())
	assert.Equal(t, 4, rep.Errors, "as new patrons both rows lack enabled and staffmember")

	o := defaults()
	o.Existing = strings.NewReader("username,enabled,staffmember,academiclevel\nann,Y,N,7\n")
	rep = check(t, update, o)
	assert.Equal(t, 2, rep.Errors, "row 2 fails for both missing values")
	for _, p := range rep.Problems {
		assert.Equal(t, 2, p.Row)
	}

	o.Existing = strings.NewReader(`[{"username":"ann","enabled":true,"staffmember":false,"graduationyear":2029},{"username":"new","enabled":true,"staffmember":true,"graduationyear":null}]`)
	rep = check(t, update, o)
	assert.Empty(t, rep.Problems)
}

func TestPasswordsAreNeverShown(t *testing.T) {
	secret := strings.Repeat("S3cret", 13)
	rep := check(t, []byte("username,enabled,staffmember,academiclevel,password\nann,Y,N,7,"+secret+"\n"), defaults())
	require.Len(t, rep.Problems, 1)
	var out bytes.Buffer
	require.NoError(t, rep.WriteText(&out))
	j, _ := json.Marshal(rep)
	assert.NotContains(t, out.String(), secret)
	assert.NotContains(t, string(j), secret)
	assert.Contains(t, out.String(), "Field (password) is longer than 72 bytes.")
}

func TestText(t *testing.T) {
	rep := check(t, []byte("username,enabled,staffmember,academiclevel,emailaddress,gender\nann,Y,N,7,jane@@school,Female\n"), defaults())
	var out bytes.Buffer
	require.NoError(t, rep.WriteText(&out))
	assert.Equal(t, `users.csv: 1 row, 2 problems
line 2 (row 1), emailaddress "jane@@school": Field (emailAddress) is not a well-formed email address. [R-ROW-13]
line 2 (row 1), gender "Female": Field (gender) must be M, F or blank. [R-ROW-12]
`, out.String())
}

func TestLongValuesAreShortened(t *testing.T) {
	rep := check(t, []byte("username,enabled,staffmember,academiclevel,givenname\nann,Y,N,7,"+strings.Repeat("é", 300)+"\n"), defaults())
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, `line 2 (row 1), givenname "`+strings.Repeat("é", 40)+`"… (300 characters): Field (givenName) is longer than 255 characters. [R-ROW-15]`, rep.Problems[0].String())
}

// BenchmarkLint lints a million-row export (AUTOSYNC_BENCH_ROWS to change).
func BenchmarkLint(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(getenv("AUTOSYNC_BENCH_ROWS")); err == nil {
		n = v
	}
	var buf bytes.Buffer
	if _, err := fake.Write(&buf, fake.Options{Rows: n, Seed: 1, ClassOf: 2026, AcademicLevels: rules.DefaultAcademicLevels(), PresentationGroups: rules.DefaultPresentationGroups()}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		rep, err := lint.Check(context.Background(), bytes.NewReader(buf.Bytes()), "big.csv", defaults())
		if err != nil || rep.Rows != n {
			b.Fatalf("%v, %d rows", err, rep.Rows)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPrevious lints a 100,000-row export against the 100,000-row
// file accepted before it (the same roster, a thousand form classes
// changed), as push does before it sends: the preview and its holds with
// the rest of lint. The preview alone is BenchmarkPreview
// (mockserver/preview).
func BenchmarkPrevious(b *testing.B) {
	const n = 100_000
	o := fake.Options{Rows: n, Seed: 1, ClassOf: 2026, AcademicLevels: rules.DefaultAcademicLevels(), PresentationGroups: rules.DefaultPresentationGroups()}
	var prev, cur bytes.Buffer
	if _, err := fake.Write(&prev, o); err != nil {
		b.Fatal(err)
	}
	cur.Write(bytes.Replace(prev.Bytes(), []byte(",7A,"), []byte(",7B,"), 1000))
	b.ResetTimer()
	for range b.N {
		rep, err := lint.Check(context.Background(), bytes.NewReader(cur.Bytes()), "cur.csv", lint.Options{
			AcademicLevels: rules.DefaultAcademicLevels(), PresentationGroups: rules.DefaultPresentationGroups(),
			Previous: bytes.NewReader(prev.Bytes())})
		if err != nil || rep.Preview == nil || rep.Preview.Updated == 0 {
			b.Fatalf("%v, %+v", err, rep.Preview)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestAmendedRules: a file whose lines end in a lone carriage return is one
// whole-file problem, with its fix and nothing else; a username with a
// format character is a row the server rejects.
func TestAmendedRules(t *testing.T) {
	rep := check(t, []byte("username,enabled,staffmember,graduationyear\rann,Y,N,2029\rbob,Y,N,2029\r"), defaults())
	require.Len(t, rep.Problems, 1)
	p := rep.Problems[0]
	assert.Equal(t, "R-CSV-6", p.Rule)
	assert.Equal(t, lint.Error, p.Severity)
	assert.Contains(t, p.Message, "carriage return alone")
	assert.Contains(t, p.Fix, "CSV UTF-8")

	rep = check(t, []byte("username,enabled,staffmember,graduationyear\nann,Y,N,2029\nann\u200b,Y,N,2029\n"), defaults())
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, "R-ROW-15", rep.Problems[0].Rule)
	assert.Equal(t, 2, rep.Problems[0].Row)
}

// xlsx builds a minimal workbook the way Excel stores one: a zip archive.
func xlsx(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml":     `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`,
	} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		io.WriteString(w, body)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// utf16 encodes s as UTF-16, little- or big-endian, with or without a
// byte-order mark, as Excel's "Unicode Text" and other tools write it.
func utf16(s string, bigEndian, bom bool) []byte {
	var out []byte
	if bom {
		s = "\ufeff" + s
	}
	for _, u := range utf16enc.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestWrongFiles: a workbook or UTF-16 text is named as such, with its fix,
// and nothing else is said of it; a tab-separated file is told like a
// semicolon-separated one.
func TestWrongFiles(t *testing.T) {
	csv := "username,enabled,staffmember,graduationyear\r\nann,Y,N,2029\r\n"
	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	tests := []struct {
		name string
		file []byte
		want string
		fix  string
	}{
		{"xlsx", xlsx(t), "Excel workbook (.xlsx)", "CSV UTF-8"},
		{"xls", xls, "Excel 97-2003 workbook", "CSV UTF-8"},
		{"utf-16le with bom", utf16(csv, false, true), "UTF-16 text", "iconv -f UTF-16 -t UTF-8"},
		{"utf-16le without bom", utf16(csv, false, false), "UTF-16 text (little-endian)", "iconv -f UTF-16LE -t UTF-8"},
		{"utf-16be without bom", utf16(csv, true, false), "UTF-16 text (big-endian)", "iconv -f UTF-16BE -t UTF-8"},
		{"tab-separated", []byte(strings.ReplaceAll(csv, ",", "\t")), "separated by tabs", "tab delimited"},
		{"semicolon-separated, quoted", []byte(`"username";"enabled";"staffmember";"graduationyear"` + "\r\n" + `"ann";"Y";"N";2029` + "\r\n"), "separated by semicolons (;)", "list separator"},
		{"tab-separated, quoted", []byte(`"username"` + "\t" + `"enabled"` + "\r\n" + `"ann"` + "\tY\r\n"), "separated by tabs", "tab delimited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := check(t, tt.file, defaults())
			require.Len(t, rep.Problems, 1, "%+v", rep.Problems)
			p := rep.Problems[0]
			assert.Equal(t, lint.Error, p.Severity)
			assert.Contains(t, p.Message, tt.want)
			assert.Contains(t, p.Fix, tt.fix)
			var text bytes.Buffer
			require.NoError(t, rep.WriteText(&text))
			assert.NotContains(t, text.String(), "\x00", "no raw NUL reaches the terminal")
			assert.NotContains(t, text.String(), "Windows-1252")
		})
	}
}

// TestWrongFilesSaidAlike: for each wrong file a real spreadsheet program
// made (fixtures/spreadsheet/make.sh), lint's one error says what the
// reference server's refusal says, in the same words.
func TestWrongFilesSaidAlike(t *testing.T) {
	srv := mocktest.New()
	files := map[string][]byte{}
	for _, name := range []string{"roster.xlsx", "roster.xls", "roster.ods", "semicolon-quoted.csv", "tab-quoted.csv", "utf16.txt"} {
		files[name] = spreadsheetFile(t, name)
	}
	// A comma-separated UTF-16 file whose bytes make a syntax error on a
	// later line: the server names that line, and so does lint.
	quoted := "username,enabled,staffmember,graduationyear\njane,\"Y\",N,2027\n"
	files["utf-16le, a quote on line 2"] = utf16(quoted, false, true)
	files["utf-16be, a quote on line 2"] = utf16(quoted, true, false)
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			rep := check(t, file, defaults())
			require.Len(t, rep.Problems, 1, "%+v", rep.Problems)
			p := rep.Problems[0]
			assert.Equal(t, lint.Error, p.Severity)
			status, body := srv.Post(t, file)
			require.Equal(t, 400, status, "%s", body)
			var answer struct{ Summary string }
			require.NoError(t, json.Unmarshal(body, &answer))
			clause := func(s string) string { return strings.ToLower(s[:1]) + strings.TrimSuffix(s[1:], ".") }
			assert.Contains(t, answer.Summary, clause(p.Message)[1:])
			assert.Contains(t, answer.Summary, clause(p.Fix))
			var line int
			if _, err := fmt.Sscanf(answer.Summary, "CSV syntax error on line %d:", &line); err == nil {
				assert.Equal(t, line, p.Line, "one line number for one file: %s", answer.Summary)
			}
		})
	}
}

// spreadsheetFile reads a file a real spreadsheet program made
// (fixtures/spreadsheet/make.sh).
func spreadsheetFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "fixtures", "spreadsheet", name))
	require.NoError(t, err)
	return b
}

// TestEncodingDamage: the names a spreadsheet garbled (UTF-8 opened as
// Windows-1252 and saved again) or lost to ? (saved as Windows-1252) are
// warned of, with the name as it was; the roster they were made from, and
// real names with such letters, are not.
func TestEncodingDamage(t *testing.T) {
	rep := check(t, spreadsheetFile(t, "roster.csv"), defaults())
	assert.Empty(t, rep.Problems, "%+v", rep.Problems)

	rep = check(t, spreadsheetFile(t, "mojibake.csv"), defaults())
	require.Len(t, rep.Problems, 1, "%+v", rep.Problems)
	p := rep.Problems[0]
	assert.Equal(t, lint.Warning, p.Severity)
	assert.Equal(t, 2, p.Line)
	assert.Equal(t, "surname", p.Column)
	assert.Equal(t, "MÃ¼ller", p.Value)
	assert.Contains(t, p.Message, `which was "Müller"`)
	assert.Contains(t, p.Message, "opened as Windows-1252 and saved again")

	rep = check(t, spreadsheetFile(t, "windows-1252.csv"), defaults())
	var lost []lint.Problem
	for _, p := range rep.Problems {
		if strings.Contains(p.Message, "A ? stands where a letter was") {
			lost = append(lost, p)
		}
	}
	require.Len(t, lost, 1, "%+v", rep.Problems)
	assert.Equal(t, "T?ne", lost[0].Value)
	assert.Equal(t, 4, lost[0].Line)

	names := "username,enabled,staffmember,graduationyear,givenname,surname,formclass\n" +
		"a1,Y,N,2029,João,Ångström,7B\n" +
		"a2,Y,N,2029,Zoë,Nguyễn,Ü1\n" +
		"a3,Y,N,2029,Øyvind,O'Brien,7B\n" +
		"a4,Y,N,2029,Siân,Müller-Lüdenscheidt,7B\n" +
		"a5,Y,N,2029,?,Ann ?,7B\n"
	rep = check(t, []byte(names), defaults())
	assert.Empty(t, rep.Problems, "%+v", rep.Problems)
}

// TestPrevious: with the last accepted file, lint warns of the barcodes
// that lost their leading zeros since, as push would hold them; without
// it, three barcodes of one length say nothing.
func TestPrevious(t *testing.T) {
	lost := spreadsheetFile(t, "lost-zeros.csv")
	assert.Empty(t, check(t, lost, defaults()).Problems)
	o := defaults()
	o.Previous = bytes.NewReader(spreadsheetFile(t, "roster.csv"))
	rep := check(t, lost, o)
	require.Len(t, rep.Problems, 1, "%+v", rep.Problems)
	assert.Equal(t, lint.Warning, rep.Problems[0].Severity)
	assert.Contains(t, rep.Problems[0].Message, "librarybarcode lost its leading zeros on 3 rows")
	assert.Contains(t, rep.Problems[0].Message, `amuller: librarybarcode "134" was "00000134"`)
	require.Len(t, rep.Damage(), 1, "push holds it")
}

// TestEscapedOutput: control characters, NULs and bytes that are not UTF-8
// in a file are printed as escapes, never raw.
func TestEscapedOutput(t *testing.T) {
	rep := check(t, []byte("username,enabled,staffmember,graduationyear,\x1b[31mred\x00,caf\xe9\n"+"ann,Y,N,2029,x,y\n"), defaults())
	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text))
	out := text.String()
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\x00")
	assert.True(t, utf8.ValidString(out), out)
	assert.Contains(t, out, `\x1b[31mred\x00`)
}

// TestWindows1252InOneRun: in a Windows-1252 file, the rows with accented
// letters are judged on a decoded copy too, so Excel's damage and their
// other problems show in the same run as the encoding.
func TestWindows1252InOneRun(t *testing.T) {
	csv := "username,enabled,staffmember,graduationyear,givenname,librarybarcode,emailaddress\n" +
		"zoe,Y,N,2029,Zo\xeb,2.00000E+12,zoe@@school.example\n" +
		"ann,Y,N,2029,Ann,100000000001,ann@school.example\n"
	rep := check(t, []byte(csv), defaults())
	var messages []string
	for _, p := range rep.Problems {
		messages = append(messages, p.Message)
	}
	all := strings.Join(messages, "\n")
	assert.Contains(t, all, "probably Windows-1252")
	assert.Contains(t, all, "Row is not valid UTF-8")
	assert.Contains(t, all, "scientific notation", "Excel's damage on the accented row")
	assert.Contains(t, all, "Field (emailAddress) is not a well-formed email address. (This too, once the file is UTF-8.)")
}

// TestLongLine: a line far longer than any row is reported, not held whole.
func TestLongLine(t *testing.T) {
	line := "username,enabled\n" + strings.Repeat("x", lint.MaxLine+10) + "\n"
	rep := check(t, []byte(line), defaults())
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, 2, rep.Problems[0].Line)
	assert.Contains(t, rep.Problems[0].Message, "longer than 1 MiB")
}

// TestListIsBounded: a file of many failing rows, or a header of many
// unknown columns, lists lint.MaxListed problems and counts the others, so that
// lint's memory does not grow with the file.
func TestListIsBounded(t *testing.T) {
	rows := "username\n" + strings.Repeat("a\n", 3000) // each row fails twice: no enabled, no staffmember
	rep, err := lint.Check(context.Background(), strings.NewReader(rows), "rows.csv", lint.Options{})
	require.NoError(t, err)
	assert.Len(t, rep.Problems, lint.MaxListed)
	assert.Equal(t, 6000, rep.Errors, "every problem is counted")
	assert.Equal(t, 6000-lint.MaxListed, rep.LeftOut)
	assert.Equal(t, 1, rep.Problems[0].Row, "the first rows are the ones listed")
	var out strings.Builder
	require.NoError(t, rep.WriteText(&out))
	assert.Contains(t, out.String(), "… and 5,000 more problems, counted above but not listed")

	var header strings.Builder
	header.WriteString("username")
	for i := range 2500 {
		fmt.Fprintf(&header, `,"c%d"`, i)
	}
	header.WriteString("\n")
	rep, err = lint.Check(context.Background(), strings.NewReader(header.String()), "wide.csv", lint.Options{})
	require.NoError(t, err)
	assert.Len(t, rep.Problems, lint.MaxListed)
	assert.Equal(t, 2500, rep.Warnings)
	assert.Equal(t, 2500-lint.MaxListed, rep.LeftOut)
}

// TestLintSaysWhichAndWhere: an invisible character is named, with where it
// is; a barcode taken by an earlier row of the same file names that row.
func TestLintSaysWhichAndWhere(t *testing.T) {
	csv := "username,enabled,staffmember,graduationyear,librarybarcode\nann\u200b,Y,N,2029,B1\nbob,Y,N,2029,B2\ncat,Y,N,2029,B2\n"
	rep, err := lint.Check(context.Background(), strings.NewReader(csv), "users.csv", lint.Options{})
	require.NoError(t, err)
	require.Len(t, rep.Problems, 2)
	assert.Contains(t, rep.Problems[0].Message, "It is a zero-width space (U+200B), character 4 of 4")
	assert.Contains(t, rep.Problems[1].Message, "Row 2 of this file has it.")
}

// TestPreviewAgainstAFileOfChanges: a last accepted file of changes alone
// (username,enabled) still names known patrons, so the next night's file
// of changes passes, and the report says what it would change, field by
// field, in the text too (values quoted as the problems' are).
func TestPreviewAgainstAFileOfChanges(t *testing.T) {
	o := defaults()
	o.Previous = strings.NewReader("username,enabled,formclass\nann,N,7A\nbob,Y,7A\n")
	rep := check(t, []byte("username,enabled,formclass\nann,Y,7A\nbob,Y,8B\ncat,Y,8B\n"), o)
	require.NotNil(t, rep.Preview)
	assert.Equal(t, 2, rep.Preview.Updated)
	assert.Equal(t, 1, rep.Preview.Failed, "cat is new, and gives no staffmember")
	assert.Equal(t, 1, rep.Errors, "%+v", rep.Problems)
	var text bytes.Buffer
	require.NoError(t, rep.WriteText(&text))
	assert.Contains(t, text.String(), "preview: Against 2 known patrons: 0 would be created, 2 updated (2 changed: enabled 1, formclass 1; 0 unchanged), 1 would fail.\n")
	assert.Contains(t, text.String(), `    line 2 (row 1), ann: enabled "false" → "true"`+"\n")
	assert.Contains(t, text.String(), `    line 3 (row 2), bob: formclass "7A" → "8B"`)

	assert.Nil(t, check(t, []byte("username,enabled\nann,Y\n"), defaults()).Preview, "no known patrons, no preview")
}
