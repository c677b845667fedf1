package mockserver

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryFaultKind: each kind of fault in the table is spelled for
// serve --fault and read back as itself, is named by its JSON key in
// /_mock/faults, and acts at one step of an import at least; two kinds in
// one fault are refused, naming every key.
func TestEveryFaultKind(t *testing.T) {
	for _, k := range faultKinds {
		t.Run(k.key, func(t *testing.T) {
			require.NotEmpty(t, k.examples)
			assert.True(t, k.answer != nil || k.received != nil || k.wrap != nil, "it does something")
			for _, ex := range k.examples {
				rf, err := ParseRandomFault(ex + ":0.5")
				require.NoError(t, err)
				assert.Same(t, &faultKinds[indexOf(t, k.key)], rf.Fault.kind(), ex)
				assert.Equal(t, strings.ReplaceAll(ex, "html", " html"), strings.ReplaceAll(rf.Fault.String(), "delay 5s", "delay=5s"), ex)
			}
			b, err := json.Marshal(map[string]any{k.key: sample(k.key)})
			require.NoError(t, err)
			var f Fault
			require.NoError(t, json.Unmarshal(b, &f))
			require.NoError(t, f.check(), "%s", b)
			assert.Same(t, &faultKinds[indexOf(t, k.key)], f.kind())
		})
	}
	f := Fault{Status: 503, Reset: true}
	assert.ErrorContains(t, f.check(), `give exactly one of "status", "delay", "reset" or "truncate"`)
}

func indexOf(t *testing.T, key string) int {
	for i, k := range faultKinds {
		if k.key == key {
			return i
		}
	}
	t.Fatalf("no kind %q", key)
	return -1
}

// sample is a value of a fault's JSON key.
func sample(key string) any {
	switch key {
	case "status":
		return 503
	case "delay":
		return "5s"
	}
	return true
}
