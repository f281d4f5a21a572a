package hub

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
)

// do hands r to the sequencer and waits for its answer. A full queue is
// ErrBusy at once, and a command while the journal cannot be written
// ErrJournalDown; ctx bounds only the wait: a command taken by the sequencer
// is executed, and its caller can learn the outcome by asking again.
func (h *Hub) do(ctx context.Context, r request) (result, error) {
	r, err := h.send(r)
	if err != nil {
		return result{}, err
	}
	return h.wait(ctx, r)
}

// send hands r to the sequencer without waiting, as do says.
func (h *Hub) send(r request) (request, error) {
	r.reply = make(chan result, 1)
	select {
	case <-h.stopped:
		return r, corridor.ErrStopped
	default:
	}
	if r.cmd != nil && h.journalDown.Load() { // Refused at once; the sequencer checks again.
		h.refused.Add(1)
		return r, ErrJournalDown
	}
	select {
	case h.requests <- r:
		return r, nil
	default:
		return r, corridor.ErrBusy
	}
}

// wait waits for the answer to r, which send handed on.
func (h *Hub) wait(ctx context.Context, r request) (result, error) {
	select {
	case res := <-r.reply:
		return res, res.err
	case <-h.stopped:
		return result{}, corridor.ErrStopped
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

// RegisterParticipant registers p with the certificate the CA just issued it
// and opens a settlement account in each of its currencies. Registering the
// same participant again adds the new certificate (rotation: both stay valid
// until one is revoked or expires); the same BIC with other details is an
// AG01 reject.
func (h *Hub) RegisterParticipant(ctx context.Context, p corridor.Participant, cert corridor.Certificate) error {
	_, err := h.do(ctx, request{cmd: registerCmd{BIC: p.BIC, Name: p.Name, Currencies: p.Currencies, Certificate: cert}})
	return err
}

// BIC is the hub's own BIC, to which participants address what they send
// the hub itself, such as a pacs.009 defunding.
func (h *Hub) BIC() corridor.BIC { return h.cfg.BIC }

// Fund moves amount from the central account of its currency into bic's
// settlement account. Returns RC07 for an unknown participant and AC01 when it
// has no account in the currency.
func (h *Hub) Fund(ctx context.Context, bic corridor.BIC, m corridor.Money) error {
	_, err := h.do(ctx, request{cmd: fundCmd{BIC: bic, Currency: m.Currency, Amount: m.Amount}})
	return err
}

// SubmitPayment accepts a validated pacs.008 from sender, journals it, settles
// it gross and answers once the journal is durable. A repeat of an earlier
// payment gets its first answer with Duplicate set. Refusals that change
// nothing: RC07 (instructed agent unknown), AC01 (no account in the currency),
// DT01 (settlement date is not today), AM05 (message reference or UETR reused for another
// payment), ErrBusy (an inbox is full).
func (h *Hub) SubmitPayment(ctx context.Context, sender corridor.BIC, p corridor.Payment, instrID string, msg corridor.SignedMessage) (PaymentResult, error) {
	c := h.paymentOf(sender, p, instrID, msg)
	check, answered, err := h.checkArchive(ctx, c)
	if err != nil || answered != nil {
		return deref(answered), err
	}
	res, err := h.do(ctx, request{cmd: c, check: check})
	return res.payment, err
}

// Ack acknowledges every message in bic's inbox up to and including through.
func (h *Hub) Ack(ctx context.Context, bic corridor.BIC, through uint64) error {
	_, err := h.do(ctx, request{cmd: ackCmd{BIC: bic, Through: through}})
	return err
}

// Inbox returns up to MaxInboxRead of bic's unacknowledged messages after seq
// after, waiting up to wait for one to arrive when there is none. A wait
// ends early, with no messages, when bic's membership changes (a
// revocation, a suspension): the caller must check its standing again
// before it reads on.
func (h *Hub) Inbox(ctx context.Context, bic corridor.BIC, after uint64, wait time.Duration) ([]InboxMessage, error) {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	standing := h.standingOf(bic)
	for {
		var msgs []InboxMessage
		var later []laterBody
		var wake <-chan struct{}
		var err error
		_, qerr := h.do(ctx, request{query: func(s *state) {
			in, ok := s.inboxes[bic]
			if !ok {
				err = corridor.ErrNotFound
				return
			}
			if msgs, later = in.read(after, MaxInboxRead); len(msgs) == 0 {
				wake = h.waker(bic)
			}
		}})
		if qerr != nil || err != nil {
			return nil, firstErr(qerr, err)
		}
		if len(msgs) > 0 {
			return msgs, h.writeLater(ctx, msgs, later)
		}
		if h.cfg.OnWait != nil {
			h.cfg.OnWait(bic)
		}
		select {
		case <-wake:
			if h.standingOf(bic) != standing {
				return nil, nil
			}
		case <-deadline.C:
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// writeLater writes the bodies of msgs that were delivered without one
// from later, by place: here, on the reader's goroutine, reading a
// statement page's entries from the store.
func (h *Hub) writeLater(ctx context.Context, msgs []InboxMessage, later []laterBody) error {
	for i, l := range later {
		if l.none() {
			continue
		}
		body, err := l.write(ctx, h.books())
		if err != nil {
			return fmt.Errorf("inbox message %d (%s %s): %w", msgs[i].Seq, msgs[i].MsgDefID, msgs[i].Reference, err)
		}
		msgs[i].Body = body
	}
	return nil
}

// standingOf counts the memberships of bic published so far.
func (h *Hub) standingOf(bic corridor.BIC) uint64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.standing[bic]
}

// Track returns every leg of the payment with this UETR that caller may see:
// a participant sees the legs it instructed or was instructed on, the operator
// all of them. ErrNotFound when there is none.
func (h *Hub) Track(ctx context.Context, caller corridor.Identity, uetr corridor.UETR) ([]PaymentTrack, error) {
	var out []PaymentTrack
	_, err := h.do(ctx, request{query: func(s *state) {
		for _, p := range s.byUETR[uetr] {
			pay := p.cmd.Payment
			if caller.Role == corridor.RoleOperator || caller.BIC == pay.InstructingAgent || caller.BIC == pay.InstructedAgent {
				out = append(out, p.track())
			}
		}
	}})
	if err == nil {
		var old []PaymentTrack
		old, err = h.archivedTracks(ctx, caller, uetr) // Legs let go of: older than those in memory.
		out = append(old, out...)
	}
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("payment %s: %w", uetr, corridor.ErrNotFound)
	}
	return out, err
}

// Balances returns bic's settlement accounts; ErrNotFound for an unknown BIC.
func (h *Hub) Balances(ctx context.Context, bic corridor.BIC) ([]Balance, error) {
	var out []Balance
	var err error
	_, qerr := h.do(ctx, request{query: func(s *state) { out, err = s.balances(bic) }})
	return out, firstErr(qerr, err)
}

// Membership returns the standing of the participant with this BIC, as of the
// last durable commit. It does not wait for the sequencer: the API calls it
// on every request to authenticate the caller.
func (h *Hub) Membership(_ context.Context, bic corridor.BIC) (corridor.Membership, error) {
	h.mu.RLock()
	m, ok := h.registry[bic]
	h.mu.RUnlock()
	if !ok {
		return corridor.Membership{}, fmt.Errorf("participant %s: %w", bic, corridor.ErrNotFound)
	}
	return m, nil // The registry holds copies that nothing changes.
}

// RevokeCertificate revokes bic's certificate with this serial, or every one
// of its certificates when serial is empty. It takes effect at the caller's
// next request. ErrNotFound for an unknown participant or serial.
func (h *Hub) RevokeCertificate(ctx context.Context, bic corridor.BIC, serial string) error {
	_, err := h.do(ctx, request{cmd: revokeCmd{BIC: bic, Serial: serial}})
	return err
}

// Suspend stops (or, with suspended false, restarts) a participant: its
// requests and payments to it are refused; its accounts and inbox are kept.
func (h *Hub) Suspend(ctx context.Context, bic corridor.BIC, suspended bool) error {
	_, err := h.do(ctx, request{cmd: suspendCmd{BIC: bic, Suspended: suspended}})
	return err
}

// SetRelationships replaces whom bic accepts messages from.
func (h *Hub) SetRelationships(ctx context.Context, bic corridor.BIC, p corridor.RelationshipPolicy) error {
	_, err := h.do(ctx, request{cmd: policyCmd{BIC: bic, Policy: p}})
	return err
}

// Relationships returns whom bic accepts messages from.
func (h *Hub) Relationships(ctx context.Context, bic corridor.BIC) (corridor.RelationshipPolicy, error) {
	var p corridor.RelationshipPolicy
	var err error
	_, qerr := h.do(ctx, request{query: func(s *state) {
		m, ok := s.participants[bic]
		if !ok {
			err = fmt.Errorf("participant %s: %w", bic, corridor.ErrNotFound)
			return
		}
		p = corridor.RelationshipPolicy{Restricted: m.Policy.Restricted, Allow: slices.Clone(m.Policy.Allow)}
	}})
	return p, firstErr(qerr, err)
}

// StateSum is a SHA-256 of the whole state and the last journal seq, for
// tests that compare a hub before a restart with the hub replayed after it.
func (h *Hub) StateSum(ctx context.Context) ([32]byte, uint64, error) {
	var sum [32]byte
	var seq uint64
	_, err := h.do(ctx, request{query: func(s *state) { sum, seq = s.Sum(), s.lastSeq }})
	return sum, seq, err
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// LoadList loads or replaces the sanctions list name from its published
// files (see ParseList for the formats). The files are parsed here, on the
// caller's goroutine, and journaled whole, so that a replay rebuilds the same
// screener. Every payment accepted afterwards is screened against it.
func (h *Hub) LoadList(ctx context.Context, name, format string, files [][]byte) (ListInfo, error) {
	l, err := ParseList(name, format, files)
	if err != nil {
		return ListInfo{}, err
	}
	res, err := h.do(ctx, request{cmd: listCmd{Name: name, Version: l.Version, Hash: l.Hash, Format: format, Files: files, parsed: l}})
	return res.list, err
}

// Lists returns the sanctions lists loaded, by name.
func (h *Hub) Lists(ctx context.Context) ([]ListInfo, error) {
	var out []ListInfo
	_, err := h.do(ctx, request{query: func(s *state) { out = s.listInfos() }})
	return out, err
}

// Holds returns the payments screening holds for the operator's decision,
// with every hit: for the operator's eyes only.
func (h *Hub) Holds(ctx context.Context) ([]ComplianceHold, error) {
	var out []ComplianceHold
	_, err := h.do(ctx, request{query: func(s *state) { out = s.holds() }})
	return out, err
}

// Decide releases the held payment with this UETR into settlement, or
// rejects it RR04 (a pacs.002 RJCT to its sender). by names the operator;
// why is journaled with the decision. whitelist, on a release, records its
// hits as false positives for these parties and entries. ErrNotFound when no
// payment with this UETR is held.
func (h *Hub) Decide(ctx context.Context, by string, uetr corridor.UETR, release bool, why string, whitelist bool) error {
	_, err := h.do(ctx, request{cmd: decideCmd{UETR: uetr, Release: release, By: by, Why: why, Whitelist: whitelist}})
	return err
}

// RevokeOperator revokes the operator certificate with this serial (hex):
// its next request is refused. by names the operator who revoked it.
func (h *Hub) RevokeOperator(ctx context.Context, by, serial string) error {
	_, err := h.do(ctx, request{cmd: operatorRevokeCmd{Serial: serial, By: by}})
	return err
}

// OperatorRevoked reports whether the operator certificate with this serial
// was revoked, as of the last durable commit. It does not wait for the
// sequencer: the API asks on every operator request.
func (h *Hub) OperatorRevoked(serial string) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.revokedOperators[serial]
}
