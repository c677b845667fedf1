package steps_test

import (
	"io/fs"
	"testing"

	"github.com/autosync/autosync/api/wire"
	"github.com/autosync/autosync/features"
	"github.com/autosync/autosync/steps"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryWayIsSent: every way of sending of the catalogue is sent by a
// scenario: the ways the rules accept are imported and refused with a
// wrong password, the others are refused.
func TestEveryWayIsSent(t *testing.T) {
	scenarios, err := steps.Scenarios()
	require.NoError(t, err)
	text, err := fs.ReadFile(features.FS, "wire.feature")
	require.NoError(t, err)
	names := map[string]bool{}
	for _, sc := range scenarios {
		names[sc.Name] = true
	}
	for _, way := range wire.Ways() {
		if way.Refused {
			assert.Contains(t, string(text), `When I send the file as "`+way.Name+`" writes it`, "no scenario sends %q", way.Name)
			continue
		}
		assert.True(t, names["A file written as "+way.Name+" writes it is read as the documents say"], "%q is not imported by a scenario", way.Name)
		assert.True(t, names["A wrong password written as "+way.Name+" writes it is refused with the documented answer"], "%q is not refused by a scenario", way.Name)
	}
}
