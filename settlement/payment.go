package settlement

import (
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
)

// The reason codes settlement gives that the root does not name yet. Each is
// an ISO 20022 ExternalStatusReason1Code.
const (
	ReasonCancelled    = corridor.ReasonCancelled    // A queued payment cancelled by its instructing agent or the operator.
	ReasonQuoteExpired = corridor.ReasonQuoteExpired // A quote used at or after its expiry.
	ReasonWrongAmount  = corridor.ReasonWrongAmount  // More than the quoted amount.
)

// PaymentID identifies a payment to settlement; the hub uses the journal
// sequence number that accepted it. Zero is not an ID.
type PaymentID uint64

// Priority orders queued payments: urgent before normal. It comes from the
// pacs.008's instruction priority (HIGH is urgent, NORM normal).
type Priority uint8

// The priorities, in settlement order.
const (
	Urgent Priority = 1
	Normal Priority = 2
)

func (p Priority) String() string {
	switch p {
	case Urgent:
		return "urgent"
	case Normal:
		return "normal"
	}
	return fmt.Sprintf("priority(%d)", uint8(p))
}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return p == Urgent || p == Normal }

// Payment is what settlement needs of a payment: which bank pays which how
// much. Settlement moves money between banks, so it knows the agents, never
// the debtor and creditor parties.
type Payment struct {
	ID               PaymentID
	InstructingAgent corridor.BIC // Whose settlement account is debited.
	InstructedAgent  corridor.BIC // Whose settlement account is credited.
	Currency         corridor.Currency
	Amount           corridor.Amount // In minor units of Currency, in (0, MaxAmount].
	Priority         Priority        // Ignored by net cycles.
}

// validate checks p as input: an invalid payment is a reject, never a bug.
func (p Payment) validate() error {
	switch {
	case p.ID == 0:
		return corridor.Reject(corridor.ReasonInvalidFormat, "payment ID is zero")
	case !p.Currency.Valid():
		return corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("currency %.3q is not processable", string(p.Currency)))
	case p.Amount <= 0:
		return corridor.Reject(corridor.ReasonZeroAmount, "amount is not positive")
	case p.Amount > corridor.MaxAmount:
		return corridor.Reject(corridor.ReasonAmountExceeded, "amount exceeds the maximum")
	case p.InstructingAgent == p.InstructedAgent:
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("%s pays itself", p.InstructingAgent))
	case !p.Priority.Valid():
		return corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("priority %d is unknown", p.Priority))
	}
	return nil
}

// checkAccounts returns AC01 unless both settlement accounts of p exist.
func checkAccounts(l *ledger.Ledger, p Payment) error {
	for _, bic := range []corridor.BIC{p.InstructingAgent, p.InstructedAgent} {
		if err := checkAccount(l, bic, p.Currency); err != nil {
			return err
		}
	}
	return nil
}

// checkAccount returns AC01 unless bic's settlement account in c exists.
func checkAccount(l *ledger.Ledger, bic corridor.BIC, c corridor.Currency) error {
	if _, ok := l.Account(ledger.Settlement(bic, c)); !ok {
		return corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("%s has no %s settlement account", bic, c))
	}
	return nil
}

// Settled is a payment that settled, with the transfers that posted it in the
// order they were applied.
type Settled struct {
	Payment   Payment
	Transfers []ledger.Transfer
}

// Rejected is a payment that left settlement unsettled, with the ISO reason
// the pacs.002 RJCT carries.
type Rejected struct {
	Payment Payment
	Reason  corridor.ReasonCode
	Detail  string // At most 105 characters, as a reason's additional information.
}

// Technical is the ID of currency c's technical account, through which
// gridlock resolution and net cycles settle. Its balance is zero between calls.
func Technical(c corridor.Currency) ledger.AccountID {
	return ledger.Technical(c)
}

// FXPosition is the ID of the hub's FX position account in currency c: it
// receives the instructing agent's leg of a conversion in c and pays the
// instructed agent's leg in c.
func FXPosition(c corridor.Currency) ledger.AccountID {
	return ledger.FXPosition(c)
}

// OpenAccounts opens currency c's technical and FX position accounts if they
// are not open yet. The hub calls it wherever it opens a central account.
func OpenAccounts(l *ledger.Ledger, c corridor.Currency) error {
	for _, id := range []ledger.AccountID{Technical(c), FXPosition(c)} {
		if _, ok := l.Account(id); ok {
			continue
		}
		if err := l.Open(id, 0); err != nil {
			return fmt.Errorf("open account %s: %w", id, err)
		}
	}
	return nil
}

// available is bic's available liquidity in currency c.
func available(l *ledger.Ledger, bic corridor.BIC, c corridor.Currency) int64 {
	a, ok := l.Account(ledger.Settlement(bic, c))
	if !ok {
		return 0
	}
	return a.Available()
}

// clock formats t for a reject's detail.
func clock(t time.Time) string { return t.UTC().Format(time.RFC3339) }
