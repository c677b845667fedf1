// Package store keeps the reference server's patrons in memory.
//
// Patrons are keyed by username, matched case-insensitively (the stored
// spelling is the one that created the patron). Library barcodes and admin
// system ids are unique to one patron. The store knows nothing of CSV or
// HTTP: the rule engine decides what a row means and hands the store whole
// patrons, so a patron is never half-written.
//
// Each patron is kept as one compact record (its text in a single string),
// so a school of a million patrons costs a few hundred bytes each and the
// garbage collector has few pointers to follow.
package store

import (
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
)

// Patron is one patron. Empty strings and a zero GraduationYear mean
// "not set".
type Patron struct {
	Username               string
	Enabled                bool
	StaffMember            bool
	GivenName              string
	Surname                string
	MiddleName             string
	PreferredName          string
	EmailAddress           string
	GraduationYear         int
	AcademicLevel          string
	LibraryBarcode         string
	AdminSystemID          string
	Gender                 string
	PasswordHash           string
	FormClass              string
	PresentationGroupLabel string
}

// Errors returned by Put.
var (
	ErrConflict = errors.New("value already used by another patron")
	ErrTooLarge = errors.New("patron too large to store")
)

// ConflictError reports unique values of a patron that already belong to
// another patron. Put changes nothing when it returns one.
type ConflictError struct {
	Barcode, AdminID bool
}

// Error names the values that conflict.
func (e *ConflictError) Error() string {
	var what []string
	if e.Barcode {
		what = append(what, "library barcode")
	}
	if e.AdminID {
		what = append(what, "admin system id")
	}
	return strings.Join(what, " and ") + ": " + ErrConflict.Error()
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

const numText = 13

// record is a stored patron: the text fields concatenated in data, in the
// order of texts(), each ending at its offset in ends.
type record struct {
	data  string
	ends  [numText]uint16
	year  int16
	flags uint8
}

const (
	flagEnabled = 1 << iota
	flagStaff
)

func texts(p *Patron) [numText]*string {
	return [numText]*string{&p.Username, &p.GivenName, &p.Surname, &p.MiddleName, &p.PreferredName,
		&p.EmailAddress, &p.AcademicLevel, &p.LibraryBarcode, &p.AdminSystemID, &p.Gender,
		&p.PasswordHash, &p.FormClass, &p.PresentationGroupLabel}
}

func encode(p *Patron) (record, error) {
	var r record
	fields := texts(p)
	n := 0
	for _, f := range fields {
		n += len(*f)
	}
	if n > 0xffff || p.GraduationYear < 0 || p.GraduationYear > 0x7fff {
		return r, ErrTooLarge
	}
	var b strings.Builder
	b.Grow(n)
	for i, f := range fields {
		b.WriteString(*f)
		r.ends[i] = uint16(b.Len())
	}
	r.data = b.String()
	r.year = int16(p.GraduationYear)
	if p.Enabled {
		r.flags |= flagEnabled
	}
	if p.StaffMember {
		r.flags |= flagStaff
	}
	return r, nil
}

// decode returns the patron; its strings share the record's data.
func (r *record) decode() Patron {
	var p Patron
	start := uint16(0)
	for i, f := range texts(&p) {
		*f = r.data[start:r.ends[i]]
		start = r.ends[i]
	}
	p.GraduationYear = int(r.year)
	p.Enabled = r.flags&flagEnabled != 0
	p.StaffMember = r.flags&flagStaff != 0
	return p
}

func (r *record) field(i int) string {
	start := uint16(0)
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.data[start:r.ends[i]]
}

func (r *record) username() string { return r.field(0) }
func (r *record) barcode() string  { return r.field(7) }
func (r *record) adminID() string  { return r.field(8) }

// Store holds patrons. The zero value is not usable; call New.
type Store struct {
	mu   sync.RWMutex
	seed maphash.Seed
	// hashFn replaces maphash in tests, to force collisions.
	hashFn func(string) uint64
	recs   [][]record // chunks of chunkSize, so records never move
	n      uint32
	// The indexes hold record numbers, not pointers, so the garbage
	// collector never scans them.
	byName, byBarcode, byAdminID index
}

const (
	chunkBits = 12
	chunkSize = 1 << chunkBits
)

// New returns an empty store.
func New() *Store {
	s := &Store{seed: maphash.MakeSeed()}
	s.reset()
	return s
}

func (s *Store) reset() {
	s.recs, s.n = nil, 0
	s.byName, s.byBarcode, s.byAdminID = newIndex(), newIndex(), newIndex()
}

func (s *Store) hash(key string) uint64 {
	if s.hashFn != nil {
		return s.hashFn(key)
	}
	return maphash.String(s.seed, key)
}

func (s *Store) rec(i uint32) *record { return &s.recs[i>>chunkBits][i&(chunkSize-1)] }

func (s *Store) add(r record) uint32 {
	if int(s.n) == len(s.recs)*chunkSize {
		s.recs = append(s.recs, make([]record, chunkSize))
	}
	i := s.n
	*s.rec(i) = r
	s.n++
	return i
}

// find returns the record whose key (as field returns it) is key.
func (s *Store) find(ix *index, key string, field func(*record) string) (uint32, bool) {
	return ix.lookup(s.hash(key), func(i uint32) bool { return field(s.rec(i)) == key })
}

func (s *Store) insert(ix *index, key string, i uint32) { ix.insert(s.hash(key), i) }

func (s *Store) remove(ix *index, key string, i uint32) { ix.remove(s.hash(key), i) }

func nameKey(r *record) string { return Key(r.username()) }
func barcode(r *record) string { return r.barcode() }
func adminID(r *record) string { return r.adminID() }

// Key returns the matching key of a username: usernames match
// case-insensitively.
func Key(username string) string {
	for i := 0; i < len(username); i++ {
		c := username[i]
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(username)
		}
	}
	return username
}

// Len returns the number of patrons.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return int(s.n)
}

// Get returns the patron with the given username.
func (s *Store) Get(username string) (Patron, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.find(&s.byName, Key(username), nameKey)
	if !ok {
		return Patron{}, false
	}
	return s.rec(i).decode(), true
}

// List returns all patrons ordered by their matching key.
func (s *Store) List() []Patron {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Patron, 0, s.n)
	for i := uint32(0); i < s.n; i++ {
		out = append(out, s.rec(i).decode())
	}
	slices.SortFunc(out, func(a, b Patron) int { return cmp.Compare(Key(a.Username), Key(b.Username)) })
	return out
}

// Reset removes every patron.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reset()
}

// Update runs fn with exclusive access to the store, so that a whole import
// sees no other writer. Changes made through the Tx are visible at once; the
// Tx must not be used after fn returns.
func (s *Store) Update(fn func(*Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(&Tx{s: s})
}

// Tx is exclusive access to a store inside Update.
type Tx struct {
	s *Store
	// The key of the last patron found, so that the Get-then-Put of one
	// row looks it up once. It is the stored patron's own key, never the
	// caller's string, which may be reused memory.
	lastKey string
	last    uint32
	// The hashes of coming rows' keys, noted by Plan for Prefetch.
	plan [3][]uint64
	sink uint64 // what Prefetch read, kept so that the reads are not dropped
}

// Plan notes the username, barcode and admin system id of a row about to be
// applied. It changes nothing.
func (tx *Tx) Plan(username, barcode, adminID string) {
	s := tx.s
	tx.plan[0] = append(tx.plan[0], s.hash(Key(username)))
	if barcode != "" {
		tx.plan[1] = append(tx.plan[1], s.hash(barcode))
	}
	if adminID != "" {
		tx.plan[2] = append(tx.plan[2], s.hash(adminID))
	}
}

// Prefetch reads the index entries of every planned row, and the stored
// patrons their usernames lead to, then forgets the plan. Reading them
// together, in loops that do nothing else, lets the processor fetch them
// from memory at once rather than one after another as rows are applied.
// It changes nothing.
func (tx *Tx) Prefetch() {
	s := tx.s
	var sink uint64
	for k, ix := range [3]*index{&s.byName, &s.byBarcode, &s.byAdminID} {
		for _, h := range tx.plan[k] {
			sink += ix.slots[ix.home(tagOf(h))]
		}
	}
	// The patrons the usernames probably lead to, then their text.
	names := tx.plan[0]
	for i, h := range names {
		slot := s.byName.slots[s.byName.home(tagOf(h))]
		names[i] = 0
		if slot != 0 && uint32(slot>>32) == tagOf(h) {
			names[i] = uint64(uint32(slot))
			sink += uint64(len(s.rec(uint32(slot) - 1).data))
		}
	}
	for _, n := range names {
		if n != 0 {
			if r := s.rec(uint32(n) - 1); r.data != "" {
				sink += uint64(r.data[0])
			}
		}
	}
	tx.sink += sink
	for k := range tx.plan {
		tx.plan[k] = tx.plan[k][:0]
	}
}

func (tx *Tx) lookup(username string) (uint32, bool) {
	key := Key(username)
	if key != "" && key == tx.lastKey {
		return tx.last, true
	}
	i, ok := tx.s.find(&tx.s.byName, key, nameKey)
	if ok {
		tx.remember(i)
	}
	return i, ok
}

// remember caches record i as the last patron found.
func (tx *Tx) remember(i uint32) {
	tx.lastKey, tx.last = nameKey(tx.s.rec(i)), i
}

// Reserve prepares an empty store for about n patrons, so that a large first
// import sizes its indexes once instead of growing them row by row.
func (tx *Tx) Reserve(n int) {
	s := tx.s
	if s.n != 0 || n <= 0 {
		return
	}
	n = min(n, 1<<24)
	s.byName.reserve(n)
	s.byBarcode.reserve(n)
	s.byAdminID.reserve(n)
}

// Get returns the patron with the given username.
func (tx *Tx) Get(username string) (Patron, bool) {
	i, ok := tx.lookup(username)
	if !ok {
		return Patron{}, false
	}
	return tx.s.rec(i).decode(), true
}

// BarcodeTaken reports whether a library barcode belongs to a patron other
// than the one with the given username.
func (tx *Tx) BarcodeTaken(barcode, username string) bool {
	i, ok := tx.lookup(username)
	return tx.s.taken(&tx.s.byBarcode, i, ok, barcode, (*record).barcode)
}

// AdminIDTaken reports whether an admin system id belongs to a patron other
// than the one with the given username.
func (tx *Tx) AdminIDTaken(id, username string) bool {
	i, ok := tx.lookup(username)
	return tx.s.taken(&tx.s.byAdminID, i, ok, id, (*record).adminID)
}

// taken reports whether value belongs, in a unique index, to a patron other
// than record i (if exists). A patron keeping its own value needs no look-up.
func (s *Store) taken(ix *index, i uint32, exists bool, value string, field func(*record) string) bool {
	if value == "" || (exists && field(s.rec(i)) == value) {
		return false
	}
	j, ok := s.find(ix, value, field)
	return ok && (!exists || j != i)
}

// Put stores p whole, creating it or replacing the patron with the same
// username (whose stored spelling is kept), and reports whether it was
// created. If p's barcode or admin system id belongs to another patron it
// returns a *ConflictError and changes nothing.
func (tx *Tx) Put(p *Patron) (created bool, err error) {
	s := tx.s
	i, exists := tx.lookup(p.Username)
	barcodeTaken := s.taken(&s.byBarcode, i, exists, p.LibraryBarcode, barcode)
	adminIDTaken := s.taken(&s.byAdminID, i, exists, p.AdminSystemID, adminID)
	if barcodeTaken || adminIDTaken {
		return false, &ConflictError{Barcode: barcodeTaken, AdminID: adminIDTaken}
	}
	if exists {
		old := s.rec(i).decode()
		if p.Username != old.Username {
			q := *p
			q.Username = old.Username // the spelling that created the patron stays
			p = &q
		}
		if *p == old {
			return false, nil // nothing changes: no copy to make
		}
	}
	rec, err := encode(p)
	if err != nil {
		return false, fmt.Errorf("store patron %q: %w", p.Username, err)
	}
	if !exists {
		i = s.add(rec)
		s.insert(&s.byName, Key(p.Username), i)
		s.reindex(&s.byBarcode, i, "", rec.barcode())
		s.reindex(&s.byAdminID, i, "", rec.adminID())
		tx.remember(i)
		return true, nil
	}
	old := s.rec(i)
	s.reindex(&s.byBarcode, i, old.barcode(), rec.barcode())
	s.reindex(&s.byAdminID, i, old.adminID(), rec.adminID())
	*old = rec
	return false, nil
}

// reindex moves record i in a unique index from value was to value now.
func (s *Store) reindex(ix *index, i uint32, was, now string) {
	if was == now {
		return
	}
	if was != "" {
		s.remove(ix, was, i)
	}
	if now != "" {
		s.insert(ix, now, i)
	}
}
