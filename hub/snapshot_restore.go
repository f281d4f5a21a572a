package hub

// restore builds the state an image holds. An image is read back from disk,
// so it is input: restore checks what the state's own code relies on (every
// seq an index names is a payment, every participant has its inbox and its
// accounts, the books agree with the ledger, every count is within its
// bound), refuses anything else with an error naming it, and never panics.
// What it cannot check, whether the state is the one the journal reached, the
// state hash and the journal's entry hash check (see loadSnapshot).

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/screening"
	"github.com/corridor-network/corridor/settlement"
)

// errImage starts every error of restore.
var errImage = errors.New("snapshot state")

func imageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errImage, fmt.Sprintf(format, args...))
}

// restore builds the state.
func (im *image) restore(hubBIC corridor.BIC) (*state, error) {
	s := newState(hubBIC)
	s.lastSeq, s.transfers, s.booked, s.cycles = im.LastSeq, im.Transfers, im.Booked, im.Cycles
	if err := restoreConfig(s, im.Config); err != nil {
		return nil, err
	}
	var err error
	if s.ledger, err = ledger.Restore(im.Ledger); err != nil {
		return nil, err
	}
	if err := s.restoreMembers(im); err != nil {
		return nil, err
	}
	if err := s.restoreLedgerCounts(im); err != nil {
		return nil, err
	}
	if err := s.restorePayments(im); err != nil {
		return nil, err
	}
	if err := s.restoreIndexes(im); err != nil {
		return nil, err
	}
	if err := s.restoreSettlement(im); err != nil {
		return nil, err
	}
	if err := s.restoreScreening(im.Screening); err != nil {
		return nil, err
	}
	if err := s.restoreRest(im); err != nil {
		return nil, err
	}
	// What a replay leaves to publish: every membership, the screener and
	// the revoked operators.
	s.republish = sortedKeys(s.participants)
	s.screening.changed, s.operatorsChanged = true, true
	return s, nil
}

// restoreConfig checks c as the configuration command checks it.
func restoreConfig(s *state, c configCmd) error {
	for _, cur := range c.NetCurrencies {
		if !cur.Valid() {
			return imageErr("net currency %.3q is not processable", string(cur))
		}
	}
	if err := checkCalendars(c.Calendars); err != nil {
		return imageErr("%v", err)
	}
	if math.IsNaN(c.ScreeningThreshold) || c.ScreeningThreshold < 0 || c.ScreeningThreshold > 1 {
		return imageErr("screening threshold %v is not a score from 0 to 1", c.ScreeningThreshold)
	}
	if c.Messages < MessagesLegacy || c.Messages > MessagesCurrent {
		return imageErr("message rules %d are not %d to %d", c.Messages, MessagesLegacy, MessagesCurrent)
	}
	s.config = c
	return nil
}

func (s *state) restoreMembers(im *image) error {
	if len(im.Participants) > MaxParticipants || len(im.Inboxes) != len(im.Participants) {
		return imageErr("%d participants with %d inboxes", len(im.Participants), len(im.Inboxes))
	}
	for _, m := range im.Participants {
		if err := m.Validate(); err != nil {
			return imageErr("participant %.11s: %v", m.BIC, err)
		}
		if s.participants[m.BIC] != nil || len(m.Certificates) > MaxCertificates || validPolicy(m.Policy) != nil {
			return imageErr("participant %s is twice, or its certificates or relationships are out of bounds", m.BIC)
		}
		for _, cur := range m.Currencies {
			if _, ok := s.ledger.Account(ledger.Settlement(m.BIC, cur)); !ok {
				return imageErr("participant %s has no %s account", m.BIC, cur)
			}
		}
		s.participants[m.BIC] = &m
	}
	for _, ii := range im.Inboxes {
		if s.participants[ii.BIC] == nil || s.inboxes[ii.BIC] != nil {
			return imageErr("inbox of %.11s: not a participant's, or twice", ii.BIC)
		}
		in, err := restoreInbox(ii)
		if err != nil {
			return err
		}
		s.inboxes[ii.BIC] = in
	}
	return nil
}

func restoreInbox(ii inboxImage) (*inbox, error) {
	if len(ii.Messages) >= MaxInboxMessages+inboxOverflow {
		return nil, imageErr("inbox of %s holds %d messages", ii.BIC, len(ii.Messages))
	}
	in := &inbox{next: ii.Next, messages: make([]*inboxMsg, len(ii.Messages))}
	var last uint64
	for i, m := range ii.Messages {
		if m.Seq <= last || m.Seq > ii.Next {
			return nil, imageErr("inbox of %s: message %d after %d, with %d the last delivered", ii.BIC, m.Seq, last, ii.Next)
		}
		last = m.Seq
		if m.Page != nil {
			if err := m.Page.check(); err != nil {
				return nil, imageErr("inbox of %s: message %d: %v", ii.BIC, m.Seq, err)
			}
		}
		if n := btoi(m.Page != nil) + btoi(m.Status != nil) + btoi(m.Notification != nil); n > 1 || (n == 1 && m.Body != nil) {
			return nil, imageErr("inbox of %s: message %d: a body and what to write it from, or two of those", ii.BIC, m.Seq)
		}
		in.messages[i] = &inboxMsg{InboxMessage: m.InboxMessage, sender: m.Sender, later: laterBody{page: m.Page, status: m.Status, notification: m.Notification}}
	}
	return in, nil
}

// restoreLedgerCounts checks that the hub's counters agree with the
// ledger: checkBooks asserts the first after every command, and the next
// transfer ID must be one the ledger has not applied.
func (s *state) restoreLedgerCounts(im *image) error {
	if s.booked != s.ledger.Transfers() {
		return imageErr("%d transfers booked, the ledger applied %d", s.booked, s.ledger.Transfers())
	}
	if n := len(im.Ledger.Applied); n > 0 && im.Ledger.Applied[n-1].Last > s.transfers {
		return imageErr("transfer %d applied, the last assigned is %d", im.Ledger.Applied[n-1].Last, s.transfers)
	}
	return nil
}

// validStages are the stages a payment can be in.
var validStages = []stage{accepted, inCycle, settledStage, rejectedStage, queuedStage, limitedStage, heldStage, warehoused}

func (s *state) restorePayments(im *image) error {
	for i := range im.Payments {
		pi := &im.Payments[i]
		if pi.Seq == 0 || pi.Seq > s.lastSeq || s.bySeq[pi.Seq] != nil {
			return imageErr("payment seq %d is zero, twice or after the last entry %d", pi.Seq, s.lastSeq)
		}
		if !slices.Contains(validStages, stage{pi.Status, pi.Wait}) {
			return imageErr("payment %d is %s/%s, not a stage", pi.Seq, pi.Status, pi.Wait)
		}
		p := &payment{seq: pi.Seq, ref: pi.Ref, cmd: pi.Cmd.restore(), msgDef: pi.MsgDef, status: pi.Status, wait: pi.Wait, reason: pi.Reason,
			detail: pi.Detail, events: pi.Events, screening: pi.Screening, returnReason: pi.ReturnReason,
			returning: pi.Returning, returned: pi.Returned, cancel: pi.Cancel, message: pi.Message}
		if pi.ScreeningOfCmd {
			if pi.Screening != nil || p.cmd.Screening == nil {
				return imageErr("payment %d: its screening is both its command's and its own, or neither", pi.Seq)
			}
			p.screening = p.cmd.Screening
		}
		if pi.ReturnFX != nil {
			cv, err := pi.ReturnFX.Restore()
			if err != nil {
				return imageErr("payment %d: %v", pi.Seq, err)
			}
			p.returnFX = &cv
		}
		s.bySeq[p.seq] = p
	}
	for _, pi := range im.Payments {
		if pi.Orig == 0 {
			continue
		}
		orig := s.bySeq[pi.Orig]
		if orig == nil || pi.Orig == pi.Seq {
			return imageErr("payment %d returns payment %d, which is not one", pi.Seq, pi.Orig)
		}
		s.bySeq[pi.Seq].orig = orig
	}
	return nil
}

// payment is the payment seq names, or an error naming what named it.
func (s *state) paymentAt(seq uint64, what string) (*payment, error) {
	p := s.bySeq[seq]
	if p == nil {
		return nil, imageErr("%s names payment %d, which is not one", what, seq)
	}
	return p, nil
}

func (s *state) restoreIndexes(im *image) error {
	for _, l := range im.Legs {
		p, err := s.paymentAt(l.Seq, "a leg")
		if err != nil {
			return err
		}
		k := legKey{l.UETR, l.Sender}
		if s.payments[k] != nil {
			return imageErr("leg %s of %s is twice", l.UETR, l.Sender)
		}
		s.payments[k] = p
	}
	for _, idx := range []struct {
		from  []msgImage
		to    map[msgKey]*payment
		cases bool
	}{{im.MsgIDs, s.byMsgID, false}, {im.CaseMsgs, s.caseMsgs, true}} {
		for _, m := range idx.from {
			p, err := s.paymentAt(m.Seq, "a message reference")
			if err != nil {
				return err
			}
			k := msgKey{m.Sender, m.MsgID}
			if idx.to[k] != nil {
				return imageErr("message reference %.40q of %s is twice", m.MsgID, m.Sender)
			}
			idx.to[k] = p
			if idx.cases {
				p.caseKeys = append(p.caseKeys, k)
			}
		}
	}
	for _, u := range im.UETRs {
		if s.byUETR[u.UETR] != nil || len(u.Seqs) == 0 {
			return imageErr("UETR %.36s is twice or has no payment", u.UETR)
		}
		ps := make([]*payment, len(u.Seqs))
		for i, seq := range u.Seqs {
			p, err := s.paymentAt(seq, "a UETR")
			if err != nil {
				return err
			}
			ps[i] = p
		}
		s.byUETR[u.UETR] = ps
	}
	return nil
}

func (s *state) restoreSettlement(im *image) error {
	var err error
	if s.queue, err = settlement.RestoreQueue(im.Queue); err != nil {
		return err
	}
	if s.gate, err = settlement.RestoreGate(im.Gate); err != nil {
		return err
	}
	if im.Gate.Carry != (s.config.Messages < MessagesLimitDay) {
		return imageErr("the limit gate carries pending payments %v under message rules %d", im.Gate.Carry, s.config.Messages)
	}
	s.queue.SetReserves(s.gate)
	if im.Cycle != nil {
		if s.cycle, err = settlement.RestoreCycle(*im.Cycle); err != nil {
			return err
		}
	}
	if s.rates, err = settlement.RestoreRates(im.Rates); err != nil {
		return err
	}
	if s.quotes, err = settlement.RestoreQuotes(im.Quotes); err != nil {
		return err
	}
	if s.offers, err = settlement.RestoreOffers(im.Offers); err != nil {
		return err
	}
	s.rounding, err = settlement.RestoreRounding(im.Rounding)
	return err
}

func (s *state) restoreScreening(sc screeningImage) error {
	if len(sc.Lists) > MaxLists || len(sc.Whitelist) > MaxWhitelist {
		return imageErr("%d lists, %d confirmed false positives", len(sc.Lists), len(sc.Whitelist))
	}
	lists := make(map[string]*screening.List, len(sc.Lists))
	for _, l := range sc.Lists {
		if l == nil || lists[l.Name] != nil {
			return imageErr("a list is empty or twice")
		}
		lists[l.Name] = l
	}
	scr, err := buildScreener(lists, s.config.ScreeningThreshold)
	if err != nil {
		return imageErr("lists: %v", err)
	}
	s.screening.lists, s.screening.screener = lists, scr
	for _, w := range sc.Whitelist {
		if _, dup := s.screening.whitelist[w.Key]; dup {
			return imageErr("confirmed false positive %.40q is twice", w.Key.Party)
		}
		s.screening.whitelist[w.Key] = w.By
	}
	for _, seq := range sc.Holds {
		p, err := s.paymentAt(seq, "a hold")
		if err != nil {
			return err
		}
		if s.screening.holds[seq] != nil || scr == nil {
			return imageErr("hold of payment %d is twice, or without a list", seq)
		}
		s.screening.holds[seq] = p
	}
	for _, a := range sc.Approvals {
		if _, held := s.screening.holds[a.Seq]; !held {
			return imageErr("a release of payment %d, which is not held", a.Seq)
		}
		if _, dup := s.screening.approvals[a.Seq]; dup {
			return imageErr("the release of payment %d is twice", a.Seq)
		}
		s.screening.approvals[a.Seq] = a.Approval
	}
	return nil
}

func (s *state) restoreRest(im *image) error {
	if len(im.RevokedOperators) > MaxRevokedOperators {
		return imageErr("%d revoked operator certificates", len(im.RevokedOperators))
	}
	for _, serial := range im.RevokedOperators {
		if serial == "" || s.revokedOperators[serial] {
			return imageErr("revoked operator certificate %.64q is empty or twice", serial)
		}
		s.revokedOperators[serial] = true
	}
	if err := s.restoreBooks(im.Books); err != nil {
		return err
	}
	for _, bic := range im.Camt054 {
		if s.participants[bic] == nil || s.camt054[bic] {
			return imageErr("camt.054 for %.11s, not a participant or twice", bic)
		}
		s.camt054[bic] = true
	}
	for _, d := range im.Defunds {
		k := msgKey{d.Sender, d.MsgID}
		if _, dup := s.defunds[k]; dup {
			return imageErr("defunding %.40q of %s is twice", d.MsgID, d.Sender)
		}
		s.defunds[k] = d.Result
	}
	for _, d := range im.Days {
		if _, ok := s.calendar(d.Currency); !ok || s.days[d.Currency] != nil || d.Day.Day.Currency != d.Currency {
			return imageErr("business day of %.3s: no calendar, twice, or of another currency", d.Currency)
		}
		day := d.Day
		s.days[d.Currency] = &day
	}
	for _, seq := range im.Warehouse {
		if _, err := s.paymentAt(seq, "the warehouse"); err != nil {
			return err
		}
	}
	s.warehouse = im.Warehouse
	return s.restoreFinals(im.Finals)
}

// restoreFinals checks the UETRs retention waits on: only with retention,
// each a UETR, at most one per final payment ever (each adds one, and a
// UETR not ready yet goes back once), none in the future.
func (s *state) restoreFinals(fs []finalEntry) error {
	if len(fs) > 0 && s.config.Retention == 0 {
		return imageErr("%d UETRs wait for retention, which is off", len(fs))
	}
	if uint64(len(fs)) > s.lastSeq+uint64(len(s.bySeq)) {
		return imageErr("%d UETRs wait for retention, more than payments", len(fs))
	}
	for _, f := range fs {
		if _, err := corridor.ParseUETR(string(f.UETR)); err != nil {
			return imageErr("a UETR waiting for retention: %v", err)
		}
	}
	s.finals = fs
	return nil
}

// restoreBooks checks that every book is a settlement account's, within
// its bounds, and at the ledger's balance, as checkBooks asserts.
func (s *state) restoreBooks(books []bookImage) error {
	for _, bi := range books {
		a, ok := s.ledger.Account(bi.Account)
		if !ok || bi.Account.Kind != ledger.KindSettlement || s.books[bi.Account] != nil {
			return imageErr("book of %s: not a settlement account, or twice", bi.Account)
		}
		b := bi.Book
		if b.Balance != a.Balance() {
			return imageErr("book of %s at %d, the ledger at %d", bi.Account, b.Balance, a.Balance())
		}
		if len(b.Entries) > MaxAccountEntries || len(b.Statements) > MaxStatementsKept || len(b.Days) > maxDayRuns {
			return imageErr("book of %s holds %d entries, %d statements and %d days", bi.Account, len(b.Entries), len(b.Statements), len(b.Days))
		}
		if err := b.checkNumbers(); err != nil {
			return imageErr("book of %s: %v", bi.Account, err)
		}
		s.books[bi.Account] = &b
	}
	for _, a := range s.ledger.Accounts() { // Every transfer is booked: an account that moved has its book.
		if a.ID.Kind == ledger.KindSettlement && (a.DebitsPosted > 0 || a.CreditsPosted > 0) && s.books[a.ID] == nil {
			return imageErr("account %s moved and has no book", a.ID)
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
