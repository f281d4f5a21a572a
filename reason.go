package corridor

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReasonCode is an ISO 20022 ExternalStatusReason1Code, sent as the status
// reason of a pacs.002 and in the API's error bodies.
type ReasonCode string

// The reason codes the hub gives. Each is from the ISO 20022 external code set.
const (
	ReasonAccountInvalid       ReasonCode = "AC01" // Account number is invalid or missing.
	ReasonAccountBlocked       ReasonCode = "AC06" // Account is blocked.
	ReasonInsufficientFunds    ReasonCode = "AM04" // Amount of funds available to cover the amount is insufficient.
	ReasonDuplicate            ReasonCode = "AM05" // Duplication.
	ReasonZeroAmount           ReasonCode = "AM01" // Specified message amount is equal to zero.
	ReasonAmountExceeded       ReasonCode = "AM02" // Amount exceeds the maximum allowed.
	ReasonCurrency             ReasonCode = "AM03" // Currency is not processable.
	ReasonDecimals             ReasonCode = "CH20" // Number of decimal points not compatible with the currency.
	ReasonInvalidDate          ReasonCode = "DT01" // Invalid date.
	ReasonInvalidFormat        ReasonCode = "FF01" // Syntax or format error in the message.
	ReasonInvalidFileFormat    ReasonCode = "FF02" // Syntax error in the message.
	ReasonUnknownBIC           ReasonCode = "RC01" // Bank identifier code is incorrect.
	ReasonUnknownCreditorAgent ReasonCode = "RC07" // Creditor (instructed) agent BIC is invalid: not a participant of the hub.
	ReasonNotAllowed           ReasonCode = "AG01" // Transaction forbidden on this type of account or for this sender.
	ReasonSettlementFailed     ReasonCode = "ED05" // Settlement of the transaction has failed.
	ReasonNotSpecified         ReasonCode = "NARR" // Reason given in the additional information.
	ReasonCancelled            ReasonCode = "DS02" // Order cancelled by an authorised user.
	ReasonQuoteExpired         ReasonCode = "TM01" // Received after the cut-off time: here, the FX quote's expiry.
	ReasonWrongAmount          ReasonCode = "AM09" // Amount is not the amount agreed or expected.
	ReasonRegulatory           ReasonCode = "RR04" // Regulatory reason: rejected after sanctions screening.
)

// RejectError reports that an input was refused for a business reason. It
// travels as a value; the edge turns it into a pacs.002 RJCT or an HTTP 4xx.
type RejectError struct {
	Reason ReasonCode
	Detail string // Sent as the additional information of a reason: never secrets, never full account numbers; at most 105 characters.
}

func (e *RejectError) Error() string {
	return "corridor: rejected " + string(e.Reason) + ": " + e.Detail
}

// Reject returns a *RejectError with the reason and detail.
func Reject(reason ReasonCode, detail string) *RejectError {
	return &RejectError{Reason: reason, Detail: detail}
}

// maxQuotedInputBytes bounds an input quoted in a reject's detail, quotes
// included, so that the detail fits in AddtlInf's 105 characters whatever
// the input was. A UETR fits whole.
const maxQuotedInputBytes = 48

// quoteInput quotes s for a reject's detail as strconv.Quote does, so that
// bytes that are not UTF-8 or not printable show as escapes, and cuts it
// between two characters to at most maxQuotedInputBytes, marking the cut
// with "...".
func quoteInput(s string) string {
	const cut = `..."`
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		q := strconv.Quote(s[i : i+size])
		q = q[1 : len(q)-1]
		rest := 1 // The closing quote.
		if i+size < len(s) {
			rest = len(cut)
		}
		if b.Len()+len(q)+rest > maxQuotedInputBytes {
			b.WriteString(cut)
			return b.String()
		}
		b.WriteString(q)
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// ReasonOf returns the reason of the first *RejectError in err's chain.
func ReasonOf(err error) (ReasonCode, bool) {
	var re *RejectError
	if errors.As(err, &re) {
		return re.Reason, true
	}
	return "", false
}

// Sentinel errors a caller branches on.
var (
	ErrNotFound     = errors.New("corridor: not found")
	ErrBusy         = errors.New("corridor: busy, retry later")
	ErrStopped      = errors.New("corridor: hub stopped")
	ErrUnauthorized = errors.New("corridor: not authorised")

	// ErrInboxFull is ErrBusy because an inbox the request would deliver to
	// is full: the receiver cannot take more until its owner acknowledges.
	ErrInboxFull = fmt.Errorf("corridor: an inbox it would deliver to is full: %w", ErrBusy)
	// ErrOutcomeUnknown is ErrStopped for a request the hub had taken when its
	// journal failed: it may have been made durable. Retrying the same bytes
	// is safe: taken, it is answered as a duplicate.
	ErrOutcomeUnknown = fmt.Errorf("corridor: the journal failed while taking the request; its outcome is unknown: %w", ErrStopped)
)
