package hub

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
)

// Observer is told what the sequencer and the front end do, for metrics. Its
// methods run on the hub's goroutines, the sequencer's among them, so they
// must be quick and must not block or call back into the hub.
type Observer interface {
	// BatchCommitted reports a batch of requests executed and the journal
	// entries it hands to the append (0 when it changed nothing), before
	// the append runs; the store times the append itself.
	BatchCommitted(requests, entries int)
	// Screened reports one payment screened: how long it took and how many
	// of its parties' names hit a list.
	Screened(d time.Duration, hits int)
}

// Stats is a snapshot of the hub for monitoring: counts and sums by
// currency, never a party, an account or a message.
type Stats struct {
	Seq          uint64           // The last journal entry applied.
	QueueDepth   int              // Requests waiting for the sequencer, of QueueDepth.
	Payments     []PaymentCount   // Every payment leg in memory (not archived: see retention.go), by message, status and reason.
	Waiting      []WaitingTotal   // PDNG payments by why they wait and their currency.
	Cycle        []WaitingTotal   // The open net cycle's payments by currency; Wait is empty.
	CyclesClosed uint64           // Net settlement cycles closed.
	Days         []DayView        // Every calendar currency's business day.
	Inboxes      []InboxBacklog   // Unacknowledged messages per participant.
	Certificates []CertificateEnd // When each participant's last valid certificate expires.
}

// PaymentCount is how many payment legs share a message, status and reason.
type PaymentCount struct {
	MsgDef string // The instruction's message definition, such as pacs.008.001.08.
	Status corridor.PaymentStatus
	Reason corridor.ReasonCode // Empty unless rejected or returned with one.
	Count  int
}

// WaitingTotal is the count and value of waiting payments in one currency.
type WaitingTotal struct {
	Wait     Wait
	Currency corridor.Currency
	Count    int
	Value    corridor.Amount // Sum of their amounts, in minor units; saturates at MaxAmount.
}

// InboxBacklog is a participant's unacknowledged messages.
type InboxBacklog struct {
	BIC      corridor.BIC
	Messages int
}

// CertificateEnd is when a participant's last valid certificate expires:
// after it, the participant cannot reach the hub.
type CertificateEnd struct {
	BIC      corridor.BIC
	NotAfter time.Time
}

// Stats answers a snapshot of the hub, on the sequencer after the batch it
// came with is durable. ErrBusy when the sequencer's queue is full.
func (h *Hub) Stats(ctx context.Context) (Stats, error) {
	var out Stats
	depth := len(h.requests)
	_, err := h.do(ctx, request{query: func(s *state) { out = s.stats() }})
	out.QueueDepth = depth
	return out, err
}

// stats is the snapshot Stats answers.
func (s *state) stats() Stats {
	st := Stats{Seq: s.lastSeq, CyclesClosed: s.cycles, Days: s.daysView()}
	counts := map[PaymentCount]int{}
	waiting := map[WaitingTotal]WaitingTotal{}
	for _, p := range s.payments {
		counts[PaymentCount{MsgDef: p.msgDef, Status: p.status, Reason: p.reason}]++
		if p.status == corridor.StatusPending {
			addWaiting(waiting, p.wait, p.cmd.Payment.Currency, p.cmd.Payment.Amount)
		}
	}
	for _, k := range slices.SortedFunc(maps.Keys(counts), comparePaymentCounts) {
		k.Count = counts[k]
		st.Payments = append(st.Payments, k)
	}
	st.Waiting = sortedTotals(waiting)
	if s.cycle != nil && !s.cycle.Closed() {
		cyc := map[WaitingTotal]WaitingTotal{}
		for _, p := range s.cycle.Payments() {
			addWaiting(cyc, "", p.Currency, p.Amount)
		}
		st.Cycle = sortedTotals(cyc)
	}
	for _, bic := range slices.Sorted(maps.Keys(s.participants)) {
		st.Inboxes = append(st.Inboxes, InboxBacklog{BIC: bic, Messages: s.backlog(bic)})
		if end, ok := lastExpiry(s.participants[bic].Certificates); ok {
			st.Certificates = append(st.Certificates, CertificateEnd{BIC: bic, NotAfter: end})
		}
	}
	return st
}

// backlog is how many messages bic has not acknowledged.
func (s *state) backlog(bic corridor.BIC) int {
	if in := s.inboxes[bic]; in != nil {
		return len(in.messages)
	}
	return 0
}

// addWaiting adds one payment of amount in cur to the total for wait.
func addWaiting(m map[WaitingTotal]WaitingTotal, wait Wait, cur corridor.Currency, amount corridor.Amount) {
	k := WaitingTotal{Wait: wait, Currency: cur}
	t := m[k]
	t.Wait, t.Currency = wait, cur
	t.Count++
	if sum, ok := t.Value.Add(amount); ok {
		t.Value = sum
	} else {
		t.Value = corridor.MaxAmount // A gauge saturates; the ledger's sums are checked elsewhere.
	}
	m[k] = t
}

func sortedTotals(m map[WaitingTotal]WaitingTotal) []WaitingTotal {
	out := slices.Collect(maps.Values(m))
	slices.SortFunc(out, func(a, b WaitingTotal) int {
		if a.Wait != b.Wait {
			return cmp.Compare(string(a.Wait), string(b.Wait))
		}
		return cmp.Compare(string(a.Currency), string(b.Currency))
	})
	return out
}

func comparePaymentCounts(a, b PaymentCount) int {
	if a.MsgDef != b.MsgDef {
		return cmp.Compare(a.MsgDef, b.MsgDef)
	}
	if a.Status != b.Status {
		return cmp.Compare(string(a.Status), string(b.Status))
	}
	return cmp.Compare(string(a.Reason), string(b.Reason))
}

// lastExpiry is the latest NotAfter of certs, false when there are none.
func lastExpiry(certs []corridor.Certificate) (time.Time, bool) {
	var end time.Time
	for _, c := range certs {
		if c.NotAfter.After(end) {
			end = c.NotAfter
		}
	}
	return end, !end.IsZero()
}

// screen screens p with the screener in force, on the caller's goroutine,
// and tells the observer how long it took and what it hit.
func (h *Hub) screen(p corridor.Payment) *screeningRecord {
	start := h.cfg.Now()
	rec := screenPayment(h.screener.Load(), p)
	if h.cfg.Observer != nil && rec != nil {
		hits := 0
		for _, r := range rec.Results {
			hits += len(r.Hits)
		}
		h.cfg.Observer.Screened(h.cfg.Now().Sub(start), hits)
	}
	return rec
}

// observeBatch tells the observer, if any, of a batch processed.
func (h *Hub) observeBatch(requests, entries int) {
	if h.cfg.Observer != nil {
		h.cfg.Observer.BatchCommitted(requests, entries)
	}
}
