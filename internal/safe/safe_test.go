package safe_test

import (
	"testing"

	"github.com/autosync/autosync/internal/safe"
	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, é and ā":      "plain text, é and ā",
		"\x1b[31mred\x1b[0m":       `\x1b[31mred\x1b[0m`,
		"line\rforged":             `line\rforged`,
		"two\nlines":               `two\nlines`,
		"nul\x00":                  `nul\x00`,
		"caf\xe9":                  `caf\xe9`,
		"ann\u202eoj":              `ann\u202eoj`,
		"zero\u200bwidth\ufeffbom": `zero\u200bwidth\ufeffbom`,
	} {
		assert.Equal(t, want, safe.Text(in), "%q", in)
	}
}
