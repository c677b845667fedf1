package mockserver

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/autosync/autosync/mockserver/rules"
	"github.com/autosync/autosync/mockserver/store"
)

// State keeps a reference server's patrons and import history in a file,
// so that they survive a restart and a crash.
//
// The file is a journal of frames, each a length, a CRC-32C and a JSON
// record: the patrons one import left (their final state, bcrypt hashes
// and never a plain password) with its history entry, or a reset. An import
// is durable when its answer is sent: its frame is written and synced
// first. A crash can leave only the last frame torn; opening the file drops
// it, so the state is exactly the one before or after each import. On
// opening, the journal is compacted into one frame, written to a temporary
// file, synced, and renamed over the old one.
type State struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	patrons map[string]store.Patron // as loaded, by store.Key
	history []importRecord
}

// frame is one record of the journal. On disk it is a JSON head (the reset
// and the history) and the patrons, each as its sixteen fields,
// length-prefixed: encoding/json would cost more than the import.
type frame struct {
	Reset   bool           `json:"reset,omitempty"`
	History []savedRecord  `json:"history,omitempty"`
	Patrons []store.Patron `json:"-"`
}

// patronFields lists a patron's fields in their order on disk.
func patronFields(p *store.Patron) [16]*string {
	return [16]*string{&p.Username, nil, nil, &p.GivenName, &p.Surname, &p.MiddleName, &p.PreferredName,
		&p.EmailAddress, nil, &p.AcademicLevel, &p.LibraryBarcode, &p.AdminSystemID, &p.Gender,
		&p.PasswordHash, &p.FormClass, &p.PresentationGroupLabel}
}

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
	for _, f := range patronFields(p) {
		if f != nil {
			b = binary.AppendUvarint(b, uint64(len(*f)))
			b = append(b, *f...)
		}
	}
	return b
}

func readPatron(b []byte) (store.Patron, []byte, error) {
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
	for _, f := range patronFields(&p) {
		if f == nil {
			continue
		}
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return p, nil, bad
		}
		*f, b = string(b[n:n+int(l)]), b[n+int(l):]
	}
	return p, b, nil
}

// savedRecord is a history entry as the journal keeps it: the answer itself
// when it is small, else its success and summary alone.
type savedRecord struct {
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

// stateMagic starts every state file, so that no other file is taken for
// one (and rewritten).
const stateMagic = "autosync state 1\n"

// ErrStateUnreadable is returned by OpenState for a file that is not a
// state journal or is damaged before its last frame; the file is left as
// it is.
var ErrStateUnreadable = errors.New("state file unreadable")

// OpenState opens (or creates) the state file at path and reads it.
func OpenState(path string) (*State, error) {
	st := &State{path: path, patrons: map[string]store.Patron{}}
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read state %s: %w", path, err)
	}
	if len(b) > 0 && !bytes.HasPrefix(b, []byte(stateMagic)) {
		return nil, fmt.Errorf("%w: %s is not an autosync state file; give another path, or move it away", ErrStateUnreadable, path)
	}
	for off := len(stateMagic); off < len(b); {
		f, n, err := readFrame(b[off:])
		if err != nil {
			if off+n >= len(b) || n == 0 {
				break // a torn last frame: the import it held was never answered
			}
			return nil, fmt.Errorf("%w: %s at byte %d: %v; move it away to start afresh", ErrStateUnreadable, path, off, err)
		}
		st.apply(f)
		off += n
	}
	if err := st.compact(); err != nil {
		return nil, err
	}
	return st, nil
}

// readFrame reads one frame from b and returns it with its length. A frame
// that is cut short reports how far it would reach.
func readFrame(b []byte) (frame, int, error) {
	var f frame
	if len(b) < 8 {
		return f, len(b), errors.New("a frame header cut short")
	}
	n := int(binary.BigEndian.Uint32(b))
	sum := binary.BigEndian.Uint32(b[4:])
	if 8+n > len(b) {
		return f, 8 + n, errors.New("a frame cut short")
	}
	payload := b[8 : 8+n]
	if crc32.Checksum(payload, castagnoli) != sum {
		return f, 8 + n, errors.New("a frame whose checksum does not match")
	}
	head, k := binary.Uvarint(payload)
	if k <= 0 || uint64(len(payload)-k) < head {
		return f, 8 + n, errors.New("a frame that is not a state record")
	}
	if err := json.Unmarshal(payload[k:k+int(head)], &f); err != nil {
		return f, 8 + n, fmt.Errorf("a frame that is not a state record: %w", err)
	}
	for rest := payload[k+int(head):]; len(rest) > 0; {
		p, more, err := readPatron(rest)
		if err != nil {
			return f, 8 + n, err
		}
		f.Patrons, rest = append(f.Patrons, p), more
	}
	return f, 8 + n, nil
}

func (st *State) apply(f frame) {
	if f.Reset {
		st.patrons, st.history = map[string]store.Patron{}, nil
	}
	for _, p := range f.Patrons {
		st.patrons[store.Key(p.Username)] = p
	}
	for _, h := range f.History {
		rec := importRecord{Time: h.Time, FileName: h.FileName, Rows: h.Rows, Status: h.Status, Fault: h.Fault, Result: rawJSON(h.Result), LeftOut: h.LeftOut}
		st.history = append(st.history, rec)
	}
	if over := len(st.history) - DefaultHistoryLimit; over > 0 {
		st.history = st.history[over:]
	}
}

// compact rewrites the journal as one frame: a temporary file, synced,
// renamed over the old one, and the folder synced.
func (st *State) compact() error {
	f := frame{Reset: true}
	for _, p := range st.patrons {
		f.Patrons = append(f.Patrons, p)
	}
	for _, rec := range st.history {
		f.History = append(f.History, saved(rec))
	}
	var buf bytes.Buffer
	buf.WriteString(stateMagic)
	if err := writeFrame(&buf, f); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.path), filepath.Base(st.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("write state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	if err := os.Rename(tmp.Name(), st.path); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	if dir, err := os.Open(filepath.Dir(st.path)); err == nil {
		dir.Sync()
		dir.Close()
	}
	st.f, err = os.OpenFile(st.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open state: %w", err)
	}
	return nil
}

func saved(rec importRecord) savedRecord {
	s := savedRecord{Time: rec.Time, FileName: rec.FileName, Rows: rec.Rows, Status: rec.Status, Fault: rec.Fault, LeftOut: rec.LeftOut}
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

func writeFrame(w io.Writer, f frame) error {
	meta, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	payload := binary.AppendUvarint(make([]byte, 0, len(meta)+len(f.Patrons)*128), uint64(len(meta)))
	payload = append(payload, meta...)
	for i := range f.Patrons {
		payload = appendPatron(payload, &f.Patrons[i])
	}
	var head [8]byte
	binary.BigEndian.PutUint32(head[:], uint32(len(payload)))
	binary.BigEndian.PutUint32(head[4:], crc32.Checksum(payload, castagnoli))
	bw := bufio.NewWriter(w)
	bw.Write(head[:])
	bw.Write(payload)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

// append writes a frame and syncs it: once it returns, the record
// survives a crash.
func (st *State) append(f frame) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := writeFrame(st.f, f); err != nil {
		return err
	}
	if err := st.f.Sync(); err != nil {
		return fmt.Errorf("sync state: %w", err)
	}
	return nil
}

// Close closes the state file.
func (st *State) Close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.f == nil {
		return nil
	}
	err := st.f.Close()
	st.f = nil
	return err
}

// WithState makes the server start from the patrons and history in st and
// keep every import and reset in it.
func WithState(st *State) Option {
	return func(s *server) { s.state = st }
}

// restore loads the state into the server's store and history. Patrons are
// put with their unique values first cleared, then whole, so that the
// order of the saved patrons cannot make two of them seem to share one.
func (s *server) restore() error {
	st := s.state
	s.history.entries = append(s.history.entries, st.history...)
	return s.store.Update(func(tx *store.Tx) error {
		for _, p := range st.patrons {
			if _, err := tx.Put(&p); err != nil {
				return fmt.Errorf("restore patron %q: %w", p.Username, err)
			}
		}
		return nil
	})
}

// persist writes what an import changed: the patrons it left, by username,
// with its history entry. It runs while the import lock is held.
func (s *server) persist(changed map[string]struct{}, rec importRecord) error {
	f := frame{History: []savedRecord{saved(rec)}, Patrons: make([]store.Patron, 0, len(changed))}
	s.store.Update(func(tx *store.Tx) error { // one lock for them all
		for key := range changed {
			if p, ok := tx.Get(key); ok {
				f.Patrons = append(f.Patrons, p)
			}
		}
		return nil
	})
	return s.state.append(f)
}
