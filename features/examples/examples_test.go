package examples_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/autosync/autosync/features/examples"
	"github.com/autosync/autosync/features/hostile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValuesAreTheScenariosCells: the values are the cells the scenarios
// write, outlines' examples among them, the placeholders that need no run
// expanded, no other placeholder but the padded identifiers, written for
// the sender to finish, each once.
func TestValuesAreTheScenariosCells(t *testing.T) {
	v, err := examples.Values()
	require.NoError(t, err)
	assert.Contains(t, v["gender"], "Female", "a cell of a scenario's file")
	assert.Contains(t, v["enabled"], "maybe", "a cell of a scenario's file")
	assert.Contains(t, v["emailaddress"], "a!#$%&'*+-/=?^_`{|}~z@Example.EDU", "braces that are no placeholder")
	for c, cells := range v {
		seen := map[string]bool{}
		for _, cell := range cells {
			// What the sender finishes: {P}, {D} and a length mark.
			left := regexp.MustCompile(`\{P\}|\{D\}|\{len:\d+:[^{}]\}`).ReplaceAllString(cell, "")
			assert.NotRegexp(t, `\{[A-Za-z]+(:[^{}]*)?\}`, left, "%s: a placeholder", c)
			assert.False(t, seen[cell], "%s: %q twice", c, cell)
			seen[cell] = true
		}
	}
	assert.Contains(t, v["username"], "{P}bob{len:256:𝒜}", "a username padded to one past R-ROW-15's limit")
	assert.Contains(t, v["username"], "{P}ann{len:255:𝒜}", "and to the limit")
	assert.Contains(t, v["librarybarcode"], "{P}BB2{len:256:𝒜}", "a barcode padded, in an outline")
	assert.Contains(t, v["adminsystemid"], "{P}AS1{len:255:𝒜}", "an admin id padded, in an outline")
	astral, ok := hostile.Lookup("astral-256")
	require.True(t, ok)
	assert.Contains(t, v["surname"], astral, "a hostile value, {hostile:astral-256} in an outline")
	assert.Contains(t, v["surname"], strings.Repeat("é", 255), "a repeat, {repeat:é:255}")
	assert.Contains(t, v["librarybarcode"], "{D}9849", "a barcode of digits, {digits:b1}")
	assert.Contains(t, v["librarybarcode"], "00{D}9849", "and with leading zeros")
	assert.NotContains(t, v, "", "a header name")
	v["gender"] = nil
	again, err := examples.Values()
	require.NoError(t, err)
	assert.NotEmpty(t, again["gender"], "a caller's change is its own")
}
