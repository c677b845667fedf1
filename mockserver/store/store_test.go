package store_test

import (
	"testing"

	"github.com/autosync/autosync/mockserver/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPutKeepsUniqueValues(t *testing.T) {
	st := store.New()
	err := st.Update(func(tx *store.Tx) error {
		require.NoError(t, tx.Put(&store.Patron{Username: "Ann", LibraryBarcode: "B1", AdminSystemID: "S1"}))
		assert.ErrorIs(t, tx.Put(&store.Patron{Username: "bob", LibraryBarcode: "B1"}), store.ErrConflict)
		assert.ErrorIs(t, tx.Put(&store.Patron{Username: "bob", AdminSystemID: "S1"}), store.ErrConflict)
		require.NoError(t, tx.Put(&store.Patron{Username: "ANN", LibraryBarcode: "B2", AdminSystemID: "S1"}), "a patron may keep or change its own values")
		owner, ok := tx.BarcodeOwner("B2")
		assert.True(t, ok)
		assert.Equal(t, "ANN", owner)
		_, ok = tx.BarcodeOwner("B1")
		assert.False(t, ok, "the old barcode is released")
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 1, st.Len())
	_, ok := st.Get("bob")
	assert.False(t, ok, "a conflicting put writes nothing")
}

func TestListAndReset(t *testing.T) {
	st := store.New()
	st.Update(func(tx *store.Tx) error {
		for _, n := range []string{"zed", "Amy", "bob"} {
			tx.Put(&store.Patron{Username: n})
		}
		return nil
	})
	var names []string
	for _, p := range st.List() {
		names = append(names, p.Username)
	}
	assert.Equal(t, []string{"Amy", "bob", "zed"}, names)
	st.Reset()
	assert.Equal(t, 0, st.Len())
}

func TestKey(t *testing.T) {
	assert.Equal(t, "abc", store.Key("abc"))
	assert.Equal(t, "abc", store.Key("AbC"))
	assert.Equal(t, "zoë", store.Key("ZOË"))
}
