package rules_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
