package examples_test

import (
	"testing"

	"github.com/autosync/autosync/features/examples"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValuesAreTheScenariosCells: the values are the cells the scenarios
// write, outlines' examples among them, with no placeholder, each once.
func TestValuesAreTheScenariosCells(t *testing.T) {
	v, err := examples.Values()
	require.NoError(t, err)
	assert.Contains(t, v["gender"], "Female", "a cell of a scenario's file")
	assert.Contains(t, v["enabled"], "maybe", "a cell of a scenario's file")
	assert.Contains(t, v["emailaddress"], "a!#$%&'*+-/=?^_`{|}~z@Example.EDU", "braces that are no placeholder")
	for c, cells := range v {
		seen := map[string]bool{}
		for _, cell := range cells {
			assert.NotRegexp(t, `\{[A-Za-z]+(:[^{}]*)?\}`, cell, "%s: a placeholder", c)
			assert.False(t, seen[cell], "%s: %q twice", c, cell)
			seen[cell] = true
		}
	}
	assert.NotContains(t, v, "", "a header name")
	v["gender"] = nil
	again, err := examples.Values()
	require.NoError(t, err)
	assert.NotEmpty(t, again["gender"], "a caller's change is its own")
}
