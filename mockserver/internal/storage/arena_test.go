package storage

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompactionKeepsEveryPatron rewrites large patrons until the replaced
// text passes the compaction threshold several times: every patron must
// read back as last written, patrons read before a compaction must not
// change, and the dead text must stay bounded.
func TestCompactionKeepsEveryPatron(t *testing.T) {
	s := New()
	const n = 200
	patron := func(i, round int) Patron {
		return Patron{Username: fmt.Sprintf("P%d", i), GivenName: strings.Repeat(string(rune('a'+round%26)), 60000),
			Surname: fmt.Sprintf("round %d", round), LibraryBarcode: fmt.Sprintf("B%d-%d", i, round%2), GraduationYear: 2030}
	}
	var before []Patron
	compactions := 0
	for round := range 8 {
		require.NoError(t, s.Update(func(tx *Tx) error {
			for i := range n {
				p := patron(i, round)
				if _, err := tx.Put(&p); err != nil {
					return err
				}
				if s.text.dead == 0 && round > 0 {
					compactions++
				}
			}
			return nil
		}))
		if round == 0 {
			for i := range n {
				p, _ := s.Get(fmt.Sprintf("p%d", i))
				before = append(before, p)
			}
		}
		assert.LessOrEqual(t, s.text.dead, max(minDead, s.text.live/4)+60100, "round %d", round)
	}
	require.Positive(t, compactions, "the test must cross the threshold")
	for i := range n {
		got, ok := s.Get(fmt.Sprintf("p%d", i))
		require.True(t, ok)
		require.Equal(t, patron(i, 7), got, i)
		require.Equal(t, patron(i, 0), before[i], "a patron read earlier keeps its text")
		_, taken := s.find(&s.byBarcode, s.hash(got.LibraryBarcode), got.LibraryBarcode, barcode)
		require.True(t, taken, "the barcode index still finds patron %d", i)
	}
}
