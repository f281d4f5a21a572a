package hub

import (
	"fmt"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// submission is a command that carries a message a participant sent: its
// answer carries the hub's receipt of that message.
type submission interface {
	submitted() (corridor.BIC, []byte)
}

func (c paymentCmd) submitted() (corridor.BIC, []byte)       { return c.Sender, c.Message }
func (c cancelRequestCmd) submitted() (corridor.BIC, []byte) { return c.Sender, c.Message }
func (c resolutionCmd) submitted() (corridor.BIC, []byte)    { return c.Sender, c.Message }
func (c defundCmd) submitted() (corridor.BIC, []byte)        { return c.Sender, c.Message }

// receiptOf is the receipt of c, journaled as seq at e's time, when c
// carries a message.
func receiptOf(c command, e corridor.JournalEntry) (corridor.Receipt, bool) {
	sub, ok := c.(submission)
	if !ok {
		return corridor.Receipt{}, false
	}
	sender, msg := sub.submitted()
	if d, ok := c.(interface{ messageDigest() [32]byte }); ok { // A payment or a return: hashed off the sequencer.
		return corridor.Receipt{Seq: e.Seq, Time: e.Time.UTC(), Sender: sender, Message: d.messageDigest()}, true
	}
	return corridor.NewReceipt(e.Seq, e.Time, sender, msg), true
}

// duplicateResult answers a repeat of p: its first answer's status, and the
// receipt of the message that was journaled, so that the sender holds the
// same evidence whichever copy was answered.
func (p *payment) duplicateResult() PaymentResult {
	assert.That(len(p.events) > 0, "payment %s was never accepted", p.ref)
	res := p.result(true)
	res.Receipt = corridor.Receipt{Seq: p.seq, Time: p.events[0].Time.UTC(), Sender: p.cmd.Sender, Message: p.message}
	return res
}

// SubmittedMessage is the message a journal entry took from a participant,
// and who sent it, for checking a receipt against the journal; ok is false
// for an entry of another kind of command.
func SubmittedMessage(e corridor.JournalEntry) (sender corridor.BIC, message []byte, ok bool, err error) {
	c, err := decodeCommand(e.Kind, e.Payload)
	if err != nil {
		return "", nil, false, fmt.Errorf("journal entry %d: %w", e.Seq, err)
	}
	sub, ok := c.(submission)
	if !ok {
		return "", nil, false, nil
	}
	sender, message = sub.submitted()
	return sender, message, true, nil
}
