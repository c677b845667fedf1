package storage

import "unsafe"

// arenaChunk is the size of the blocks patrons' text is kept in.
const arenaChunk = 1 << 20

// minDead is how much replaced text the store leaves in its blocks before
// it thinks of compacting them.
const minDead = 16 << 20

// arena holds the text of stored patrons in large blocks, written once and
// never changed: a record's text is a string over part of a block. Storing a
// patron costs a copy instead of an allocation of its own, and the garbage
// collector sees a few large blocks instead of one object a patron.
//
// Text replaced by an update stays in its block, dead, until the store
// compacts: it then copies every record's text into new blocks and drops the
// old ones (strings handed out earlier keep theirs alive). Compacting when
// the dead text passes a quarter of the live text, and 16 MiB, keeps the
// waste within bounds at little cost per update.
type arena struct {
	block      []byte // the block being filled; its spare capacity is free
	live, dead int    // bytes of text in use, and replaced
}

// alloc returns n bytes of fresh space, counted as live.
func (a *arena) alloc(n int) []byte {
	if n > cap(a.block)-len(a.block) {
		a.block = make([]byte, 0, max(arenaChunk, n))
	}
	end := len(a.block) + n
	b := a.block[len(a.block):end:end]
	a.block = a.block[:end]
	a.live += n
	return b
}

// free counts n bytes of text as replaced.
func (a *arena) free(n int) {
	a.live -= n
	a.dead += n
}

// crowded reports whether enough text is dead to be worth compacting.
func (a *arena) crowded() bool {
	return a.dead > minDead && a.dead > a.live/4
}

// compact copies the text of every record into new blocks.
func (s *Store) compact() {
	var fresh arena
	for i := uint32(0); i < s.n; i++ {
		r := s.rec(i)
		if r.data == "" {
			continue
		}
		b := fresh.alloc(len(r.data))
		copy(b, r.data)
		r.data = unsafe.String(unsafe.SliceData(b), len(b))
	}
	s.text = fresh
}
