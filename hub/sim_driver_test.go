package hub_test

// The driver of the deterministic simulation (sim_test.go): a world that
// holds a hub on the real SQLite journal, a model of what the hub
// acknowledged, and the random source that picks every command and fault.
// Everything the world does follows from its seed: it iterates slices, never
// maps, so the same seed gives the same commands, the same clock and the
// same state.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/settlement"
	"github.com/corridor-network/corridor/sqlite"
)

// simBank is a participant of the simulation.
type simBank struct {
	bic     corridor.BIC
	name    string
	certs   int // Certificates issued: a registration again rotates.
	revoked int // The first certificates, revoked to make room.
}

// Every bank holds both currencies, so that a return of a converted payment
// settles back as it came (see the gaps in the report: the converted return
// through a provider is not driven).
var simCurrencies = []corridor.Currency{"INR", "RUB"}

// The banks: the first three are there from the start, with the FX
// provider; the last two join on the way.
var simBankBICs = []corridor.BIC{"SIMAINBBXXX", "SIMBRUMMXXX", "SIMCAEADXXX", "SIMPRUMMXXX", "SIMDINBBXXX", "SIMEKZKAXXX"}

// simProvider is the FX provider among the banks.
const simProvider corridor.BIC = "SIMPRUMMXXX"

const (
	simListedName   = "ООО «Нефтегаз Восток»" // On ownList: screening holds payments to it.
	simInitialBanks = 4
)

// simLeg is a payment leg the hub acknowledged, as the model follows it.
type simLeg struct {
	ref        string
	kind       string           // "pacs.008" or "pacs.004".
	pay        corridor.Payment // As the tracker shows it.
	provider   corridor.BIC     // Of a converted payment: who pays its settlement leg.
	status     corridor.PaymentStatus
	wait       hub.Wait
	acceptedAt int     // The step that submitted it.
	orig       *simLeg // Of a return: the payment it returns.
	msg        simSub  // What was submitted, for repeats.
	settled    int     // Times the model saw it settle: at most once.
	// prio is its priority in the RTGS queue as the operator set it: 0 as
	// the payment says, 1 urgent, -1 normal; 2 when an order's outcome is
	// not known (either may hold).
	prio int8
}

// urgentNow reports whether l may settle as an urgent payment, which may
// use its agent's reserve: its own priority, or the one the operator gave
// it in the queue.
func (l *simLeg) urgentNow() bool {
	return l.prio == 1 || l.prio == 2 || (l.prio == 0 && l.pay.Urgent)
}

func (l *simLeg) final() bool {
	return l.status == corridor.StatusSettled || l.status == corridor.StatusRejected
}

// converts reports whether l is a converted payment (PvP through a provider).
func (l *simLeg) converts() bool { return l.kind == "pacs.008" && l.pay.Converts() }

// simSub is a message as a bank submitted it: the same bytes again must be
// a duplicate.
type simSub struct {
	from corridor.BIC
	msg  []byte
	what string
	ref  string // The hub's reference of the first answer.
}

// simCase is an open cancellation case on a settled payment: the creditor
// agent has to answer it.
type simCase struct {
	id  string
	leg *simLeg
}

type simAcct struct {
	bic corridor.BIC
	cur corridor.Currency
}

// simStats counts what a run did, for the report.
type simStats struct {
	Steps, Crashes, Stops, Duplicates, Reorders, Jumps, Refused int
	Payments, Returns, Cancels, Defunds, Settled, Rejected      int
	RefusalSums, LateUTC, LateDay                               int
}

func (s *simStats) add(o simStats) {
	s.Steps += o.Steps
	s.Crashes += o.Crashes
	s.Stops += o.Stops
	s.Duplicates += o.Duplicates
	s.Reorders += o.Reorders
	s.Jumps += o.Jumps
	s.Refused += o.Refused
	s.Payments += o.Payments
	s.Returns += o.Returns
	s.Cancels += o.Cancels
	s.Defunds += o.Defunds
	s.Settled += o.Settled
	s.Rejected += o.Rejected
	s.RefusalSums += o.RefusalSums
	s.LateUTC += o.LateUTC
	s.LateDay += o.LateDay
}

// simWorld is one run of the simulation.
type simWorld struct {
	tb    testing.TB
	seed  uint64
	steps int
	rng   *rand.Rand
	cfg   hub.Config
	cals  []settlement.Calendar
	root  string // Where the journal directories live.
	dir   string // The journal directory the hub runs on.
	clock *clock

	h      *hub.Hub
	db     *sqlite.DB
	cancel context.CancelFunc
	done   chan error

	step int    // Steps taken.
	what string // The command of the step, for a failure.
	n    int    // Messages made: each has its own references.

	banks  []*simBank
	legs   []*simLeg
	byRef  map[string]*simLeg
	open   []*simLeg // Legs not final, in acceptance order.
	moved  []*simLeg // Legs that became final in the step.
	subs   []simSub  // Acknowledged submissions, for repeats.
	cases  []simCase
	quotes []hub.FXQuote
	listed bool // The sanctions list is loaded.

	funded   map[corridor.Currency]int64 // Funded in from outside less defunded, per currency.
	balances map[simAcct]int64           // What every settlement account must hold.
	limits   map[simAcct][]simLimits     // Every limit set, per lane, in order.
	usage    map[simDayLane]*simUsage    // Settled flows per lane and business day.
	seen     map[corridor.BIC]uint64     // The last inbox message read.
	reports  map[string]*simReports      // What the hub wrote of each reference.

	before simSnapshot // The hub's views at the start of the step.
	trace  []string    // Every step, with the journal seq after it.
	stats  simStats
}

// newSimWorld builds the world of seed on a new journal in a temporary
// directory; the hub's configuration (net currencies, calendars) is drawn
// from the seed too.
func newSimWorld(tb testing.TB, seed uint64, steps int) *simWorld {
	tb.Helper()
	w := &simWorld{tb: tb, seed: seed, steps: steps, rng: rand.New(rand.NewPCG(seed, 0x5eed_c0de_0f_c0dd)),
		root: tb.TempDir(), clock: &clock{t: businessDay}, byRef: map[string]*simLeg{},
		funded: map[corridor.Currency]int64{}, balances: map[simAcct]int64{}, limits: map[simAcct][]simLimits{},
		usage: map[simDayLane]*simUsage{}, seen: map[corridor.BIC]uint64{}, reports: map[string]*simReports{}}
	w.dir = filepath.Join(w.root, "journal")
	if w.rng.IntN(2) == 0 {
		w.cfg.NetCurrencies = []corridor.Currency{"RUB"}
	}
	if w.rng.IntN(2) == 0 {
		w.cals = testCalendars(tb)
		w.cfg.Calendars = w.cals
	}
	if w.rng.IntN(2) == 0 { // Final payments leave memory for the archive after a while.
		w.cfg.Retention = time.Duration(1+w.rng.IntN(600)) * time.Second
	}
	w.start()
	tb.Cleanup(func() {
		if w.h != nil {
			w.close()
		}
	})
	return w
}

// start starts a hub on the journal in w.dir with w's clock.
func (w *simWorld) start() {
	ctx := context.Background()
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		w.tb.Fatal(err)
	}
	db, err := sqlite.Open(ctx, filepath.Join(w.dir, "corridor.db"))
	if err != nil {
		w.fail("open store: %v", err)
	}
	cfg := w.cfg
	cfg.BIC, cfg.Journal, cfg.Now, cfg.Logger = hubBIC, db.Journal(), w.clock.Now, slog.New(slog.DiscardHandler)
	h, err := hub.Open(ctx, cfg)
	if err != nil {
		_ = db.Close() // The open failed; the failure below says why.
		w.fail("open hub: %v", err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	t0 := w.now()
	go func() { done <- h.Run(runCtx) }()
	w.h, w.db, w.cancel, w.done = h, db, cancel, done
	// A new journal's first command, the configuration, is in the queue
	// before Run starts, and the first request may share its batch or not:
	// one reading of the clock or two. Once both ran, the clock moves on to
	// a time of its own, so that the run stays the same whatever the
	// goroutines did.
	w.seq()
	w.clock.set(t0.Add(time.Second))
}

// close stops the sequencer and closes the store: a clean stop.
func (w *simWorld) close() {
	w.cancel()
	err := <-w.done
	cerr := w.db.Close()
	w.h = nil
	if err != nil || cerr != nil {
		w.fail("stop hub: %v; close store: %v", err, cerr)
	}
}

// restart stops the hub and opens it again on its journal. A crash copies
// the journal's files as they are on disk while the hub still runs (what a
// power cut leaves: the database and its write-ahead log, without the
// shared-memory index, which SQLite rebuilds) and opens the copy; the old
// process is then stopped and never looked at again. A stop closes the
// hub cleanly and opens the same directory. Either way the replayed state
// must be the acknowledged state, hash for hash, and every acknowledged leg
// must be found where the model left it.
func (w *simWorld) restart(crash bool) {
	sum, seq := w.sum()
	if crash {
		w.stats.Crashes++
		dir := filepath.Join(w.root, fmt.Sprintf("crash%d", w.stats.Crashes))
		w.copyJournal(dir)
		w.close()
		w.dir = dir
	} else {
		w.stats.Stops++
		w.close()
	}
	w.start()
	sum2, seq2 := w.sum()
	if sum2 != sum || seq2 != seq {
		w.fail("replayed state %x at seq %d; before the %s it was %x at seq %d", sum2[:8], seq2, map[bool]string{true: "crash", false: "stop"}[crash], sum[:8], seq)
	}
	w.sweep(w.legs)
}

// copyJournal copies the journal's files, all but SQLite's shared-memory
// index, to dir.
func (w *simWorld) copyJournal(dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.tb.Fatal(err)
	}
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		w.tb.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), "-shm") {
			continue
		}
		if err := copyFileTo(filepath.Join(w.dir, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			w.tb.Fatal(err)
		}
	}
}

func copyFileTo(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		return errors.Join(err, out.Close())
	}
	return out.Close()
}

// fail stops the run, naming the seed, the step and its command, and how to
// run it again.
func (w *simWorld) fail(format string, args ...any) {
	w.tb.Helper()
	w.tb.Fatalf("simulation seed %d (net %v, calendars %d), step %d (%s): %s\nreproduce: go test ./hub -run 'TestSim$' -sim.seed=%d -sim.steps=%d",
		w.seed, w.cfg.NetCurrencies, len(w.cals), w.step, w.what, fmt.Sprintf(format, args...), w.seed, w.steps)
}

func (w *simWorld) sum() ([32]byte, uint64) {
	sum, seq, err := w.h.StateSum(context.Background())
	if err != nil {
		w.fail("state sum: %v", err)
	}
	return sum, seq
}

// seq is the last journal seq, from the hub's statistics: cheaper than the
// state hash, which writes the whole state.
func (w *simWorld) seq() uint64 {
	st, err := w.h.Stats(context.Background())
	if err != nil {
		w.fail("stats: %v", err)
	}
	return st.Seq
}

// now is the clock's time, without moving it.
func (w *simWorld) now() time.Time {
	w.clock.mu.Lock()
	defer w.clock.mu.Unlock()
	return w.clock.t
}

// calendar is cur's calendar, when the hub has calendars.
func (w *simWorld) calendar(cur corridor.Currency) (settlement.Calendar, bool) {
	i := slices.IndexFunc(w.cals, func(c settlement.Calendar) bool { return c.Currency == cur })
	if i < 0 {
		return settlement.Calendar{}, false
	}
	return w.cals[i], true
}

// today is cur's business date at the start of the step: its open day with
// a calendar, else the UTC date of the clock.
func (w *simWorld) today(cur corridor.Currency) corridor.Date {
	if _, ok := w.calendar(cur); ok {
		return w.before.days[cur].Date
	}
	return corridor.DateOf(w.now().UTC())
}

// netted reports whether cur settles in net cycles.
func (w *simWorld) netted(cur corridor.Currency) bool {
	return slices.Contains(w.cfg.NetCurrencies, cur)
}

// act runs one step: f submits a command or injects a fault; the
// invariants are checked after it.
func (w *simWorld) act(what string, f func()) {
	w.step++
	w.stats.Steps++
	w.what = what
	w.snapshot()
	f()
	w.check()
}

// submit hands msg to the hub as from sent it, the way the API does
// (decoded, then submitted). A refusal must change nothing: the journal does
// not move, and now and then the whole state hash is compared too.
func (w *simWorld) submit(from corridor.BIC, msg []byte) (hub.PaymentResult, error) {
	full := w.step%8 == 0
	var sum0 [32]byte
	var seq0 uint64
	if full {
		sum0, seq0 = w.sum()
	} else {
		seq0 = w.seq()
	}
	res, err := submitMessage(w.tb, w.h, from, msg)
	if err == nil {
		return res, nil
	}
	w.stats.Refused++
	if full {
		w.stats.RefusalSums++
		if sum1, seq1 := w.sum(); sum1 != sum0 || seq1 != seq0 {
			w.fail("refused (%v), yet the state changed: %x at seq %d, then %x at %d", err, sum0[:8], seq0, sum1[:8], seq1)
		}
	} else if seq1 := w.seq(); seq1 != seq0 {
		w.fail("refused (%v), yet the journal moved from seq %d to %d", err, seq0, seq1)
	}
	return res, err
}

// accepted records the leg the hub acknowledged in res for sub: from here
// on it must never be lost.
func (w *simWorld) accepted(sub simSub, kind string, res hub.PaymentResult, want corridor.Payment, orig *simLeg, provider corridor.BIC) *simLeg {
	if res.Reference == "" || res.Duplicate {
		w.fail("acknowledged %+v; want a new reference", res)
	}
	if w.byRef[res.Reference] != nil {
		w.fail("reference %s given twice", res.Reference)
	}
	sub.ref = res.Reference
	l := &simLeg{ref: res.Reference, kind: kind, pay: want, provider: provider, acceptedAt: w.step, orig: orig, msg: sub}
	w.legs = append(w.legs, l)
	w.byRef[l.ref] = l
	w.open = append(w.open, l)
	w.subs = append(w.subs, sub)
	w.sweep([]*simLeg{l})
	if l.status != res.Status || l.wait != res.Wait {
		w.fail("%s answered %s/%s; the tracker says %s/%s", l.ref, res.Status, res.Wait, l.status, l.wait)
	}
	tp := l.pay
	if tp.InstructingAgent != want.InstructingAgent || tp.InstructedAgent != want.InstructedAgent || tp.Amount != want.Amount || tp.Currency != want.Currency {
		w.fail("%s tracked as %s %s %s→%s; submitted %s %s %s→%s", l.ref, tp.Amount.Format(tp.Currency), tp.Currency, tp.InstructingAgent,
			tp.InstructedAgent, want.Amount.Format(want.Currency), want.Currency, want.InstructingAgent, want.InstructedAgent)
	}
	return l
}

// nextID numbers a new message.
func (w *simWorld) nextID() int {
	w.n++
	return w.n
}

func (w *simWorld) pick(n int) int { return w.rng.IntN(n) }

func (w *simWorld) chance(percent int) bool { return w.rng.IntN(100) < percent }

// bank is a random registered bank.
func (w *simWorld) bank() *simBank { return w.banks[w.pick(len(w.banks))] }

// twoBanks are two different registered banks.
func (w *simWorld) twoBanks() (*simBank, *simBank) {
	i := w.pick(len(w.banks))
	j := (i + 1 + w.pick(len(w.banks)-1)) % len(w.banks)
	return w.banks[i], w.banks[j]
}

// amount is a payment amount: mostly small, now and then one that queues.
func (w *simWorld) amount() corridor.Amount {
	switch w.pick(10) {
	case 0:
		return corridor.Amount(1 + w.rng.Int64N(99))
	case 1, 2:
		return corridor.Amount(5_000_00 + w.rng.Int64N(20_000_00))
	}
	return corridor.Amount(100 + w.rng.Int64N(2_000_00))
}

// setUp registers the first banks, funds them, publishes the reference rate
// and the provider's offer, and opens the business days.
func (w *simWorld) setUp() {
	for _, bic := range simBankBICs[:simInitialBanks] {
		w.register(bic)
	}
	if len(w.cals) > 0 {
		for _, c := range w.cals {
			w.openDay(c.Currency)
		}
	}
	w.act("rate INR/RUB 1.0823", func() {
		if err := w.h.PublishRate(context.Background(), hub.FXRate{From: "INR", To: "RUB", Rate: "1.0823"}); err != nil {
			w.fail("publish rate: %v", err)
		}
	})
	for _, b := range w.banks {
		for _, cur := range simCurrencies {
			w.fund(b.bic, cur, corridor.Amount(10_000_00+w.rng.Int64N(40_000_00)))
		}
	}
	w.offer()
}

// next takes one step, drawn from the mix of commands and faults.
func (w *simWorld) next() {
	type choice struct {
		weight int
		f      func()
	}
	choices := []choice{
		{30, w.payRandom},
		{6, w.fxPay},
		{2, w.quoteOnly},
		{2, w.offer},
		{7, w.returnRandom},
		{4, w.cancelRandom},
		{3, w.answerRandom},
		{2, w.cancelQueued},
		{8, w.fundRandom},
		{3, w.defundRandom},
		{3, w.limitsRandom},
		{1, w.registerRandom},
		{3, w.settlementRandom},
		{3, w.screeningRandom},
		{2, w.ackRandom},
		{1, w.moveQueued},
		{6, w.jumpRandom},
		{5, w.duplicate},
		{3, w.reorder},
		{1, func() { w.act("crash", func() { w.restart(true) }) }},
		{1, func() { w.act("stop", func() { w.restart(false) }) }},
	}
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	r := w.pick(total)
	for _, c := range choices {
		if r < c.weight {
			c.f()
			return
		}
		r -= c.weight
	}
}

// register registers bic, or issues it a new certificate when it is known.
func (w *simWorld) register(bic corridor.BIC) {
	i := slices.IndexFunc(w.banks, func(b *simBank) bool { return b.bic == bic })
	var b *simBank
	if i < 0 {
		b = &simBank{bic: bic, name: "Simulated Bank " + string(bic[:4])}
	} else {
		b = w.banks[i]
	}
	w.act("register "+string(bic), func() {
		cert := corridor.Certificate{Serial: simSerial(bic, b.certs), NotAfter: businessDay.AddDate(1, 0, 0)}
		p := corridor.Participant{BIC: bic, Name: b.name, Currencies: simCurrencies}
		if err := w.h.RegisterParticipant(context.Background(), p, cert); err != nil {
			w.fail("register %s: %v", bic, err)
		}
		b.certs++
		if i < 0 {
			w.banks = append(w.banks, b)
		}
	})
}

func (w *simWorld) registerRandom() {
	if len(w.banks) < len(simBankBICs) && w.chance(60) {
		w.register(simBankBICs[len(w.banks)])
		return
	}
	b := w.bank()
	if b.certs-b.revoked >= simMaxCertificates {
		w.act(fmt.Sprintf("revoke %s certificate %d", b.bic, b.revoked), func() {
			if err := w.h.RevokeCertificate(context.Background(), b.bic, simSerial(b.bic, b.revoked)); err != nil {
				w.fail("revoke: %v", err)
			}
			b.revoked++
		})
	}
	w.register(b.bic)
}

// simMaxCertificates is how many valid certificates the hub lets a
// participant hold: a rotation beyond needs a revocation first.
const simMaxCertificates = 8

// simSerial is the serial of bic's n-th certificate.
func simSerial(bic corridor.BIC, n int) string { return fmt.Sprintf("%x-%d", []byte(bic), n) }

func (w *simWorld) fund(bic corridor.BIC, cur corridor.Currency, a corridor.Amount) {
	w.act(fmt.Sprintf("fund %s %s %s", bic, a.Format(cur), cur), func() {
		if err := w.h.Fund(context.Background(), bic, corridor.Money{Amount: a, Currency: cur}); err != nil {
			w.fail("fund: %v", err)
		}
		w.funded[cur] += int64(a)
		w.balances[simAcct{bic, cur}] += int64(a)
	})
}

func (w *simWorld) fundRandom() {
	w.fund(w.bank().bic, simCurrencies[w.pick(2)], corridor.Amount(1_000_00+w.rng.Int64N(20_000_00)))
}

// newPayment is a payment of a from b in cur, dated date.
func (w *simWorld) newPayment(from, to corridor.BIC, cur corridor.Currency, a corridor.Amount, date corridor.Date) corridor.Payment {
	i := w.nextID()
	return corridor.Payment{MsgID: fmt.Sprintf("SIM%08d", i), UETR: corridor.UETR(fmt.Sprintf("%08x-0000-4000-8000-%012x", i, w.seed%(1<<48))),
		EndToEndID: fmt.Sprintf("E2E%08d", i), InstructingAgent: from, InstructedAgent: to, DebtorAgent: from,
		CreditorAgent: to, Amount: a, Currency: cur, SettlementDate: date, Urgent: w.chance(20),
		DebtorName: "Simulated Importer Ltd", CreditorName: "Simulated Exporter LLC"}
}

// paymentDate is the settlement date of a new payment in cur: mostly
// today; with a calendar now and then the next business day (warehoused)
// or yesterday (refused).
func (w *simWorld) paymentDate(cur corridor.Currency) corridor.Date {
	today := w.today(cur)
	cal, ok := w.calendar(cur)
	switch r := w.pick(20); {
	case ok && r == 0:
		return cal.Next(today)
	case r == 1:
		return corridor.DateOf(time.Date(today.Year, time.Month(today.Month), today.Day-1, 12, 0, 0, 0, time.UTC))
	}
	return today
}

// message is the pacs.008 of p, as its instructing agent sends it.
func (w *simWorld) message(p corridor.Payment) []byte {
	msg, err := iso20022.EncodeCustomerCreditTransfer(iso20022.AppHdr{From: p.InstructingAgent, To: p.InstructedAgent,
		BizMsgID: p.MsgID, MsgDefID: "pacs.008.001.08", Created: w.now()}, p, "")
	if err != nil {
		w.fail("encode pacs.008: %v", err)
	}
	return msg
}

func describe(p corridor.Payment) string {
	s := fmt.Sprintf("%s %s %s %s→%s dated %s", p.MsgID, p.Amount.Format(p.Currency), p.Currency, p.InstructingAgent, p.InstructedAgent, p.SettlementDate)
	if p.Urgent {
		s += " urgent"
	}
	if p.Converts() {
		s += fmt.Sprintf(" from %s %s quote %d", p.Instructed.Amount.Format(p.Instructed.Currency), p.Instructed.Currency, p.FXQuote)
	}
	return s
}

// pay submits p as one step.
func (w *simWorld) pay(p corridor.Payment, provider corridor.BIC) {
	w.act("pay "+describe(p), func() { w.payNow(p, provider) })
}

// payNow submits p within the running step.
func (w *simWorld) payNow(p corridor.Payment, provider corridor.BIC) {
	sub := simSub{from: p.InstructingAgent, msg: w.message(p), what: "pay " + describe(p)}
	res, err := w.submit(p.InstructingAgent, sub.msg)
	if err != nil {
		return
	}
	w.stats.Payments++
	w.accepted(sub, "pacs.008", res, p, nil, provider)
}

func (w *simWorld) randomPayment() corridor.Payment {
	from, to := w.twoBanks()
	cur := simCurrencies[w.pick(2)]
	p := w.newPayment(from.bic, to.bic, cur, w.amount(), w.paymentDate(cur))
	if w.listed && w.chance(5) {
		p.CreditorName = simListedName
	}
	return p
}

func (w *simWorld) payRandom() { w.pay(w.randomPayment(), "") }

// offer has the provider publish its two-way INR/RUB quote for an hour.
func (w *simWorld) offer() {
	w.act("offer INR/RUB by "+string(simProvider), func() {
		_, err := w.h.PublishOffer(context.Background(), simProvider, hub.OfferRequest{From: "INR", To: "RUB", Bid: "1.0823", Ask: "1.09",
			Size: 100_000_00, Life: time.Hour})
		if err != nil {
			w.fail("publish offer: %v", err)
		}
	})
}

// quote asks for a quote converting a of INR into RUB for bic; it keeps
// the quote for a later payment.
func (w *simWorld) quote(bic corridor.BIC, a corridor.Amount) (hub.FXQuote, bool) {
	q, err := w.h.Quote(context.Background(), bic, corridor.Money{Amount: a, Currency: "INR"}, "RUB")
	if err != nil {
		return q, false // No live offer with the size: the next offer step publishes one.
	}
	w.quotes = append(w.quotes, q)
	return q, true
}

func (w *simWorld) quoteOnly() {
	b := w.bank()
	a := w.amount()
	w.act(fmt.Sprintf("quote %s INR %s", b.bic, a.Format("INR")), func() { w.quote(b.bic, a) })
}

// fxPay pays a converted payment on a quote: mostly a new one, now and
// then an old one (expired, used or another bank's).
func (w *simWorld) fxPay() {
	var q hub.FXQuote
	if len(w.quotes) > 0 && w.chance(30) {
		q = w.quotes[w.pick(len(w.quotes))]
	} else {
		b := w.bank()
		if b.bic == simProvider {
			return
		}
		a := w.amount()
		ok := false
		w.act(fmt.Sprintf("quote %s INR %s", b.bic, a.Format("INR")), func() { q, ok = w.quote(b.bic, a) })
		if !ok {
			return
		}
	}
	from := q.Requester
	var to corridor.BIC
	for to == "" || to == from {
		to = w.bank().bic
	}
	p := w.newPayment(from, to, "RUB", q.To.Amount, w.today("RUB"))
	p.Instructed, p.FXQuote, p.XchgRate = q.From, q.ID, q.Rate
	if w.chance(10) {
		p.Amount++ // Not the quote's conversion: AM09.
	}
	w.pay(p, q.Provider)
}

// settledLegs are the settled pacs.008 legs, in order.
func (w *simWorld) settledLegs() []*simLeg {
	var out []*simLeg
	for _, l := range w.legs {
		if l.kind == "pacs.008" && l.status == corridor.StatusSettled {
			out = append(out, l)
		}
	}
	return out
}

// returnMessage is the creditor agent's pacs.004 of a of orig.
func (w *simWorld) returnMessage(orig *simLeg, a corridor.Amount, urgent bool) (corridor.Payment, []byte) {
	i := w.nextID()
	created := w.now()
	if _, ok := w.calendar(orig.pay.Currency); ok {
		d := w.today(orig.pay.Currency)
		created = time.Date(d.Year, time.Month(d.Month), d.Day, 12, 0, 0, 0, time.UTC)
	}
	reason := []string{"AC04", "FOCR", "AM09", "CUST"}[w.pick(4)]
	msg, err := iso20022.EncodeReturn(iso20022.Return{MsgID: fmt.Sprintf("RTR%08d", i), ReturnID: fmt.Sprintf("RTRID%06d", i),
		Created: created, Original: orig.pay, Amount: a, Reason: reason, Urgent: urgent})
	if err != nil {
		w.fail("encode pacs.004: %v", err)
	}
	op := orig.pay
	ret := corridor.Payment{MsgID: fmt.Sprintf("RTR%08d", i), UETR: op.UETR, InstructingAgent: op.InstructedAgent,
		InstructedAgent: op.InstructingAgent, Amount: a, Currency: op.Currency, Urgent: urgent, SettlementDate: corridor.DateOf(created.UTC())}
	return ret, msg
}

// returnLeg returns a of orig as one step.
func (w *simWorld) returnLeg(orig *simLeg, a corridor.Amount) {
	urgent := w.chance(20)
	ret, msg := w.returnMessage(orig, a, urgent)
	what := fmt.Sprintf("return %s of %s (%s)", a.Format(ret.Currency), orig.ref, ret.MsgID)
	w.act(what, func() { w.returnNow(orig, ret, msg, what) })
}

func (w *simWorld) returnNow(orig *simLeg, ret corridor.Payment, msg []byte, what string) {
	res, err := w.submit(ret.InstructingAgent, msg)
	if err != nil {
		return
	}
	w.stats.Returns++
	w.accepted(simSub{from: ret.InstructingAgent, msg: msg, what: what}, "pacs.004", res, ret, orig, "")
}

// returnRandom returns a settled payment in full or in part, now and then
// more than is left (refused).
func (w *simWorld) returnRandom() {
	settled := w.settledLegs()
	if len(settled) == 0 {
		w.payRandom()
		return
	}
	orig := settled[w.pick(len(settled))]
	left := orig.pay.Amount - w.returning(orig)
	var a corridor.Amount
	switch r := w.pick(10); {
	case r == 0 || left <= 0:
		a = left + 1 // More than is left: AM09.
	case r < 5:
		a = left
	default:
		a = 1 + corridor.Amount(w.rng.Int64N(int64(left)))
	}
	w.returnLeg(orig, a)
}

// returning is what orig's returns, accepted and not rejected, take of it.
func (w *simWorld) returning(orig *simLeg) corridor.Amount {
	var a corridor.Amount
	for _, l := range w.legs {
		if l.orig == orig && l.status != corridor.StatusRejected {
			a += l.pay.Amount
		}
	}
	return a
}

// cancelRandom sends a camt.056 on a payment: any leg, mostly one not final.
func (w *simWorld) cancelRandom() {
	var cands []*simLeg
	for _, l := range w.legs {
		if l.kind == "pacs.008" && (!l.final() || w.chance(10)) {
			cands = append(cands, l)
		}
	}
	if len(cands) == 0 {
		return
	}
	l := cands[w.pick(len(cands))]
	id := fmt.Sprintf("CXL%08d", w.nextID())
	msg := w.cancelMessage(id, l)
	what := fmt.Sprintf("camt.056 %s on %s (%s %s)", id, l.ref, l.status, l.wait)
	w.act(what, func() { w.cancelNow(id, l, msg, what) })
}

func (w *simWorld) cancelMessage(id string, l *simLeg) []byte {
	msg, err := iso20022.EncodeCancelRequest(iso20022.CancelRequest{ID: id, Created: w.now(), Original: l.pay, Reason: "DUPL"})
	if err != nil {
		w.fail("encode camt.056: %v", err)
	}
	return msg
}

func (w *simWorld) cancelNow(id string, l *simLeg, msg []byte, what string) {
	wasSettled := l.status == corridor.StatusSettled
	res, err := w.submit(l.pay.InstructingAgent, msg)
	if err != nil {
		return
	}
	w.stats.Cancels++
	w.subs = append(w.subs, simSub{from: l.pay.InstructingAgent, msg: msg, what: what, ref: res.Reference})
	if wasSettled {
		w.cases = append(w.cases, simCase{id: id, leg: l})
	}
}

// answerRandom has the creditor agent answer an open case: it refuses, or
// accepts and returns the payment in full.
func (w *simWorld) answerRandom() {
	if len(w.cases) == 0 {
		w.cancelRandom()
		return
	}
	i := w.pick(len(w.cases))
	c := w.cases[i]
	w.cases = slices.Delete(w.cases, i, i+1)
	status, reason := "RJCR", "LEGL"
	if w.chance(50) {
		status, reason = "CNCL", ""
	}
	id := fmt.Sprintf("ANS%08d", w.nextID())
	msg, err := iso20022.EncodeResolution(answer(id, c.id, c.leg.pay, status, reason))
	if err != nil {
		w.fail("encode camt.029: %v", err)
	}
	w.act(fmt.Sprintf("camt.029 %s %s on case %s of %s", id, status, c.id, c.leg.ref), func() {
		_, _ = w.submit(c.leg.pay.InstructedAgent, msg) // A case closed meanwhile is refused; submit checks that nothing changed.
	})
	if status == "CNCL" {
		if left := c.leg.pay.Amount - w.returning(c.leg); left > 0 {
			w.returnLeg(c.leg, left)
		}
	}
}

// cancelQueued has the instructing agent (or the operator) take a waiting
// payment out through the API.
func (w *simWorld) cancelQueued() {
	if len(w.open) == 0 {
		return
	}
	l := w.open[w.pick(len(w.open))]
	caller := corridor.Identity{Role: corridor.RoleParticipant, BIC: l.pay.InstructingAgent}
	if w.chance(30) {
		caller = corridor.Identity{Role: corridor.RoleOperator}
	}
	w.act(fmt.Sprintf("cancel %s (%s %s) by %s", l.ref, l.status, l.wait, caller.BIC), func() {
		seq0 := w.seq()
		if _, err := w.h.CancelPayment(context.Background(), caller, l.pay.UETR); err != nil {
			w.stats.Refused++
			if seq1 := w.seq(); seq1 != seq0 {
				w.fail("cancel refused (%v), yet the journal moved from seq %d to %d", err, seq0, seq1)
			}
		}
	})
}

// moveQueued reorders a queued payment on the operator's order.
func (w *simWorld) moveQueued() {
	var cands []*simLeg
	for _, l := range w.open {
		if l.wait == hub.WaitQueue {
			cands = append(cands, l)
		}
	}
	if len(cands) == 0 {
		return
	}
	l := cands[w.pick(len(cands))]
	front, urgent := w.chance(50), w.chance(50)
	w.act(fmt.Sprintf("move %s front=%v urgent=%v", l.ref, front, urgent), func() {
		var err error
		if w.chance(50) {
			err = w.h.MoveQueued(context.Background(), l.pay.UETR, front)
		} else {
			err = w.h.PrioritiseQueued(context.Background(), l.pay.UETR, urgent)
			switch {
			case err == nil && urgent:
				l.prio = 1
			case err == nil:
				l.prio = -1
			case errors.Is(err, corridor.ErrOutcomeUnknown):
				l.prio = 2
			}
		}
		if err != nil {
			w.stats.Refused++
		}
	})
}

// defundRandom has a bank take liquidity out by pacs.009: mostly what it
// has, now and then more (refused AM04).
func (w *simWorld) defundRandom() {
	b := w.bank()
	cur := simCurrencies[w.pick(2)]
	avail := w.before.avail[simAcct{b.bic, cur}]
	a := corridor.Amount(1 + w.rng.Int64N(max(1, avail/2+1)))
	if w.chance(15) {
		a = corridor.Amount(avail + 1)
	}
	i := w.nextID()
	created := w.now()
	if _, ok := w.calendar(cur); ok {
		d := w.today(cur)
		created = time.Date(d.Year, time.Month(d.Month), d.Day, 12, 0, 0, 0, time.UTC)
	}
	d := iso20022.Defund{MsgID: fmt.Sprintf("DEF%08d", i), UETR: corridor.UETR(fmt.Sprintf("%08x-0000-4000-9000-%012x", i, i)),
		Created: created, From: b.bic, Hub: hubBIC, Amount: corridor.Money{Amount: a, Currency: cur}}
	what := fmt.Sprintf("defund %s %s %s (%s)", b.bic, a.Format(cur), cur, d.MsgID)
	w.act(what, func() {
		msg, err := iso20022.EncodeDefund(d)
		if err != nil {
			w.fail("encode pacs.009: %v", err)
		}
		res, err := w.submit(b.bic, msg)
		if err != nil {
			return
		}
		if res.Status != corridor.StatusSettled {
			w.fail("defund answered %+v; want ACSC", res)
		}
		w.stats.Defunds++
		w.funded[cur] -= int64(a)
		w.balances[simAcct{b.bic, cur}] -= int64(a)
		w.subs = append(w.subs, simSub{from: b.bic, msg: msg, what: what, ref: res.Reference})
	})
}

// limitsRandom sets a bank's reserve and sender limits in a currency, or
// takes them off.
func (w *simWorld) limitsRandom() {
	b := w.bank()
	cur := simCurrencies[w.pick(2)]
	var l settlement.Limits
	l.Currency = cur
	if !w.chance(25) {
		if w.chance(60) {
			l.Reserve = corridor.Amount(w.rng.Int64N(20_000_00))
		}
		if w.chance(50) {
			l.Multilateral = corridor.Amount(1_000_00 + w.rng.Int64N(30_000_00))
		}
		if w.chance(50) {
			o := w.bank()
			if o.bic != b.bic {
				l.Bilateral = map[corridor.BIC]corridor.Amount{o.bic: corridor.Amount(500_00 + w.rng.Int64N(10_000_00))}
			}
		}
	}
	w.act(fmt.Sprintf("limits %s %s reserve %s multilateral %s bilateral %v", b.bic, cur, l.Reserve.Format(cur), l.Multilateral.Format(cur), l.Bilateral), func() {
		if err := w.h.SetLimits(context.Background(), b.bic, cur, l.Reserve, l.Multilateral, l.Bilateral); err != nil {
			w.fail("set limits: %v", err)
		}
		w.setLimits(simAcct{b.bic, cur}, l)
	})
}

// settlementRandom is one of the operator's settlement commands: a net
// cycle close, gridlock resolution, and the end of the day (the cut-off
// without calendars; a business day's cut-offs and close with them).
func (w *simWorld) settlementRandom() {
	ctx := context.Background()
	switch r := w.pick(10); {
	case r < 4 && len(w.cfg.NetCurrencies) > 0:
		w.act("close cycle", func() {
			if _, err := w.h.CloseCycle(ctx); err != nil {
				w.fail("close cycle: %v", err)
			}
		})
	case r < 7:
		w.act("resolve", func() {
			if _, err := w.h.Resolve(ctx); err != nil {
				w.fail("resolve: %v", err)
			}
		})
	case len(w.cals) == 0:
		w.endUTCDay()
	default:
		cur := w.cals[w.pick(len(w.cals))].Currency
		switch w.before.days[cur].Phase {
		case settlement.PhaseOpen:
			w.dayCutoff(cur, settlement.Customer)
		case settlement.PhaseCustomerCutoff:
			w.dayCutoff(cur, settlement.Interbank)
		default:
			w.closeDay(cur)
		}
	}
}

// endUTCDay is what the operator's scheduler does at the end of a UTC day
// without calendars: the cut-off, then the net cycle's close.
func (w *simWorld) endUTCDay() {
	ctx := context.Background()
	w.act("cutoff", func() {
		if _, err := w.h.Cutoff(ctx); err != nil {
			w.fail("cutoff: %v", err)
		}
	})
	if len(w.cfg.NetCurrencies) > 0 {
		w.act("close cycle at the end of the day", func() {
			if _, err := w.h.CloseCycle(ctx); err != nil {
				w.fail("close cycle: %v", err)
			}
		})
	}
}

func (w *simWorld) openDay(cur corridor.Currency) {
	w.act("day open "+string(cur), func() {
		if _, err := w.h.OpenDay(context.Background(), cur); err != nil {
			w.fail("open day: %v", err)
		}
	})
}

func (w *simWorld) dayCutoff(cur corridor.Currency, t settlement.PaymentType) {
	w.act(fmt.Sprintf("day cutoff %s %s", cur, t), func() {
		if _, err := w.h.CutoffDay(context.Background(), cur, t); err != nil {
			w.fail("cut-off: %v", err)
		}
	})
}

func (w *simWorld) closeDay(cur corridor.Currency) {
	w.act("day close "+string(cur), func() {
		if _, err := w.h.CloseDay(context.Background(), cur); err != nil {
			w.fail("close day: %v", err)
		}
	})
}

// screeningRandom loads the operator's list once, then pays listed parties
// and decides the holds.
func (w *simWorld) screeningRandom() {
	if !w.listed {
		w.act("load list", func() {
			if _, err := w.h.LoadList(context.Background(), "own", hub.ListFormatCSV, [][]byte{[]byte(ownList)}); err != nil {
				w.fail("load list: %v", err)
			}
			w.listed = true
		})
		return
	}
	var held []*simLeg
	for _, l := range w.open {
		if l.wait == hub.WaitCompliance {
			held = append(held, l)
		}
	}
	if len(held) == 0 || w.chance(30) {
		p := w.randomPayment()
		p.CreditorName = simListedName
		w.pay(p, "")
		return
	}
	l := held[w.pick(len(held))]
	release := w.chance(60)
	w.act(fmt.Sprintf("decide %s release=%v", l.ref, release), func() {
		if err := w.h.Decide(context.Background(), "compliance", l.pay.UETR, release, "simulated review", false); err != nil {
			w.fail("decide %s: %v", l.ref, err)
		}
	})
}

// ackRandom has a bank acknowledge what it has read.
func (w *simWorld) ackRandom() {
	b := w.bank()
	through := w.seen[b.bic]
	if through == 0 {
		return
	}
	w.act(fmt.Sprintf("ack %s through %d", b.bic, through), func() {
		if err := w.h.Ack(context.Background(), b.bic, through); err != nil {
			w.fail("ack: %v", err)
		}
	})
}

// jumpRandom moves the clock forward: mostly a little, now and then hours
// or days. Without calendars the day ends first, as the scheduler ends it,
// when the jump crosses UTC midnight.
func (w *simWorld) jumpRandom() {
	var d time.Duration
	switch r := w.pick(10); {
	case r < 6:
		d = time.Duration(1+w.rng.Int64N(90_000)) * time.Millisecond
	case r < 9:
		d = time.Duration(1+w.rng.Int64N(120)) * time.Minute
	default:
		d = time.Duration(1+w.rng.Int64N(72)) * time.Hour
	}
	now := w.now()
	if len(w.cals) == 0 && corridor.DateOf(now.Add(d).UTC()) != corridor.DateOf(now.UTC()) {
		w.endUTCDay()
	}
	w.act(fmt.Sprintf("clock +%s", d), func() {
		w.stats.Jumps++
		w.clock.advance(d)
	})
}

// duplicate sends an acknowledged message again, byte for byte: the hub
// must answer it as a duplicate of the first and change nothing.
func (w *simWorld) duplicate() {
	if len(w.subs) == 0 {
		return
	}
	s := w.subs[w.pick(len(w.subs))]
	w.act("again: "+s.what, func() {
		w.stats.Duplicates++
		sum0, seq0 := w.sum()
		res, err := submitMessage(w.tb, w.h, s.from, s.msg)
		if err != nil || !res.Duplicate || res.Reference != s.ref {
			w.fail("repeat answered %+v, %v; want a duplicate of %s", res, err, s.ref)
		}
		if sum1, seq1 := w.sum(); sum1 != sum0 || seq1 != seq0 {
			w.fail("a duplicate changed the state: %x at seq %d, then %x at %d", sum0[:8], seq0, sum1[:8], seq1)
		}
	})
}

// reorder submits related messages out of their natural order: a return
// or a cancellation before the payment it is about, a payment before the
// funding that covers it, or two payments of one bank swapped.
func (w *simWorld) reorder() {
	w.stats.Reorders++
	p := w.randomPayment()
	p.Urgent = false
	leg := &simLeg{kind: "pacs.008", pay: p}
	var steps []func()
	switch w.pick(4) {
	case 0:
		ret, msg := w.returnMessage(leg, max(1, p.Amount/2), false)
		steps = []func(){
			func() { w.pay(p, "") },
			func() {
				what := fmt.Sprintf("return %s of %s before it settled", ret.Amount.Format(ret.Currency), p.MsgID)
				w.act(what, func() {
					if l := w.legOf(p.MsgID); l != nil {
						w.returnNow(l, ret, msg, what)
						return
					}
					_, _ = w.submit(ret.InstructingAgent, msg) // Refused: the payment is unknown.
				})
			},
		}
	case 1:
		id := fmt.Sprintf("CXL%08d", w.nextID())
		msg := w.cancelMessage(id, leg)
		steps = []func(){
			func() { w.pay(p, "") },
			func() {
				w.act("camt.056 "+id+" on "+p.MsgID, func() {
					if l := w.legOf(p.MsgID); l != nil {
						w.cancelNow(id, l, msg, "camt.056 "+id)
						return
					}
					_, _ = w.submit(p.InstructingAgent, msg) // Refused: the payment is unknown.
				})
			},
		}
	case 2:
		p.Amount = 5_000_00 + corridor.Amount(w.rng.Int64N(20_000_00))
		steps = []func(){
			func() { w.pay(p, "") },
			func() { w.fund(p.InstructingAgent, p.Currency, p.Amount) },
		}
	default:
		q := w.newPayment(p.InstructingAgent, p.InstructedAgent, p.Currency, w.amount(), p.SettlementDate)
		steps = []func(){func() { w.pay(p, "") }, func() { w.pay(q, "") }}
	}
	w.rng.Shuffle(len(steps), func(i, j int) { steps[i], steps[j] = steps[j], steps[i] })
	for _, f := range steps {
		f()
	}
}

// legOf is the acknowledged pacs.008 with this message reference.
func (w *simWorld) legOf(msgID string) *simLeg {
	for _, l := range w.legs {
		if l.kind == "pacs.008" && l.pay.MsgID == msgID {
			return l
		}
	}
	return nil
}
