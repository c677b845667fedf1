// Package persisttest is the contract every persistence backend of the
// reference server holds (mockserver.Persistence), in the spirit of
// testing/fstest.TestFS: a backend's own test calls Run with a way to open
// its storage, and Run checks what any backend must do.
package persisttest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver"
	"github.com/autosync/autosync/mockserver/store"
)

// Opener opens a backend's storage as a server starting does: each call
// opens what the calls before it left. Closing it is the server stopping,
// or crashing: nothing more is written. An error is the storage refused
// (serve exits 2 with it).
type Opener func() (mockserver.Persistence, io.Closer, error)

// Run checks the contract against the backend newBackend makes, fresh
// (empty storage) for each case:
//   - what was saved is loaded, patrons and history;
//   - a crash between Add and Commit loses the import whole, and an
//     aborted import is not kept;
//   - a reset is kept;
//   - storage holding a patron no import could have stored (two patrons
//     with one barcode) is refused, never loaded in part.
func Run(t *testing.T, newBackend func(t *testing.T) Opener) {
	t.Run("loads what was saved", func(t *testing.T) {
		open := newBackend(t)
		p, c := start(t, open)
		save(t, p, 1, ann, bob)
		c.Close()
		p, c = start(t, open)
		defer c.Close()
		st, history := load(t, p)
		assertHolds(t, st, ann, bob)
		require.Len(t, history, 1)
		assert.Equal(t, 1, history[0].ID)
		assert.Equal(t, "users.csv", history[0].FileName)
		assert.Equal(t, 2, history[0].Rows)
		b, err := json.Marshal(history[0].Result)
		require.NoError(t, err)
		assert.JSONEq(t, answer, string(b))
	})
	t.Run("a crash between Add and Commit loses the import whole", func(t *testing.T) {
		open := newBackend(t)
		p, c := start(t, open)
		save(t, p, 1, ann)
		tx := p.Begin()
		lost := strings.Repeat("x", 100)
		for i := range 50000 { // 6 MB: past any buffer a backend keeps before it writes
			tx.Add(&store.Patron{Username: fmt.Sprintf("crash%05d", i), Enabled: true, Surname: lost})
		}
		c.Close() // the crash: no Commit
		p, c = start(t, open)
		defer c.Close()
		st, history := load(t, p)
		assertHolds(t, st, ann)
		assert.Len(t, history, 1)
	})
	t.Run("an aborted import is not kept", func(t *testing.T) {
		open := newBackend(t)
		p, c := start(t, open)
		tx := p.Begin()
		tx.Add(&bob)
		tx.Abort()
		save(t, p, 1, ann)
		c.Close()
		p, c = start(t, open)
		defer c.Close()
		st, _ := load(t, p)
		assertHolds(t, st, ann)
	})
	t.Run("a reset is kept", func(t *testing.T) {
		open := newBackend(t)
		p, c := start(t, open)
		save(t, p, 1, ann, bob)
		require.NoError(t, p.Reset())
		save(t, p, 2, carl)
		c.Close()
		p, c = start(t, open)
		defer c.Close()
		st, history := load(t, p)
		assertHolds(t, st, carl)
		require.Len(t, history, 1)
		assert.Equal(t, 2, history[0].ID)
	})
	t.Run("hostile storage is refused, never loaded in part", func(t *testing.T) {
		open := newBackend(t)
		p, c := start(t, open)
		clash := bob
		clash.LibraryBarcode = ann.LibraryBarcode
		save(t, p, 1, ann, clash) // what no import could store
		c.Close()
		p, c, err := open()
		if err != nil {
			return // refused when opened
		}
		defer c.Close()
		st := store.New()
		_, err = p.Load(st)
		require.Error(t, err, "storage holding two patrons with one barcode is refused")
	})
}

var (
	ann  = store.Patron{Username: "ann", Enabled: true, GraduationYear: 2029, LibraryBarcode: "B1", AdminSystemID: "S1", GivenName: "Ann", PasswordHash: "$2a$04$notarealhashbutstoredasgiven"}
	bob  = store.Patron{Username: "Bob", StaffMember: true, LibraryBarcode: "B2", Surname: "Jones"}
	carl = store.Patron{Username: "carl", Enabled: true, AcademicLevel: "7"}
)

const answer = `{"success":true,"summary":"2 users processed."}`

// raw is an answer kept as it was written.
type raw string

// MarshalJSON returns the answer.
func (r raw) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func start(t *testing.T, open Opener) (mockserver.Persistence, io.Closer) {
	t.Helper()
	p, c, err := open()
	require.NoError(t, err)
	return p, c
}

// save keeps one import of patrons, as the server does: each patron as it
// is applied, then the history entry.
func save(t *testing.T, p mockserver.Persistence, id int, patrons ...store.Patron) {
	t.Helper()
	tx := p.Begin()
	for i := range patrons {
		tx.Add(&patrons[i])
	}
	require.NoError(t, tx.Commit(mockserver.ImportRecord{ID: id, Time: time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC),
		FileName: "users.csv", Rows: len(patrons), Status: 200, Result: raw(answer)}))
}

func load(t *testing.T, p mockserver.Persistence) (*store.Store, []mockserver.ImportRecord) {
	t.Helper()
	st := store.New()
	history, err := p.Load(st)
	require.NoError(t, err)
	return st, history
}

// assertHolds: st holds exactly want, each whole.
func assertHolds(t *testing.T, st *store.Store, want ...store.Patron) {
	t.Helper()
	require.Equal(t, len(want), st.Len(), "every patron loaded, none more")
	for _, p := range want {
		got, ok := st.Get(p.Username)
		require.True(t, ok, "%s is loaded", p.Username)
		assert.Equal(t, p, got)
	}
}
