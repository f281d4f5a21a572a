package corridor

import "time"

// PaymentResult is the hub's answer to a submitted payment: its reference, and
// where the payment stood when the answer was written. A repeat of a payment
// gets the first answer again, with Duplicate set.
type PaymentResult struct {
	Reference string        // The hub's reference, unique for every accepted input.
	UETR      UETR          //
	Status    PaymentStatus // ACSC when settled, RJCT with Reason when refused at settlement.
	Reason    ReasonCode    // Set with RJCT.
	Detail    string        // Why, for people; never secrets.
	Duplicate bool          // This submission repeated an earlier one; nothing new happened.
}

// InboxMessage is a message the hub delivered to a participant, kept until the
// participant acknowledges it.
type InboxMessage struct {
	Seq               uint64    // Position in the participant's inbox; 1, 2, 3 … for ever.
	MsgDefID          string    // "pacs.008.001.08", "pacs.002.001.10".
	UETR              UETR      // The payment the message is about.
	Reference         string    // The hub's reference of that payment.
	Time              time.Time // When the hub delivered it.
	Body              []byte    // The ISO 20022 message, AppHdr and Document in an envelope.
	PossibleDuplicate bool      // It may have been read before: the reader checks before acting.
}

// Balance is one settlement account as its owner sees it.
type Balance struct {
	Currency  Currency
	Balance   int64  // Credits less debits, in minor units; negative only inside a credit limit.
	Available int64  // What may still be debited, in minor units.
	Debits    Amount // Sum of debits posted.
	Credits   Amount // Sum of credits posted.
}

// PaymentEvent is one change in a payment's life, as the tracker shows it.
type PaymentEvent struct {
	Time   time.Time
	Status PaymentStatus // ACTC, ACSC or RJCT; empty for events that are not a status change.
	Event  string        // "accepted", "settled", "rejected", "delivered", "acknowledged".
	Reason ReasonCode    // With RJCT.
	Detail string
}

// PaymentTrack is the tracker's view of one payment leg.
type PaymentTrack struct {
	Reference string
	Payment   Payment
	Status    PaymentStatus
	Reason    ReasonCode
	Events    []PaymentEvent
}

// SignedMessage is an ISO 20022 message exactly as its sender sent it, with
// the sender's detached JWS over those bytes, kept together as evidence.
type SignedMessage struct {
	Body      []byte
	Signature string // Compact JWS with detached content: header..signature.
}
