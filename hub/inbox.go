package hub

import (
	"sort"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/settlement"
)

// inbox is a participant's ordered queue of delivered messages, kept until the
// participant acknowledges them.
type inbox struct {
	next     uint64      // Seq of the last message delivered.
	messages []*inboxMsg // Unacknowledged, in Seq order.
}

type inboxMsg struct {
	InboxMessage
	sender corridor.BIC // The payment leg's instructing agent, to find it on acknowledgement.
	reads  int          // How often it was read; not part of the journaled state.
	// plan is, for a statement page whose entries the store keeps, what
	// the page is: its Body is written from the store when it is read.
	plan *pagePlan
}

// full reports whether the inbox holds its maximum of unacknowledged messages.
func (in *inbox) full() bool { return len(in.messages) >= MaxInboxMessages }

// inboxOverflow bounds what settlement may deliver into an inbox past
// MaxInboxMessages: admission stops at the limit, but payments already queued
// or in a cycle still settle (a pacs.008 and a pacs.002 each), and cycles
// close (a camt.054 per currency).
const inboxOverflow = 2*(settlement.MaxQueued+settlement.MaxCyclePayments) + corridor.MaxParticipantCurrencies

func (in *inbox) deliver(m InboxMessage, sender corridor.BIC) {
	assert.That(len(in.messages) < MaxInboxMessages+inboxOverflow, "deliver into an overflowing inbox")
	in.next++
	m.Seq = in.next
	in.messages = append(in.messages, &inboxMsg{InboxMessage: m, sender: sender})
}

// deliverPage delivers a statement page: m, or m written from plan when it
// is read if plan is not nil.
func (in *inbox) deliverPage(m InboxMessage, plan *pagePlan) {
	in.deliver(m, "")
	in.messages[len(in.messages)-1].plan = plan
}

// ack removes every message up to and including through and returns them.
func (in *inbox) ack(through uint64) []*inboxMsg {
	n := 0
	for n < len(in.messages) && in.messages[n].Seq <= through {
		n++
	}
	acked := in.messages[:n:n]
	in.messages = in.messages[n:]
	return acked
}

// read returns up to limit messages after seq after, marking those read
// before as possible duplicates, and the plans of the statement pages among
// them still to be written (nil when there are none). It starts where the
// reader is: messages are in Seq order, so a binary search finds the first
// one after after, and the messages before it are never visited.
func (in *inbox) read(after uint64, limit int) ([]InboxMessage, []*pagePlan) {
	i := sort.Search(len(in.messages), func(i int) bool { return in.messages[i].Seq > after })
	n := min(limit, len(in.messages)-i)
	if n <= 0 {
		return nil, nil
	}
	out := make([]InboxMessage, 0, n)
	var plans []*pagePlan
	for k, m := range in.messages[i : i+n] {
		msg := m.InboxMessage
		msg.PossibleDuplicate = m.reads > 0
		m.reads++
		out = append(out, msg)
		if m.plan != nil {
			if plans == nil {
				plans = make([]*pagePlan, n)
			}
			plans[k] = m.plan
		}
	}
	return out, plans
}

// markAllRead is called after a restart: any message may have been read
// before the hub stopped, so its next reading is a possible duplicate.
func (in *inbox) markAllRead() {
	for _, m := range in.messages {
		m.reads = max(m.reads, 1)
	}
}

// inboxSnapshot is the journaled part of an inbox, for the state hash.
type inboxSnapshot struct {
	Next uint64
	Seqs []uint64
	UETR []corridor.UETR
	Time []time.Time
	Body [][]byte
	// Pages are the statement pages written when read, by their place in
	// Seqs; none before the store kept book entries.
	Pages map[int]*pagePlan `json:",omitempty"`
}

func (in *inbox) snapshot() inboxSnapshot {
	s := inboxSnapshot{Next: in.next}
	for _, m := range in.messages {
		s.Seqs = append(s.Seqs, m.Seq)
		s.UETR = append(s.UETR, m.UETR)
		s.Time = append(s.Time, m.Time)
		s.Body = append(s.Body, m.Body)
		if m.plan != nil {
			if s.Pages == nil {
				s.Pages = make(map[int]*pagePlan)
			}
			s.Pages[len(s.Seqs)-1] = m.plan
		}
	}
	return s
}
