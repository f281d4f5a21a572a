package hub

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
)

// Message definitions the hub takes besides the pacs.008, and writes.
const (
	msgDefPacs004 = iso20022.MsgDefReturn                    // Payment return, from the creditor agent.
	msgDefPacs009 = iso20022.MsgDefInstitutionCreditTransfer // Financial institution credit transfer: defunding to the hub.
	msgDefCamt056 = iso20022.MsgDefCancelRequest             // Cancellation request, from the instructing agent.
	msgDefCamt029 = iso20022.MsgDefResolution                // Resolution of investigation: the answer to a camt.056.
	msgDefCamt052 = iso20022.MsgDefAccountReport             // Intraday account report.
	msgDefCamt053 = iso20022.MsgDefStatement                 // End-of-day statement.
)

// SubmitMessage takes a message a participant submitted, which
// iso20022.DecodeSubmission read and checked for this hub (sub.Sender is the
// client certificate's BIC, and the caller verified the detached signature
// over msg.Body): a pacs.008 payment, a pacs.004 return, a camt.056
// cancellation request, a camt.029 resolution or a pacs.009 defunding. It
// maps it to its command, screening a return on the caller's goroutine, and
// hands that to the sequencer.
func (h *Hub) SubmitMessage(ctx context.Context, sub *iso20022.Submission, msg corridor.SignedMessage) (PaymentResult, error) {
	r, answered, err := h.commandOf(ctx, sub, msg)
	if err != nil || answered != nil {
		return deref(answered), err
	}
	res, err := h.do(ctx, r)
	return res.payment, err
}

// deref is *r, or the zero result for nil.
func deref(r *PaymentResult) PaymentResult {
	if r == nil {
		return PaymentResult{}
	}
	return *r
}

// commandOf is the request of sub's command, screened where it is
// screened and checked against the archive; answered is set instead when
// the archive answers it (a repeat of an archived payment).
func (h *Hub) commandOf(ctx context.Context, sub *iso20022.Submission, msg corridor.SignedMessage) (_ request, answered *PaymentResult, _ error) {
	c, err := h.mappedCommandOf(ctx, sub, msg)
	if err != nil {
		return request{}, nil, err
	}
	check, answered, err := h.checkArchive(ctx, c)
	return request{cmd: c, check: check}, answered, err
}

// mappedCommandOf is the command of sub, screened where it is screened.
func (h *Hub) mappedCommandOf(ctx context.Context, sub *iso20022.Submission, msg corridor.SignedMessage) (command, error) {
	var c command
	var err error
	switch {
	case sub.Payment != nil:
		c = h.paymentOf(sub.Sender, sub.Payment.Payment, sub.Payment.InstrID, msg)
	case sub.Return != nil:
		c, err = h.returnOf(ctx, sub.Sender, *sub.Return, msg)
	case sub.Cancel != nil:
		c = cancelRequestOf(sub.Sender, *sub.Cancel, msg)
	case sub.Resolution != nil:
		c = resolutionOf(sub.Sender, *sub.Resolution, msg)
	case sub.Defund != nil:
		c = defundOf(sub.Sender, *sub.Defund, msg)
	default:
		err = fmt.Errorf("hub: the %s submission holds no message", sub.MsgDefID)
	}
	return c, err
}

// paymentOf is the command of p, a validated pacs.008 from sender, screened.
func (h *Hub) paymentOf(sender corridor.BIC, p corridor.Payment, instrID string, msg corridor.SignedMessage) paymentCmd {
	assert.That(sender == p.InstructingAgent, "sender %s is not the instructing agent %s", sender, p.InstructingAgent)
	p = p.Detached() // Held for the payment's life, and its references by statements after: not the whole message.
	return paymentCmd{Sender: sender, Payment: p, InstrID: strings.Clone(instrID), Message: msg.Body, Signature: msg.Signature,
		Batch: msg.Batch, Screening: h.screen(p), digest: sha256.Sum256(msg.Body)} // Here, on the caller's goroutine: screening and hashing are CPU work.
}

// bizSvc is the AppHdr/BizSvc of the messages the hub writes under the
// message rules: none before MessagesISO.
func bizSvc(rules int) string {
	if rules >= MessagesISO {
		return iso20022.BizSvcCBPRPlus
	}
	return ""
}
