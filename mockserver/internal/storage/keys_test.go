package storage_test

import (
	"testing"

	"github.com/autosync/autosync/mockserver/internal/storage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeysFromAnotherStoreAreIgnored: each store hashes with its own seed,
// so keys made by one store must not steer another's look-ups.
func TestKeysFromAnotherStoreAreIgnored(t *testing.T) {
	a, b := storage.New(), storage.New()
	p := storage.Patron{Username: "Kim", LibraryBarcode: "B7", AdminSystemID: "S7"}
	ka, kb := storage.KeysOf(a, "Kim", "B7", "S7"), storage.KeysOf(b, "Kim", "B7", "S7")
	require.NoError(t, b.Update(func(tx *storage.Tx) error {
		_, err := storage.PutWith(tx, &kb, &p)
		return err
	}))
	require.NoError(t, b.Update(func(tx *storage.Tx) error {
		storage.Prefetch(tx, []storage.Keys{ka})
		got, ok := storage.GetWith(tx, &ka, "KIM")
		assert.True(t, ok, "found despite the other store's keys")
		assert.Equal(t, "Kim", got.Username)
		assert.True(t, tx.BarcodeTaken("B7", "someone"))
		created, err := storage.PutWith(tx, &ka, &p)
		assert.False(t, created, "an update, not a second Kim")
		return err
	}))
	assert.Equal(t, 1, b.Len())
}
