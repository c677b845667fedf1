// Package store keeps the reference server's patrons in memory.
//
// Patrons are keyed by username, matched case-insensitively (the stored
// spelling is the one that created the patron). Library barcodes and admin
// system ids are unique to one patron. The store knows nothing of CSV or
// HTTP: the rule engine decides what a row means and hands the store whole
// patrons, so a patron is never half-written.
//
// A school of a million patrons costs under 200 bytes each. How that is
// done, and the fast path the rule engine applies batches of rows through,
// are internal (mockserver/internal/storage); this package is what a user
// of the store needs.
package store

import "github.com/autosync/autosync/mockserver/internal/storage"

// Store holds patrons; it is safe for concurrent use. Its methods: Len,
// Get (by username, in any letter case), List and All (by username), Find
// (a page of the patrons a search matches), Clone (a copy that changes
// apart), Reset, and Update, which runs a function with exclusive access.
type Store = storage.Store

// Tx is exclusive access to a store inside Update: Get, Put (a whole patron,
// created or replaced; it changes nothing and returns a *ConflictError if
// the patron's barcode or admin id belongs to another), BarcodeTaken,
// AdminIDTaken, BarcodeOwner and AdminIDOwner.
type Tx = storage.Tx

// Patron is one patron. Empty strings and a zero GraduationYear mean "not
// set". PasswordHash is a bcrypt hash, never a plain password.
type Patron = storage.Patron

// ConflictError reports unique values of a patron that already belong to
// another patron; errors.Is(err, ErrConflict) holds for it.
type ConflictError = storage.ConflictError

// Errors returned by Put.
var (
	ErrConflict = storage.ErrConflict
	ErrTooLarge = storage.ErrTooLarge
)

// New returns an empty store.
func New() *Store { return storage.New() }

// Key returns the form of a username that patrons are matched by.
func Key(username string) string { return storage.Key(username) }

// TextNames returns the names of Patron's string fields in lower case
// ("username", …, "passwordhash"), in the order Patron declares them.
func TextNames() []string { return storage.TextNames() }

// TextField returns a pointer to the i-th string field of p, in the order
// of TextNames: for a journal that writes every field of a patron,
// whatever fields Patron has.
func TextField(p *Patron, i int) *string { return storage.TextField(p, i) }
