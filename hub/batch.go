package hub

import (
	"context"
	"fmt"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// BatchOutcome is the hub's answer to one message of a batch: what
// SubmitMessage would have returned for it alone.
type BatchOutcome struct {
	Result PaymentResult
	Err    error
}

// SubmitBatch takes the messages of one batch that a participant signed as
// a whole: subs[i] is message i decoded by iso20022.DecodeSubmission for
// this hub, or nil where the caller refused it already (its outcome is left
// zero), and msgs[i] its bytes with the batch signature and its proof. Each
// is mapped to its command (and screened) as SubmitMessage does, and handed
// to the sequencer in the batch's order without waiting between them, so
// that they share its group commits and a repeat later in the batch is
// answered as one; then every answer is awaited. Each message is taken or
// refused on its own: a full queue refuses those that no longer fit
// (ErrBusy), never the ones before them.
func (h *Hub) SubmitBatch(ctx context.Context, subs []*iso20022.Submission, msgs []corridor.SignedMessage) []BatchOutcome {
	out := make([]BatchOutcome, len(subs))
	sent := make([]*request, len(subs))
	for i, sub := range subs {
		if sub == nil {
			continue
		}
		r, answered, err := h.commandOf(ctx, sub, msgs[i])
		if err != nil || answered != nil {
			out[i] = BatchOutcome{Result: deref(answered), Err: err}
			continue
		}
		r, err = h.send(r)
		if err != nil {
			out[i].Err = err
			continue
		}
		sent[i] = &r
	}
	for i, r := range sent {
		if r != nil {
			res, err := h.wait(ctx, *r)
			out[i] = BatchOutcome{Result: res.payment, Err: err}
		}
	}
	return out
}

// evidenced is a command that carries a message a participant signed: the
// message as received, with the evidence kept beside it.
type evidenced interface {
	evidence() (corridor.BIC, corridor.SignedMessage)
}

func (c paymentCmd) evidence() (corridor.BIC, corridor.SignedMessage) {
	return c.Sender, corridor.SignedMessage{Body: c.Message, Signature: c.Signature, Batch: c.Batch}
}

func (c cancelRequestCmd) evidence() (corridor.BIC, corridor.SignedMessage) {
	return c.Sender, corridor.SignedMessage{Body: c.Message, Signature: c.Signature, Batch: c.Batch}
}

func (c resolutionCmd) evidence() (corridor.BIC, corridor.SignedMessage) {
	return c.Sender, corridor.SignedMessage{Body: c.Message, Signature: c.Signature, Batch: c.Batch}
}

func (c defundCmd) evidence() (corridor.BIC, corridor.SignedMessage) {
	return c.Sender, corridor.SignedMessage{Body: c.Message, Signature: c.Signature, Batch: c.Batch}
}

// Every command that carries a message keeps its evidence.
var (
	_ evidenced = paymentCmd{}
	_ evidenced = returnCmd{}
	_ evidenced = cancelRequestCmd{}
	_ evidenced = caseRequestCmd{}
	_ evidenced = resolutionCmd{}
	_ evidenced = defundCmd{}
)

// SubmittedEvidence is the message journal entry e took from a participant,
// with the evidence kept beside it: the sender's detached JWS and, for a
// message of a batch, its place in the batch. ok is false for an entry of
// another kind of command.
func SubmittedEvidence(e corridor.JournalEntry) (sender corridor.BIC, msg corridor.SignedMessage, ok bool, err error) {
	c, err := decodeCommand(e.Kind, e.Payload)
	if err != nil {
		return "", corridor.SignedMessage{}, false, fmt.Errorf("journal entry %d: %w", e.Seq, err)
	}
	ev, ok := c.(evidenced)
	if !ok {
		return "", corridor.SignedMessage{}, false, nil
	}
	sender, msg = ev.evidence()
	return sender, msg, true, nil
}

// VerifyEvidence checks that journal entry e, alone, proves what its sender
// sent: for a message sent alone, that the sender's JWS covers it; for one
// of a batch, that the root its Merkle path gives for the message is the
// one the batch signature covers, with the count signed. verify checks a
// detached JWS over signed with sender's certificate (in production
// pki.VerifyDetached); the hub, which holds no JWS code, never guesses it.
// ok is false for an entry that carries no message.
func VerifyEvidence(e corridor.JournalEntry, verify func(sender corridor.BIC, signature string, signed []byte) error) (ok bool, err error) {
	sender, msg, ok, err := SubmittedEvidence(e)
	if err != nil || !ok {
		return ok, err
	}
	signed, err := msg.SignedBytes()
	if err != nil {
		return true, fmt.Errorf("journal entry %d: the message's place in its batch: %w", e.Seq, err)
	}
	if err := verify(sender, msg.Signature, signed); err != nil {
		return true, fmt.Errorf("journal entry %d: the signature of %s: %w", e.Seq, sender, err)
	}
	return true, nil
}
