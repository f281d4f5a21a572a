package hub

import (
	"crypto/sha256"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

// The kinds of journaled command; each names its payload type below.
const (
	kindRegister = "participant.register"
	kindFund     = "account.fund"
	kindPayment  = "payment.submit"
	kindAck      = "inbox.ack"
	kindRevoke   = "certificate.revoke"
	kindSuspend  = "participant.suspend"
	kindPolicy   = "relationships.put"
	kindOpRevoke = "operator.revoke"
	kindConfig   = "settlement.config"
	kindList     = "screening.list"
	kindDecide   = "compliance.decide"
	kindResolve  = "settlement.resolve"
	kindCutoff   = "settlement.cutoff"
	kindClose    = "settlement.cycle.close"
	kindCancel   = "payment.cancel"
	kindMove     = "queue.move"
	kindRate     = "fx.rate"
	kindQuote    = "fx.quote"
	kindReturn   = "payment.return"

	kindCancelRequest = "cancellation.request" // camt.056 that cancels a held payment: replayed, no longer written.
	kindCaseRequest   = "cancellation.open"    // camt.056 recorded on a held payment's case; compliance decides.
	kindResolution    = "cancellation.resolution"
	kindNotifications = "notifications.put"
	kindLimits        = "limits.put" // Limits by settlement.RuleGross: replayed, no longer written.
	kindNetLimits     = "limits.set" // Limits by settlement.RuleNet.
	kindDefund        = "account.defund"
	kindOffer         = "fx.offer"
)

// registerCmd registers a participant and opens its settlement accounts, or
// adds a certificate to one registered with the same details (rotation).
type registerCmd struct {
	BIC         corridor.BIC
	Name        string
	Currencies  []corridor.Currency
	Certificate corridor.Certificate // The certificate issued with this registration.
}

// revokeCmd revokes one of a participant's certificates, or all of them.
type revokeCmd struct {
	BIC    corridor.BIC
	Serial string // Empty: every certificate of BIC.
}

// suspendCmd suspends a participant or resumes it.
type suspendCmd struct {
	BIC       corridor.BIC
	Suspended bool
}

// policyCmd replaces whom a participant accepts messages from.
type policyCmd struct {
	BIC    corridor.BIC
	Policy corridor.RelationshipPolicy
}

// fundCmd moves liquidity from the central account into a settlement account.
type fundCmd struct {
	BIC      corridor.BIC
	Currency corridor.Currency
	Amount   corridor.Amount
}

// paymentCmd is a validated pacs.008 from Sender, with the bytes it arrived as.
type paymentCmd struct {
	Sender    corridor.BIC
	Payment   corridor.Payment
	InstrID   string
	Message   []byte // The message as received, delivered as it is to the instructed agent.
	Signature string // The sender's detached JWS over Message (or over its batch's statement), kept as evidence.
	// Batch places Message in the batch its sender signed as a whole
	// (POST /v1/messages/batch); nil for a message sent alone, and omitted
	// then, so that payloads written before batches decode and hash as
	// they did.
	Batch *corridor.BatchProof `json:",omitempty"`

	Screening *screeningRecord // Screened by the caller, outside the sequencer; nil without lists.

	legacyFX bool // Decoded from a payload before v2: converts as payments did before FX providers.

	// digest is the SHA-256 of Message, hashed by the caller, off the
	// sequencer; not journaled, so zero on replay, where record hashes.
	digest [32]byte
}

// messageDigest is c's digest, hashing Message when the caller did not.
func (c paymentCmd) messageDigest() [32]byte {
	if c.digest == ([32]byte{}) {
		return sha256.Sum256(c.Message)
	}
	return c.digest
}

// markLegacy records that c was journaled before FX providers existed.
func (c *paymentCmd) markLegacy() { c.legacyFX = true }

// ackCmd acknowledges every message of BIC's inbox up to and including Through.
type ackCmd struct {
	BIC     corridor.BIC
	Through uint64
}

// configCmd records the settlement configuration the hub started with, so
// that a replay settles every later payment the way it was settled.
type configCmd struct {
	NetCurrencies []corridor.Currency // Settled in deferred net cycles; the rest gross (RTGS).
	PublishedRate bool                // A conversion without a quote may use the published rate.

	ScreeningThreshold float64 // Score at or above which screening holds a payment; 0 for screening's default. A score, not money.

	// Calendars are the business-day calendars, by currency: a currency
	// with one settles on the business days the hub opens and closes
	// (day.open, day.cutoff, day.close); one without settles on the UTC
	// date of the hub's clock, as journals written before calendars did.
	Calendars []settlement.Calendar `json:",omitempty"`

	// FourEyes: a compliance release needs two different operators. Omitted
	// when false, so that configurations journaled before it decode and hash
	// as they did.
	FourEyes bool `json:",omitempty"`

	// Retention is how long a payment stays in the hub's memory once it and
	// every other leg of its UETR are final; then it is archived in the store
	// (retention.go). 0 keeps every payment in memory, as journals written
	// before it did, and is omitted so that they decode and hash as they did.
	Retention time.Duration `json:",omitempty"`

	// Messages is the rules of the messages the hub writes (MessageRules…):
	// 0, as journals written before them; omitted then, so that they decode
	// and hash as they did.
	Messages int `json:",omitempty"`
}

// The rules of the messages the hub writes, recorded in configCmd.Messages
// so that a replay writes every message byte for byte as it was written.
const (
	// MessagesLegacy: pacs.002 InstgAgt/InstdAgt name the payment's agents;
	// camt.029, camt.052, camt.053 and camt.054 carry no BizSvc.
	MessagesLegacy = 0
	// MessagesISO: pacs.002 InstgAgt is the hub, which sends the report, and
	// InstdAgt its recipient; every AppHdr the hub writes names BizSvc.
	MessagesISO = 1
	// MessagesFXReturn: besides MessagesISO, the return of a converted
	// payment to a bank with no account in the currency it settled in
	// settles back in its instructed currency through an FX provider, and
	// that bank gets the hub's pacs.004 of what settled (RtrdIntrBkSttlmAmt
	// in its currency, RtrdInstdAmt, XchgRate); before, it was refused AC01.
	MessagesFXReturn = 2
	// MessagesRoundingBooked: besides MessagesFXReturn, what an FX
	// provider's rounding kept or gave accrues per provider and currency and
	// is booked in whole minor units between the provider and the
	// currency's fx-rounding account (settlement.Rounding), which the hub
	// opens beside each central account; before, remainders were only
	// described in the tracker.
	MessagesRoundingBooked = 3
	// MessagesFXGate: besides MessagesRoundingBooked, a normal converted
	// payment's leg in the currency its instructing agent pays in goes
	// through that agent's urgent reserve and sender limits, as its other
	// normal payments do (rejected AM04 when they hold it); before, a
	// conversion passed them.
	MessagesFXGate = 4
	// MessagesLimitDay: besides MessagesFXGate, a normal payment counts
	// against its instructing agent's limits on the business day it entered
	// settlement under, settled or not; before, one still in the RTGS queue
	// when the next day began counted on the next day (settlement.Gate's
	// CarryPending), where it could settle past a limit, having been let
	// through against the day before's inflow.
	MessagesLimitDay = 5
	// MessagesBooksStored: besides MessagesLimitDay, with retention the
	// entries posted on settlement accounts are written to the store with
	// the journal and leave memory (book.go); before, they stayed in
	// memory, and a journal written then has no book rows in its store for
	// them, so it keeps them so.
	MessagesBooksStored = 6
	// MessagesCurrent is what a new journal records.
	MessagesCurrent = MessagesBooksStored
)

// resolveCmd runs gridlock resolution over the RTGS queue.
type resolveCmd struct{}

// cutoffCmd ends the business day: a last release and resolution, then every
// payment still queued is rejected AM04, and long-expired quotes are dropped.
type cutoffCmd struct{}

// closeCmd closes the open net settlement cycle.
type closeCmd struct{}

// cancelCmd takes a queued payment out of the queue: by its instructing agent
// BIC, or by the operator when BIC is empty.
type cancelCmd struct {
	BIC  corridor.BIC
	UETR corridor.UETR
}

// moveCmd reorders a queued payment on the operator's order: to the front or
// back of its priority, or to the back of another priority.
type moveCmd struct {
	UETR     corridor.UETR
	Move     settlement.Move     // ToFront or ToBack; 0 when Priority is set.
	Priority settlement.Priority // 0 when Move is set.
}

// rateCmd publishes the exchange rate of a currency pair.
type rateCmd struct {
	Pair settlement.Pair
	Rate string // Exact decimal, parsed again on replay.
}

// quoteCmd locks the published rate of a pair for a participant and an
// amount; the quote's ID is the command's journal seq.
type quoteCmd struct {
	Requester corridor.BIC
	Amount    corridor.Amount
	Pair      settlement.Pair
	Life      time.Duration // From the command's time to the quote's expiry.

	legacy bool // Decoded from a payload before v2: locks the published rate, as quotes did before FX providers.
}

// markLegacy records that c was journaled before FX providers existed.
func (c *quoteCmd) markLegacy() { c.legacy = true }

// offerCmd publishes an FX provider's two-way quote on Pair: it buys
// Pair.From at Bid and sells it at Ask (units of Pair.To per unit of
// Pair.From), up to Size of Pair.From, for Life; the offer's ID is the
// command's journal seq.
type offerCmd struct {
	Provider corridor.BIC
	Pair     settlement.Pair
	Bid, Ask string // Exact decimals, parsed again on replay.
	Size     corridor.Amount
	Life     time.Duration
}
