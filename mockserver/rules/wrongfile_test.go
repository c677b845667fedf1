package rules_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// spreadsheetFiles are files LibreOffice Calc made from one roster
// (fixtures/spreadsheet/make.sh), with what each is.
var spreadsheetFiles = []struct {
	file string
	kind rules.WrongFileKind
	what string
}{
	{"roster.csv", 0, ""},
	{"roster.xlsx", rules.Workbook, "Excel workbook (.xlsx)"},
	{"roster.xls", rules.Workbook, "Excel 97-2003 workbook (.xls)"},
	{"roster.ods", rules.Workbook, "OpenDocument spreadsheet (.ods)"},
	{"semicolon-quoted.csv", rules.OtherSeparator, "separated by semicolons (;)"},
	{"tab-quoted.csv", rules.OtherSeparator, "separated by tabs"},
	{"utf16.txt", rules.UTF16, "UTF-16 text (little-endian, with a byte-order mark)"},
}

func readSpreadsheetFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "spreadsheet", name))
	require.NoError(t, err)
	return b
}

// TestDiagnoseSpreadsheetFiles: each wrong file a spreadsheet program
// writes is named for what it is, and its right export is not.
func TestDiagnoseSpreadsheetFiles(t *testing.T) {
	for _, tt := range spreadsheetFiles {
		t.Run(tt.file, func(t *testing.T) {
			w := rules.DiagnoseWrongFile(readSpreadsheetFile(t, tt.file))
			if tt.kind == 0 {
				assert.Nil(t, w)
				return
			}
			require.NotNil(t, w)
			assert.Equal(t, tt.kind, w.Kind)
			assert.Contains(t, w.What, tt.what)
			assert.NotEmpty(t, w.Fix)
		})
	}
}

// TestRefusalNamesTheWrongFile: the engine's refusal of a wrong file keeps
// the summary's beginning that R-CSV-3 and R-CSV-6 fix and gives the
// diagnosis as its reason; nothing is imported.
func TestRefusalNamesTheWrongFile(t *testing.T) {
	for _, tt := range spreadsheetFiles[1:] {
		t.Run(tt.file, func(t *testing.T) {
			st := store.New()
			engine, err := rules.New(rules.Config{})
			require.NoError(t, err)
			_, err = engine.Import(context.Background(), st, bytes.NewReader(readSpreadsheetFile(t, tt.file)))
			var fe *rules.FileError
			require.True(t, errors.As(err, &fe), "refused whole: %v", err)
			require.NotNil(t, fe.WrongFile)
			assert.Equal(t, tt.kind, fe.WrongFile.Kind)
			assert.Contains(t, fe.Summary, tt.what)
			assert.Contains(t, fe.Summary, fe.WrongFile.Fix)
			assert.True(t, errors.Is(err, rules.ErrMissingColumn) || errors.Is(err, rules.ErrSyntax))
			if errors.Is(err, rules.ErrMissingColumn) {
				assert.Regexp(t, `^Missing mandatory column \(username\)\. `, fe.Summary)
			} else {
				assert.Regexp(t, `^CSV syntax error on line \d+: `, fe.Summary)
			}
			assert.Zero(t, st.Len())
		})
	}
}

// TestDiagnosisLeavesRealExportsAlone: comma-separated files, however
// damaged, keep the refusal's own reason.
func TestDiagnosisLeavesRealExportsAlone(t *testing.T) {
	for _, file := range []string{
		"user,enabled;x\nann,Y\n",                   // a comma: not another separator
		"username,enabled\nann,\"Y\"x\n",            // a real syntax error
		"names;of;things\nann;Y\n",                  // no recognised column among the pieces
		"\n\nusername;enabled\r\nann;Y\r\n",         // ... but this one is, after blank lines
		"username,\"enabled;staffmember\"\nann,Y\n", // the semicolon is quoted
	} {
		w := rules.DiagnoseWrongFile([]byte(file))
		if file == "\n\nusername;enabled\r\nann;Y\r\n" {
			require.NotNil(t, w, "%q", file)
			assert.Equal(t, rules.OtherSeparator, w.Kind)
			continue
		}
		assert.Nil(t, w, "%q", file)
	}
}
