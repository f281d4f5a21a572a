package hub

// The state hash: Sum writes every part of the state in a fixed order, so
// that the same journal gives the same hash, byte for byte, whatever the
// order of maps. TestSumCoversState fails when a field of state is left
// out of it.

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/settlement"
)

// Sum is a SHA-256 of the whole state, for tests that compare a state before
// a restart with the state replayed after it.
func (s *state) Sum() [32]byte {
	h := sha256.New()
	writeUint(h, s.lastSeq)
	s.ledger.Hash(h)
	for _, bic := range sortedKeys(s.participants) {
		writeJSON(h, s.participants[bic])
		writeJSON(h, s.inboxes[bic].snapshot())
	}
	keys := make([]legKey, 0, len(s.payments))
	for k := range s.payments {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b legKey) int { return cmp.Compare(s.payments[a].seq, s.payments[b].seq) })
	for _, k := range keys {
		writeJSON(h, s.payments[k].track())
	}
	s.hashSettlement(h)
	writeJSON(h, s.screeningSum())
	writeJSON(h, s.revokedOperators) // encoding/json sorts map keys.
	writeJSON(h, s.restSum())
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func writeUint(h hash.Hash, v uint64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	h.Write(b[:])
}

func writeJSON(h hash.Hash, v any) {
	b, err := json.Marshal(v)
	assert.That(err == nil, "marshal state for hashing: %v", err)
	h.Write(b)
}

// hashSettlement writes the queue, the open cycle, the rates, the quotes and
// the counters into h, each in a fixed order.
func (s *state) hashSettlement(h hash.Hash) {
	writeUint(h, uint64(s.transfers))
	writeUint(h, s.cycles)
	writeJSON(h, s.config)
	writeJSON(h, queuedSums(s.queue.All()))
	if s.cycle != nil {
		writeUint(h, uint64(s.cycle.ID()))
		writeJSON(h, s.cycle.Opened())
		writeJSON(h, paymentSums(s.cycle.Payments()))
	}
	for _, pair := range s.rates.Pairs() {
		r, _ := s.rates.Rate(pair)
		writeJSON(h, pair)
		h.Write([]byte(r.String()))
	}
	for _, q := range s.quotes.All() {
		writeJSON(h, quoteView(q))
	}
	for _, o := range s.offers.All() {
		writeJSON(h, offerView(o, o.Issued))
	}
	for _, k := range s.rounding.Keys() {
		writeJSON(h, k)
		writeJSON(h, s.rounding.Accrued(k))
	}
}

// paymentSum is a settlement payment as the state hash writes it. Its JSON
// field names are the hash's own, kept whatever settlement calls its fields,
// so that the same state hashes the same.
type paymentSum struct {
	ID               settlement.PaymentID
	InstructingAgent corridor.BIC `json:"Debtor"`
	InstructedAgent  corridor.BIC `json:"Creditor"`
	Currency         corridor.Currency
	Amount           corridor.Amount
	Priority         settlement.Priority
}

// queuedSum is a queued payment as the state hash writes it.
type queuedSum struct {
	paymentSum
	Place    int64 `json:"Position"`
	QueuedAt time.Time
	Deadline time.Time
}

func paymentSumOf(p settlement.Payment) paymentSum {
	return paymentSum{ID: p.ID, InstructingAgent: p.InstructingAgent, InstructedAgent: p.InstructedAgent,
		Currency: p.Currency, Amount: p.Amount, Priority: p.Priority}
}

// paymentSums keeps nil as nil: JSON writes null for it and [] for an empty
// list, and the hash has always seen the difference.
func paymentSums(ps []settlement.Payment) []paymentSum {
	if ps == nil {
		return nil
	}
	out := make([]paymentSum, len(ps))
	for i, p := range ps {
		out[i] = paymentSumOf(p)
	}
	return out
}

func queuedSums(qs []settlement.Queued) []queuedSum {
	if qs == nil {
		return nil
	}
	out := make([]queuedSum, len(qs))
	for i, q := range qs {
		out[i] = queuedSum{paymentSum: paymentSumOf(q.Payment), Place: q.Place, QueuedAt: q.QueuedAt, Deadline: q.Deadline}
	}
	return out
}

// screeningSum is the screening state in a fixed order, for the state hash.
type screeningSum struct {
	Lists     []ListInfo
	Screener  string
	Whitelist []whiteKey
	Holds     []uint64
	Approvals []string `json:",omitempty"` // First releases under four eyes: seq and operator.
}

func (s *state) screeningSum() screeningSum {
	sum := screeningSum{Lists: s.listInfos(), Holds: slices.Sorted(maps.Keys(s.screening.holds))}
	for _, seq := range slices.Sorted(maps.Keys(s.screening.approvals)) {
		a := s.screening.approvals[seq]
		sum.Approvals = append(sum.Approvals, fmt.Sprintf("%d %q %q", seq, a.By, a.Why))
	}
	if s.screening.screener != nil {
		sum.Screener = s.screening.screener.ID()
	}
	sum.Whitelist = slices.SortedFunc(maps.Keys(s.screening.whitelist), func(a, b whiteKey) int {
		return cmp.Or(cmp.Compare(a.Party, b.Party), cmp.Compare(a.List, b.List), cmp.Compare(a.Entry, b.Entry))
	})
	return sum
}

// restSum is the rest of the state in a fixed order: returns and
// cancellation cases per payment, the case messages seen, notification
// settings, the books of every account, the limits and the limit queue, and
// the defundings.
type restSum struct {
	Payments []paymentCases
	CaseMsgs []string // Sender and key, each with the payment's seq.
	Camt054  []corridor.BIC
	Books    []any // By account, in the ledger's order (bookSum).
	Booked   uint64
	Limits   []string // "BIC CCY" and the limits, in that order.
	Used     []string
	Waiting  []uint64
	Defunds  []string
	Entered  []uint64 `json:",omitempty"` // Payments counted as pending against settlement.RuleNet limits.
	// EnteredOn is the business day each of Entered counts on, from
	// MessagesLimitDay (before, they counted on the day of their agent's usage).
	EnteredOn []corridor.Date `json:",omitempty"`

	Days      []businessDay `json:",omitempty"` // By currency.
	Warehouse []uint64      `json:",omitempty"`
	Finals    []finalEntry  `json:",omitempty"` // With retention.
}

type paymentCases struct {
	Seq                 uint64
	Returning, Returned int64
	Cancel              *cancelCase
}

func (s *state) restSum() restSum {
	var sum restSum
	for _, seq := range slices.Sorted(maps.Keys(s.bySeq)) {
		p := s.bySeq[seq]
		if p.returning != 0 || p.cancel != nil {
			sum.Payments = append(sum.Payments, paymentCases{Seq: seq, Returning: int64(p.returning), Returned: int64(p.returned), Cancel: p.cancel})
		}
	}
	for k, p := range s.caseMsgs {
		sum.CaseMsgs = append(sum.CaseMsgs, fmt.Sprintf("%s %s %d", k.sender, k.msgID, p.seq))
	}
	slices.Sort(sum.CaseMsgs)
	sum.Camt054 = sortedKeys(s.camt054)
	for _, a := range s.ledger.Accounts() {
		if b := s.books[a.ID]; b != nil {
			sum.Books = append(sum.Books, bookSum(b))
		}
	}
	sum.Booked = s.booked
	sum.Limits, sum.Used, sum.Waiting = s.gateSum()
	for _, e := range s.gate.Entered() {
		sum.Entered = append(sum.Entered, uint64(e.ID))
		if s.config.Messages >= MessagesLimitDay {
			sum.EnteredOn = append(sum.EnteredOn, e.Day)
		}
	}
	for k, r := range s.defunds {
		sum.Defunds = append(sum.Defunds, fmt.Sprintf("%s %s %s", k.sender, k.msgID, r.Reference))
	}
	slices.Sort(sum.Defunds)
	sum.Days, sum.Warehouse, sum.Finals = s.daysSum(), s.warehouse, s.finals
	return sum
}

// gateSum is the gate's limits, usage and limit queue as the state hash has
// always written them: a line per limit and per usage, sorted, and the seqs
// of the waiting payments in order. Limits and usage by settlement.RuleNet
// carry "net" and their flows, which settlement.RuleGross ones never had.
func (s *state) gateSum() (limits, used []string, waiting []uint64) {
	for bic, l := range s.gate.AllLimits() {
		rule := ""
		if l.Rule == settlement.RuleNet {
			rule = " net"
		}
		limits = append(limits, fmt.Sprintf("%s %s %d %d %v%s", bic, l.Currency, l.Reserve, l.Multilateral, sortedKeys(l.Bilateral), rule))
		for _, b := range sortedKeys(l.Bilateral) {
			limits = append(limits, fmt.Sprintf("%s %s %s %d", bic, l.Currency, b, l.Bilateral[b]))
		}
	}
	for bic, u := range s.gate.AllUsage() {
		if u.Rule == settlement.RuleNet {
			used = append(used, netUsageLines(bic, u)...)
			continue
		}
		used = append(used, fmt.Sprintf("%s %s %s %d", bic, u.Currency, u.Day, u.Total))
		for _, b := range sortedKeys(u.To) {
			used = append(used, fmt.Sprintf("%s %s %s %d", bic, u.Currency, b, u.To[b]))
		}
	}
	slices.Sort(limits)
	slices.Sort(used)
	for _, p := range s.gate.Waiting() {
		waiting = append(waiting, uint64(p.ID))
	}
	return limits, used, waiting
}

// netUsageLines are a settlement.RuleNet usage's lines for the state hash:
// the day and the totals, then each flow per counterparty.
func netUsageLines(bic corridor.BIC, u settlement.Usage) []string {
	out := []string{fmt.Sprintf("%s %s %s net %d %d %d", bic, u.Currency, u.Day, u.Out.Total, u.Pending.Total, u.In.Total)}
	for name, f := range map[string]settlement.Flow{"out": u.Out, "pending": u.Pending, "in": u.In} {
		for _, b := range sortedKeys(f.By) {
			out = append(out, fmt.Sprintf("%s %s %s %s %d", bic, u.Currency, name, b, f.By[b]))
		}
	}
	return out // The caller sorts.
}
