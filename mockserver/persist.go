package mockserver

import "github.com/autosync/autosync/mockserver/store"

// Persistence keeps what the server holds across restarts: a state file
// (package mockserver/journal), or nothing (the default: the server starts
// empty each time). A backend implements it, in a package of its own, and
// is given with WithPersistence; mockserver/persisttest.Run says what it
// must hold. The server calls it with its import lock held, so it needs no lock
// of its own for that.
type Persistence interface {
	// Load puts the kept patrons into st and returns the kept history,
	// oldest first. It is called once, before the server answers. What it
	// kept must be loaded whole: a backend refuses storage holding a
	// patron no import could have stored (rules.CheckStored, and the
	// store's uniqueness) when it is opened or here, never loads it in part.
	Load(st *store.Store) ([]ImportRecord, error)
	// Begin starts saving one import.
	Begin() ImportSave
	// Reset keeps that every patron and the history were removed; on an
	// error the server removes nothing.
	Reset() error
}

// ImportSave saves one import: the patrons it changes as they come, then
// its history entry. The import is kept whole or not at all: a crash
// before Commit returns loses it whole.
type ImportSave interface {
	// Add keeps p, a patron the import created or changed; p is only for
	// the call.
	Add(p *store.Patron)
	// Commit keeps the import's history entry, and with it the import:
	// once it returns nil, the import survives a crash.
	Commit(rec ImportRecord) error
	// Abort drops what Add kept: the file was refused whole.
	Abort()
}

// WithPersistence makes the server start from what p kept and keep every
// import and reset in it (a journal.File for a state file).
func WithPersistence(p Persistence) Option {
	return func(s *server) { s.persist = p }
}

// Spooler is a Persistence that says where the server spools uploads
// (WithSpool aside): beside what it keeps, so that a restart removes what a
// crash left there.
type Spooler interface {
	// Spool returns the folder and the os.CreateTemp pattern of the
	// server's spooled uploads.
	Spool() (dir, pattern string)
}

// memory keeps nothing: the server starts empty each time.
type memory struct{}

func (memory) Load(*store.Store) ([]ImportRecord, error) { return nil, nil }
func (memory) Begin() ImportSave                         { return memory{} }
func (memory) Reset() error                              { return nil }
func (memory) Add(*store.Patron)                         {}
func (memory) Commit(ImportRecord) error                 { return nil }
func (memory) Abort()                                    {}
