package storage

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestIndexAgreesWithMap runs random inserts, removals and look-ups against
// a map. Hashes come from a few bits only, so that keys share tags and homes,
// clusters wrap around the table's end, and every branch of the
// backward-shift deletion is taken.
func TestIndexAgreesWithMap(t *testing.T) {
	for _, hashBits := range []uint{2, 6, 64} {
		rng := rand.New(rand.NewPCG(1, uint64(hashBits)))
		hash := func(key int) uint64 {
			h := uint64(key) * 0x9e3779b97f4a7c15
			return h >> (64 - hashBits) << (64 - hashBits) // keep the top bits
		}
		ix := newIndex()
		want := map[int]uint32{} // key → record
		keyOf := map[uint32]int{}
		next := uint32(0)
		check := func(key int) {
			rec, ok := ix.lookup(hash(key), func(r uint32) bool { return keyOf[r] == key })
			wantRec, wantOK := want[key]
			require.Equal(t, wantOK, ok, "key %d", key)
			require.Equal(t, wantRec, rec, "key %d", key)
		}
		for range 20000 {
			key := rng.IntN(300)
			switch rng.IntN(3) {
			case 0:
				if _, ok := want[key]; !ok {
					ix.insert(hash(key), next)
					want[key], keyOf[next] = next, key
					next++
				}
			case 1:
				if rec, ok := want[key]; ok {
					ix.remove(hash(key), rec)
					delete(want, key)
				}
			}
			check(key)
			require.Equal(t, len(want), ix.used)
		}
		for key := range 300 {
			check(key)
		}
		ix.reserve(5000)
		for key := range 300 {
			check(key)
		}
	}
}
