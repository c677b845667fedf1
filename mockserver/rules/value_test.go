package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// TestValueAndSetValue: every column but the password goes into a patron
// and comes out as a cell writes it.
func TestValueAndSetValue(t *testing.T) {
	cells := map[rules.Column]string{rules.Username: "ann", rules.Enabled: "Y", rules.StaffMember: "false", rules.GraduationYear: "2029"}
	want := map[rules.Column]string{rules.Username: "ann", rules.Enabled: "true", rules.StaffMember: "false", rules.GraduationYear: "2029"}
	var p store.Patron
	for _, c := range rules.Columns() {
		v, ok := cells[c]
		if !ok && c != rules.Password {
			v = "v-" + c.String()
			want[c] = v
		}
		require.True(t, rules.SetValue(&p, c, v), "%s", c)
	}
	for _, c := range rules.Columns() {
		assert.Equal(t, want[c], rules.Value(&p, c), "%s", c)
	}
	assert.False(t, rules.SetValue(&p, rules.Enabled, "maybe"))
	assert.False(t, rules.SetValue(&p, rules.GraduationYear, "29"))
	assert.False(t, rules.SetValue(&p, rules.Password, "secret"), "a password is never stored plain")
	assert.Empty(t, p.PasswordHash)
}
