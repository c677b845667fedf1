package mockserver_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/mocktest"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// columnValue is a value that meets column c's rules and names it.
func columnValue(c rules.Column) string {
	switch c {
	case rules.Username:
		return "every-column"
	case rules.Enabled:
		return "N"
	case rules.StaffMember:
		return "N"
	case rules.GraduationYear:
		return "2031"
	case rules.AcademicLevel:
		return "K"
	case rules.Gender:
		return "F"
	case rules.EmailAddress:
		return "every.column@example.edu"
	case rules.PresentationGroupLabel:
		return "Senior School"
	case rules.Password:
		return "Column-Secret-1"
	}
	return "value-of-" + c.String()
}

// TestEveryColumnGoesEverywhere: a value in each recognised column is
// stored, shown by /_mock/patrons under the column's name and on the web
// page, and kept by the state file across a restart; the password only as
// a hash. A column added to the list (rules.Columns) and not carried through
// the server fails here.
func TestEveryColumnGoesEverywhere(t *testing.T) {
	var header, row []string
	for _, c := range rules.Columns() {
		header = append(header, c.String())
		row = append(row, columnValue(c))
	}
	csv := strings.Join(header, ",") + "\n" + strings.Join(row, ",") + "\n"
	path := filepath.Join(t.TempDir(), "state")
	srv, stop := mocktest.NewWithState(t, path)
	status, answer := srv.Post(t, []byte(csv))
	require.Equal(t, 200, status, string(answer))

	check := func(t *testing.T, patronJSON []byte, page string) {
		var got map[string]any
		require.NoError(t, json.Unmarshal(patronJSON, &got))
		for _, c := range rules.Columns() {
			want := columnValue(c)
			switch c {
			case rules.Password:
				assert.NotContains(t, string(patronJSON), want, "never the password")
				assert.NotContains(t, page, want, "never the password")
				continue
			case rules.Enabled, rules.StaffMember:
				assert.Equal(t, false, got[c.String()], c.String())
				continue
			}
			assert.Equal(t, want, fmt.Sprint(got[c.String()]), "/_mock/patrons: %s", c)
			assert.Contains(t, page, want, "the web page: %s", c)
		}
	}
	_, patron := srv.Get(t, "/_mock/patrons/every-column")
	_, page := uiGet(t, srv, "/ui/patrons/every-column")
	check(t, patron, page)

	stop()
	again, _ := mocktest.NewWithState(t, path)
	_, patron = again.Get(t, "/_mock/patrons/every-column")
	_, page = uiGet(t, again, "/ui/patrons/every-column")
	check(t, patron, page)
}

// TestPatronJSONRoundTrip: a /_mock/patrons entry read back (as lint
// --existing reads a dump) is the patron it shows, every column but the
// password.
func TestPatronJSONRoundTrip(t *testing.T) {
	var p store.Patron
	for _, c := range rules.Columns() {
		require.True(t, rules.SetValue(&p, c, columnValue(c)) || c == rules.Password, "%s", c)
	}
	b, err := json.Marshal(mockserver.NewPatronJSON(p))
	require.NoError(t, err)
	var j mockserver.PatronJSON
	require.NoError(t, json.Unmarshal(b, &j))
	assert.Equal(t, p, j.Patron())
}
