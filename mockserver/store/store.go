// Package store keeps the reference server's patrons in memory.
//
// Patrons are keyed by username, matched case-insensitively (the stored
// spelling is the one that created the patron). Library barcodes and admin
// system ids are unique to one patron. The store knows nothing of CSV or
// HTTP: the rule engine decides what a row means and hands the store whole
// patrons, so a patron is never half-written.
package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Patron is one patron as the store keeps it. Empty strings and a zero
// GraduationYear mean "not set".
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

// ErrConflict reports that a unique value already belongs to another patron.
var ErrConflict = errors.New("value already used by another patron")

// Store holds patrons. The zero value is not usable; call New.
type Store struct {
	mu        sync.RWMutex
	byName    map[string]*Patron // lower-case username → patron
	byBarcode map[string]string  // barcode → lower-case username
	byAdminID map[string]string  // admin system id → lower-case username
}

// New returns an empty store.
func New() *Store {
	s := &Store{}
	s.reset()
	return s
}

func (s *Store) reset() {
	s.byName = make(map[string]*Patron)
	s.byBarcode = make(map[string]string)
	s.byAdminID = make(map[string]string)
}

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
	return len(s.byName)
}

// Get returns a copy of the patron with the given username.
func (s *Store) Get(username string) (Patron, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.byName[Key(username)]
	if !ok {
		return Patron{}, false
	}
	return *p, true
}

// List returns copies of all patrons ordered by their matching key.
func (s *Store) List() []Patron {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Patron, 0, len(s.byName))
	for _, p := range s.byName {
		out = append(out, *p)
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
}

// Get returns the patron with the given username. The returned pointer is
// the stored patron: read it, never change it.
func (tx *Tx) Get(username string) (*Patron, bool) {
	p, ok := tx.s.byName[Key(username)]
	return p, ok
}

// BarcodeOwner returns the username of the patron holding a library barcode.
func (tx *Tx) BarcodeOwner(barcode string) (string, bool) {
	k, ok := tx.s.byBarcode[barcode]
	if !ok {
		return "", false
	}
	return tx.s.byName[k].Username, true
}

// AdminIDOwner returns the username of the patron holding an admin system id.
func (tx *Tx) AdminIDOwner(id string) (string, bool) {
	k, ok := tx.s.byAdminID[id]
	if !ok {
		return "", false
	}
	return tx.s.byName[k].Username, true
}

// Put stores p whole, replacing the patron with the same username. It fails
// with ErrConflict, changing nothing, if p's barcode or admin system id
// belongs to another patron.
func (tx *Tx) Put(p *Patron) error {
	s := tx.s
	key := Key(p.Username)
	if owner, ok := s.byBarcode[p.LibraryBarcode]; ok && p.LibraryBarcode != "" && owner != key {
		return fmt.Errorf("library barcode %q: %w", p.LibraryBarcode, ErrConflict)
	}
	if owner, ok := s.byAdminID[p.AdminSystemID]; ok && p.AdminSystemID != "" && owner != key {
		return fmt.Errorf("admin system id %q: %w", p.AdminSystemID, ErrConflict)
	}
	if old, ok := s.byName[key]; ok {
		if old.LibraryBarcode != p.LibraryBarcode && old.LibraryBarcode != "" {
			delete(s.byBarcode, old.LibraryBarcode)
		}
		if old.AdminSystemID != p.AdminSystemID && old.AdminSystemID != "" {
			delete(s.byAdminID, old.AdminSystemID)
		}
	}
	if p.LibraryBarcode != "" {
		s.byBarcode[p.LibraryBarcode] = key
	}
	if p.AdminSystemID != "" {
		s.byAdminID[p.AdminSystemID] = key
	}
	s.byName[key] = p
	return nil
}
