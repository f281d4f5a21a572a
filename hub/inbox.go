package hub

import (
	"context"
	"sort"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
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
	later  laterBody    // What Body is written from when it is read, for a message delivered without one.
}

// laterBody is what a message delivered without its Body is written from
// when it is read, on the reader's goroutine rather than the sequencer's:
// a statement page whose entries the store keeps (page), a pacs.002
// (status) or a camt.054 (notification). Either way the message is what it would have been written at
// delivery, so the state hash hashes that (inbox.snapshot).
type laterBody struct {
	page         *pagePlan
	status       *iso20022.StatusReport
	notification *iso20022.Notification // A camt.054 of one entry.
}

func (l laterBody) none() bool { return l.page == nil && l.status == nil && l.notification == nil }

// write writes the body, reading a page's entries from books.
func (l laterBody) write(ctx context.Context, books corridor.Books) ([]byte, error) {
	if l.page != nil {
		m, err := l.page.complete(ctx, books)
		return m.Body, err
	}
	return l.message(), nil
}

// message writes a pacs.002 or a camt.054, which need nothing but what
// they say.
func (l laterBody) message() []byte {
	var body []byte
	var err error
	if l.status != nil {
		body, err = iso20022.EncodeStatusReport(*l.status)
	} else {
		body, err = iso20022.EncodeNotification(*l.notification)
	}
	// Every field came from a validated message and the hub's own state:
	// an encoding error is a bug.
	assert.That(err == nil, "encode a message to deliver: %v", err)
	return body
}

// full reports whether the inbox holds its maximum of unacknowledged messages.
func (in *inbox) full() bool { return len(in.messages) >= MaxInboxMessages }

// inboxOverflow bounds what settlement may deliver into an inbox past
// MaxInboxMessages: admission stops at the limit, but payments already queued
// or in a cycle still settle (a pacs.008 and a pacs.002 each), and cycles
// close (a camt.054 per currency).
const inboxOverflow = 2*(settlement.MaxQueued+settlement.MaxCyclePayments) + corridor.MaxParticipantCurrencies

func (in *inbox) deliver(m InboxMessage, sender corridor.BIC, later laterBody) {
	assert.That(len(in.messages) < MaxInboxMessages+inboxOverflow, "deliver into an overflowing inbox")
	in.next++
	m.Seq = in.next
	in.messages = append(in.messages, &inboxMsg{InboxMessage: m, sender: sender, later: later})
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
// before as possible duplicates, and what the bodies still to be written
// among them are written from, by place (nil when there are none). It
// starts where the reader is: messages are in Seq order, so a binary search
// finds the first one after after, and the messages before it are never
// visited.
func (in *inbox) read(after uint64, limit int) ([]InboxMessage, []laterBody) {
	i := sort.Search(len(in.messages), func(i int) bool { return in.messages[i].Seq > after })
	n := min(limit, len(in.messages)-i)
	if n <= 0 {
		return nil, nil
	}
	out := make([]InboxMessage, 0, n)
	var later []laterBody
	for k, m := range in.messages[i : i+n] {
		msg := m.InboxMessage
		msg.PossibleDuplicate = m.reads > 0
		m.reads++
		out = append(out, msg)
		if !m.later.none() {
			if later == nil {
				later = make([]laterBody, n)
			}
			later[k] = m.later
		}
	}
	return out, later
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
		body := m.Body
		switch {
		case m.later.page != nil:
			if s.Pages == nil {
				s.Pages = make(map[int]*pagePlan)
			}
			s.Pages[len(s.Seqs)-1] = m.later.page
		case m.later.status != nil || m.later.notification != nil:
			body = m.later.message() // As it always was: the body.
		}
		s.Body = append(s.Body, body)
	}
	return s
}
