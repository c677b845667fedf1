package journal

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/autosync/autosync/mockserver/store"
)

// rawStateFile writes a format 3 state file of one frame whose head names
// fields, each patron given as its values in that order.
func rawStateFile(t *testing.T, fields []string, patrons ...[]string) string {
	t.Helper()
	var enc []byte
	for _, p := range patrons {
		enc = append(enc, 1) // enabled
		enc = binary.AppendUvarint(enc, 2029)
		for _, v := range p {
			enc = binary.AppendUvarint(enc, uint64(len(v)))
			enc = append(enc, v...)
		}
	}
	meta, err := json.Marshal(frame{Reset: true, Fields: fields})
	require.NoError(t, err)
	var b bytes.Buffer
	b.WriteString(stateMagic)
	_, err = writeRawFrame(&b, meta, enc)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "state")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
	return path
}

// TestStateIsReadByFieldName: a frame's patrons are read by the names its
// head gives, in its order; a field it lacks is left unset; a field this
// autosync does not know refuses the file, with the field's name, and
// leaves it as it was.
func TestStateIsReadByFieldName(t *testing.T) {
	reversed := slices.Clone(store.TextNames())
	slices.Reverse(reversed)
	values := make([]string, len(reversed))
	for i, name := range reversed {
		values[i] = "v-" + name
	}
	values[slices.Index(reversed, "username")] = "ann"
	st, err := Open(rawStateFile(t, reversed, values))
	require.NoError(t, err)
	p := mustGet(t, st, "ann")
	assert.Equal(t, "v-givenname", p.GivenName)
	assert.Equal(t, "v-presentationgrouplabel", p.PresentationGroupLabel)
	assert.Equal(t, 2029, p.GraduationYear)
	require.NoError(t, st.Close())

	st, err = Open(rawStateFile(t, []string{"username", "surname"}, []string{"bob", "Jones"}))
	require.NoError(t, err, "a file of fewer fields (an older patron)")
	assert.Equal(t, store.Patron{Username: "bob", Surname: "Jones", Enabled: true, GraduationYear: 2029}, mustGet(t, st, "bob"))
	require.NoError(t, st.Close())

	path := rawStateFile(t, []string{"username", "shoesize"}, []string{"cat", "Kit"})
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = Open(path)
	assert.ErrorContains(t, err, `holds the patron field "shoesize", which this autosync does not know`)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a refused file is left as it was")
}

// TestStateFormat2IsReadAndRewritten: a state file that autosync wrote in
// format 2 (testdata/state-v2: one import of ann with every column,
// compacted by a restart, then bob created and ann's form class changed)
// is read whole and rewritten as format 3, which reads the same.
func TestStateFormat2IsReadAndRewritten(t *testing.T) {
	b, err := os.ReadFile("testdata/state-v2")
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte(stateMagicV2)))
	path := filepath.Join(t.TempDir(), "state")
	require.NoError(t, os.WriteFile(path, b, 0o600))

	want := store.Patron{Username: "ann", Enabled: true, GivenName: "Ann", Surname: "Smith", MiddleName: "Jo", PreferredName: "Annie",
		EmailAddress: "ann@example.edu", GraduationYear: 2029, AcademicLevel: "7", LibraryBarcode: "00000134", AdminSystemID: "STU1",
		Gender: "F", FormClass: "8B", PresentationGroupLabel: "Middle School"}
	for range 2 {
		st, err := Open(path)
		require.NoError(t, err)
		ann := mustGet(t, st, "ann")
		assert.NotEmpty(t, ann.PasswordHash)
		ann.PasswordHash = ""
		assert.Equal(t, want, ann)
		assert.Equal(t, store.Patron{Username: "bob", Enabled: true, StaffMember: true}, mustGet(t, st, "bob"))
		assert.Len(t, st.history, 2)
		require.NoError(t, st.Close())
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(b, []byte(stateMagic)), "rewritten as format 3")
	}
}

// mustGet returns the patron the opened state holds by that username.
func mustGet(t *testing.T, st *File, username string) store.Patron {
	t.Helper()
	p, ok := st.patrons.Get(username)
	require.True(t, ok, "the state holds %s", username)
	return p
}
