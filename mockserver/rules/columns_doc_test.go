package rules_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/mockserver/rules"
)

// TestDocsListTheColumns: the rules page lists the recognised columns as
// the engine's table has them, in order, so a column added to the table and
// forgotten there fails here.
func TestDocsListTheColumns(t *testing.T) {
	b, err := os.ReadFile("../../docs/rules.md")
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)The recognised columns \\(R-CSV-2\\): `([^`]*)`").FindSubmatch(b)
	require.NotNil(t, m, "docs/rules.md lists the recognised columns")
	var want []string
	for _, c := range rules.Columns() {
		want = append(want, c.String())
	}
	assert.Equal(t, strings.Join(want, ", "), strings.Join(strings.Fields(string(m[1])), " "))
}

// TestCatalogueCountsTheColumns: R-CSV-2's statement says how many columns
// are recognised, in words; the engine's table has that many.
func TestCatalogueCountsTheColumns(t *testing.T) {
	words := map[string]int{"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20}
	var statement string
	for _, r := range features.Rules() {
		if r.ID == features.CSV2 {
			statement = r.Statement
		}
	}
	m := regexp.MustCompile(`\b([a-z]+) columns are recognised`).FindStringSubmatch(statement)
	require.NotNil(t, m, "R-CSV-2 says how many columns are recognised: %q", statement)
	n, ok := words[m[1]]
	require.True(t, ok, "a count this test reads: %q", m[1])
	assert.Equal(t, n, len(rules.Columns()), "R-CSV-2 says %s columns", m[1])
}
