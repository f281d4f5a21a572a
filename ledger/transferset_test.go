package ledger

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestTransferSet adds IDs in any order and checks the set against a map:
// membership, every ID in order, and runs in order, neither overlapping nor
// touching.
func TestTransferSet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s transferSet
		want := map[TransferID]bool{}
		for range rapid.IntRange(0, 200).Draw(t, "adds") {
			id := TransferID(rapid.Uint64Range(1, 64).Draw(t, "id"))
			if want[id] != s.has(id) {
				t.Fatalf("has(%d) = %v; want %v", id, s.has(id), want[id])
			}
			if !want[id] {
				s.add(id)
				want[id] = true
			}
		}
		var ids []TransferID
		for id := range want {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		if got := slices.Collect(s.all()); !slices.Equal(got, ids) {
			t.Fatalf("all() = %v; want %v", got, ids)
		}
		for i, r := range s.runs {
			if r.First > r.Last || (i > 0 && s.runs[i-1].Last+1 >= r.First) {
				t.Fatalf("runs %v are not in order and apart", s.runs)
			}
		}
	})
}
