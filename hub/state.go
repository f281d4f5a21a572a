package hub

import (
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
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
	byMsgID      map[msgKey]*payment          // By instructing agent and message reference.
	byUETR       map[corridor.UETR][]*payment // Every leg of a UETR, in order.
	inboxes      map[corridor.BIC]*inbox      //
	woken        map[corridor.BIC]bool        // Inboxes that got messages since the last commit; not state.
	republish    []corridor.BIC               // Memberships changed since the last commit; not state.

	revokedOperators map[string]bool // Serials of revoked operator certificates.
	operatorsChanged bool            // revokedOperators changed since the last commit; not state.
	lastSeq          uint64          // The last journal entry applied.

	bySeq     map[uint64]*payment // By the journal seq that accepted it: settlement's PaymentID.
	queue     *settlement.Queue   // The RTGS liquidity queue.
	cycle     *settlement.Cycle   // The open net settlement cycle; nil until a payment opens one.
	cycles    uint64              // Net settlement cycles closed.
	rates     *settlement.Rates   // Published exchange rates.
	quotes    *settlement.Quotes  // Issued FX quotes.
	offers    *settlement.Offers  // FX providers' two-way quotes.
	rounding  settlement.Rounding // FX providers' rounding remainders, accrued and booked (MessagesRoundingBooked).
	config    configCmd           // The settlement configuration in force.
	transfers ledger.TransferID   // The last transfer ID assigned; settlement posts several per command.

	screening screeningState // Sanctions lists, confirmed false positives and held payments.

	books   map[ledger.AccountID]*book // Every settlement account's entries, for statements.
	booked  uint64                     // Transfers booked: always the ledger's count after a command.
	touched []ledger.AccountID         // Books changed by the command running; not state.
	camt054 map[corridor.BIC]bool      // Participants who asked for a camt.054 on every entry.

	gate    *settlement.Gate         // Reserves and sender limits, their use today, and the limit queue.
	defunds map[msgKey]PaymentResult // Defundings (pacs.009) by sender and message reference.

	days      map[corridor.Currency]*businessDay // The open business day of each currency with a calendar.
	warehouse []uint64                           // Seqs of the payments dated for a later business day, in order.

	caseMsgs map[msgKey]*payment // camt.056 and camt.029 by sender and "camt.056/" or "camt.029/" and their identifier: the payment each is about.

	finals      []finalEntry        // UETRs with a final leg, oldest first, for retention (retention.go); empty without.
	check       archiveCheck        // What the archive said of the command being applied; not state.
	letGone     []*payment          // Payments the command being applied let go of, for its entry to archive; not state.
	recent      map[string]*payment // Payments let go of in the last recentFor, by archive key; not state.
	recentLetGo []letGoBatch        // What recent holds, oldest first; not state.

	staged []stagedEntry // Entries the command being applied posted for the store; not state.
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
	s := &state{
		hubBIC:       hubBIC,
		participants: make(map[corridor.BIC]*member),
		ledger:       ledger.New(),
		payments:     make(map[legKey]*payment),
		byMsgID:      make(map[msgKey]*payment),
		byUETR:       make(map[corridor.UETR][]*payment),
		inboxes:      make(map[corridor.BIC]*inbox),
		woken:        make(map[corridor.BIC]bool),
		bySeq:        make(map[uint64]*payment),
		queue:        settlement.NewQueue(),
		rates:        settlement.NewRates(),
		quotes:       settlement.NewQuotes(),
		offers:       settlement.NewOffers(),
		rounding:     settlement.NewRounding(),
		screening:    newScreeningState(),

		revokedOperators: make(map[string]bool),
		caseMsgs:         make(map[msgKey]*payment),
		books:            make(map[ledger.AccountID]*book),
		camt054:          make(map[corridor.BIC]bool),
		gate:             settlement.NewGate(),
		defunds:          make(map[msgKey]PaymentResult),
		days:             make(map[corridor.Currency]*businessDay),
		recent:           make(map[string]*payment),
	}
	s.queue.SetReserves(s.gate) // The reserve holds in the queue's release and gridlock resolution too.
	s.settlementRules()
	return s
}

// settlementRules sets the settlement rules that depend on the journal's
// message rules.
func (s *state) settlementRules() {
	s.gate.CarryPending(s.config.Messages < MessagesLimitDay)
}

// nextTransfer assigns the next transfer ID. Replaying the same commands
// assigns the same IDs.
func (s *state) nextTransfer() ledger.TransferID {
	s.transfers++
	return s.transfers
}

// execute runs c as journal entry seq at time now. A command that did not
// change the state (a refusal, a duplicate) is not journaled and leaves
// everything as it was; one that did advances lastSeq.
func (s *state) execute(c command, seq uint64, now time.Time) result {
	assert.That(seq == s.lastSeq+1, "executing seq %d after %d", seq, s.lastSeq)
	r := c.apply(s, seq, now)
	s.checkBooks()
	if r.changed {
		s.lastSeq = seq
		s.letGoDue(now)
	}
	return r
}

func (s *state) fund(c fundCmd, seq uint64, now time.Time) result {
	if _, ok := s.participants[c.BIC]; !ok {
		return refused(corridor.Reject(corridor.ReasonUnknownCreditorAgent, fmt.Sprintf("%s is not a participant", c.BIC)))
	}
	if c.Amount <= 0 || c.Amount > corridor.MaxAmount {
		return refused(corridor.Reject(corridor.ReasonAmountExceeded, "amount must be between one minor unit and the maximum"))
	}
	t := ledger.Transfer{ID: s.transfers + 1, Debit: ledger.Central(c.Currency), Credit: ledger.Settlement(c.BIC, c.Currency), Amount: c.Amount}
	if err := s.ledger.Apply(t); err != nil {
		return refused(err)
	}
	s.transfers = t.ID
	s.book(t, now, source{ref: reference(seq), code: codeFund})
	s.release(now) // Liquidity arrived: queued payments may settle now.
	return applied()
}

func (s *state) ack(c ackCmd, now time.Time) result {
	in, ok := s.inboxes[c.BIC]
	if !ok {
		return refused(corridor.ErrNotFound)
	}
	acked := in.ack(c.Through)
	if len(acked) == 0 {
		return result{}
	}
	for _, m := range acked {
		if m.MsgDefID != msgDefPacs008 {
			continue
		}
		if p := s.payments[legKey{m.UETR, m.sender}]; p != nil {
			p.event(PaymentEvent{Time: now, Event: "acknowledged", Detail: "by " + string(c.BIC)})
		}
	}
	return applied()
}

// balances is bic's view of its settlement accounts.
func (s *state) balances(bic corridor.BIC) ([]Balance, error) {
	p, ok := s.participants[bic]
	if !ok {
		return nil, corridor.ErrNotFound
	}
	out := make([]Balance, 0, len(p.Currencies))
	for _, cur := range p.Currencies {
		a, ok := s.ledger.Account(ledger.Settlement(bic, cur))
		assert.That(ok, "participant %s has no %s account", bic, cur)
		out = append(out, Balance{Currency: cur, Balance: a.Balance(), Available: a.Available(),
			Debits: a.DebitsPosted, Credits: a.CreditsPosted})
	}
	return out, nil
}

func sortedKeys[V any](m map[corridor.BIC]V) []corridor.BIC {
	keys := make([]corridor.BIC, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
