package hub

import (
	"time"

	"github.com/corridor-network/corridor"
)

// PaymentResult is the hub's answer to a submitted payment: its reference, and
// where the payment stood when the answer was written. A repeat of a payment
// gets the first answer again, with Duplicate set.
type PaymentResult struct {
	Reference string                 // The hub's reference, unique for every accepted input.
	UETR      corridor.UETR          //
	Status    corridor.PaymentStatus // ACSC when settled, RJCT with Reason when refused at settlement.
	Wait      Wait                   // With PDNG: why it waits.
	Reason    corridor.ReasonCode    // Set with RJCT.
	Detail    string                 // Why, for people; never secrets.
	Duplicate bool                   // This submission repeated an earlier one; nothing new happened.
	// Receipt is the hub's receipt of the message journaled, for a
	// submission (of a repeat: of the first); zero Seq for none.
	Receipt corridor.Receipt
}

// InboxMessage is a message the hub delivered to a participant, kept until the
// participant acknowledges it.
type InboxMessage struct {
	Seq               uint64        // Its number in the participant's inbox; 1, 2, 3 … for ever.
	MsgDefID          string        // "pacs.008.001.08", "pacs.002.001.10".
	UETR              corridor.UETR // The payment the message is about.
	Reference         string        // The hub's reference of that payment.
	Time              time.Time     // When the hub delivered it.
	Body              []byte        // The ISO 20022 message, its header and document in an envelope.
	PossibleDuplicate bool          // It may have been read before: the reader checks before acting.
}

// Balance is one settlement account as its owner sees it.
type Balance struct {
	Currency  corridor.Currency
	Balance   int64           // Credits less debits, in minor units; negative only inside a credit limit.
	Available int64           // What may still be debited, in minor units.
	Debits    corridor.Amount // Sum of debits posted.
	Credits   corridor.Amount // Sum of credits posted.
}

// PaymentEvent is one change in a payment's life, as the tracker shows it.
type PaymentEvent struct {
	Time   time.Time
	Status corridor.PaymentStatus // ACTC, ACSC or RJCT; empty for events that are not a status change.
	Event  string                 // "accepted", "settled", "rejected", "delivered", "acknowledged".
	Reason corridor.ReasonCode    // With RJCT.
	Detail string
}

// PaymentTrack is the tracker's view of one payment leg.
type PaymentTrack struct {
	Reference string
	Payment   corridor.Payment
	Status    corridor.PaymentStatus
	Wait      Wait `json:",omitempty"` // With PDNG: the RTGS queue, the limit queue or a compliance hold.
	Reason    corridor.ReasonCode
	Events    []PaymentEvent
	Archived  bool `json:",omitempty"` // Read from the archive: let go of from memory (retention.go).
}

// QueuedPayment is a payment waiting in the RTGS queue, as the queue's
// listing shows it: in settlement order, urgent before normal, then place.
type QueuedPayment struct {
	Reference        string
	UETR             corridor.UETR
	InstructingAgent corridor.BIC // Whose account will be debited.
	InstructedAgent  corridor.BIC //
	Money            corridor.Money
	Urgent           bool
	Place            int64     // Its place in line within its priority: lower settles first.
	QueuedAt         time.Time //
	Deadline         time.Time // When the cut-off rejects it if it has not settled.
	Wait             Wait      // WaitQueue; WaitLimit in the limit queue; WaitValueDate warehoused for a later business day.
	SettlementDate   corridor.Date
}

// Liquidity is a participant's liquidity in one currency: its balance, what
// waits in the RTGS queue to and from it, and what it sent and received in
// the open net settlement cycle. GET /v1/positions answers with it.
type Liquidity struct {
	Balance
	QueuedOut      corridor.Amount // Its own payments waiting in the queue.
	QueuedOutCount int
	QueuedIn       corridor.Amount // Payments to it waiting in the queue.
	QueuedInCount  int
	// LimitQueuedOut is its own payments waiting in the limit queue, on a
	// sender limit or the urgent reserve.
	LimitQueuedOut      corridor.Amount
	LimitQueuedOutCount int
	CycleSent           corridor.Amount // Its payments in the open net cycle, as instructing agent.
	CycleReceived       corridor.Amount // Payments to it in the open net cycle.
}

// FXRate is a published exchange rate: one unit of From buys Rate units of To.
type FXRate struct {
	From, To corridor.Currency
	Rate     string // An exact decimal, such as "1.0823".
}

// FXQuote is a rate locked for one participant, one amount and a while.
type FXQuote struct {
	ID        uint64
	Requester corridor.BIC
	From      corridor.Money // The amount quoted, at most what a payment may convert.
	To        corridor.Money // From converted at Rate, rounded once, half-even.
	Rate      string         // Exact decimal.
	Remainder string         // Exact value less To, in minor units of To's currency.
	Issued    time.Time
	Expires   time.Time // Live before Expires.
	Used      bool
	Provider  corridor.BIC `json:",omitempty"` // Who pays the converted amount; empty for a quote of the published rate (old journals).
	Offer     uint64       `json:",omitempty"` // The provider's offer the quote locks.
}

// FXOffer is an FX provider's two-way quote on From/To, in units of To per
// unit of From: the provider buys From at Bid and sells it at Ask.
type FXOffer struct {
	ID        uint64
	Provider  corridor.BIC
	From, To  corridor.Currency
	Bid, Ask  string         // Exact decimals.
	Remaining corridor.Money // Of From, still available to quotes.
	Issued    time.Time
	Expires   time.Time
	Live      bool
}

// HubAccount is one account the hub holds (central, technical, FX position,
// FX rounding), with its balance and floor, as the operator sees it.
type HubAccount struct {
	Name     string // Such as "central/INR", "fx-position/RUB" or "fx-rounding/INR".
	Kind     string
	Currency corridor.Currency
	Balance  int64 // Minor units.
	Floor    int64 // The lowest balance the account may hold, in minor units.
	Units    string
	Debits   corridor.Amount
	Credits  corridor.Amount
	Breach   bool              // Below its floor: only an FX position of a journal written before FX providers existed.
	Accrued  []RoundingAccrual // For fx-rounding: what providers' rounding has accrued towards it, not booked yet.
}

// RoundingAccrual is what an FX provider's rounding in a currency has
// accrued and the hub has not booked yet.
type RoundingAccrual struct {
	Provider corridor.BIC
	Due      int64  // Whole minor units: the provider owes them (positive) or is owed them, waiting for the paying side to hold them.
	Fraction string // Less than a minor unit, in minor units as an exact decimal.
}

// CycleMovement is one participant's net movement in one currency at a net
// settlement cycle's close.
type CycleMovement struct {
	Participant corridor.BIC
	Currency    corridor.Currency
	Sent        corridor.Amount
	Received    corridor.Amount
	Net         corridor.Amount
	Direction   string // "DBIT", "CRDT", or empty when Net is zero.
}

// CycleReport is what closing a net settlement cycle did.
type CycleReport struct {
	Cycle     uint64
	Closed    time.Time
	Settled   int // Payments settled, each with a pacs.002 ACSC.
	Removed   int // Payments removed, each with a pacs.002 RJCT AM04.
	Movements []CycleMovement
}

// SettlementReport is what a gridlock resolution or a cut-off did.
type SettlementReport struct {
	Released int // Queued payments settled gross.
	Resolved int // Queued payments settled together by offsetting.
	Expired  int // Queued payments rejected at the cut-off.
}

// ScreeningHit is one candidate list entry that screening found for a party
// of a payment, as the operator sees it. Banks never see hits.
type ScreeningHit struct {
	Party         string // The name or BIC screened.
	Role          string // Debtor, creditor, an agent…
	List          string
	ListVersion   string
	EntryID       string
	MatchedName   string
	ScorePermille int    // Similarity 0 to 1000.
	Why           string // Which words matched how well, and the attribute adjustments.
	Whitelisted   bool   // A confirmed false positive: it does not hold payments.
}

// ComplianceHold is a payment held by screening for the operator's decision.
type ComplianceHold struct {
	Reference string
	Payment   corridor.Payment
	Held      time.Time
	Screener  string // ID of the list versions and threshold that screened it.
	Hits      []ScreeningHit

	Cancellation *HeldCancellation // The sender's cancellation request, recorded while held; nil when none.
	ReleasedBy   string            // Four eyes: the operator who released it first; a different one must release it too.
}

// HeldCancellation is a cancellation request (camt.056) on a held payment:
// compliance sees it, and the decision answers it.
type HeldCancellation struct {
	ID        string // The camt.056's identifier.
	CaseID    string
	Requester corridor.BIC
	Reason    string // CxlRsnInf/Rsn/Cd.
}

// ListInfo identifies a loaded sanctions list version.
type ListInfo struct {
	Name    string
	Version string
	Hash    string // Hex SHA-256 of the file bytes as loaded.
	Entries int
}
