package mockserver

import "github.com/autosync/autosync/mockserver/store"

// persistence keeps what the server holds across restarts: the journal of
// a state file (State), or nothing (memory, the default). The server calls
// it with its import lock held, so it needs no lock of its own for that.
// Another backend implements these three steps; state_test.go,
// state_hostile_test.go and state_disk_test.go say what it must hold.
type persistence interface {
	// load puts the kept patrons into st and returns the kept history,
	// oldest first. It is called once, before the server answers.
	load(st *store.Store) ([]importRecord, error)
	// begin starts saving one import.
	begin() importSave
	// reset keeps that every patron and the history were removed; on an
	// error the server removes nothing.
	reset() error
}

// importSave saves one import: the patrons it changes as they come, then
// its history entry. The import is kept whole or not at all.
type importSave interface {
	// add keeps p, a patron the import created or changed; p is only for
	// the call.
	add(p *store.Patron)
	// commit keeps the import's history entry, and with it the import:
	// once it returns nil, the import survives a crash.
	commit(rec importRecord) error
	// abort drops what add kept: the file was refused whole.
	abort()
}

// memory keeps nothing: the server starts empty each time.
type memory struct{}

func (memory) load(*store.Store) ([]importRecord, error) { return nil, nil }
func (memory) begin() importSave                         { return memory{} }
func (memory) reset() error                              { return nil }
func (memory) add(*store.Patron)                         {}
func (memory) commit(importRecord) error                 { return nil }
func (memory) abort()                                    {}
