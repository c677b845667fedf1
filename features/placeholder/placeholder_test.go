package placeholder_test

import (
	"strings"
	"testing"

	"github.com/autosync/autosync/features/hostile"
	"github.com/autosync/autosync/features/placeholder"
	"github.com/stretchr/testify/assert"
)

// TestFixed: the placeholders that need no run are expanded as the feature
// files mean them; every other, and a malformed one, is not.
func TestFixed(t *testing.T) {
	quoted, _ := hostile.Lookup(hostile.Values()[0].Name)
	for _, c := range []struct {
		text, want string
		ok         bool
	}{
		{"{tab}", "\t", true},
		{"{char:U+202E}", "\u202e", true},
		{"{char:U+1D49C}", "𝒜", true},
		{"{repeat:é:3}", "ééé", true},
		{"{repeat:ab:0}", "", true},
		{"{longline:5}", hostile.LongLine(5), true},
		{"{hostile:" + hostile.Values()[0].Name + "}", quoted, true},
		{"{hostile:" + hostile.Values()[0].Name + ":csv}", strings.ReplaceAll(quoted, `"`, `""`), true},
		{"{hostile:astral-255}", strings.Repeat("𝒜", 255), true},
		{"{char:nope}", "", false},
		{"{repeat:x}", "", false},
		{"{repeat:x:-1}", "", false},
		{"{hostile:no-such-value}", "", false},
		{"{hostile:astral-255:other}", "", false},
		{"{user:ann}", "", false},
		{"{year}", "", false},
	} {
		m := placeholder.Pattern.FindStringSubmatch(c.text)
		if !assert.NotNil(t, m, c.text) {
			continue
		}
		got, ok := placeholder.Fixed(m[1], m[2])
		assert.Equal(t, c.ok, ok, c.text)
		if c.ok {
			assert.Equal(t, c.want, got, c.text)
		}
	}
}
