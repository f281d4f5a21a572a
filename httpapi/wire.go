package httpapi

import (
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/pki"
)

// The JSON bodies of the API. Amounts travel as decimal strings in major units
// ("1000.50"), never as JSON numbers.

// ErrorBody is every error response: what went wrong, the ISO 20022 reason
// when there is one, and each problem found in a message.
type ErrorBody struct {
	Error    string        `json:"error"`
	Reason   string        `json:"reason,omitempty"`
	Problems []ProblemBody `json:"problems,omitempty"`
	Outcome  string        `json:"outcome,omitempty"` // With 503: OutcomeNotTaken, OutcomeUnknown or OutcomeReceiverFull.
	Leader   string        `json:"leader,omitempty"`  // With 503 from a standby node: the active hub's API URL.
}

// What a 503 says of the request, so that a client knows what to do.
const (
	OutcomeNotTaken     = "not-taken"     // The hub did not take it: retry later.
	OutcomeUnknown      = "unknown"       // It may have been taken: retry the same bytes, answered as a duplicate if it was.
	OutcomeReceiverFull = "receiver-full" // An inbox it would deliver to is full until its owner acknowledges.
)

// ProblemBody is one problem found in a message.
type ProblemBody struct {
	Path   string `json:"path"`
	Rule   string `json:"rule"`
	Reason string `json:"reason,omitempty"`
}

// SubmitResponse answers POST /v1/messages.
type SubmitResponse struct {
	Reference string `json:"reference"`
	UETR      string `json:"uetr"`
	Status    string `json:"status"`
	Wait      string `json:"wait,omitempty"` // With PDNG: "queue", "limit" or "compliance".
	Reason    string `json:"reason,omitempty"`
	Detail    string `json:"detail,omitempty"`
	Duplicate bool   `json:"duplicate,omitempty"`
	// Receipt is the hub's signed receipt of the message journaled (of a
	// repeat: of the first copy): evidence a bank keeps of what the hub
	// acknowledged. Only in the answers to POST /v1/messages and
	// POST /v1/messages/batch.
	Receipt *ReceiptBody `json:"receipt,omitempty"`
}

// ReceiptBody is a corridor.Receipt as the API writes it, with the hub's
// detached JWS over corridor.ReceiptMessage of it; or, in the answer to a
// batch, over corridor.BatchReceiptStatement of the batch's receipts, which
// Batch ties this one to.
type ReceiptBody struct {
	Seq       uint64          `json:"seq"`
	Time      time.Time       `json:"time"`
	Sender    string          `json:"sender"`
	SHA256    string          `json:"sha256"` // Of the message as received, lower-case hex.
	Signature string          `json:"signature"`
	Batch     *BatchProofBody `json:"batch,omitempty"` // Only in the answer to a batch.
}

// receiptBody signs r with sign.
func receiptBody(r corridor.Receipt, sign func([]byte) (string, error)) (*ReceiptBody, error) {
	sig, err := sign(corridor.ReceiptMessage(r))
	if err != nil {
		return nil, fmt.Errorf("sign receipt of entry %d: %w", r.Seq, err)
	}
	return unsignedReceipt(r, sig), nil
}

// unsignedReceipt is r as the API writes it, with sig, a signature made elsewhere.
func unsignedReceipt(r corridor.Receipt, sig string) *ReceiptBody {
	return &ReceiptBody{Seq: r.Seq, Time: r.Time, Sender: string(r.Sender), SHA256: hex.EncodeToString(r.Message[:]), Signature: sig}
}

// Verify checks b's signature against the hub's certificate and returns the
// receipt it signs.
func (b ReceiptBody) Verify(hubCert *x509.Certificate) (corridor.Receipt, error) {
	r, err := receiptOf(b)
	if err != nil {
		return corridor.Receipt{}, err
	}
	signed := corridor.ReceiptMessage(r)
	if b.Batch != nil {
		p := b.Batch.proof()
		root, err := p.Root(signed)
		if err != nil {
			return corridor.Receipt{}, fmt.Errorf("receipt of entry %d: its place among the batch's receipts: %w", b.Seq, err)
		}
		signed = corridor.BatchReceiptStatement(p.Count, root)
	}
	if err := pki.VerifyDetached(b.Signature, signed, hubCert); err != nil {
		return corridor.Receipt{}, fmt.Errorf("receipt of entry %d: %w", b.Seq, err)
	}
	return r, nil
}

func submitResponse(res hub.PaymentResult) SubmitResponse {
	return SubmitResponse{Reference: res.Reference, UETR: string(res.UETR), Status: string(res.Status), Wait: string(res.Wait),
		Reason: string(res.Reason), Detail: res.Detail, Duplicate: res.Duplicate}
}

// InboxResponse answers GET /v1/inbox.
type InboxResponse struct {
	Messages []InboxMessageBody `json:"messages"`
}

// InboxMessageBody is one delivered message; Body is the ISO 20022 XML.
type InboxMessageBody struct {
	Seq               uint64    `json:"seq"`
	MsgDefID          string    `json:"msgDefId"`
	UETR              string    `json:"uetr"`
	Reference         string    `json:"reference"`
	Time              time.Time `json:"time"`
	PossibleDuplicate bool      `json:"possibleDuplicate,omitempty"`
	Body              string    `json:"body"`
	Signature         string    `json:"signature"` // The hub's detached JWS over Body; with Batch, over the page's InboxStatement.
	// Batch, for a page read with sign=batch, places Body in the page: the
	// one signature covers corridor.InboxStatement of the root it proves.
	Batch *BatchProofBody `json:"batch,omitempty"`
}

// AckRequest is the body of POST /v1/inbox/ack.
type AckRequest struct {
	Through uint64 `json:"through"` // Every message up to and including this seq.
}

// AccountsResponse answers GET /v1/accounts.
type AccountsResponse struct {
	Accounts []BalanceBody `json:"accounts"`
}

// BalanceBody is one settlement account.
type BalanceBody struct {
	Currency  string `json:"currency"`
	Balance   string `json:"balance"`
	Available string `json:"available"`
	Debits    string `json:"debits"`
	Credits   string `json:"credits"`
}

// TrackResponse answers GET /v1/payments/{uetr}.
type TrackResponse struct {
	UETR string    `json:"uetr"`
	Legs []LegBody `json:"legs"`
}

// LegBody is one payment leg in the tracker.
type LegBody struct {
	Reference        string      `json:"reference"`
	MsgID            string      `json:"msgId"`
	EndToEndID       string      `json:"endToEndId"`
	InstructingAgent string      `json:"instructingAgent"`
	InstructedAgent  string      `json:"instructedAgent"`
	DebtorAgent      string      `json:"debtorAgent"`
	CreditorAgent    string      `json:"creditorAgent"`
	Amount           string      `json:"amount"`
	Currency         string      `json:"currency"`
	SettlementDate   string      `json:"settlementDate"`
	Status           string      `json:"status"`
	Wait             string      `json:"wait,omitempty"` // With PDNG: "queue", "limit" or "compliance".
	Reason           string      `json:"reason,omitempty"`
	Instructed       string      `json:"instructed,omitempty"` // The instructed amount as "1000000.00 INR", when it converts.
	FXQuote          uint64      `json:"fxQuote,omitempty"`    // The quote it converted with.
	Urgent           bool        `json:"urgent,omitempty"`     // Sent with high priority.
	Archived         bool        `json:"archived,omitempty"`   // Read from the hub's archive (retention).
	Events           []EventBody `json:"events"`
}

// EventBody is one change in a payment's life.
type EventBody struct {
	Time   time.Time `json:"time"`
	Event  string    `json:"event"`
	Status string    `json:"status,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// RegisterRequest is the operator's POST /v1/participants.
type RegisterRequest struct {
	BIC          string   `json:"bic"`
	Name         string   `json:"name"`
	Currencies   []string `json:"currencies"`
	CSR          string   `json:"csr"`                    // PEM certificate request for the participant's own key.
	ValidityDays int      `json:"validityDays,omitempty"` // Of the certificate; 0 for the default of a year.
}

// RevokeRequest is the operator's POST /v1/participants/{bic}/revoke.
type RevokeRequest struct {
	Serial string `json:"serial,omitempty"` // One certificate (hex serial).
	All    bool   `json:"all,omitempty"`    // Every certificate of the participant: given explicitly, never implied.
}

// RelationshipsBody is a participant's relationship policy (GET and PUT
// /v1/relationships): "open" accepts every message type from every
// participant; "restricted" only what allow lists.
type RelationshipsBody struct {
	Mode  string             `json:"mode"`
	Allow []RelationshipBody `json:"allow,omitempty"` // With "restricted".
}

// RelationshipBody authorises one counterparty for some message types.
type RelationshipBody struct {
	Counterparty string   `json:"counterparty"`
	Messages     []string `json:"messages"` // "pacs.008", "pacs.009", "pacs.004", "camt.056", "camt.029".
}

// RegisterResponse carries the participant's new client certificate.
type RegisterResponse struct {
	BIC           string    `json:"bic"`
	Certificate   string    `json:"certificate"`   // PEM.
	CACertificate string    `json:"caCertificate"` // PEM of the hub CA, to trust the hub.
	Serial        string    `json:"serial"`        // The certificate's serial, to revoke it by.
	NotAfter      time.Time `json:"notAfter"`
}

// FundRequest is the operator's POST /v1/accounts/fund.
type FundRequest struct {
	BIC      string `json:"bic"`
	Currency string `json:"currency"`
	Amount   string `json:"amount"` // Decimal in major units: "1000000.00".
}

// bodies maps xs to their wire bodies; an empty list is [] in JSON, never null.
func bodies[T, B any](xs []T, body func(T) B) []B {
	out := make([]B, 0, len(xs))
	for _, x := range xs {
		out = append(out, body(x))
	}
	return out
}

func balanceBody(b hub.Balance) BalanceBody {
	return BalanceBody{Currency: string(b.Currency), Balance: signed(b.Balance, b.Currency),
		Available: signed(b.Available, b.Currency), Debits: b.Debits.Format(b.Currency), Credits: b.Credits.Format(b.Currency)}
}

// signed formats a signed count of minor units.
func signed(v int64, c corridor.Currency) string {
	if v < 0 {
		return "-" + corridor.Amount(-v).Format(c)
	}
	return corridor.Amount(v).Format(c)
}

func legBody(t hub.PaymentTrack) LegBody {
	p := t.Payment
	l := LegBody{Reference: t.Reference, MsgID: p.MsgID, EndToEndID: p.EndToEndID,
		InstructingAgent: string(p.InstructingAgent), InstructedAgent: string(p.InstructedAgent),
		DebtorAgent: string(p.DebtorAgent), CreditorAgent: string(p.CreditorAgent),
		Amount: p.Amount.Format(p.Currency), Currency: string(p.Currency), SettlementDate: p.SettlementDate.String(),
		Status: string(t.Status), Wait: string(t.Wait), Reason: string(t.Reason), FXQuote: p.FXQuote, Urgent: p.Urgent, Archived: t.Archived}
	if p.Converts() {
		l.Instructed = p.Instructed.String()
	}
	for _, e := range t.Events {
		l.Events = append(l.Events, EventBody{Time: e.Time, Event: e.Event, Status: string(e.Status),
			Reason: string(e.Reason), Detail: e.Detail})
	}
	return l
}

// SettlementReportBody answers POST /v1/settlement/resolve and /cutoff.
type SettlementReportBody struct {
	Released int `json:"released"` // Queued payments settled gross.
	Resolved int `json:"resolved"` // Queued payments settled together by offsetting.
	Expired  int `json:"expired"`  // Queued payments rejected AM04 at the cut-off.
}

// CycleBody answers POST /v1/settlement/cycles/close.
type CycleBody struct {
	Cycle     uint64         `json:"cycle"` // 0 when no cycle was open.
	Closed    time.Time      `json:"closed"`
	Settled   int            `json:"settled"`
	Removed   int            `json:"removed"`
	Movements []MovementBody `json:"movements"`
}

// MovementBody is one participant's net movement in one currency.
type MovementBody struct {
	Participant string `json:"participant"`
	Currency    string `json:"currency"`
	Sent        string `json:"sent"`
	Received    string `json:"received"`
	Net         string `json:"net"`
	Direction   string `json:"direction,omitempty"` // "DBIT" or "CRDT".
}

// QueueResponse answers GET /v1/queue, in settlement order.
type QueueResponse struct {
	Payments []QueuedBody `json:"payments"`
}

// QueuedBody is one payment waiting in the RTGS queue.
type QueuedBody struct {
	Reference string    `json:"reference"`
	UETR      string    `json:"uetr"`
	Debtor    string    `json:"debtor"`
	Creditor  string    `json:"creditor"`
	Amount    string    `json:"amount"`
	Currency  string    `json:"currency"`
	Priority  string    `json:"priority"` // "urgent" or "normal".
	Position  int64     `json:"position"` // Its place in line within its priority: lower settles first.
	QueuedAt  time.Time `json:"queuedAt"`
	Deadline  time.Time `json:"deadline"`
	Wait      string    `json:"wait,omitempty"`      // "queue", or "warehouse": dated for a later business day.
	ValueDate string    `json:"valueDate,omitempty"` // The settlement date it asks for.
}

// DayBody is a currency's business day: GET /v1/days lists them, and the
// day commands answer with the day after them.
type DayBody struct {
	Currency string    `json:"currency"`
	Zone     string    `json:"zone"`
	Date     string    `json:"date,omitempty"`  // Empty before the first day opens.
	Phase    string    `json:"phase,omitempty"` // "open", "customer-cutoff" or "interbank-cutoff".
	Opened   time.Time `json:"opened"`
	Waiting  int       `json:"waiting"` // Payments warehoused for later business days.
}

func dayBody(d hub.DayView) DayBody {
	b := DayBody{Currency: string(d.Currency), Zone: d.Zone, Phase: string(d.Phase), Opened: d.Opened, Waiting: d.Waiting}
	if d.Phase != "" {
		b.Date = d.Date.String()
	}
	return b
}

// MoveRequest is the operator's POST /v1/queue/{uetr}/move: one of To
// ("front", "back") or Priority ("urgent", "normal").
type MoveRequest struct {
	To       string `json:"to,omitempty"`
	Priority string `json:"priority,omitempty"`
}

// PositionsResponse answers GET /v1/positions.
type PositionsResponse struct {
	Positions []PositionBody `json:"positions"`
}

// PositionBody is a participant's liquidity in one currency.
type PositionBody struct {
	BalanceBody
	QueuedOut      string `json:"queuedOut"`
	QueuedOutCount int    `json:"queuedOutCount"`
	QueuedIn       string `json:"queuedIn"`
	QueuedInCount  int    `json:"queuedInCount"`
	// LimitQueuedOut is its payments waiting in the limit queue, on a sender
	// limit or the urgent reserve.
	LimitQueuedOut      string `json:"limitQueuedOut"`
	LimitQueuedOutCount int    `json:"limitQueuedOutCount"`
	CycleSent           string `json:"cycleSent"`     // In the open net cycle, as debtor.
	CycleReceived       string `json:"cycleReceived"` // In the open net cycle, as creditor.
	CycleNet            string `json:"cycleNet"`      // Received less sent: negative is a net debit.
}

// RateBody is a published rate: POST and GET /v1/fx/rates.
type RateBody struct {
	Pair string `json:"pair"` // "INR/RUB": one INR buys Rate RUB.
	Rate string `json:"rate"` // Exact decimal, at most 12 decimals and 18 digits.
}

// RatesResponse answers GET /v1/fx/rates.
type RatesResponse struct {
	Rates []RateBody `json:"rates"`
}

// QuoteRequest is a participant's POST /v1/fx/quotes.
type QuoteRequest struct {
	Amount string `json:"amount"` // In major units of From: the most a payment may convert with the quote.
	From   string `json:"from"`
	To     string `json:"to"`
}

// QuoteBody is an issued FX quote. A pacs.008 uses it by carrying
// "/FXQT/<id>" in its instruction for the next agent.
type QuoteBody struct {
	ID        uint64    `json:"id"`
	Amount    string    `json:"amount"`
	From      string    `json:"from"`
	Converted string    `json:"converted"`
	To        string    `json:"to"`
	Rate      string    `json:"rate"`
	Remainder string    `json:"remainder"` // Exact value less Converted, in minor units of To.
	Expires   time.Time `json:"expires"`
	Used      bool      `json:"used,omitempty"`
	Provider  string    `json:"provider,omitempty"` // The FX provider who pays the converted amount.
}

func cycleBody(r hub.CycleReport) CycleBody {
	b := CycleBody{Cycle: r.Cycle, Closed: r.Closed, Settled: r.Settled, Removed: r.Removed, Movements: []MovementBody{}}
	for _, m := range r.Movements {
		b.Movements = append(b.Movements, MovementBody{Participant: string(m.Participant), Currency: string(m.Currency),
			Sent: m.Sent.Format(m.Currency), Received: m.Received.Format(m.Currency), Net: m.Net.Format(m.Currency), Direction: m.Direction})
	}
	return b
}

func queuedBody(q hub.QueuedPayment) QueuedBody {
	prio := "normal"
	if q.Urgent {
		prio = "urgent"
	}
	return QueuedBody{Reference: q.Reference, UETR: string(q.UETR), Debtor: string(q.InstructingAgent), Creditor: string(q.InstructedAgent),
		Amount: q.Money.Amount.Format(q.Money.Currency), Currency: string(q.Money.Currency), Priority: prio,
		Position: q.Place, QueuedAt: q.QueuedAt, Deadline: q.Deadline, Wait: string(q.Wait), ValueDate: q.SettlementDate.String()}
}

func positionBody(p hub.Liquidity) PositionBody {
	c := p.Currency
	return PositionBody{BalanceBody: balanceBody(p.Balance), QueuedOut: p.QueuedOut.Format(c), QueuedOutCount: p.QueuedOutCount,
		QueuedIn: p.QueuedIn.Format(c), QueuedInCount: p.QueuedInCount,
		LimitQueuedOut: p.LimitQueuedOut.Format(c), LimitQueuedOutCount: p.LimitQueuedOutCount, CycleSent: p.CycleSent.Format(c),
		CycleReceived: p.CycleReceived.Format(c), CycleNet: signed(int64(p.CycleReceived)-int64(p.CycleSent), c)}
}

func quoteBody(q hub.FXQuote) QuoteBody {
	return QuoteBody{ID: q.ID, Amount: q.From.Amount.Format(q.From.Currency), From: string(q.From.Currency),
		Converted: q.To.Amount.Format(q.To.Currency), To: string(q.To.Currency), Rate: q.Rate, Remainder: q.Remainder,
		Expires: q.Expires, Used: q.Used, Provider: string(q.Provider)}
}
