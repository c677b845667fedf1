package storage

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryKeyCollides runs the store with a hash that sends every key to
// the same slot and tag, so that every key is confirmed against its record.
func TestEveryKeyCollides(t *testing.T) {
	s := New()
	s.hashFn = func(string) uint64 { return 42 }
	const n = 50
	err := s.Update(func(tx *Tx) error {
		for i := range n {
			created, err := tx.Put(&Patron{Username: fmt.Sprintf("User%d", i), LibraryBarcode: fmt.Sprintf("B%d", i), AdminSystemID: fmt.Sprintf("S%d", i)})
			require.NoError(t, err)
			require.True(t, created)
		}
		// Move the first patron's barcode away and another's onto it.
		_, err := tx.Put(&Patron{Username: "user0", LibraryBarcode: "B-new"})
		require.NoError(t, err)
		_, err = tx.Put(&Patron{Username: "user1", LibraryBarcode: "B0"})
		require.NoError(t, err, "B0 was released")
		_, err = tx.Put(&Patron{Username: "user2", LibraryBarcode: "B-new"})
		assert.ErrorIs(t, err, ErrConflict)
		assert.True(t, tx.AdminIDTaken("S7", "user8"))
		assert.False(t, tx.AdminIDTaken("S7", "USER7"))
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, n, s.Len())
	for i := range n {
		p, ok := s.Get(fmt.Sprintf("USER%d", i))
		require.True(t, ok, i)
		assert.Equal(t, fmt.Sprintf("User%d", i), p.Username)
	}
	p, _ := s.Get("user1")
	assert.Equal(t, "B0", p.LibraryBarcode)
	_, ok := s.Get("user50")
	assert.False(t, ok)
}
