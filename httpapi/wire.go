package httpapi

import (
	"time"

	"corridor"
)

// The JSON bodies of the API. Amounts travel as decimal strings in major units
// ("1000.50"), never as JSON numbers.

// ErrorBody is every error response: what went wrong, the ISO 20022 reason
// when there is one, and each problem found in a message.
type ErrorBody struct {
	Error    string        `json:"error"`
	Reason   string        `json:"reason,omitempty"`
	Problems []ProblemBody `json:"problems,omitempty"`
}

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
	Reason    string `json:"reason,omitempty"`
	Detail    string `json:"detail,omitempty"`
	Duplicate bool   `json:"duplicate,omitempty"`
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
	Signature         string    `json:"signature"` // The hub's detached JWS over Body.
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
	Reason           string      `json:"reason,omitempty"`
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
	Serial string `json:"serial,omitempty"` // One certificate (hex serial); empty for all of them.
}

// RelationshipsBody is a participant's relationship policy (GET and PUT
// /v1/relationships): "open" accepts every message type from every
// participant; "restricted" only what allow lists.
type RelationshipsBody struct {
	Mode  string             `json:"mode"`
	Allow []RelationshipBody `json:"allow"`
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

func balanceBody(b corridor.Balance) BalanceBody {
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

func legBody(t corridor.PaymentTrack) LegBody {
	p := t.Payment
	l := LegBody{Reference: t.Reference, MsgID: p.MsgID, EndToEndID: p.EndToEndID,
		InstructingAgent: string(p.InstructingAgent), InstructedAgent: string(p.InstructedAgent),
		DebtorAgent: string(p.DebtorAgent), CreditorAgent: string(p.CreditorAgent),
		Amount: p.Amount.Format(p.Currency), Currency: string(p.Currency), SettlementDate: p.SettlementDate.String(),
		Status: string(t.Status), Reason: string(t.Reason)}
	for _, e := range t.Events {
		l.Events = append(l.Events, EventBody{Time: e.Time, Event: e.Event, Status: string(e.Status),
			Reason: string(e.Reason), Detail: e.Detail})
	}
	return l
}
