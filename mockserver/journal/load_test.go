package journal

import (
	"bytes"
	"github.com/autosync/autosync/mockserver"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver/store"
)

// fileOf is a state file of the given frames, each with its checksums.
func fileOf(t testing.TB, frames ...frame) []byte {
	var b bytes.Buffer
	b.WriteString(stateMagic)
	for _, f := range frames {
		_, err := writeFrame(&b, f)
		require.NoError(t, err)
	}
	return b.Bytes()
}

// entry is one import's history entry, as the journal keeps it.
func entry(id int) []savedRecord {
	return []savedRecord{{ID: id, Time: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC), FileName: "users.csv", Rows: 1, Status: 200,
		Result: []byte(`{"success":true,"summary":"1 user processed."}`)}}
}

// impossibleStates are state files whose checksums are right and whose
// patrons no import could have stored, with what refusing each must say.
func impossibleStates(t testing.TB) []struct {
	name string
	file []byte
	want string
} {
	ann := store.Patron{Username: "ann", Enabled: true, GraduationYear: 2029, LibraryBarcode: "B1", AdminSystemID: "S1"}
	bob := store.Patron{Username: "bob", Enabled: true, GraduationYear: 2029}
	with := func(p store.Patron, change func(*store.Patron)) store.Patron { change(&p); return p }
	return []struct {
		name string
		file []byte
		want string
	}{
		{"two patrons with one barcode", fileOf(t, frame{Reset: true, Patrons: []store.Patron{ann, with(bob, func(p *store.Patron) { p.LibraryBarcode = "B1" })}}),
			`patron "bob": library barcode: value already used by another patron`},
		{"one admin system id, in two imports", fileOf(t, frame{Reset: true, Patrons: []store.Patron{ann}},
			frame{History: entry(2), Patrons: []store.Patron{with(bob, func(p *store.Patron) { p.AdminSystemID = "S1" })}}),
			`patron "bob": admin system id: value already used`},
		{"a year 99999", fileOf(t, frame{Reset: true, Patrons: []store.Patron{with(ann, func(p *store.Patron) { p.GraduationYear = 99999 })}}),
			"graduation year 99999 is not from 1900 to 2100"},
		{"an empty username", fileOf(t, frame{Reset: true, Patrons: []store.Patron{ann, with(bob, func(p *store.Patron) { p.Username = "" })}}),
			"no username"},
		{"a username of spaces", fileOf(t, frame{Reset: true, Patrons: []store.Patron{with(bob, func(p *store.Patron) { p.Username = "  " })}}),
			"no username, or spaces around it"},
		{"a surname over 255 characters", fileOf(t, frame{Reset: true, Patrons: []store.Patron{with(bob, func(p *store.Patron) { p.Surname = string(bytes.Repeat([]byte("é"), 256)) })}}),
			"surname is longer than 255 characters"},
		{"a control character", fileOf(t, frame{Reset: true, Patrons: []store.Patron{with(bob, func(p *store.Patron) { p.GivenName = "Bo\x1b[2Jb" })}}),
			"givenname holds control characters"},
		{"text that is not UTF-8", fileOf(t, frame{Reset: true, Patrons: []store.Patron{with(bob, func(p *store.Patron) { p.FormClass = "8\xff" })}}),
			"formclass is not UTF-8"},
	}
}

// TestImpossibleStateRefused: a state file whose checksums are right but
// whose patrons no import could have stored is refused whole, saying why
// (serve exits 2 with it), and left byte for byte; nothing of it is loaded.
func TestImpossibleStateRefused(t *testing.T) {
	for _, tt := range impossibleStates(t) {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state")
			require.NoError(t, os.WriteFile(path, tt.file, 0o600))
			st, err := Open(path)
			if err == nil {
				st.Close()
			}
			require.ErrorIs(t, err, ErrUnreadable)
			assert.ErrorContains(t, err, tt.want)
			assert.ErrorContains(t, err, "which no import could have stored; the file is left as it is")
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.file, after, "the file is left byte for byte")
		})
	}
}

// FuzzOpen: whatever the bytes of a state file, it is loaded whole or
// refused and left as it was, never loaded in part. Loaded whole: the
// server holds exactly the patrons that replaying the file's frames in a
// plain map gives, and the file, compacted, opens again to the same. The
// seed corpus runs with go test: well-formed journals, a torn tail, and
// the impossible files above.
func FuzzOpen(f *testing.F) {
	ann := store.Patron{Username: "ann", Enabled: true, GraduationYear: 2029, LibraryBarcode: "B1", AdminSystemID: "S1"}
	bob := store.Patron{Username: "Bob", StaffMember: true, LibraryBarcode: "B2"}
	bob2 := bob
	bob2.Username, bob2.LibraryBarcode, bob2.Surname = "BOB", "B1", "Jones"
	ann2 := ann
	ann2.LibraryBarcode = "B3"
	good := fileOf(f, frame{Reset: true, Patrons: []store.Patron{ann}, History: entry(1)},
		frame{Part: true, Patrons: []store.Patron{bob}},
		frame{History: entry(2), Patrons: []store.Patron{ann2, bob2}}, // ann lets B1 go before bob takes it
		frame{Reset: true},
		frame{History: entry(3), Patrons: []store.Patron{bob}})
	f.Add(good)
	f.Add(good[:len(good)-7])                                                                                           // a torn tail
	f.Add(fileOf(f, frame{Reset: true, Patrons: []store.Patron{ann}}, frame{Part: true, Patrons: []store.Patron{bob}})) // parts nothing completed
	f.Add([]byte{})
	for _, tt := range impossibleStates(f) {
		f.Add(tt.file)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "state")
		require.NoError(t, os.WriteFile(path, b, 0o600))
		st, err := Open(path)
		if err != nil {
			after, rerr := os.ReadFile(path)
			require.NoError(t, rerr)
			require.Equal(t, b, after, "refused (%v), and left as it was", err)
			return
		}
		want := replay(t, b)
		s := store.New()
		mockserver.New(mockserver.WithPersistence(st), mockserver.WithStore(s))
		require.NoError(t, st.Close())
		assertHolds(t, s, want)

		again, err := Open(path)
		require.NoError(t, err, "the compacted file opens again")
		s = store.New()
		mockserver.New(mockserver.WithPersistence(again), mockserver.WithStore(s))
		require.NoError(t, again.Close())
		assertHolds(t, s, want)
	})
}

// replay is the state a file opened whole describes, worked out apart
// from State: its whole frames applied in order to a map by store.Key, a
// reset emptying it, a later patron replacing an earlier one (with the
// first spelling of its username).
func replay(t *testing.T, b []byte) map[string]store.Patron {
	frames, err := readJournal(b)
	require.NoError(t, err, "State opened a file the journal reader refuses")
	out := map[string]store.Patron{}
	for _, f := range frames {
		if f.Reset {
			clear(out)
		}
		for _, p := range f.Patrons {
			if old, ok := out[store.Key(p.Username)]; ok {
				p.Username = old.Username
			}
			out[store.Key(p.Username)] = p
		}
	}
	return out
}

// assertHolds: s holds exactly the patrons of want, each whole.
func assertHolds(t *testing.T, s *store.Store, want map[string]store.Patron) {
	t.Helper()
	require.Equal(t, len(want), s.Len(), "every patron loaded, none more")
	for key, p := range want {
		got, ok := s.Get(key)
		require.True(t, ok, "patron %q loaded", p.Username)
		require.Equal(t, p, got)
	}
}

// TestCompactionSaysTheSpaceItNeeds: a start that cannot write the
// compacted file for a full disk says how much room it needs, and where.
func TestCompactionSaysTheSpaceItNeeds(t *testing.T) {
	path := filepath.Join("/srv", "state")
	err := compactError(path, 3<<20, &os.PathError{Op: "write", Path: path + ".tmp-1", Err: syscall.ENOSPC})
	assert.ErrorIs(t, err, ErrNoSpace)
	assert.ErrorContains(t, err, "it needs 3 MiB free in /srv")
	assert.ErrorContains(t, err, "The file is left as it was")
	assert.NotErrorIs(t, compactError(path, 1, os.ErrPermission), ErrNoSpace)
}
