package storage

import "math/bits"

// index maps keys to record numbers: an open-addressing hash table with
// linear probing, kept at most half full. A slot packs the top 32 bits of
// the key's hash (its tag) with the record number plus one; 0 is an empty
// slot. A key's home slot is the top bits of its tag, so the table grows and
// deletes without reading a record or hashing a key again.
//
// The table holds no key: keys whose tags are equal sit side by side, and a
// look-up confirms a candidate against the record itself. The slots hold no
// pointers, so the garbage collector never scans them, and a look-up that
// misses usually costs one cache line.
type index struct {
	slots []uint64
	used  int
	shift uint // 32 minus log2(len(slots))
}

const minSlots = 8

func newIndex() index { return sizedIndex(minSlots) }

// sizedIndex returns an empty index of size slots, a power of two.
func sizedIndex(size int) index {
	return index{slots: make([]uint64, size), shift: uint(32 - bits.TrailingZeros(uint(size)))}
}

func tagOf(h uint64) uint32 { return uint32(h >> 32) }

func (ix *index) home(tag uint32) int { return int(tag >> ix.shift) }

// lookup returns the first record, in probe order, whose tag is h's and for
// which match holds.
func (ix *index) lookup(h uint64, match func(uint32) bool) (uint32, bool) {
	tag, mask := tagOf(h), len(ix.slots)-1
	for i := ix.home(tag); ; i = (i + 1) & mask {
		s := ix.slots[i]
		if s == 0 {
			return 0, false
		}
		if uint32(s>>32) == tag && match(uint32(s)-1) {
			return uint32(s) - 1, true
		}
	}
}

// insert adds record rec under hash h.
func (ix *index) insert(h uint64, rec uint32) {
	if 2*(ix.used+1) > len(ix.slots) {
		ix.grow(2 * len(ix.slots))
	}
	ix.place(uint64(tagOf(h))<<32 | uint64(rec+1))
	ix.used++
}

// place puts a slot value in the first free slot from its home.
func (ix *index) place(s uint64) {
	mask := len(ix.slots) - 1
	i := ix.home(uint32(s >> 32))
	for ix.slots[i] != 0 {
		i = (i + 1) & mask
	}
	ix.slots[i] = s
}

func (ix *index) grow(size int) {
	old, used := ix.slots, ix.used
	*ix = sizedIndex(size)
	ix.used = used
	for _, s := range old {
		if s != 0 {
			ix.place(s)
		}
	}
}

// reserve makes room for n keys in all, so that they go in without growing.
func (ix *index) reserve(n int) {
	if 2*n > len(ix.slots) {
		ix.grow(1 << bits.Len(uint(2*n-1))) // at least 2n: at most half full
	}
}

// remove takes record rec, stored under hash h, out of the index. The slots
// after it that would no longer be found from their home move back into the
// gap (backward-shift deletion), so that no tombstones build up.
func (ix *index) remove(h uint64, rec uint32) {
	want := uint64(tagOf(h))<<32 | uint64(rec+1)
	mask := len(ix.slots) - 1
	i := ix.home(tagOf(h))
	for ix.slots[i] != want {
		if ix.slots[i] == 0 {
			return // not indexed
		}
		i = (i + 1) & mask
	}
	for j := i; ; {
		j = (j + 1) & mask
		s := ix.slots[j]
		if s == 0 {
			break
		}
		// The slot at j stays if its home lies cyclically in (i, j].
		k := ix.home(uint32(s >> 32))
		if (i <= j && i < k && k <= j) || (i > j && (i < k || k <= j)) {
			continue
		}
		ix.slots[i] = s
		i = j
	}
	ix.slots[i] = 0
	ix.used--
}
