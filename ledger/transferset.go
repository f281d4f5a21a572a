package ledger

import (
	"iter"
	"slices"

	"github.com/corridor-network/corridor/internal/assert"
)

// transferSet is a set of transfer IDs held as runs, in order, neither
// overlapping nor touching. The hub numbers its transfers one after
// another, so the set of every transfer ever applied is one run, or a few:
// its memory does not grow with history, as a map of IDs did.
type transferSet struct {
	runs []TransferRun
}

// at is the index of the first run that does not end before id.
func (s *transferSet) at(id TransferID) int {
	i, _ := slices.BinarySearchFunc(s.runs, id, func(r TransferRun, id TransferID) int {
		switch {
		case r.Last < id:
			return -1
		case r.First > id:
			return 1
		}
		return 0
	})
	return i
}

func (s *transferSet) has(id TransferID) bool {
	i := s.at(id)
	return i < len(s.runs) && s.runs[i].First <= id
}

// add puts id, which the set does not hold, into it, joining the runs it
// touches.
func (s *transferSet) add(id TransferID) {
	i := s.at(id)
	assert.That(i == len(s.runs) || s.runs[i].First > id, "transfer %d is in the set already", id)
	joinsBefore := i > 0 && s.runs[i-1].Last+1 == id
	joinsAfter := i < len(s.runs) && s.runs[i].First-1 == id
	switch {
	case joinsBefore && joinsAfter:
		s.runs[i-1].Last = s.runs[i].Last
		s.runs = slices.Delete(s.runs, i, i+1)
	case joinsBefore:
		s.runs[i-1].Last = id
	case joinsAfter:
		s.runs[i].First = id
	default:
		s.runs = slices.Insert(s.runs, i, TransferRun{First: id, Last: id})
	}
}

// all yields every ID in the set, in order.
func (s *transferSet) all() iter.Seq[TransferID] {
	return func(yield func(TransferID) bool) {
		for _, r := range s.runs {
			for id := r.First; ; id++ {
				if !yield(id) || id == r.Last {
					break
				}
			}
		}
	}
}
