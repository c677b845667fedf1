//go:build unix

package journal_test

import (
	"bytes"
	"encoding/binary"
	"github.com/autosync/autosync/mockserver/mocktest"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/autosync/autosync/mockserver/journal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const stateHead = "autosync state 3\n"

// threeImports leaves a state file holding three imports in its first
// frame (the server was restarted once, which compacts the journal) and
// returns its bytes.
const oneStudent = "username,enabled,staffmember,graduationyear\nann,Y,N,2029\n"

func threeImports(t *testing.T, path string) []byte {
	t.Helper()
	srv, stop := mocktest.NewWithState(t, path)
	for _, name := range []string{"ann", "bob", "cat"} {
		status, _ := srv.Post(t, []byte("username,enabled,staffmember,graduationyear\n"+name+",Y,N,2029\n"))
		require.Equal(t, 200, status)
	}
	stop()
	_, stop = mocktest.NewWithState(t, path) // the restart compacts
	stop()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// TestDamagedFrameIsRefused: a flipped bit in a frame's length, a length
// of 0xFFFFFFFF or past the end, a file cut inside its first frame, or a
// damaged frame in the middle: the state is refused, never read as empty,
// and the file is left byte for byte as it was.
func TestDamagedFrameIsRefused(t *testing.T) {
	dir := t.TempDir()
	compacted := threeImports(t, filepath.Join(dir, "base"))
	length := len(stateHead) // where the first frame's length is

	middle := filepath.Join(dir, "middle")
	srv, stop := mocktest.NewWithState(t, middle)
	for _, name := range []string{"ann", "bob", "cat"} {
		srv.Post(t, []byte("username,enabled,staffmember,graduationyear\n"+name+",Y,N,2029\n"))
	}
	stop()
	raw, err := os.ReadFile(middle)
	require.NoError(t, err)
	second := length + 12 + int(binary.BigEndian.Uint32(raw[length:])) // the second frame's length

	damage := map[string][]byte{}
	flip := bytes.Clone(compacted)
	flip[length] ^= 0x80
	damage["high bit of the first length"] = flip
	all := bytes.Clone(compacted)
	binary.BigEndian.PutUint32(all[length:], 0xFFFFFFFF)
	damage["length 0xFFFFFFFF"] = all
	past := bytes.Clone(compacted)
	binary.BigEndian.PutUint32(past[length:], uint32(len(compacted)))
	damage["length past the end"] = past
	damage["cut inside the first frame"] = compacted[:len(compacted)-20]
	mid := bytes.Clone(raw)
	mid[second+1] ^= 0x01
	damage["a middle frame's length"] = mid
	midPayload := bytes.Clone(raw)
	midPayload[second+20] ^= 0x01
	damage["a middle frame's payload"] = midPayload

	for name, content := range damage {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "state")
			require.NoError(t, os.WriteFile(p, content, 0o600))
			_, err := journal.Open(p)
			assert.ErrorIs(t, err, journal.ErrUnreadable)
			after, _ := os.ReadFile(p)
			assert.Equal(t, content, after, "the file is left as it is")
		})
	}
}

// TestZeroFilledTailIsTorn: zeros after the last frame (a power loss) are
// a torn tail: dropped, every import before them kept.
func TestZeroFilledTailIsTorn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	srv, stop := mocktest.NewWithState(t, path)
	srv.Post(t, []byte(oneStudent))
	_, want := srv.Get(t, "/_mock/patrons")
	stop()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	f.Write(make([]byte, 4096))
	f.Close()
	again, _ := mocktest.NewWithState(t, path)
	_, got := again.Get(t, "/_mock/patrons")
	assert.JSONEq(t, string(want), string(got))
}

// TestSecondServerIsRefused: one server per state file; the second is told
// which file, and may open it once the first has stopped.
func TestSecondServerIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state")
	first, err := journal.Open(path)
	require.NoError(t, err)
	_, err = journal.Open(path)
	assert.ErrorIs(t, err, journal.ErrInUse)
	assert.ErrorContains(t, err, path)
	require.NoError(t, first.Close())
	second, err := journal.Open(path)
	require.NoError(t, err)
	second.Close()
}

// TestStaleTempFilesRemoved: what a compaction cut off by a kill left
// behind is removed when the state is opened again.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state")
	_, stop := mocktest.NewWithState(t, path)
	stop()
	stale := path + ".tmp-123456"
	require.NoError(t, os.WriteFile(stale, []byte("half a compaction"), 0o600))
	other := filepath.Join(dir, "notes.tmp-1")
	require.NoError(t, os.WriteFile(other, nil, 0o600))
	_, stop = mocktest.NewWithState(t, path)
	stop()
	assert.NoFileExists(t, stale)
	assert.FileExists(t, other, "only the state file's own temporary files")
}

// TestStateOnlyInRegularFiles: a named pipe, a folder or a device is
// refused and left as it is, a symbolic link too; a loose file is written
// new, 0600.
func TestStateOnlyInRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	_, err := journal.Open(fifo)
	assert.ErrorIs(t, err, journal.ErrUnreadable)
	assert.ErrorContains(t, err, "named pipe")
	fi, err := os.Lstat(fifo)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeNamedPipe, "still a named pipe")

	_, err = journal.Open(dir)
	assert.ErrorContains(t, err, "a folder")

	if os.Geteuid() == 0 { // a device node of our own, like /dev/null
		dev := filepath.Join(dir, "null")
		require.NoError(t, syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3))
		_, err = journal.Open(dev)
		assert.ErrorContains(t, err, "a device")
		fi, err := os.Lstat(dev)
		require.NoError(t, err)
		assert.NotZero(t, fi.Mode()&os.ModeDevice, "still a device")

		theirs := filepath.Join(dir, "theirs")
		require.NoError(t, os.WriteFile(theirs, nil, 0o600))
		require.NoError(t, os.Chown(theirs, 4242, 4242))
		_, err = journal.Open(theirs)
		assert.ErrorContains(t, err, "belongs to another user (uid 4242)")
	}

	// A link planted where the state file goes is refused and left as it
	// is, the file it names untouched; a loose file (0644) is written new,
	// the owner's alone: it holds password hashes.
	target := filepath.Join(dir, "real-state")
	require.NoError(t, os.WriteFile(target, []byte("not yours"), 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(target, link))
	_, err = journal.Open(link)
	assert.ErrorIs(t, err, journal.ErrUnreadable)
	assert.ErrorContains(t, err, "is a symbolic link")
	fi, err = os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the link is still a link")
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "not yours", string(b), "nothing written through the link")

	loose := filepath.Join(dir, "loose")
	_, stop := mocktest.NewWithState(t, loose)
	stop()
	require.NoError(t, os.Chmod(loose, 0o644))
	srv, stop := mocktest.NewWithState(t, loose)
	status, _ := srv.Post(t, []byte(oneStudent))
	require.Equal(t, 200, status)
	stop()
	fi, err = os.Stat(loose)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the old mode is not kept")
	again, _ := mocktest.NewWithState(t, loose)
	_, patrons := again.Get(t, "/_mock/patrons")
	assert.Contains(t, string(patrons), `"username":"ann"`)
}
