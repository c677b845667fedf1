package deviations_test

import (
	"context"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/reports"
	"github.com/autosync/autosync/steps"
	"github.com/autosync/autosync/target"
	"github.com/autosync/autosync/target/builtin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeviationsFailTheSuite breaks one rule at a time in the reference
// server and requires the suite to fail and to name that rule.
func TestDeviationsFailTheSuite(t *testing.T) {
	tests := []struct {
		dev  rules.Deviation
		rule string
	}{
		{rules.AlwaysPluralUsers, "R-RES-2"},
		{rules.DetailsMissing, "R-RES-3"},
		{rules.DetailsAlways, "R-RES-3"},
		{rules.SuccessDespiteFailures, "R-RES-1"},
		{rules.NonAdminAccepted, "R-AUTH-3"},
		{rules.CaseSensitiveBooleans, "R-ROW-4"},
		{rules.NoDigitBooleans, "R-ROW-4"},
		{rules.OptionalEnabled, "R-ROW-3"},
		{rules.StudentsWithoutYear, "R-ROW-5"},
		{rules.AnyGender, "R-ROW-12"},
		{rules.UncheckedEmail, "R-ROW-13"},
		{rules.DuplicateBarcodes, "R-ROW-10"},
		{rules.AnyAcademicLevel, "R-ROW-8"},
		{rules.ZeroBasedRows, "R-CSV-8"},
		{rules.OnlyFilePartNamedFile, "R-HTTP-2"},
		{rules.UpdatesCountedAsCreates, "R-RES-2"},
		{rules.PlainFailureText, "R-RES-3"},
		{rules.EmptyFileRefused, "R-CSV-1"},
		{rules.WrongAuthSummary, "R-AUTH-2"},
		{rules.MissingUsernameAccepted, "R-CSV-3"},
		{rules.StaffWithYearAccepted, "R-ROW-6"},
		{rules.HTMLErrorPages, "R-HTTP-4"},
		{rules.BodyReadBeforeAuth, "R-AUTH-4"},
		{rules.AnyPresentationGroup, "R-ROW-14"},
		{rules.FailedRowsApplied, "R-ROW-18"},
		{rules.TextLimitOnlyOnNames, "R-ROW-15"},
		{rules.FormatCharsOnlyInUsername, "R-ROW-15"},
		{rules.YearBoundsExclusive, "R-ROW-7"},
		{rules.YearParsedAsNumber, "R-ROW-7"},
		{rules.PasswordLimitInCharacters, "R-ROW-17"},
		{rules.PasswordOf72Refused, "R-ROW-17"},
		{rules.StaffFlagUnchecked, "R-ROW-4"},
		{rules.StaffFlagTruthCaseSensitive, "R-ROW-4"},
		{rules.StaffFlagDefaultsToFalse, "R-ROW-16"},
		{rules.CellsTrimmedOfSpacesOnly, "R-CSV-5"},
		{rules.ExtraEmptyFieldsAccepted, "R-CSV-7"},
		{rules.FailedRowBarcodeReserved, "R-ROW-18"},
		{rules.FreedBarcodeStillTaken, "R-ROW-10"},
		{rules.UpdateTakesBarcode, "R-ROW-10"},
		{rules.AdminIDsSharedInFile, "R-ROW-11"},
		{rules.GenderStoredAsSent, "R-ROW-12"},
		{rules.LevelStoredAsSent, "R-ROW-8"},
		{rules.GroupStoredAsSent, "R-ROW-14"},
		{rules.SingularEndsInOne, "R-RES-2"},
		{rules.EmailUncheckedOnUpdate, "R-ROW-13"},
		{rules.StaffYearAcceptedOnUpdate, "R-ROW-6"},
		{rules.ExplicitStudentNeedsYear, "R-ROW-5"},
		{rules.CaseSensitiveAcrossImports, "R-ROW-2"},
		{rules.NonAdminForbidden, "R-AUTH-4"},
		{rules.CharsetMissingOnRefusals, "R-HTTP-6"},
		{rules.OptionsAnswered, "R-HTTP-4"},
		{rules.PrefixRouting, "R-HTTP-4"},
		{rules.EmptyFileNameIsFile, "R-HTTP-2"},
		{rules.LastLineWithoutBreakDropped, "R-CSV-5"},
		{rules.BOMSkippedOnlyBeforeUsername, "R-CSV-4"},
		{rules.BlankLinesBeforeHeaderRefused, "R-CSV-5"},
		{rules.QuotedLocalPartRefused, "R-ROW-13"},
		{rules.DuplicateColumnFirst, "R-CSV-4"},
		{rules.QuotedBoundaryKeepsQuotes, "R-HTTP-2"},
		{rules.MediaTypeCaseSensitive, "R-HTTP-2"},
		{rules.BoundaryMustComeFirst, "R-HTTP-2"},
		{rules.PartHeadersCaseSensitive, "R-HTTP-2"},
		{rules.UnquotedFileNameNotAFile, "R-HTTP-2"},
		{rules.PreambleRefused, "R-HTTP-2"},
		{rules.LastFilePartWins, "R-HTTP-2"},
		{rules.ChunkedRefused, "R-HTTP-1"},
		{rules.ExpectRefused, "R-HTTP-1"},
		{rules.QueryStringNotRouted, "R-HTTP-1"},
		{rules.CookieSessionTrusted, "R-AUTH-2"},
		{rules.SchemeCaseSensitive, "R-AUTH-1"},
		{rules.LevelMatchedWithLike, "R-ROW-8"},
		{rules.GroupMatchedWithGlob, "R-ROW-14"},
		{rules.BarcodeMatchedWithLike, "R-ROW-10"},
		{rules.AdminIDMatchedWithGlob, "R-ROW-11"},
		{rules.LengthInUTF16Units, "R-ROW-15"},
		{rules.LengthInGraphemes, "R-ROW-15"},
		{rules.AstralRefused, "R-ROW-15"},
		{rules.RightToLeftRefused, "R-ROW-15"},
		{rules.BarcodesNormalised, "R-ROW-10"},
		{rules.AdminIDIsBarcode, "R-ROW-10"},
		{rules.ValuesHTMLEscaped, "R-ROW-10"},
		{rules.QuotesUnescapedInJSON, "R-RES-1"},
		{rules.BackslashEscapesQuote, "R-CSV-5"},
		{rules.LinesCutAt64KiB, "R-CSV-4"},
		{rules.RowCounter16Bit, "R-CSV-8"},
		{rules.OnlyFirstBatchImported, "R-RES-2"},
		{rules.ColumnsOfLastImport, "R-CSV-2"},
		{rules.NonAdminEmptyFileAccepted, "R-AUTH-3"},
		{rules.EmptyBodyAccepted, "R-HTTP-3"},
	}
	require.Len(t, tests, len(rules.AllDeviations()), "every deviation is tried")
	if testing.Short() {
		t.Skip("every deviation against the whole suite: run without -short")
	}
	for _, tt := range tests {
		t.Run(tt.dev.String(), func(t *testing.T) {
			t.Parallel()
			tg := builtin.Target(mockserver.WithDeviations(tt.dev))
			if heavy[tt.dev] { // only the longest files show it: the scenarios tagged @heavy, let in
				tg = builtin.Target(mockserver.WithDeviations(tt.dev), mockserver.WithMaxBody(64<<20))
				tg.BodyLimit = 64 << 20
			}
			report := runAgainstTags(t, tg, map[bool]string{true: steps.Heavy}[heavy[tt.dev]])
			assert.Equal(t, target.ExitFailed, report.ExitCode())
			assert.Contains(t, report.FailedRules(), tt.rule)
		})
	}
}

// heavy are the deviations that only files past 10,000 or 65,536 rows
// show.
var heavy = map[rules.Deviation]bool{rules.RowCounter16Bit: true, rules.OnlyFirstBatchImported: true}

func runAgainst(t *testing.T, target target.Target) *reports.Report {
	t.Helper()
	return runAgainstTags(t, target, "")
}

func runAgainstTags(t *testing.T, target target.Target, tags string) *reports.Report {
	t.Helper()
	report, err := steps.Run(context.Background(), steps.Config{Target: target, Tags: tags, Strict: true, Concurrency: 4})
	require.NoError(t, err)
	return report
}
