package settlement

import (
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// offsetting finds, in one currency, the greatest set of payments that settle
// together when each instructing agent keeps a prefix of its lane. lanes hold
// each agent's payments in the order they must settle; avail is each
// participant's available liquidity. It returns how many payments of each lane
// stay in the set.
//
// A participant's net position in the set is its incoming payments less its
// outgoing ones; it is covered when its liquidity plus its net position is
// not negative. While a participant is not covered, its last payment in the
// set leaves it; that lowers its instructed agent's net position, which may
// then go uncovered in turn. Each payment leaves at most once, so the work is
// linear in the payments.
type offsetting struct {
	index map[corridor.BIC]int // Participant to its index in cover.
	cover []int64              // Liquidity plus net position, by participant: covered when not negative.
	lanes [][]Payment          // By the instructing agent's index; nil for a participant that only receives.
	keep  []int                // Payments kept per lane.
}

// newOffsetting sets every participant's cover from the whole of every lane. avail is
// called once per participant, in BIC order.
func newOffsetting(lanes map[corridor.BIC][]Payment, avail func(corridor.BIC) int64) *offsetting {
	o := &offsetting{index: make(map[corridor.BIC]int)}
	bics := participants(lanes)
	o.cover = make([]int64, len(bics))
	o.lanes = make([][]Payment, len(bics))
	o.keep = make([]int, len(bics))
	for i, b := range bics {
		o.index[b] = i
		o.cover[i] = avail(b)
		assert.That(o.cover[i] >= 0, "%s has negative available liquidity %d", b, o.cover[i])
	}
	for i, b := range bics {
		o.lanes[i] = lanes[b]
		o.keep[i] = len(lanes[b])
		for _, p := range lanes[b] {
			o.cover[i] -= int64(p.Amount)
			o.cover[o.index[p.InstructedAgent]] += int64(p.Amount)
		}
	}
	return o
}

// participants are every instructing and instructed agent of the lanes, sorted.
func participants(lanes map[corridor.BIC][]Payment) []corridor.BIC {
	seen := make(map[corridor.BIC]bool)
	var bics []corridor.BIC
	add := func(b corridor.BIC) {
		if !seen[b] {
			seen[b] = true
			bics = append(bics, b)
		}
	}
	for d, ln := range lanes {
		add(d)
		for _, p := range ln {
			add(p.InstructedAgent)
		}
	}
	slices.Sort(bics)
	return bics
}

// solve removes payments until every participant is covered.
func (o *offsetting) solve() {
	var work []int
	queued := make([]bool, len(o.cover))
	for i, c := range o.cover {
		if c < 0 {
			work, queued[i] = append(work, i), true
		}
	}
	for len(work) > 0 {
		i := work[0]
		work, queued[i] = work[1:], false
		for o.cover[i] < 0 {
			assert.That(o.keep[i] > 0, "participant %d is short with nothing left to remove", i)
			o.keep[i]--
			p := o.lanes[i][o.keep[i]]
			c := o.index[p.InstructedAgent]
			o.cover[i] += int64(p.Amount)
			o.cover[c] -= int64(p.Amount)
			if o.cover[c] < 0 && !queued[c] {
				work, queued[c] = append(work, c), true
			}
		}
	}
}

// split returns the kept payments of every lane and the removed ones, each in
// lane order, lanes in BIC order.
func (o *offsetting) split() (kept, removed []Payment) {
	for i, ln := range o.lanes {
		kept = append(kept, ln[:o.keep[i]]...)
		removed = append(removed, ln[o.keep[i]:]...)
	}
	return kept, removed
}
