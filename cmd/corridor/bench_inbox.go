package main

import (
	"context"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
)

// benchPoll is how long a bank's long poll waits for its next message: it
// bounds how late a reader notices that the bench is over.
const benchPoll = time.Second

// benchRead is a bank's inbox reader, as a bank's own system runs it: a long
// poll from where it left off, each pacs.002 decoded and matched to its
// payment, then everything it received acknowledged. Once stop is closed
// it reads on without waiting until its inbox is empty (or a read fails),
// and stops: the drain waits for the senders' pacs.002s, and a receiving
// bank may still be behind on the pacs.008s delivered with them.
func benchRead(ctx context.Context, b *demoBank, tr *benchTracker, stop <-chan struct{}) {
	var after uint64
	for {
		wait, draining := benchPoll, false
		select {
		case <-stop:
			wait, draining = 0, true
		default:
		}
		msgs, err := b.client.Inbox(ctx, after, wait)
		if err != nil {
			tr.readFailed(ctx, err)
			if draining {
				return // The final check reports what is left.
			}
			continue
		}
		if len(msgs) == 0 {
			if draining {
				return
			}
			continue
		}
		tr.deliver(b.BIC, msgs, time.Now())
		after = msgs[len(msgs)-1].Seq
		if !benchAck(ctx, b, tr, after) {
			return
		}
		tr.acknowledged.Add(int64(len(msgs)))
	}
}

// maxBenchAckTries bounds the tries of one acknowledgement (a minute: a
// restarted hub replays its journal first); a reader that
// gives up leaves its messages unacknowledged, which the final check reports.
const maxBenchAckTries = 600

// benchAck acknowledges b's inbox through seq, trying again when the hub
// refuses, as a bank does rather than read the same messages again.
func benchAck(ctx context.Context, b *demoBank, tr *benchTracker, seq uint64) bool {
	for range maxBenchAckTries {
		err := b.client.Ack(ctx, seq)
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		tr.readFailed(ctx, err)
	}
	return false
}

// deliver counts messages the hub delivered to bic and matches each
// pacs.002 to the payment bic sent, by its message reference.
func (tr *benchTracker) deliver(bic corridor.BIC, msgs []httpapi.InboxMessageBody, now time.Time) {
	for _, m := range msgs {
		tr.delivered.Add(1)
		if m.MsgDefID != iso20022.MsgDefStatusReport {
			continue
		}
		sr, err := iso20022.DecodeStatusReport([]byte(m.Body))
		if err != nil {
			tr.refuse("pacs.002 unreadable: " + benchShort(err.Error()))
			continue
		}
		tr.report(msgKey{bic, sr.OriginalMsgID}, sr.Status, m.PossibleDuplicate, now)
	}
}

// readFailed counts a failed inbox read or acknowledgement and waits a
// little before the next, so a hub in trouble is not polled in a busy loop.
func (tr *benchTracker) readFailed(ctx context.Context, err error) {
	tr.refuse("inbox: " + benchShort(err.Error()))
	t := time.NewTimer(100 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// refuse counts a problem of the inbox side under why.
func (tr *benchTracker) refuse(why string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.readProblems[why]++
}
