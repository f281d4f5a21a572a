package hub

// The snapshot image: the whole state as plain values, which capture copies
// on the sequencer and encodeImage writes off it. A payment is in payments,
// byMsgID, byUETR, bySeq, caseMsgs, the screening holds and a return's orig
// by pointer; the image holds each payment once, by its seq, and every
// index as the seqs it points to, written as it is (not derived again), so
// that restore gives back the same maps pointing at the same payments.
//
// capture copies everything the sequencer may change after it returns:
// maps, slices that are changed in place (certificates, the warehouse,
// statements), the payments' cases. It shares what is never
// changed once made: message bodies, screening records and lists, the
// journaled commands' own values. A payment's events and a book's entries
// are shared too (they are most of what a copy would cost): a book only
// appends entries and drops them from the front; events are only appended
// to, and the
// one place that takes some back (a return that fails, return.go) takes
// only what its own command appended, past the length any durable state,
// and so any image, has.

import (
	"cmp"
	"maps"
	"runtime"
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/screening"
	"github.com/corridor-network/corridor/settlement"
)

// image is the state as a snapshot holds it. Every field of state but the
// scratch ones (notInSum says which) has its place here; TestSnapshotImage
// fails when a field of state, or of a type it holds, is added without one.
type image struct {
	LastSeq      uint64
	Participants []member // By BIC.
	Inboxes      []inboxImage
	Ledger       ledger.Snapshot
	Transfers    ledger.TransferID
	Booked       uint64

	Payments []paymentImage // Every payment, by seq: bySeq.
	Legs     []legImage     // payments.
	MsgIDs   []msgImage     // byMsgID.
	UETRs    []uetrImage    // byUETR.
	CaseMsgs []msgImage     // caseMsgs.

	RevokedOperators []string // Sorted.
	Queue            settlement.QueueSnapshot
	Cycle            *settlement.CycleSnapshot
	Cycles           uint64
	Rates            []settlement.RateSnapshot
	Quotes           []settlement.QuoteSnapshot
	Offers           []settlement.OfferSnapshot
	Rounding         []settlement.AccrualSnapshot
	Config           configCmd
	Screening        screeningImage
	Books            []bookImage    // By account.
	Camt054          []corridor.BIC // Sorted.
	Gate             settlement.GateSnapshot
	Defunds          []defundImage // By sender and message reference.
	Days             []dayImage    // By currency.
	Warehouse        []uint64      // In order.
	Finals           []finalEntry  // In order.
}

// paymentImage is a payment with its pointers written as seqs.
type paymentImage struct {
	Seq    uint64
	Ref    string
	Cmd    paymentCmdImage
	MsgDef string
	Status corridor.PaymentStatus
	Wait   Wait
	Reason corridor.ReasonCode
	Detail string
	Events []PaymentEvent

	Screening      *screeningRecord `json:",omitempty"` // When it is not Cmd's own.
	ScreeningOfCmd bool             // The payment's screening record is Cmd.Screening, the same one.

	Orig                uint64 // Of a return: the seq of the payment it returns; 0 for none.
	ReturnReason        string
	ReturnFX            *settlement.ConversionSnapshot
	Returning, Returned corridor.Amount
	Cancel              *cancelCase
	Message             [32]byte // SHA-256 of the message as received, kept after the message is forgotten.
}

// paymentCmdImage is a paymentCmd with its unexported field exported.
type paymentCmdImage struct {
	Sender    corridor.BIC
	Payment   corridor.Payment
	InstrID   string
	Message   []byte
	Signature string
	Batch     *corridor.BatchProof
	Screening *screeningRecord
	LegacyFX  bool
	Digest    [32]byte
}

// forgettable is what of a payment's command payment.forget clears once it
// is final; the rest of the command never changes once the payment is made.
type forgettable struct {
	message   []byte
	signature string
	batch     *corridor.BatchProof
}

func (c *paymentCmd) forgettable() forgettable {
	return forgettable{message: c.Message, signature: c.Signature, batch: c.Batch}
}

// image is the command with its forgettable part as captured: it reads
// nothing of c that the sequencer may write, so that it may run beside it.
func (c *paymentCmd) image(f forgettable) paymentCmdImage {
	return paymentCmdImage{Sender: c.Sender, Payment: c.Payment, InstrID: c.InstrID, Message: f.message, Signature: f.signature,
		Batch: f.batch, Screening: c.Screening, LegacyFX: c.legacyFX, Digest: c.digest}
}

func (c paymentCmdImage) restore() paymentCmd {
	return paymentCmd{Sender: c.Sender, Payment: c.Payment, InstrID: c.InstrID, Message: c.Message, Signature: c.Signature,
		Batch: c.Batch, Screening: c.Screening, legacyFX: c.LegacyFX, digest: c.Digest}
}

type legImage struct {
	UETR   corridor.UETR
	Sender corridor.BIC
	Seq    uint64
}

type msgImage struct {
	Sender corridor.BIC
	MsgID  string
	Seq    uint64
}

type uetrImage struct {
	UETR corridor.UETR
	Seqs []uint64 // In order.
}

type inboxImage struct {
	BIC      corridor.BIC
	Next     uint64
	Messages []inboxMsgImage // Its reads are not state: a restored inbox counts each message read, as a replayed one does.
}

type inboxMsgImage struct {
	InboxMessage
	Sender corridor.BIC
	Page   *pagePlan              // Of a statement page written when read.
	Status *iso20022.StatusReport // Of a pacs.002 written when read.
	// Notification is of a camt.054 written when read.
	Notification *iso20022.Notification
}

type screeningImage struct {
	Lists     []*screening.List // By name; a list is never changed once loaded.
	Whitelist []whiteImage      // By key.
	Holds     []uint64          // Sorted.
	Approvals []approvalImage   // By seq.
}

type whiteImage struct {
	Key whiteKey
	By  string
}

type approvalImage struct {
	Seq      uint64
	Approval approval
}

type bookImage struct {
	Account ledger.AccountID
	Book    book
}

type defundImage struct {
	Sender corridor.BIC
	MsgID  string
	Result PaymentResult
}

type dayImage struct {
	Currency corridor.Currency
	Day      businessDay
}

// captured is an image as capture leaves it, with what finish makes of
// the payments off the sequencer: capture copies only what may change of a
// payment (small, so that the sequencer is held briefly); the fields that
// never change once the payment is made (its seq, reference, command,
// message definition, screening, original and return reason) and the
// indexes, as seqs, finish reads from the payments themselves. The indexes
// are copies of the state's maps (maps.Clone copies a map's storage whole:
// capture took 13-15 ms for the soak's 38,000 payments with it and 17-18 ms
// walking the maps into lists), walked by finish.
type captured struct {
	im       *image
	payments []capturedPayment
	legs     map[legKey]*payment
	msgIDs   map[msgKey]*payment
	caseMsgs map[msgKey]*payment
	uetrs    map[corridor.UETR][]*payment // byUETR's slices: only ever appended to.
	quotes   settlement.QuotesCapture
}

// capturedPayment is what may change of a payment.
type capturedPayment struct {
	p                   *payment
	status              corridor.PaymentStatus
	wait                Wait
	reason              corridor.ReasonCode
	detail              string
	events              []PaymentEvent
	returnFX            *settlement.Conversion // Never changed in place: a new one replaces it.
	returning, returned corridor.Amount
	cancel              *cancelCase // A copy.
	cmd                 forgettable // Of p.cmd: the part forgotten when it is final (payment.forget); the rest is read as it is.
}

// capture copies s on the sequencer. It sorts nothing and leaves the
// payments to finish, off the sequencer.
func (s *state) capture() *captured {
	im := &image{LastSeq: s.lastSeq, Ledger: s.ledger.Snapshot(), Transfers: s.transfers, Booked: s.booked,
		Queue: s.queue.Snapshot(), Cycles: s.cycles, Rates: s.rates.Snapshot(),
		Offers: s.offers.Snapshot(), Rounding: s.rounding.Snapshot(), Config: s.config.clone(), Gate: s.gate.Snapshot(),
		Warehouse: slices.Clone(s.warehouse), Finals: slices.Clone(s.finals)}
	if s.cycle != nil {
		c := s.cycle.Snapshot()
		im.Cycle = &c
	}
	s.captureMembers(im)
	c := &captured{im: im, quotes: s.quotes.Capture()}
	s.capturePayments(c)
	s.captureScreening(im)
	s.captureRest(im)
	return c
}

// finish writes the payments and the indexes into the image. It reads
// only what no command changes once the payment is made, so it may run
// while the sequencer goes on.
func (c *captured) finish() *image {
	im := c.im
	// In seq order from the start: image.sort would otherwise move every
	// payment's image, hundreds of bytes each, a dozen times over.
	order := make([]int, len(c.payments))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(c.payments[a].p.seq, c.payments[b].p.seq) })
	im.Payments = make([]paymentImage, len(c.payments))
	for i, k := range order {
		cp := &c.payments[k]
		p := cp.p
		pi := paymentImage{Seq: p.seq, Ref: p.ref, Cmd: p.cmd.image(cp.cmd), MsgDef: p.msgDef, Status: cp.status, Wait: cp.wait,
			Reason: cp.reason, Detail: cp.detail, Events: cp.events, ReturnReason: p.returnReason, Returning: cp.returning,
			Returned: cp.returned, Cancel: cp.cancel, Message: p.message}
		if p.screening != nil && p.screening == p.cmd.Screening {
			pi.ScreeningOfCmd = true
		} else {
			pi.Screening = p.screening
		}
		if p.orig != nil {
			pi.Orig = p.orig.seq
		}
		if cp.returnFX != nil {
			cv := cp.returnFX.Snapshot()
			pi.ReturnFX = &cv
		}
		im.Payments[i] = pi
	}
	im.Legs = make([]legImage, 0, len(c.legs))
	for k, p := range c.legs {
		im.Legs = append(im.Legs, legImage{UETR: k.uetr, Sender: k.sender, Seq: p.seq})
	}
	im.MsgIDs, im.CaseMsgs = msgImages(c.msgIDs), msgImages(c.caseMsgs)
	im.Quotes = c.quotes.Snapshot()
	im.UETRs = make([]uetrImage, 0, len(c.uetrs))
	for u, legs := range c.uetrs {
		ui := uetrImage{UETR: u, Seqs: make([]uint64, len(legs))}
		for j, p := range legs {
			ui.Seqs[j] = p.seq
		}
		im.UETRs = append(im.UETRs, ui)
	}
	*c = captured{im: im}
	return im
}

func msgImages(m map[msgKey]*payment) []msgImage {
	out := make([]msgImage, 0, len(m))
	for k, p := range m {
		out = append(out, msgImage{Sender: k.sender, MsgID: k.msgID, Seq: p.seq})
	}
	return out
}

func (s *state) captureMembers(im *image) {
	for bic, m := range s.participants {
		cp := *m
		cp.Currencies = slices.Clone(m.Currencies)
		cp.Certificates = slices.Clone(m.Certificates)
		cp.Policy.Allow = slices.Clone(m.Policy.Allow)
		im.Participants = append(im.Participants, cp)
		assert.That(bic == m.BIC, "participant %s kept under %s", m.BIC, bic)
	}
	for bic, in := range s.inboxes {
		ii := inboxImage{BIC: bic, Next: in.next, Messages: make([]inboxMsgImage, len(in.messages))}
		for i, m := range in.messages {
			ii.Messages[i] = inboxMsgImage{InboxMessage: m.InboxMessage, Sender: m.sender, Page: m.later.page, Status: m.later.status, Notification: m.later.notification}
		}
		im.Inboxes = append(im.Inboxes, ii)
	}
}

// capturePayments copies what may change of every payment, and the
// indexes as the payments they point to. An index holds the payment bySeq
// holds under its seq (mustShare tests it).
func (s *state) capturePayments(c *captured) {
	c.payments = make([]capturedPayment, 0, len(s.bySeq))
	for _, p := range s.bySeq {
		cp := capturedPayment{p: p, status: p.status, wait: p.wait, reason: p.reason, detail: p.detail, events: p.events,
			returnFX: p.returnFX, returning: p.returning, returned: p.returned, cmd: p.cmd.forgettable()}
		if p.cancel != nil {
			cs := *p.cancel
			cp.cancel = &cs
		}
		c.payments = append(c.payments, cp)
	}
	c.legs, c.msgIDs, c.caseMsgs, c.uetrs = maps.Clone(s.payments), maps.Clone(s.byMsgID), maps.Clone(s.caseMsgs), maps.Clone(s.byUETR)
}

func (s *state) captureScreening(im *image) {
	sc := &im.Screening
	for name, l := range s.screening.lists {
		assert.That(name == l.Name, "list %s kept as %s", l.Name, name)
		sc.Lists = append(sc.Lists, l)
	}
	for k, by := range s.screening.whitelist {
		sc.Whitelist = append(sc.Whitelist, whiteImage{Key: k, By: by})
	}
	for seq, p := range s.screening.holds {
		assert.That(seq == p.seq, "held payment %s kept under seq %d", p.ref, seq)
		sc.Holds = append(sc.Holds, seq)
	}
	for seq, a := range s.screening.approvals {
		sc.Approvals = append(sc.Approvals, approvalImage{Seq: seq, Approval: a})
	}
}

func (s *state) captureRest(im *image) {
	im.RevokedOperators = slices.Collect(maps.Keys(s.revokedOperators))
	for id, b := range s.books {
		cp := *b
		// Entries are shared: a book only appends and drops from the front.
		cp.Statements, cp.Kept, cp.Days = slices.Clone(b.Statements), slices.Clone(b.Kept), slices.Clone(b.Days)
		im.Books = append(im.Books, bookImage{Account: id, Book: cp})
	}
	for bic, on := range s.camt054 {
		assert.That(on, "camt.054 of %s kept off", bic)
		im.Camt054 = append(im.Camt054, bic)
	}
	for k, r := range s.defunds {
		im.Defunds = append(im.Defunds, defundImage{Sender: k.sender, MsgID: k.msgID, Result: r})
	}
	for cur, d := range s.days {
		im.Days = append(im.Days, dayImage{Currency: cur, Day: *d})
	}
}

// clone is c sharing no slice with c.
func (c configCmd) clone() configCmd {
	c.NetCurrencies = slices.Clone(c.NetCurrencies)
	c.Calendars = slices.Clone(c.Calendars)
	return c
}

// sort puts every list of im in its fixed order, so that the same state
// gives the same bytes. It runs off the sequencer.
func (im *image) sort(yielding bool) {
	yield := func() {
		if yielding {
			runtime.Gosched() // Between the long sorts: see encodeImage.
		}
	}
	slices.SortFunc(im.Participants, func(a, b member) int { return cmp.Compare(a.BIC, b.BIC) })
	slices.SortFunc(im.Inboxes, func(a, b inboxImage) int { return cmp.Compare(a.BIC, b.BIC) })
	slices.SortFunc(im.Payments, func(a, b paymentImage) int { return cmp.Compare(a.Seq, b.Seq) }) // In order already (finish): one pass.
	yield()
	slices.SortFunc(im.Legs, func(a, b legImage) int { return cmp.Or(cmp.Compare(a.UETR, b.UETR), cmp.Compare(a.Sender, b.Sender)) })
	yield()
	compareMsg := func(a, b msgImage) int { return cmp.Or(cmp.Compare(a.Sender, b.Sender), cmp.Compare(a.MsgID, b.MsgID)) }
	slices.SortFunc(im.MsgIDs, compareMsg)
	yield()
	slices.SortFunc(im.CaseMsgs, compareMsg)
	slices.SortFunc(im.UETRs, func(a, b uetrImage) int { return cmp.Compare(a.UETR, b.UETR) })
	yield()
	slices.Sort(im.RevokedOperators)
	sc := &im.Screening
	slices.SortFunc(sc.Lists, func(a, b *screening.List) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(sc.Whitelist, func(a, b whiteImage) int { return compareWhiteKeys(a.Key, b.Key) })
	slices.Sort(sc.Holds)
	slices.SortFunc(sc.Approvals, func(a, b approvalImage) int { return cmp.Compare(a.Seq, b.Seq) })
	slices.SortFunc(im.Books, func(a, b bookImage) int { return compareAccounts(a.Account, b.Account) })
	slices.Sort(im.Camt054)
	slices.SortFunc(im.Defunds, func(a, b defundImage) int {
		return cmp.Or(cmp.Compare(a.Sender, b.Sender), cmp.Compare(a.MsgID, b.MsgID))
	})
	slices.SortFunc(im.Days, func(a, b dayImage) int { return cmp.Compare(a.Currency, b.Currency) })
}

func compareWhiteKeys(a, b whiteKey) int {
	return cmp.Or(cmp.Compare(a.Party, b.Party), cmp.Compare(a.List, b.List), cmp.Compare(a.Entry, b.Entry))
}

func compareAccounts(a, b ledger.AccountID) int {
	return cmp.Or(cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Owner, b.Owner))
}
