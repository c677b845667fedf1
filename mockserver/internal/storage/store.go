// Package storage is the store of the reference server's patrons, with the
// fast path the rule engine applies batches of rows through. Package store
// is its public face: what a user of the store needs, and no more.
//
// Patrons are keyed by username, matched case-insensitively (the stored
// spelling is the one that created the patron). Library barcodes and admin
// system ids are unique to one patron. The store knows nothing of CSV or
// HTTP: the rule engine decides what a row means and hands the store whole
// patrons, so a patron is never half-written.
//
// Each patron is kept as one compact record whose text lies in large shared
// blocks (see arena), and the indexes are flat tables of record numbers
// (see index), so a school of a million patrons costs under 200 bytes each
// and the garbage collector has few objects to follow.
package storage

import (
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unsafe"
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

// numText is how many string fields Patron has: the text of a record.
// Adding a string field to Patron is all the store needs (and this count,
// which init checks).
const numText = 13

// record is a stored patron: the string fields of Patron concatenated in
// data, in the order Patron declares them, each ending at its offset in
// ends.
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

// textLayout is where Patron's string fields lie, in declaration order,
// and their names in lower case (the journal's names for them), found once
// from the type itself.
var textLayout = func() (l struct {
	offsets           [numText]uintptr
	names             [numText]string
	username, barcode int
	adminID           int
}) {
	t := reflect.TypeFor[Patron]()
	n := 0
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type.Kind() != reflect.String {
			continue
		}
		if n == numText {
			panic(fmt.Sprintf("storage: Patron has more than numText (%d) string fields: raise numText", numText))
		}
		l.offsets[n], l.names[n] = f.Offset, strings.ToLower(f.Name)
		switch f.Name {
		case "Username":
			l.username = n
		case "LibraryBarcode":
			l.barcode = n
		case "AdminSystemID":
			l.adminID = n
		}
		n++
	}
	if n != numText {
		panic(fmt.Sprintf("storage: Patron has %d string fields, numText says %d", n, numText))
	}
	return l
}()

// texts returns the string fields of p, in the order Patron declares them.
func texts(p *Patron) [numText]*string {
	var out [numText]*string
	for i := range out {
		out[i] = TextField(p, i)
	}
	return out
}

// TextNames returns the names of Patron's string fields in lower case
// ("username", "givenname", …, "passwordhash"), in the order Patron
// declares them: the order of TextFields.
func TextNames() []string { return textLayout.names[:] }

// TextField returns a pointer to the i-th string field of p, in the order
// of TextNames: for a journal that writes every field of a patron.
func TextField(p *Patron, i int) *string {
	return (*string)(unsafe.Add(unsafe.Pointer(p), textLayout.offsets[i]))
}

// encode makes the record of p, its text written into space from alloc.
func encode(p *Patron, alloc func(int) []byte) (record, error) {
	var r record
	fields := texts(p)
	n := 0
	for _, f := range fields {
		n += len(*f)
	}
	if n > 0xffff || p.GraduationYear < 0 || p.GraduationYear > 0x7fff {
		return r, ErrTooLarge
	}
	if n > 0 {
		b := alloc(n)[:0]
		for i, f := range fields {
			b = append(b, *f...)
			r.ends[i] = uint16(len(b))
		}
		r.data = unsafe.String(unsafe.SliceData(b), n)
	}
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

func (r *record) username() string { return r.field(textLayout.username) }
func (r *record) barcode() string  { return r.field(textLayout.barcode) }
func (r *record) adminID() string  { return r.field(textLayout.adminID) }

// Store holds patrons. The zero value is not usable; call New.
type Store struct {
	mu   sync.RWMutex
	seed maphash.Seed
	// hashFn replaces maphash in tests, to force collisions.
	hashFn func(string) uint64
	recs   [][]record // chunks of chunkSize, so records never move
	n      uint32
	text   arena // the records' text
	// The indexes hold record numbers, not pointers, so the garbage
	// collector never scans them.
	byName, byBarcode, byAdminID index
	gen                          uint64 // counts the patrons added and the resets: the order below is of one gen
	order                        sortedOrder
}

// sortedOrder is the patrons' records in username order, made when a list
// is first asked for after patrons were added, and kept until more are.
type sortedOrder struct {
	mu   sync.Mutex
	gen  uint64
	recs []uint32
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
	s.gen++
	s.recs, s.n, s.text = nil, 0, arena{}
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
	s.gen++
	return i
}

// find returns the record whose key (as field returns it) is key, whose
// hash is h.
func (s *Store) find(ix *index, h uint64, key string, field func(*record) string) (uint32, bool) {
	return ix.lookup(h, func(i uint32) bool { return field(s.rec(i)) == key })
}

func nameKey(r *record) string { return Key(r.username()) }
func barcode(r *record) string { return r.barcode() }
func adminID(r *record) string { return r.adminID() }

// Key returns the matching key of a username: usernames match
// case-insensitively, and the spelling that created a patron is the one
// stored (R-ROW-2).
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
	key := Key(username)
	i, ok := s.find(&s.byName, s.hash(key), key, nameKey)
	if !ok {
		return Patron{}, false
	}
	return s.rec(i).decode(), true
}

// List returns all patrons ordered by their matching key.
func (s *Store) List() []Patron { return slices.Collect(s.All()) }

// All returns all patrons ordered by their matching key, as they are at the
// call. It copies the compact records, not the patrons (about 70 bytes a
// patron), and holds no lock while the caller goes through them, so a slow
// reader never holds up an import.
func (s *Store) All() iter.Seq[Patron] {
	s.mu.RLock()
	recs := make([]record, s.n)
	for i := range recs {
		recs[i] = *s.rec(uint32(i)) // the text is never written again, so sharing it is safe
	}
	s.mu.RUnlock()
	keys := make([]string, len(recs))
	order := make([]uint32, len(recs))
	for i := range recs {
		keys[i], order[i] = nameKey(&recs[i]), uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return cmp.Compare(keys[a], keys[b]) })
	return func(yield func(Patron) bool) {
		for _, i := range order {
			if !yield(recs[i].decode()) {
				return
			}
		}
	}
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
	// The keys of the row being applied, from GetWith or PutWith.
	keys *Keys
	sink uint64 // what Prefetch read, kept so that the reads are not dropped
}

// Keys are a row's username, library barcode and admin system id with
// their hashes, worked out ahead of applying the row. Store.Keys needs no
// lock, so an importer makes them on any goroutine, and the Tx that holds
// the lock only probes and writes. A Tx takes a hash from Keys only for the
// very value it was made from, and only from Keys its own store made.
type Keys struct {
	s                                  *Store // the store that made them
	username, name, barcode, adminID   string // name is the username's matching key
	nameHash, barcodeHash, adminIDHash uint64
}

// Keys returns the keys of a row with the given username, barcode and admin
// system id. It may be called without holding the store, on any goroutine.
func KeysOf(s *Store, username, barcode, adminID string) Keys {
	k := Keys{s: s, username: username, name: Key(username), barcode: barcode, adminID: adminID}
	k.nameHash = s.hash(k.name)
	if barcode != "" {
		k.barcodeHash = s.hash(barcode)
	}
	if adminID != "" {
		k.adminIDHash = s.hash(adminID)
	}
	return k
}

// hash returns the hash of value in index ix, from the row's keys when they
// hold it.
func (tx *Tx) hash(ix *index, value string) uint64 {
	if k := tx.keys; k != nil && k.s == tx.s {
		s := tx.s
		switch {
		case ix == &s.byName && value == k.name:
			return k.nameHash
		case ix == &s.byBarcode && value == k.barcode:
			return k.barcodeHash
		case ix == &s.byAdminID && value == k.adminID:
			return k.adminIDHash
		}
	}
	return tx.s.hash(value)
}

// Prefetch reads the index entries of a batch of rows about to be applied,
// and the stored patrons their usernames lead to. Reading them together, in
// loops that do nothing else, lets the processor fetch them from memory at
// once rather than one after another as rows are applied. It changes
// nothing.
func Prefetch(tx *Tx, keys []Keys) {
	s := tx.s
	var sink uint64
	for i := range keys {
		k := &keys[i]
		if k.s != s {
			continue
		}
		sink += s.byName.slots[s.byName.home(tagOf(k.nameHash))]
		if k.barcode != "" {
			sink += s.byBarcode.slots[s.byBarcode.home(tagOf(k.barcodeHash))]
		}
		if k.adminID != "" {
			sink += s.byAdminID.slots[s.byAdminID.home(tagOf(k.adminIDHash))]
		}
	}
	// The patrons the usernames probably lead to, then their text.
	for i := range keys {
		h := keys[i].nameHash
		if slot := s.byName.slots[s.byName.home(tagOf(h))]; slot != 0 && uint32(slot>>32) == tagOf(h) {
			sink += uint64(len(s.rec(uint32(slot) - 1).data))
		}
	}
	for i := range keys {
		h := keys[i].nameHash
		if slot := s.byName.slots[s.byName.home(tagOf(h))]; slot != 0 && uint32(slot>>32) == tagOf(h) {
			if r := s.rec(uint32(slot) - 1); r.data != "" {
				sink += uint64(r.data[0])
			}
		}
	}
	tx.sink += sink
}

func (tx *Tx) lookup(username string) (uint32, bool) {
	var key string
	if k := tx.keys; k != nil && k.s == tx.s && username == k.username {
		key = k.name
	} else {
		key = Key(username)
	}
	if key != "" && key == tx.lastKey {
		return tx.last, true
	}
	i, ok := tx.s.find(&tx.s.byName, tx.hash(&tx.s.byName, key), key, nameKey)
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
func Reserve(tx *Tx, n int) {
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
	return tx.taken(&tx.s.byBarcode, i, ok, barcode, (*record).barcode)
}

// AdminIDTaken reports whether an admin system id belongs to a patron other
// than the one with the given username.
func (tx *Tx) AdminIDTaken(id, username string) bool {
	i, ok := tx.lookup(username)
	return tx.taken(&tx.s.byAdminID, i, ok, id, (*record).adminID)
}

// BarcodeOwner returns the username of the patron a library barcode
// belongs to, if any.
func (tx *Tx) BarcodeOwner(barcode string) (string, bool) {
	return tx.owner(&tx.s.byBarcode, barcode, (*record).barcode)
}

// AdminIDOwner returns the username of the patron an admin system id
// belongs to, if any.
func (tx *Tx) AdminIDOwner(id string) (string, bool) {
	return tx.owner(&tx.s.byAdminID, id, (*record).adminID)
}

func (tx *Tx) owner(ix *index, value string, field func(*record) string) (string, bool) {
	if value == "" {
		return "", false
	}
	i, ok := tx.s.find(ix, tx.hash(ix, value), value, field)
	if !ok {
		return "", false
	}
	return strings.Clone(tx.s.rec(i).username()), true
}

// taken reports whether value belongs, in a unique index, to a patron other
// than record i (if exists). A patron keeping its own value needs no look-up.
func (tx *Tx) taken(ix *index, i uint32, exists bool, value string, field func(*record) string) bool {
	s := tx.s
	if value == "" || (exists && field(s.rec(i)) == value) {
		return false
	}
	j, ok := s.find(ix, tx.hash(ix, value), value, field)
	return ok && (!exists || j != i)
}

// Put stores p whole, creating it or replacing the patron with the same
// username (whose stored spelling is kept), and reports whether it was
// created. If p's barcode or admin system id belongs to another patron it
// returns a *ConflictError and changes nothing.
func (tx *Tx) Put(p *Patron) (created bool, err error) {
	s := tx.s
	i, exists := tx.lookup(p.Username)
	barcodeTaken := tx.taken(&s.byBarcode, i, exists, p.LibraryBarcode, barcode)
	adminIDTaken := tx.taken(&s.byAdminID, i, exists, p.AdminSystemID, adminID)
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
	rec, err := encode(p, s.text.alloc)
	if err != nil {
		return false, fmt.Errorf("store patron %q: %w", p.Username, err)
	}
	if !exists {
		i = s.add(rec)
		key := Key(p.Username)
		s.byName.insert(tx.hash(&s.byName, key), i)
		tx.reindex(&s.byBarcode, i, "", rec.barcode())
		tx.reindex(&s.byAdminID, i, "", rec.adminID())
		tx.remember(i)
		return true, nil
	}
	old := s.rec(i)
	tx.reindex(&s.byBarcode, i, old.barcode(), rec.barcode())
	tx.reindex(&s.byAdminID, i, old.adminID(), rec.adminID())
	s.text.free(len(old.data))
	*old = rec
	if s.text.crowded() {
		s.compact()
	}
	return false, nil
}

// reindex moves record i in a unique index from value was to value now.
func (tx *Tx) reindex(ix *index, i uint32, was, now string) {
	if was == now {
		return
	}
	if was != "" {
		ix.remove(tx.hash(ix, was), i)
	}
	if now != "" {
		ix.insert(tx.hash(ix, now), i)
	}
}

// GetWith is Get for the row k was made for, with the hashes k holds.
func GetWith(tx *Tx, k *Keys, username string) (Patron, bool) {
	tx.keys = k
	p, ok := tx.Get(username)
	tx.keys = nil
	return p, ok
}

// PutWith is Put for the row k was made for, with the hashes k holds.
func PutWith(tx *Tx, k *Keys, p *Patron) (bool, error) {
	tx.keys = k
	created, err := tx.Put(p)
	tx.keys = nil
	return created, err
}

// Clone returns a copy of the store that changes apart from it: to judge a
// file against the patrons as they are without changing them. It costs a
// copy of the records and the indexes; the patrons' text, which is never
// written twice, is shared.
func (s *Store) Clone() *Store {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := &Store{seed: s.seed, hashFn: s.hashFn, n: s.n}
	c.recs = make([][]record, len(s.recs))
	for i, chunk := range s.recs {
		c.recs[i] = append([]record(nil), chunk...)
	}
	// The clone writes its text into blocks of its own, never into the
	// spare room of a block it shares.
	c.text = arena{live: s.text.live, dead: s.text.dead}
	for _, ix := range [...]struct{ dst, src *index }{{&c.byName, &s.byName}, {&c.byBarcode, &s.byBarcode}, {&c.byAdminID, &s.byAdminID}} {
		*ix.dst = index{slots: append([]uint64(nil), ix.src.slots...), used: ix.src.used, shift: ix.src.shift}
	}
	return c
}

// searched are the fields Find looks in: username, given name, surname,
// preferred name, library barcode and admin system id.
var searched = [...]int{0, 1, 2, 4, 7, 8}

// Find returns the patrons from offset, at most limit of them, whose
// username, name (given, preferred or family name, or the given or
// preferred name and the family name together), barcode or admin id holds
// query in any letter case, and how many match in all, in username order
// (without a query, every patron). It decodes only the patrons it
// returns, so a page of a million is cheap.
func (s *Store) Find(query string, offset, limit int) ([]Patron, int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var hits []uint32
	if query == "" {
		if offset >= int(s.n) {
			return nil, int(s.n)
		}
		order := s.sorted()
		return s.decodeAll(order[offset:min(offset+limit, len(order))]), int(s.n)
	}
	// Each match's sort key is made once: a comparison that made them
	// would make two a comparison, tens of millions for a search that
	// matches a million patrons.
	type hit struct {
		key string
		rec uint32
	}
	var found []hit
	fullName := strings.Contains(query, " ") // "Arlene Vasquez": given and family name together
	for i := uint32(0); i < s.n; i++ {
		r := s.rec(i)
		match := false
		for _, f := range searched {
			if containsFold(r.field(f), query) {
				match = true
				break
			}
		}
		if !match && fullName {
			match = containsFold(r.field(1)+" "+r.field(2), query) || containsFold(r.field(4)+" "+r.field(2), query)
		}
		if match {
			found = append(found, hit{nameKey(r), i})
		}
	}
	if offset >= len(found) {
		return nil, len(found)
	}
	slices.SortFunc(found, func(a, b hit) int { return cmp.Compare(a.key, b.key) })
	for _, h := range found[offset:min(offset+limit, len(found))] {
		hits = append(hits, h.rec)
	}
	return s.decodeAll(hits), len(found)
}

// sorted returns every record in username order. The caller holds s.mu
// (to read).
func (s *Store) sorted() []uint32 {
	s.order.mu.Lock()
	defer s.order.mu.Unlock()
	if s.order.gen == s.gen && len(s.order.recs) == int(s.n) {
		return s.order.recs
	}
	type hit struct {
		key string
		rec uint32
	}
	all := make([]hit, s.n)
	for i := range s.n {
		all[i] = hit{nameKey(s.rec(i)), i}
	}
	slices.SortFunc(all, func(a, b hit) int { return cmp.Compare(a.key, b.key) })
	recs := make([]uint32, len(all))
	for i, h := range all {
		recs[i] = h.rec
	}
	s.order.gen, s.order.recs = s.gen, recs
	return recs
}

func (s *Store) decodeAll(recs []uint32) []Patron {
	out := make([]Patron, len(recs))
	for i, r := range recs {
		out[i] = s.rec(r).decode()
	}
	return out
}

// containsFold reports whether sub is in s, in any letter case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
