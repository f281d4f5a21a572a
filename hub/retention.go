package hub

// Retention: the hub keeps in memory what settlement needs, not history.
//
// Once every leg of a UETR is final (settled or rejected, no return of it
// still in settlement, no cancellation case open) and has been for the
// configured retention (configCmd.Retention), the next journaled command
// lets go of the legs: they leave the state, and the store archives them
// (corridor.ArchivedPayment) in the same transaction as that command's
// entry. Which command lets go of what follows from the journal alone, so a
// replay lets go of the same payments at the same entries.
//
// The archive keeps de-duplication beyond memory. A submission is checked
// against it before the sequencer (Hub.checkArchive): a repeat of an
// archived payment gets the first answer, another payment under its
// message reference or UETR is refused AM05, and a UETR whose legs are
// archived may only be passed on by the agent its last leg was instructed
// to. A payment let go of after that check but before the sequencer takes
// the submission is still in the sequencer's recent memory (state.recent),
// which outlives any check the sequencer accepts (checkedWithin < recentFor).

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
)

// Bounds of retention.
const (
	MinRetention = time.Second
	MaxRetention = 90 * 24 * time.Hour
	// maxLetGoPerCommand bounds the payments one command lets go of: its
	// archive rows and its work on the sequencer. A backlog goes with the
	// commands after it.
	maxLetGoPerCommand = 256
	// checkedWithin is how old an archive check a payment command may carry:
	// one older is refused as not taken (the caller retries, and is checked
	// again). recentFor is how long the sequencer remembers what it let go
	// of, longer than any check it accepts. Both are short: what is
	// remembered is whole payments, a few seconds of the hub's rate, and a
	// submission waits for the sequencer milliseconds, not seconds.
	checkedWithin = 2 * time.Second
	recentFor     = 2 * checkedWithin
)

// finalEntry is a UETR one of whose legs became final at At: from At plus
// the retention, its legs may be let go of.
type finalEntry struct {
	UETR corridor.UETR
	At   time.Time
}

// letGoBatch is what one command let go of, remembered until recentFor
// after its entry became durable (At, once Durable).
type letGoBatch struct {
	At      time.Time
	Durable bool
	Keys    []string
}

// retention is the retention the hub's journal can give: none without an
// archive to keep the payments memory lets go of and books to keep the
// entries.
func (h *Hub) retention() time.Duration {
	_, archive := h.cfg.Journal.(corridor.Archive)
	if _, books := h.cfg.Journal.(corridor.Books); !archive || !books {
		return 0
	}
	return h.cfg.Retention
}

// finalized notes that p became final at now.
func (s *state) finalized(p *payment, now time.Time) {
	if s.config.Retention != 0 {
		s.finals = append(s.finals, finalEntry{UETR: p.cmd.Payment.UETR, At: now})
	}
}

// finalizeAll notes every UETR with a final leg, at now, in the order of
// their first payments: retention was just set, and what became final
// before counts from now.
func (s *state) finalizeAll(now time.Time) {
	for _, seq := range slices.Sorted(maps.Keys(s.bySeq)) {
		p := s.bySeq[seq]
		if legs := s.byUETR[p.cmd.Payment.UETR]; legs[0] == p && slices.ContainsFunc(legs, (*payment).final) {
			s.finals = append(s.finals, finalEntry{UETR: p.cmd.Payment.UETR, At: now})
		}
	}
}

func (p *payment) final() bool {
	return p.status == corridor.StatusSettled || p.status == corridor.StatusRejected
}

// lastEvent is when p's history last moved.
func (p *payment) lastEvent() time.Time {
	if len(p.events) == 0 {
		return time.Time{}
	}
	return p.events[len(p.events)-1].Time
}

// settledFor reports whether every leg is final with nothing to come on it
// (no return of it in settlement, no cancellation case that waits for an
// answer or for the return it accepted), and since when: the last moment
// any of their histories moved.
func settledFor(legs []*payment) (since time.Time, ok bool) {
	for _, p := range legs {
		if !p.final() || p.returning != p.returned || (p.cancel != nil && caseAwaits(p.cancel)) {
			return time.Time{}, false
		}
		if at := p.lastEvent(); at.After(since) {
			since = at
		}
	}
	return since, true
}

// caseAwaits reports whether c waits for the creditor agent, for the
// return it accepted, or for compliance.
func caseAwaits(c *cancelCase) bool {
	return c.open() || c.Status == caseAccepted || c.Status == caseHeld
}

// letGoDue lets go of the UETRs final for the retention at now, at most
// maxLetGoPerCommand payments. A UETR not ready yet goes to the back, to be
// looked at again a retention after it may be.
func (s *state) letGoDue(now time.Time) {
	r := s.config.Retention
	for n := 0; r != 0 && len(s.finals) > 0 && n < maxLetGoPerCommand; {
		f := s.finals[0]
		if now.Sub(f.At) < r {
			return
		}
		s.finals = s.finals[1:]
		legs := s.byUETR[f.UETR]
		if len(legs) == 0 {
			continue // Let go of by an earlier entry of the same UETR.
		}
		since, ok := settledFor(legs)
		switch {
		case !ok:
			s.finals = append(s.finals, finalEntry{UETR: f.UETR, At: now})
		case now.Sub(since) < r:
			s.finals = append(s.finals, finalEntry{UETR: f.UETR, At: since})
		default:
			s.letGo(f.UETR, legs)
			n += len(legs)
		}
	}
}

// letGo removes the legs of uetr from the state, into s.letGone for the
// command's journal entry to archive.
func (s *state) letGo(uetr corridor.UETR, legs []*payment) {
	for _, p := range legs {
		c := p.cmd
		if k := (legKey{c.Payment.UETR, c.Sender}); s.payments[k] == p {
			delete(s.payments, k)
		}
		if k := (msgKey{c.Sender, c.Payment.MsgID}); s.byMsgID[k] == p {
			delete(s.byMsgID, k)
		}
		for _, k := range p.caseKeys {
			if s.caseMsgs[k] == p {
				delete(s.caseMsgs, k)
			}
		}
		delete(s.bySeq, p.seq)
	}
	delete(s.byUETR, uetr)
	s.letGone = append(s.letGone, legs...)
}

// archiveKeys are p's de-duplication keys: its message reference, its
// UETR's (which the archive keeps for the UETR's first archived leg: a
// submission on a UETR without archived legs needs one read to know it),
// for a pacs.008 its leg of the UETR (returns are found by their
// reference), and the cancellation requests and answers about it, the
// first of them up to corridor.MaxArchivedKeys in all (a payment with more
// cases than that is not one the hub has seen: repeats of the others are
// not found).
func archiveKeys(p *payment) []string {
	keys := []string{msgArchiveKey(p.cmd.Sender, p.cmd.Payment.MsgID), uetrArchiveKey(p.cmd.Payment.UETR)}
	if p.msgDef == msgDefPacs008 {
		keys = append(keys, legArchiveKey(p.cmd.Payment.UETR, p.cmd.Sender))
	}
	for _, k := range p.caseKeys {
		if len(keys) == corridor.MaxArchivedKeys {
			break
		}
		keys = append(keys, caseArchiveKey(k))
	}
	return keys
}

// caseArchiveKey is the archive key of a camt.056 or camt.029 (caseMsgs).
func caseArchiveKey(k msgKey) string { return "c " + string(k.sender) + " " + k.msgID }

func msgArchiveKey(sender corridor.BIC, msgID string) string {
	return "m " + string(sender) + " " + msgID
}

func uetrArchiveKey(uetr corridor.UETR) string { return "t " + string(uetr) }

func legArchiveKey(uetr corridor.UETR, sender corridor.BIC) string {
	return "u " + string(uetr) + " " + string(sender)
}

// archivedRecord is what the archive keeps of a payment: what the tracker
// shows and what a repeat is answered with.
type archivedRecord struct {
	MsgDef string
	Sender corridor.BIC
	Result PaymentResult // As a repeat is answered, with its receipt; Duplicate unset.
	Track  PaymentTrack
}

// archived is the archive rows of the payments let go of, in order.
func archived(ps []*payment) []corridor.ArchivedPayment {
	out := make([]corridor.ArchivedPayment, len(ps))
	for i, p := range ps {
		res := p.duplicateResult()
		res.Duplicate = false
		rec, err := json.Marshal(archivedRecord{MsgDef: p.msgDef, Sender: p.cmd.Sender, Result: res, Track: p.track()})
		assert.That(err == nil, "encode the archive record of %s: %v", p.ref, err)
		out[i] = corridor.ArchivedPayment{Seq: p.seq, UETR: p.cmd.Payment.UETR, Keys: archiveKeys(p), Record: rec}
	}
	return out
}

// remember keeps what the command at now let go of in the sequencer's
// recent memory, and forgets what was durably let go of more than
// recentFor ago.
func (s *state) remember(ps []*payment, now time.Time) {
	for len(s.recentLetGo) > 0 && s.recentLetGo[0].Durable && now.Sub(s.recentLetGo[0].At) > recentFor {
		for _, k := range s.recentLetGo[0].Keys {
			delete(s.recent, k)
		}
		s.recentLetGo = s.recentLetGo[1:]
	}
	if len(ps) == 0 {
		return
	}
	b := letGoBatch{At: now}
	for _, p := range ps {
		for _, k := range archiveKeys(p) {
			s.recent[k] = p
			b.Keys = append(b.Keys, k)
		}
	}
	s.recentLetGo = append(s.recentLetGo, b)
}

// durablyLetGo marks the first n batches the sequencer let go of and are
// not yet durable as durable at now (those of the append that just became
// durable; the batch executed after it may have added more): the archive
// holds them, and a check that starts from now finds them. recentFor counts
// from here, however long the append took.
func (s *state) durablyLetGo(n int, now time.Time) {
	i := len(s.recentLetGo)
	for i > 0 && !s.recentLetGo[i-1].Durable {
		i--
	}
	for ; n > 0 && i < len(s.recentLetGo); i, n = i+1, n-1 {
		s.recentLetGo[i].At, s.recentLetGo[i].Durable = now, true
	}
}

// forgetUndurable forgets what the sequencer let go of in an append that
// failed.
func (s *state) forgetUndurable() {
	for n := len(s.recentLetGo); n > 0 && !s.recentLetGo[n-1].Durable; n-- {
		for _, k := range s.recentLetGo[n-1].Keys {
			delete(s.recent, k)
		}
		s.recentLetGo = s.recentLetGo[:n-1]
	}
}

// recently is the payment under key the sequencer let go of lately, or nil.
func (s *state) recently(key string) *payment { return s.recent[key] }

// archiveCheck is what Hub.checkArchive found for a command, which the
// sequencer reads while it applies it (state.check). It is not journaled:
// it only ever refuses.
type archiveCheck struct {
	at   time.Time    // When the check began; zero for none.
	next corridor.BIC // Who may pass the UETR on, by its archived legs; "" for anyone.
	ref  string       // Of a cancellation message: an archived leg of its UETR, "" for none.
}

// stale refuses, as not taken, a command whose archive check is too old to
// trust: what was let go of since may be out of recent memory.
func (c archiveCheck) stale(now time.Time) error {
	if !c.at.IsZero() && now.Sub(c.at) > checkedWithin {
		return fmt.Errorf("hub: the submission waited %v for the sequencer; send it again: %w", now.Sub(c.at).Round(time.Millisecond), corridor.ErrBusy)
	}
	return nil
}

// checkArchive checks c against the archive before the sequencer takes it:
// a repeat of an archived payment gets its first answer (answered), another
// payment under an archived payment's message reference or UETR is refused
// AM05, and a pacs.008 on a UETR with archived legs learns who may pass it
// on. Commands of other kinds pass unchecked, and so does every command of
// a hub whose journal keeps no archive.
func (h *Hub) checkArchive(ctx context.Context, c command) (check archiveCheck, answered *PaymentResult, err error) {
	a, ok := h.cfg.Journal.(corridor.Archive)
	if !ok {
		return archiveCheck{}, nil, nil // Nothing was ever let go of.
	}
	check.at = h.cfg.Now() // Checked even with retention now off: what was archived stays archived.
	switch c := c.(type) {
	case paymentCmd:
		var legs []archivedRecord
		if legs, err = archivedLegs(ctx, a, c.Payment.UETR); err == nil {
			check.next = nextAgent(legs)
			answered, err = archivedRepeat(ctx, a, c, legs, false)
		}
	case returnCmd:
		var legs []archivedRecord
		if legs, err = archivedLegs(ctx, a, c.Payment.UETR); err == nil {
			if answered, err = archivedRepeat(ctx, a, c.paymentCmd, nil, true); answered == nil && err == nil {
				err = archivedOriginal(legs, c.Payment)
			}
		}
	case caseRequestCmd:
		return h.checkCaseArchive(ctx, a, check, msgKey{c.Sender, "camt.056/" + c.ID}, c.UETR, c.ID)
	case cancelRequestCmd:
		return h.checkCaseArchive(ctx, a, check, msgKey{c.Sender, "camt.056/" + c.ID}, c.UETR, c.ID)
	case resolutionCmd:
		return h.checkCaseArchive(ctx, a, check, msgKey{c.Sender, "camt.029/" + c.ID}, c.UETR, c.ID)
	default:
		return archiveCheck{}, nil, nil
	}
	return check, answered, err
}

// checkCaseArchive checks a camt.056 or camt.029 (key) against the archive:
// a repeat of one about an archived payment gets the first answer, and the
// sequencer learns whether the UETR has archived legs, to say so if it
// holds no payment the message could be about.
func (h *Hub) checkCaseArchive(ctx context.Context, a corridor.Archive, check archiveCheck, key msgKey, uetr corridor.UETR, id string) (archiveCheck, *PaymentResult, error) {
	answered, err := archivedCaseRepeat(ctx, a, key, uetr, id)
	if answered != nil || err != nil {
		return check, answered, err
	}
	legs, err := archivedLegs(ctx, a, uetr)
	if len(legs) > 0 {
		check.ref = legs[0].Result.Reference
	}
	return check, nil, err
}

// archivedRepeat finds the archived payment c repeats, by its message
// reference or (a pacs.008) its leg among legs, the archived legs of its
// UETR, and answers as the sequencer does for one in memory (duplicateOf,
// submitReturn).
func archivedRepeat(ctx context.Context, a corridor.Archive, c paymentCmd, legs []archivedRecord, isReturn bool) (*PaymentResult, error) {
	rec, found, err := archivedByKey(ctx, a, msgArchiveKey(c.Sender, c.Payment.MsgID))
	if err != nil {
		return nil, err
	}
	for i := 0; !found && !isReturn && i < len(legs); i++ {
		rec, found = legs[i], legs[i].MsgDef == msgDefPacs008 && legs[i].Sender == c.Sender
	}
	switch {
	case !found:
		return nil, nil
	case !repeats(rec, c, isReturn):
		return nil, corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("%s %s or UETR %s was already used for another payment (%s, archived)",
			iso20022.PathMsgID, c.Payment.MsgID, c.Payment.UETR, rec.Result.Reference))
	}
	res := rec.Result
	res.Duplicate = true
	return &res, nil
}

// archivedByKey is the archived payment under key k, if any.
func archivedByKey(ctx context.Context, a corridor.Archive, k string) (archivedRecord, bool, error) {
	seq, ok, err := a.ArchivedKey(ctx, k)
	if err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("hub: the archive: %w", err)
		}
		return archivedRecord{}, false, err
	}
	rec, err := archivedRecordAt(ctx, a, seq)
	return rec, err == nil, err
}

// archivedCaseRepeat answers a repeat of a camt.056 or camt.029 (key) about
// an archived payment as repeatedCaseMsg does; one about an archived
// payment that is not a repeat is refused, for the case can no longer move.
func archivedCaseRepeat(ctx context.Context, a corridor.Archive, key msgKey, uetr corridor.UETR, id string) (*PaymentResult, error) {
	rec, ok, err := archivedByKey(ctx, a, caseArchiveKey(key))
	switch {
	case err != nil || !ok:
		return nil, err
	case rec.Track.Payment.UETR != uetr:
		return nil, corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("%s %s was already used for payment %s", iso20022.PathAssignmentID, id, rec.Result.Reference))
	}
	res := rec.Result
	res.Duplicate, res.Receipt = true, corridor.Receipt{}
	return &res, nil
}

// caseArchived is the sequencer's refusal of a cancellation message about
// a payment it does not hold, when the UETR has archived legs (check.ref).
func (c archiveCheck) caseArchived(notFound error) error {
	if c.ref == "" {
		return notFound
	}
	return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf(
		"payment %s was final for longer than the hub's retention and is archived: no cancellation case on it can open or move", c.ref))
}

// repeats reports whether c is the archived payment again: for a pacs.008
// the same payment (under any message reference, as duplicateOf), for a
// return the same bytes (its parties came from an original that may be
// archived too).
func repeats(rec archivedRecord, c paymentCmd, isReturn bool) bool {
	if isReturn {
		return rec.MsgDef == msgDefPacs004 && rec.Result.Receipt.Message == c.messageDigest()
	}
	again, before := c.Payment, rec.Track.Payment
	again.MsgID = before.MsgID
	return rec.MsgDef == msgDefPacs008 && again == before
}

func archivedRecordAt(ctx context.Context, a corridor.Archive, seq uint64) (archivedRecord, error) {
	ap, ok, err := a.ArchivedPayment(ctx, seq)
	if err == nil && !ok {
		err = fmt.Errorf("payment %d is keyed but not archived", seq)
	}
	var rec archivedRecord
	if err == nil {
		err = json.Unmarshal(ap.Record, &rec)
	}
	if err != nil {
		return archivedRecord{}, fmt.Errorf("hub: the archive: %w", err)
	}
	return rec, nil
}

// archivedLegs are the archived legs of uetr, by seq: none without a read
// of them when the UETR's key is not archived, as for almost every new
// payment.
func archivedLegs(ctx context.Context, a corridor.Archive, uetr corridor.UETR) ([]archivedRecord, error) {
	if _, ok, err := a.ArchivedKey(ctx, uetrArchiveKey(uetr)); err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("hub: the archive: %w", err)
		}
		return nil, err
	}
	aps, err := a.ArchivedByUETR(ctx, uetr)
	if err != nil {
		return nil, fmt.Errorf("hub: the archive: %w", err)
	}
	out := make([]archivedRecord, len(aps))
	for i, ap := range aps {
		if err := json.Unmarshal(ap.Record, &out[i]); err != nil {
			return nil, fmt.Errorf("hub: the archive: payment %d: %w", ap.Seq, err)
		}
	}
	return out, nil
}

// nextAgent is the agent the last of the archived pacs.008 legs was
// instructed to, who alone may pass the payment on; "" for none.
func nextAgent(legs []archivedRecord) corridor.BIC {
	var next corridor.BIC
	for _, rec := range legs {
		if rec.MsgDef == msgDefPacs008 {
			next = rec.Track.Payment.InstructedAgent
		}
	}
	return next
}

// archivedOriginal refuses the return r of a payment among the archived
// legs of its UETR, whose settlement state the hub no longer holds.
func archivedOriginal(legs []archivedRecord, r corridor.Payment) error {
	for _, rec := range legs {
		if op := rec.Track.Payment; rec.MsgDef == msgDefPacs008 && op.InstructingAgent == r.InstructedAgent && op.InstructedAgent == r.InstructingAgent {
			return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf(
				"payment %s was final for longer than the hub's retention and is archived: it can no longer be returned through the hub", rec.Result.Reference))
		}
	}
	return nil
}

// archivedTracks are the archived legs of uetr that caller may see.
func (h *Hub) archivedTracks(ctx context.Context, caller corridor.Identity, uetr corridor.UETR) ([]PaymentTrack, error) {
	a, ok := h.cfg.Journal.(corridor.Archive)
	if !ok {
		return nil, nil
	}
	legs, err := archivedLegs(ctx, a, uetr)
	var out []PaymentTrack
	for _, rec := range legs {
		if pay := rec.Track.Payment; caller.Role == corridor.RoleOperator || caller.BIC == pay.InstructingAgent || caller.BIC == pay.InstructedAgent {
			rec.Track.Archived = true
			out = append(out, rec.Track)
		}
	}
	return out, err
}
