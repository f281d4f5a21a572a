package hub

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"slices"
	"time"

	"corridor"
	"corridor/internal/assert"
	"corridor/ledger"
)

// Limits of the hub's state. At a limit the hub refuses new input.
const (
	MaxParticipants  = 10_000
	MaxInboxMessages = 100_000 // Unacknowledged messages per participant.
)

// state is everything the hub knows. Only the sequencer touches it; execute is
// deterministic: the same commands with the same seqs and times give the same
// state, byte for byte.
type state struct {
	hubBIC       corridor.BIC
	participants map[corridor.BIC]*member
	ledger       *ledger.Ledger
	payments     map[legKey]*payment          // By UETR and instructing agent.
	byMsgID      map[msgKey]*payment          // By instructing agent and MsgId.
	byUETR       map[corridor.UETR][]*payment // Every leg of a UETR, in order.
	inboxes      map[corridor.BIC]*inbox      //
	woken        map[corridor.BIC]bool        // Inboxes that got messages since the last commit; not state.
	republish    []corridor.BIC               // Memberships changed since the last commit; not state.
	lastSeq      uint64                       // The last journal entry applied.
}

// legKey identifies a payment leg: a UETR is end to end, so the next hop of
// the same payment carries it too, from another instructing agent.
type legKey struct {
	uetr   corridor.UETR
	sender corridor.BIC
}

type msgKey struct {
	sender corridor.BIC
	msgID  string
}

func newState(hubBIC corridor.BIC) *state {
	return &state{
		hubBIC:       hubBIC,
		participants: make(map[corridor.BIC]*member),
		ledger:       ledger.New(),
		payments:     make(map[legKey]*payment),
		byMsgID:      make(map[msgKey]*payment),
		byUETR:       make(map[corridor.UETR][]*payment),
		inboxes:      make(map[corridor.BIC]*inbox),
		woken:        make(map[corridor.BIC]bool),
	}
}

// result is a command's answer.
type result struct {
	payment corridor.PaymentResult
	err     error
}

// execute runs c as journal entry seq at time now. It reports whether c
// changed the state; a command that did not (a refusal, a duplicate) is not
// journaled and leaves everything as it was.
func (s *state) execute(c command, seq uint64, now time.Time) (result, bool) {
	assert.That(seq == s.lastSeq+1, "executing seq %d after %d", seq, s.lastSeq)
	var r result
	var changed bool
	switch c := c.(type) {
	case registerCmd:
		r.err, changed = s.register(c, now)
	case revokeCmd:
		r.err, changed = s.revoke(c)
	case suspendCmd:
		r.err, changed = s.suspend(c)
	case policyCmd:
		r.err, changed = s.setPolicy(c)
	case fundCmd:
		r.err, changed = s.fund(c, seq)
	case paymentCmd:
		r, changed = s.submit(c, seq, now)
	case ackCmd:
		r.err, changed = s.ack(c, now)
	default:
		assert.That(false, "unknown command %T", c)
	}
	if changed {
		s.lastSeq = seq
	}
	return r, changed
}

func (s *state) fund(c fundCmd, seq uint64) (error, bool) {
	if _, ok := s.participants[c.BIC]; !ok {
		return corridor.Reject(corridor.ReasonUnknownCreditorAgent, fmt.Sprintf("%s is not a participant", c.BIC)), false
	}
	if c.Amount <= 0 || c.Amount > corridor.MaxAmount {
		return corridor.Reject(corridor.ReasonAmountExceeded, "amount must be between one minor unit and the maximum"), false
	}
	t := ledger.Transfer{ID: ledger.TransferID(seq), Debit: ledger.Central(c.Currency), Credit: ledger.Settlement(c.BIC, c.Currency), Amount: c.Amount}
	if err := s.ledger.Apply(t); err != nil {
		return err, false
	}
	return nil, true
}

func (s *state) ack(c ackCmd, now time.Time) (error, bool) {
	in, ok := s.inboxes[c.BIC]
	if !ok {
		return corridor.ErrNotFound, false
	}
	acked := in.ack(c.Through)
	if len(acked) == 0 {
		return nil, false
	}
	for _, m := range acked {
		if m.MsgDefID != msgDefPacs008 {
			continue
		}
		if p := s.payments[legKey{m.UETR, m.sender}]; p != nil {
			p.event(corridor.PaymentEvent{Time: now, Event: "acknowledged", Detail: "by " + string(c.BIC)})
		}
	}
	return nil, true
}

// balances is bic's view of its settlement accounts.
func (s *state) balances(bic corridor.BIC) ([]corridor.Balance, error) {
	p, ok := s.participants[bic]
	if !ok {
		return nil, corridor.ErrNotFound
	}
	out := make([]corridor.Balance, 0, len(p.Currencies))
	for _, cur := range p.Currencies {
		a, ok := s.ledger.Account(ledger.Settlement(bic, cur))
		assert.That(ok, "participant %s has no %s account", bic, cur)
		out = append(out, corridor.Balance{Currency: cur, Balance: a.Balance(), Available: a.Available(),
			Debits: a.DebitsPosted, Credits: a.CreditsPosted})
	}
	return out, nil
}

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

func sortedKeys[V any](m map[corridor.BIC]V) []corridor.BIC {
	keys := make([]corridor.BIC, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
