package store_test

import (
	"strings"
	"testing"

	"github.com/autosync/autosync/mockserver/store"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPutKeepsUniqueValues(t *testing.T) {
	st := store.New()
	err := st.Update(func(tx *store.Tx) error {
		created, err := tx.Put(&store.Patron{Username: "Ann", LibraryBarcode: "B1", AdminSystemID: "S1"})
		require.NoError(t, err)
		assert.True(t, created)
		_, err = tx.Put(&store.Patron{Username: "bob", LibraryBarcode: "B1", AdminSystemID: "S1"})
		var ce *store.ConflictError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, store.ConflictError{Barcode: true, AdminID: true}, *ce)
		assert.ErrorIs(t, err, store.ErrConflict)
		assert.True(t, tx.BarcodeTaken("B1", "bob"))
		assert.False(t, tx.BarcodeTaken("B1", "ANN"), "a patron's own barcode is not taken")
		assert.True(t, tx.AdminIDTaken("S1", "bob"))

		created, err = tx.Put(&store.Patron{Username: "ANN", LibraryBarcode: "B2", AdminSystemID: "S1"})
		require.NoError(t, err, "a patron may keep or change its own values")
		assert.False(t, created)
		assert.False(t, tx.BarcodeTaken("B1", "bob"), "the old barcode is released")
		assert.True(t, tx.BarcodeTaken("B2", "bob"))
		p, ok := tx.Get("ann")
		require.True(t, ok)
		assert.Equal(t, "Ann", p.Username, "the creating spelling stays")
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 1, st.Len())
	_, ok := st.Get("bob")
	assert.False(t, ok, "a conflicting put writes nothing")
}

func TestRoundTrip(t *testing.T) {
	st := store.New()
	want := store.Patron{Username: "Zoë", Enabled: true, StaffMember: false, GivenName: "Zoë", Surname: "Ngā",
		MiddleName: "M", PreferredName: "Zo, Z", EmailAddress: "z@example.edu", GraduationYear: 2030,
		AcademicLevel: "7", LibraryBarcode: "0001", AdminSystemID: "STU1", Gender: "F", PasswordHash: "$2a$04$x",
		FormClass: "7A", PresentationGroupLabel: "Middle School"}
	st.Update(func(tx *store.Tx) error { _, err := tx.Put(&want); return err })
	got, ok := st.Get("ZOË")
	require.True(t, ok)
	assert.Equal(t, want, got)

	_, err := func() (bool, error) {
		var created bool
		var err error
		st.Update(func(tx *store.Tx) error {
			created, err = tx.Put(&store.Patron{Username: "big", GivenName: strings.Repeat("x", 70000)})
			return nil
		})
		return created, err
	}()
	assert.ErrorIs(t, err, store.ErrTooLarge)
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

func TestPutUnchangedKeepsThePatron(t *testing.T) {
	st := store.New()
	p := store.Patron{Username: "Ann", Enabled: true, LibraryBarcode: "B1", AdminSystemID: "S1", GraduationYear: 2030}
	st.Update(func(tx *store.Tx) error {
		_, err := tx.Put(&p)
		require.NoError(t, err)
		same := p
		same.Username = "ANN"
		created, err := tx.Put(&same)
		require.NoError(t, err)
		assert.False(t, created)
		changed := p
		changed.GraduationYear = 2031
		_, err = tx.Put(&changed)
		require.NoError(t, err)
		return nil
	})
	got, ok := st.Get("ann")
	require.True(t, ok)
	assert.Equal(t, "Ann", got.Username)
	assert.Equal(t, 2031, got.GraduationYear, "a change after an unchanged put still lands")
}

// TestAllIsASnapshotThatHoldsNoLock: the listing is the store as it was when
// All was called, sorted by key, and an import may run while it is read.
func TestAllIsASnapshotThatHoldsNoLock(t *testing.T) {
	st := store.New()
	st.Update(func(tx *store.Tx) error {
		for _, n := range []string{"zed", "Amy", "bob"} {
			tx.Put(&store.Patron{Username: n, GivenName: n + "-1"})
		}
		return nil
	})
	var got []string
	for p := range st.All() {
		got = append(got, p.Username+"/"+p.GivenName)
		// Would deadlock if All held the store while it is read.
		require.NoError(t, st.Update(func(tx *store.Tx) error {
			_, err := tx.Put(&store.Patron{Username: "zed", GivenName: "changed"})
			if err == nil {
				_, err = tx.Put(&store.Patron{Username: "aaron"})
			}
			return err
		}))
	}
	assert.Equal(t, []string{"Amy/Amy-1", "bob/bob-1", "zed/zed-1"}, got)
	p, _ := st.Get("zed")
	assert.Equal(t, "changed", p.GivenName)
	assert.Equal(t, 4, st.Len())
}

// TestClone: a clone changes apart from the store it was made from.
func TestClone(t *testing.T) {
	st := store.New()
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		_, err := tx.Put(&store.Patron{Username: "ann", LibraryBarcode: "B1", GivenName: "Ann"})
		return err
	}))
	c := st.Clone()
	require.NoError(t, c.Update(func(tx *store.Tx) error {
		if _, err := tx.Put(&store.Patron{Username: "ann", LibraryBarcode: "B2", GivenName: "Annie"}); err != nil {
			return err
		}
		_, err := tx.Put(&store.Patron{Username: "bob", LibraryBarcode: "B1"})
		return err
	}))
	orig, _ := st.Get("ann")
	assert.Equal(t, "Ann", orig.GivenName)
	assert.Equal(t, "B1", orig.LibraryBarcode)
	assert.Equal(t, 1, st.Len())
	_, found := st.Get("bob")
	assert.False(t, found)
	cloned, _ := c.Get("ANN")
	assert.Equal(t, "Annie", cloned.GivenName)
	assert.Equal(t, 2, c.Len())
}

func TestFind(t *testing.T) {
	st := store.New()
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		for _, p := range []store.Patron{
			{Username: "zoe", GivenName: "Zoë", Surname: "Ngata", LibraryBarcode: "B100"},
			{Username: "ann", GivenName: "Ann", Surname: "Smith", AdminSystemID: "S-77"},
			{Username: "bob", GivenName: "Bob", Surname: "Smithers", LibraryBarcode: "B200"},
		} {
			if _, err := tx.Put(&p); err != nil {
				return err
			}
		}
		return nil
	}))
	names := func(ps []store.Patron) (out []string) {
		for _, p := range ps {
			out = append(out, p.Username)
		}
		return out
	}
	page, total := st.Find("", 0, 2)
	assert.Equal(t, []string{"ann", "bob"}, names(page), "by username, whatever the order they were created in")
	assert.Equal(t, 3, total)
	page, total = st.Find("", 2, 2)
	assert.Equal(t, []string{"zoe"}, names(page))
	page, _ = st.Find("ann smith", 0, 10)
	assert.Equal(t, []string{"ann"}, names(page), "a full name")
	require.NoError(t, st.Update(func(tx *store.Tx) error {
		_, err := tx.Put(&store.Patron{Username: "aaron"})
		return err
	}))
	page, _ = st.Find("", 0, 1)
	assert.Equal(t, []string{"aaron"}, names(page), "a patron added since is in its place")
	page, total = st.Find("SMITH", 0, 10)
	assert.Equal(t, []string{"ann", "bob"}, names(page), "matches by username")
	assert.Equal(t, 2, total)
	page, _ = st.Find("b2", 0, 10)
	assert.Equal(t, []string{"bob"}, names(page), "by barcode")
	page, _ = st.Find("s-77", 0, 10)
	assert.Equal(t, []string{"ann"}, names(page), "by admin id")
	page, total = st.Find("nobody", 0, 10)
	assert.Empty(t, page)
	assert.Zero(t, total)
}
