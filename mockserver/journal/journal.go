// Package journal is the reference server's state file (serve --state): a
// journal of the imports, loaded whole or refused, that keeps the patrons
// and the import history across restarts and crashes. It is one backend of
// mockserver.Persistence; persisttest.Run is the contract it holds.
package journal

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/autosync/autosync/mockserver"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/autosync/autosync/internal/atomicfile"
	"github.com/autosync/autosync/internal/filekind"
	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// File keeps a reference server's patrons and import history in a state
// file, so that they survive a restart and a crash: a
// mockserver.Persistence, given to the server with
// mockserver.WithPersistence.
//
// The file is a journal of frames, each a length, a CRC-32C and a JSON
// record: the patrons one import left (their final state, bcrypt hashes
// and never a plain password) with its history entry, or a reset. An import
// is durable when its answer is sent: its frame is written and synced
// first. A crash can leave only the last frame torn; opening the file drops
// it, so the state is exactly the one before or after each import. On
// opening, the journal is compacted into one frame, written to a temporary
// file, synced, and renamed over the old one.
type File struct {
	mu      sync.Mutex
	path    string    // the file itself, never a symbolic link
	lock    io.Closer // held while the server runs
	f       journalFile
	size    int64        // where the last whole frame ends
	patrons *store.Store // as loaded, until the server has them
	history []mockserver.ImportRecord
	// what the file held when it was opened
	loadedPatrons, loadedImports int
}

// journalFile is what State needs of its open file; tests give it one that
// fails like a full disk.
type journalFile interface {
	io.Writer
	Sync() error
	Truncate(size int64) error
	Close() error
}

// frame is one record of the journal. On disk it is a JSON head (the reset,
// the history, the names of the patrons' fields) and the patrons, each as
// its flags, its year and its string fields, length-prefixed:
// encoding/json would cost more than the import.
type frame struct {
	Reset   bool          `json:"reset,omitempty"`
	History []savedRecord `json:"history,omitempty"`
	// Part marks a frame that holds some of an import's patrons: the frame
	// after it that is not a part completes the import. Parts that nothing
	// completes (a crash) are dropped with the torn tail.
	Part bool `json:"part,omitempty"`
	// Fields names the string fields of each patron, in the order they
	// are written (format 3; see appendPatron).
	Fields  []string       `json:"fields,omitempty"`
	Patrons []store.Patron `json:"-"`
	// encoded holds patrons already encoded (appendPatron), written after
	// Patrons; a journal transaction fills it.
	encoded []byte
}

// legacyFields are the patron's string fields in the order state files of
// format 1 and 2 wrote them, which named no fields.
var legacyFields = []string{"username", "givenname", "surname", "middlename", "preferredname", "emailaddress",
	"academiclevel", "librarybarcode", "adminsystemid", "gender", "passwordhash", "formclass", "presentationgrouplabel"}

// A patron is written as its flags, its graduation year, then each string
// field of store.Patron (store.TextNames), length-prefixed: a field added
// to the patron is written with no change here. Each frame that holds
// patrons names the fields in its head, so a file is read by name.
func appendPatron(b []byte, p *store.Patron) []byte {
	flags := byte(0)
	if p.Enabled {
		flags |= 1
	}
	if p.StaffMember {
		flags |= 2
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(p.GraduationYear))
	for i := range store.TextNames() {
		f := store.TextField(p, i)
		b = binary.AppendUvarint(b, uint64(len(*f)))
		b = append(b, *f...)
	}
	return b
}

// fieldMap says where each field a frame names goes in store.Patron (its
// index in store.TextNames). A field this autosync does not know is an
// error: the file is refused, never read without it.
func fieldMap(names []string) ([]int, error) {
	known := store.TextNames()
	out := make([]int, len(names))
	for i, name := range names {
		if out[i] = slices.Index(known, name); out[i] < 0 {
			return nil, unknownField(name)
		}
	}
	return out, nil
}

// unknownField is a patron field a state file names that this autosync
// does not know: a file of a newer autosync, not a damaged one.
type unknownField string

func (f unknownField) Error() string {
	return fmt.Sprintf("holds the patron field %q, which this autosync does not know; use the autosync that wrote it", string(f))
}

// readPatron reads one patron whose string fields are, in order, the
// store.TextField indexes of fields; a field the file does not have stays
// "".
func readPatron(b []byte, fields []int) (store.Patron, []byte, error) {
	var p store.Patron
	bad := errors.New("a patron record cut short")
	if len(b) < 1 {
		return p, nil, bad
	}
	p.Enabled, p.StaffMember = b[0]&1 != 0, b[0]&2 != 0
	b = b[1:]
	y, n := binary.Uvarint(b)
	if n <= 0 {
		return p, nil, bad
	}
	p.GraduationYear, b = int(y), b[n:]
	for _, i := range fields {
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return p, nil, bad
		}
		*store.TextField(&p, i), b = string(b[n:n+int(l)]), b[n+int(l):]
	}
	return p, b, nil
}

// savedRecord is a history entry as the journal keeps it: the answer itself
// when it is small, else its success and summary alone.
type savedRecord struct {
	ID       int             `json:"id,omitempty"`
	Time     time.Time       `json:"time"`
	FileName string          `json:"filename"`
	Rows     int             `json:"rows"`
	Status   int             `json:"status"`
	Fault    string          `json:"fault,omitempty"`
	Result   json.RawMessage `json:"result"`
	LeftOut  int             `json:"failuresLeftOut,omitempty"`
}

// maxSavedAnswer is the largest answer the journal keeps whole.
const maxSavedAnswer = 1 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// The magic line that starts every state file, so that no other file is
// taken for one (and rewritten), and says its format. Version 2 gives each
// frame header a checksum of its own, so that a damaged length is never
// believed; version 3 names the patron's fields in each frame that holds
// patrons, so that a file is read by name whatever fields a patron had
// when it was written. A file of version 1 or 2 is read (with
// legacyFields) and rewritten as version 3.
const (
	stateMagicV1 = "autosync state 1\n"
	stateMagicV2 = "autosync state 2\n"
	stateMagic   = "autosync state 3\n"
)

// headerSize is the size of a version 2 frame header: the payload's
// length, its CRC-32C, and the CRC-32C of those eight bytes.
const headerSize = 12

// maxStateSize bounds the state file that Open reads: a million
// patrons take about 100 MB.
const maxStateSize = 4 << 30

// ErrUnreadable is returned by Open for a file that is not a
// state journal, is damaged anywhere but in a torn last frame, or is not a
// regular file of this user's; the file is left as it is.
var ErrUnreadable = errors.New("state file unreadable")

// ErrInUse is returned by Open when another server holds the
// state file.
var ErrInUse = errors.New("state file in use")

// The file is opened for appending and its state already read: an append
// that fails is cut off again (see append).

// Open opens (or creates) the state file at path and reads it. The
// file must be a regular file of this user's, never a symbolic link: it
// holds password hashes, and each compaction writes it new, the owner's
// alone (see atomicfile). One server at a time may hold a state file: a
// lock on path.lock, beside it, says which.
func Open(path string) (*File, error) {
	real, err := statePath(path)
	if err != nil {
		return nil, err
	}
	st := &File{path: real, patrons: store.New()}
	if st.lock, err = lockState(real); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			st.lock.Close()
		}
	}()
	removeStaleTemps(real)
	b, err := readState(real)
	if err != nil {
		return nil, err
	}
	frames, err := readJournal(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %v; the file is left as it is: move it away to start afresh", ErrUnreadable, path, err)
	}
	for _, f := range frames {
		if err := st.apply(f); err != nil {
			return nil, fmt.Errorf("%w: %s holds %v, which no import could have stored; the file is left as it is: move it away to start afresh", ErrUnreadable, path, err)
		}
	}
	if err := st.compact(); err != nil {
		return nil, err
	}
	st.loadedPatrons, st.loadedImports = st.patrons.Len(), len(st.history)
	ok = true
	return st, nil
}

// statePath returns path, refusing anything that is not a regular file of
// this user's: a symbolic link too, since the file is written new at every
// start and a link would be replaced, or (planted) point the patrons'
// password hashes elsewhere.
func statePath(path string) (string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return path, nil
	}
	if err != nil {
		return "", fmt.Errorf("state %s: %w", path, err)
	}
	real := path
	if fi.Mode()&os.ModeSymlink != 0 {
		return "", fmt.Errorf("%w: %s is a symbolic link; give the path of the file itself", ErrUnreadable, path)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%w: %s is %s, not a regular file; give the path of a file (it is created if missing)", ErrUnreadable, path, filekind.Of(fi.Mode()))
	}
	if uid, other := ownedByOther(fi); other {
		return "", fmt.Errorf("%w: %s belongs to another user (uid %d); give a file of your own", ErrUnreadable, path, uid)
	}
	return real, nil
}

// readState reads the state file, bounded. A missing file is an empty
// state.
func readState(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDWR|atomicfile.NoFollow, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s cannot be opened for writing: %v", ErrUnreadable, path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() { // replaced since statePath looked
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrUnreadable, path)
	}
	if fi.Size() > maxStateSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, more than the state of a million patrons", ErrUnreadable, path, fi.Size())
	}
	b, err := io.ReadAll(io.LimitReader(f, maxStateSize+1))
	if err != nil {
		return nil, fmt.Errorf("read state %s: %w", path, err)
	}
	return b, nil
}

// spoolSuffix follows the state file's name in the names of the uploads
// spooled beside it, before a random part.
const spoolSuffix = ".upload-"

// spool returns the folder and the name pattern of the uploads a server
// with this state spools: beside the file, named after it, so that the
// next start (holding the lock) removes what a crash left, passwords and
// all, and no other server's.
func (st *File) Spool() (dir, pattern string) {
	return filepath.Dir(st.path), filepath.Base(st.path) + spoolSuffix + "*.csv"
}

// removeStaleTemps removes what a compaction that was cut off, or an upload
// a crash interrupted, left beside path; the lock is held, so no other
// server is compacting or spooling there.
func removeStaleTemps(path string) {
	for _, suffix := range []string{atomicfile.TempSuffix, spoolSuffix} {
		pattern := filepath.Join(filepath.Dir(path), globEscape(filepath.Base(path))+suffix+"*")
		stale, _ := filepath.Glob(pattern)
		for _, name := range stale {
			os.Remove(name)
		}
	}
}

func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// readJournal reads the frames of a state file. The first frame, written
// by a compaction (a temporary file, synced, renamed), is always whole: any
// fault in it is damage. A later frame may be torn by a crash while it was
// appended, and then it is the last thing in the file: a header cut short,
// a length past the end, a payload whose checksum fails at the end of the
// file, or nothing but zero bytes (a power loss) from there on. That tail
// is dropped; damage anywhere else is an error.
func readJournal(b []byte) ([]frame, error) {
	if len(b) == 0 {
		return nil, nil
	}
	version := 0
	for v, magic := range [...]string{stateMagicV1, stateMagicV2, stateMagic} {
		if bytes.HasPrefix(b, []byte(magic)) {
			version = v + 1
		}
	}
	if version == 0 {
		if bytes.HasPrefix(b, []byte("autosync state ")) {
			return nil, errors.New("is a state file of a newer autosync; use that version")
		}
		return nil, errors.New("is not an autosync state file; give another path")
	}
	var frames, parts []frame
	read := 0
	for off := len(stateMagic); off < len(b); {
		rest := b[off:]
		f, n, err := readFrame(rest, version)
		var unknown unknownField
		if errors.As(err, &unknown) {
			return nil, unknown
		}
		if err != nil {
			torn := read > 0 && (allZero(rest) || errors.Is(err, errTorn) || (errors.Is(err, errChecksum) && n == len(rest)))
			if torn {
				break
			}
			return nil, fmt.Errorf("is damaged at byte %d, in frame %d (%v)", off, read+1, err)
		}
		read++
		off += n
		if f.Part {
			parts = append(parts, f)
			continue
		}
		frames = append(append(frames, parts...), f) // the import is whole
		parts = nil
	}
	if len(frames) == 0 {
		return nil, errors.New("has no whole first frame")
	}
	return frames, nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

var (
	errTorn     = errors.New("a frame cut short")
	errChecksum = errors.New("a frame whose checksum does not match")
)

// readFrame reads one frame of a file of the given format version from b
// and returns it with its length.
func readFrame(b []byte, version int) (frame, int, error) {
	var f frame
	size := 8
	v2 := version >= 2
	if v2 {
		size = headerSize
	}
	if len(b) < size {
		return f, len(b), errTorn
	}
	if v2 && crc32.Checksum(b[:8], castagnoli) != binary.BigEndian.Uint32(b[8:]) {
		return f, len(b), errors.New("a frame header whose checksum does not match")
	}
	n := int(binary.BigEndian.Uint32(b))
	sum := binary.BigEndian.Uint32(b[4:])
	if size+n > len(b) {
		return f, len(b), errTorn
	}
	payload := b[size : size+n]
	if crc32.Checksum(payload, castagnoli) != sum {
		return f, size + n, errChecksum
	}
	head, k := binary.Uvarint(payload)
	if k <= 0 || uint64(len(payload)-k) < head {
		return f, size + n, errors.New("a frame that is not a state record")
	}
	if err := json.Unmarshal(payload[k:k+int(head)], &f); err != nil {
		return f, size + n, fmt.Errorf("a frame that is not a state record: %w", err)
	}
	rest := payload[k+int(head):]
	names := f.Fields
	if version < 3 {
		names = legacyFields
	} else if len(rest) > 0 && len(names) == 0 {
		return f, size + n, errors.New("a frame of patrons that does not name their fields")
	}
	fields, err := fieldMap(names)
	if err != nil {
		return f, size + n, err
	}
	for len(rest) > 0 {
		p, more, err := readPatron(rest, fields)
		if err != nil {
			return f, size + n, err
		}
		f.Patrons, rest = append(f.Patrons, p), more
	}
	return f, size + n, nil
}

// apply replays a frame, as its import applied it: its patrons in the
// order they were changed, each checked as an import checks a row
// (rules.CheckStored, and the store's uniqueness of usernames, barcodes
// and admin system ids). A patron no import could have stored is an error,
// and the whole file is refused: never loaded in part.
func (st *File) apply(f frame) error {
	if f.Reset {
		st.patrons.Reset()
		st.history = nil
	}
	err := st.patrons.Update(func(tx *store.Tx) error {
		for i := range f.Patrons {
			p := &f.Patrons[i]
			if err := rules.CheckStored(p); err != nil {
				return err
			}
			if _, err := tx.Put(p); err != nil {
				return fmt.Errorf("patron %q: %w", p.Username, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, h := range f.History {
		rec := mockserver.ImportRecord{ID: h.ID, Time: h.Time, FileName: h.FileName, Rows: h.Rows, Status: h.Status, Fault: h.Fault, Result: json.RawMessage(h.Result), LeftOut: h.LeftOut}
		st.history = append(st.history, rec)
	}
	if over := len(st.history) - mockserver.DefaultHistoryLimit; over > 0 {
		st.history = st.history[over:]
	}
	return nil
}

// compact rewrites the journal as one frame: a temporary file, synced,
// renamed over the old one, and the folder synced.
func (st *File) compact() error {
	f := frame{Reset: true}
	for p := range st.patrons.All() {
		f.Patrons = append(f.Patrons, p)
	}
	for _, rec := range st.history {
		f.History = append(f.History, saved(rec))
	}
	var buf bytes.Buffer
	buf.WriteString(stateMagic)
	if _, err := writeFrame(&buf, f); err != nil {
		return err
	}
	if err := atomicfile.Write(st.path, atomicfile.Secret, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	}); err != nil {
		return compactError(st.path, int64(buf.Len()), err)
	}
	file, err := os.OpenFile(st.path, os.O_WRONLY|os.O_APPEND|atomicfile.NoFollow, 0)
	if err != nil {
		return fmt.Errorf("open state: %w", err)
	}
	st.f, st.size = file, int64(buf.Len())
	return nil
}

// compactError says why the compaction of the file at path, need bytes
// long, failed: for a full disk, how much room it needs, since the file is
// written whole beside itself before it replaces the old one.
func compactError(path string, need int64, err error) error {
	if errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w: %s could not be compacted: it needs %s free in %s, where the file is written whole before it replaces the old one; free that much there, or move the file (with its lock) where there is room. The file is left as it was: %v",
			ErrNoSpace, path, mockserver.FormatBytes(need), filepath.Dir(path), err)
	}
	return fmt.Errorf("write state: %w", err)
}

// ErrNoSpace is returned by Open when the disk has no room for
// the compacted state file; the file is left as it was.
var ErrNoSpace = errors.New("no space to compact the state file")

func saved(rec mockserver.ImportRecord) savedRecord {
	s := savedRecord{ID: rec.ID, Time: rec.Time, FileName: rec.FileName, Rows: rec.Rows, Status: rec.Status, Fault: rec.Fault, LeftOut: rec.LeftOut}
	res, ok := rec.Result.(*rules.Result)
	if !ok { // a refusal's small answer, or one read back from the journal
		s.Result, _ = rec.Result.MarshalJSON()
		return s
	}
	// The answer of a large import is never written whole just to find it
	// too large: writing stops at the bound.
	w := &cappedBuffer{max: maxSavedAnswer}
	if err := res.WriteJSON(w); err == nil {
		s.Result = w.Bytes()
		return s
	}
	s.Result, _ = json.Marshal(map[string]any{"success": res.Success(), "summary": res.Summary(),
		"details": "left out of the saved state: the answer was over 1 MiB"})
	return s
}

// errCapped is what a cappedBuffer answers past its bound.
var errCapped = errors.New("over the bound")

// cappedBuffer keeps what is written up to max bytes, and refuses more.
type cappedBuffer struct {
	bytes.Buffer
	max int
}

// Write keeps p, or refuses it past the bound.
func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		return 0, errCapped
	}
	return c.Buffer.Write(p)
}

// writeFrame writes f and returns how many bytes it wrote.
func writeFrame(w io.Writer, f frame) (int64, error) {
	if len(f.Patrons) > 0 || len(f.encoded) > 0 {
		f.Fields = store.TextNames()
	}
	meta, err := json.Marshal(f)
	if err != nil {
		return 0, fmt.Errorf("encode state: %w", err)
	}
	patrons := f.encoded // as they are: a part of 4 MiB is not copied
	if len(f.Patrons) > 0 {
		patrons = nil
		for i := range f.Patrons {
			patrons = appendPatron(patrons, &f.Patrons[i])
		}
		patrons = append(patrons, f.encoded...)
	}
	return writeRawFrame(w, meta, patrons)
}

// writeRawFrame writes a frame of a JSON head and encoded patrons, and
// returns how many bytes it wrote. The checksum is made over the parts as
// they are, so the patrons are never copied into one payload.
func writeRawFrame(w io.Writer, meta, patrons []byte) (int64, error) {
	var prefix [binary.MaxVarintLen64]byte
	k := binary.PutUvarint(prefix[:], uint64(len(meta)))
	n := k + len(meta) + len(patrons)
	sum := crc32.Update(crc32.Update(crc32.Update(0, castagnoli, prefix[:k]), castagnoli, meta), castagnoli, patrons)
	var head [headerSize]byte
	binary.BigEndian.PutUint32(head[:], uint32(n))
	binary.BigEndian.PutUint32(head[4:], sum)
	binary.BigEndian.PutUint32(head[8:], crc32.Checksum(head[:8], castagnoli))
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head[:])
	bw.Write(prefix[:k])
	bw.Write(meta)
	bw.Write(patrons)
	if err := bw.Flush(); err != nil {
		return 0, fmt.Errorf("write state: %w", err)
	}
	return int64(headerSize + n), nil
}

// append writes a frame and syncs it: once it returns, the record
// survives a crash. A frame that could not be written whole (a full disk)
// is cut off again, so the next one follows the last whole frame; if even
// that fails, every append fails until it succeeds, and nothing is ever
// written after a torn frame.
func (st *File) append(f frame) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.f == nil {
		return errClosed
	}
	if err := st.f.Truncate(st.size); err != nil { // a no-op unless the last append failed
		return fmt.Errorf("state: cut off a frame that was not written whole: %w", err)
	}
	size, err := writeFrame(st.f, f)
	if err == nil {
		if err = st.f.Sync(); err != nil {
			err = fmt.Errorf("sync state: %w", err)
		}
	}
	if err != nil {
		st.f.Truncate(st.size) // tried again before the next append
		return err
	}
	st.size += size
	return nil
}

// journalTx writes one import's changed patrons as they come, in part
// frames of about partSize, then commit writes the last frame with the
// history entry and syncs: the import is in the file whole, or (a crash, a
// full disk) not at all. The parts are written by a goroutine of their own
// while the import goes on, two buffers taking turns, so memory stays
// within three parts whatever the import's size, and the import waits for
// the disk only at the end. The caller holds the import lock.
type journalTx struct {
	st    *File
	start int64 // where the file ended before the import
	buf   []byte
	parts chan []byte   // full parts, to the writer; nil until the first
	spare chan []byte   // written parts' buffers, back from the writer
	done  chan struct{} // closed when the writer has written every part
	err   error         // the writer's, read once done is closed
}

// partSize is how many bytes of patrons a part frame holds.
const partSize = 4 << 20

// Begin starts writing an import.
func (st *File) Begin() mockserver.ImportSave {
	st.mu.Lock()
	defer st.mu.Unlock()
	return &journalTx{st: st, start: st.size}
}

// Add writes p, a patron the import changed.
func (tx *journalTx) Add(p *store.Patron) {
	tx.buf = appendPatron(tx.buf, p)
	if len(tx.buf) < partSize {
		return
	}
	if tx.parts == nil {
		tx.parts, tx.spare, tx.done = make(chan []byte, 1), make(chan []byte, 2), make(chan struct{})
		go tx.write()
	}
	tx.parts <- tx.buf
	select {
	case b := <-tx.spare:
		tx.buf = b[:0]
	default:
		tx.buf = make([]byte, 0, partSize+partSize/8)
	}
}

// write writes the parts add hands it, until there are no more.
func (tx *journalTx) write() {
	defer close(tx.done)
	for b := range tx.parts {
		if tx.err == nil {
			tx.err = tx.flush(frame{Part: true, encoded: b})
		}
		select {
		case tx.spare <- b:
		default:
		}
	}
}

// wait lets the writer finish the parts, and returns its error.
func (tx *journalTx) wait() error {
	if tx.parts == nil {
		return tx.err
	}
	close(tx.parts)
	<-tx.done
	tx.parts = nil
	return tx.err
}

// flush appends one frame of the import to the file.
func (tx *journalTx) flush(f frame) error {
	st := tx.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.f == nil {
		return errClosed
	}
	if err := st.f.Truncate(st.size); err != nil { // a no-op unless an earlier append failed
		return fmt.Errorf("state: cut off a frame that was not written whole: %w", err)
	}
	size, err := writeFrame(st.f, f)
	if err != nil {
		return err
	}
	st.size += size
	return nil
}

// Commit writes the import's last frame, with rec, and syncs the file. On
// any failure the import's frames are cut off again.
func (tx *journalTx) Commit(rec mockserver.ImportRecord) error {
	st := tx.st
	err := tx.wait()
	if err == nil {
		err = tx.flush(frame{History: []savedRecord{saved(rec)}, encoded: tx.buf})
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err == nil && st.f == nil {
		err = errClosed
	}
	if err == nil {
		if err = st.f.Sync(); err != nil {
			err = fmt.Errorf("sync state: %w", err)
		}
	}
	if err != nil {
		if st.f != nil {
			st.f.Truncate(tx.start) // tried again before the next append
		}
		st.size = tx.start
		return err
	}
	return nil
}

// Abort cuts off whatever the import wrote.
func (tx *journalTx) Abort() {
	tx.wait()
	st := tx.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.f != nil && st.f.Truncate(tx.start) == nil {
		st.size = tx.start
	}
}

// Loaded returns how many patrons and imports the state file held when it
// was opened.
func (st *File) Loaded() (patrons, imports int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.loadedPatrons, st.loadedImports
}

// errClosed is what writing to a closed state answers.
var errClosed = errors.New("state file closed")

// Close closes the state file.
func (st *File) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.f == nil {
		return nil
	}
	err := st.f.Close()
	st.f = nil
	if st.lock != nil {
		st.lock.Close()
	}
	return err
}

// Load puts the state's patrons into the store and returns its history.
// They were checked whole when the file was opened (see apply), so they go
// in whole: an error here means s held patrons of its own that clash.
func (st *File) Load(s *store.Store) ([]mockserver.ImportRecord, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	history := st.history
	err := s.Update(func(tx *store.Tx) error {
		for p := range st.patrons.All() {
			if _, err := tx.Put(&p); err != nil {
				return fmt.Errorf("restore patron %q: %w", p.Username, err)
			}
		}
		return nil
	})
	// The store holds them now: the state's copy would double the memory.
	st.patrons, st.history = nil, nil
	return history, err
}

// Reset appends a reset to the journal.
func (st *File) Reset() error { return st.append(frame{Reset: true}) }
