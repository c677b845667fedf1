package steps

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryStepMatchesOnePhrase: every step of the suite matches exactly
// one step phrase, the one its scenario gives godog; godog, which is given
// only that one, would no longer see a second.
func TestEveryStepMatchesOnePhrase(t *testing.T) {
	var book phrases
	(&scenario{}).register(&book)
	suite, err := readSuite()
	require.NoError(t, err)
	ix, err := readPhrases()
	require.NoError(t, err)
	require.NotEmpty(t, suite.texts)
	res := make([]*regexp.Regexp, len(book))
	for i, ph := range book {
		res[i] = regexp.MustCompile(ph.expr)
	}
	for _, text := range suite.texts {
		var matched []string
		for i, re := range res {
			if re.MatchString(text) {
				matched = append(matched, book[i].expr)
			}
		}
		assert.Len(t, matched, 1, "step %q matches %v", text, matched)
		if i := ix.byText[text]; i >= 0 && assert.Less(t, i, len(book)) {
			assert.Equal(t, book[i].expr, ix.res[i].String(), "step %q", text)
		}
	}
}
