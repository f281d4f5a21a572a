package settlement_test

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/scenario"
	"github.com/corridor-network/corridor/ledger"
	"github.com/corridor-network/corridor/settlement"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/*.txt")

// TestScenarios runs the data-driven scenarios in testdata: each block is a
// command line, its input lines, "----" and the expected output, ended by a
// blank line. Lines starting with # between blocks are comments.
func TestScenarios(t *testing.T) {
	scenario.RunDir(t, "testdata/*.txt", *update, newScenario)
}

// newScenario is the runner of one scenario file, on a world of its own.
func newScenario(t *testing.T, file string) func(scenario.Block) []string {
	w := newWorld(t)
	return func(b scenario.Block) []string {
		got := w.run(b.Cmd, b.Input)
		w.check(t)
		return got
	}
}

// fataler is what the helpers need of a test: *testing.T and *rapid.T both have it.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// day is the business date every scenario runs on.
var day = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// world is a scenario's state: a ledger and the settlement machinery.
type world struct {
	tb     fataler
	l      *ledger.Ledger
	q      *settlement.Queue
	gate   *settlement.Gate
	cycle  *settlement.Cycle
	rates  *settlement.Rates
	quotes *settlement.Quotes
	offers *settlement.Offers
	nextID ledger.TransferID
	day    time.Time // The business day the clock reads; next-day moves it.

	// entering, when set, sees every payment the gate lets into the RTGS
	// queue, just before it enters.
	entering func(p settlement.Payment, now time.Time)
}

func newWorld(tb fataler) *world {
	w := &world{tb: tb, l: ledger.New(), q: settlement.NewQueue(), gate: settlement.NewGate(),
		rates: settlement.NewRates(), quotes: settlement.NewQuotes(), offers: settlement.NewOffers(), day: day}
	w.q.SetReserves(w.gate)
	return w
}

func (w *world) transferID() ledger.TransferID {
	w.nextID++
	return w.nextID
}

// check asserts the ledger's invariants from the outside.
func (w *world) check(t fataler) {
	t.Helper()
	checkLedger(t, w.l)
}

// checkLedger asserts double entry per currency and every floor.
func checkLedger(tb fataler, l *ledger.Ledger) {
	tb.Helper()
	sums := make(map[corridor.Currency][2]int64)
	for _, a := range l.Accounts() {
		s := sums[a.ID.Currency]
		s[0] += int64(a.DebitsPosted)
		s[1] += int64(a.CreditsPosted)
		sums[a.ID.Currency] = s
		if a.ID.Kind == ledger.KindSettlement && a.Balance() < -int64(a.CreditLimit) {
			tb.Fatalf("%s below its floor: balance %d, limit %d", a.ID, a.Balance(), a.CreditLimit)
		}
	}
	for c, s := range sums {
		if s[0] != s[1] {
			tb.Fatalf("%s: debits %d != credits %d", c, s[0], s[1])
		}
	}
}

// run executes one command and returns its output lines.
func (w *world) run(cmd string, input []string) []string {
	f := strings.Fields(cmd)
	args := args{tb: w.tb, pos: f[1:], named: map[string]string{}, day: w.day}
	args.split()
	switch f[0] {
	case "setup":
		return w.setup(input)
	case "fund":
		return w.fund(args)
	case "submit":
		return w.submit(args)
	case "cancel", "cancel-operator", "front", "back", "priority":
		return w.operate(f[0], args)
	case "queue":
		return w.queue()
	case "release":
		return w.release(args.clock("at"))
	case "resolve":
		return settledLines(w.settledAll(w.q.Resolve(w.l, w.transferID), args.clock("at")))
	case "expire":
		return rejectedLines(w.leftAll(w.q.Expire(args.clock("at"))))
	case "balances":
		return w.balances()
	case "cycle-open", "accept", "cycle-close", "cycle-close-currency":
		return w.cycleCmd(f[0], args)
	case "rate", "quote", "fx", "convert":
		return w.fx(f[0], args)
	case "offer", "rfq", "pvp", "accounts":
		return w.provider(f[0], args)
	case "limits", "enter", "waiting", "usage", "remove", "expire-waiting", "next-day":
		return w.limits(f[0], args)
	}
	w.tb.Fatalf("unknown command %q", f[0])
	return nil
}

// args are a command's positional and name=value arguments.
type args struct {
	tb    fataler
	pos   []string
	named map[string]string
	day   time.Time // The business day of clock.
}

func (a *args) split() {
	var pos []string
	for _, s := range a.pos {
		if k, v, ok := strings.Cut(s, "="); ok {
			a.named[k] = v
		} else {
			pos = append(pos, s)
		}
	}
	a.pos = pos
}

func (a args) at(i int) string {
	if i >= len(a.pos) {
		a.tb.Fatalf("missing argument %d in %v", i, a.pos)
	}
	return a.pos[i]
}

func (a args) bic(i int) corridor.BIC { return mustBIC(a.tb, a.at(i)) }

func (a args) id(i int) uint64 {
	n, err := strconv.ParseUint(a.at(i), 10, 64)
	if err != nil {
		a.tb.Fatalf("id %q: %v", a.at(i), err)
	}
	return n
}

func (a args) amount(i int, c corridor.Currency) corridor.Amount { return mustAmount(a.tb, a.at(i), c) }

// clock reads a named HH:MM on the world's business day; at defaults to
// 09:00 and deadline to 17:00.
func (a args) clock(name string) time.Time {
	v, ok := a.named[name]
	if !ok {
		v = map[string]string{"at": "09:00", "deadline": "17:00", "expires": "09:05"}[name]
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		a.tb.Fatalf("%s=%q: %v", name, v, err)
	}
	return a.day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute)
}

func mustBIC(tb fataler, s string) corridor.BIC {
	b, err := corridor.ParseBIC(s)
	if err != nil {
		tb.Fatalf("BIC %q: %v", s, err)
	}
	return b
}

func mustAmount(tb fataler, s string, c corridor.Currency) corridor.Amount {
	a, err := corridor.ParseAmount(s, c)
	if err != nil {
		tb.Fatalf("amount %q %s: %v", s, c, err)
	}
	return a
}

func short(b corridor.BIC) string { return strings.TrimSuffix(string(b), "XXX") }

func errLine(err error) []string {
	if r, ok := corridor.ReasonOf(err); ok {
		return []string{"reject " + string(r)}
	}
	return []string{"error " + err.Error()}
}

// setup opens accounts from lines "BIC CCY balance [limit=L]", funding each
// balance from the central account.
func (w *world) setup(input []string) []string {
	for _, line := range input {
		a := args{tb: w.tb, pos: strings.Fields(line), named: map[string]string{}}
		a.split()
		c := corridor.Currency(a.at(1))
		w.openCurrency(c)
		var limit corridor.Amount
		if v, ok := a.named["limit"]; ok {
			limit = mustAmount(w.tb, v, c)
		}
		if err := w.l.Open(ledger.Settlement(a.bic(0), c), limit); err != nil {
			w.tb.Fatalf("open %s: %v", line, err)
		}
		if a.at(2) != "0" {
			w.mustFund(a.bic(0), c, a.amount(2, c))
		}
	}
	return nil
}

func (w *world) openCurrency(c corridor.Currency) {
	if _, ok := w.l.Account(ledger.Central(c)); !ok {
		if err := w.l.Open(ledger.Central(c), 0); err != nil {
			w.tb.Fatal(err)
		}
	}
	if err := settlement.OpenAccounts(w.l, c); err != nil {
		w.tb.Fatal(err)
	}
}

func (w *world) mustFund(b corridor.BIC, c corridor.Currency, amt corridor.Amount) {
	t := ledger.Transfer{ID: w.transferID(), Debit: ledger.Central(c), Credit: ledger.Settlement(b, c), Amount: amt}
	if err := w.l.Apply(t); err != nil {
		w.tb.Fatalf("fund %s: %v", b, err)
	}
}

// fund BIC CCY amount: liquidity arrives, then the queues are released.
func (w *world) fund(a args) []string {
	c := corridor.Currency(a.at(1))
	w.mustFund(a.bic(0), c, a.amount(2, c))
	return w.release(a.clock("at"))
}

// payment reads "ID INSTRUCTING INSTRUCTED CCY AMOUNT [PRIORITY]": the agents' BICs.
func (a args) payment() settlement.Payment {
	c := corridor.Currency(a.at(3))
	p := settlement.Payment{ID: settlement.PaymentID(a.id(0)), InstructingAgent: a.bic(1), InstructedAgent: a.bic(2), Currency: c,
		Amount: a.amount(4, c), Priority: settlement.Normal}
	if len(a.pos) > 5 && a.pos[5] == "urgent" {
		p.Priority = settlement.Urgent
	}
	return p
}

func (w *world) submit(a args) []string {
	p := a.payment()
	_, settled, err := w.q.Submit(w.l, p, a.clock("at"), a.clock("deadline"), w.transferID)
	switch {
	case err != nil:
		return errLine(err)
	case settled:
		return []string{fmt.Sprintf("settled %d", p.ID)}
	}
	return []string{fmt.Sprintf("queued %d", p.ID)}
}

func (w *world) operate(op string, a args) []string {
	id := settlement.PaymentID(a.id(0))
	var err error
	var r settlement.Rejected
	switch op {
	case "cancel":
		r, err = w.q.Cancel(id, a.bic(1))
		w.gate.Left(id)
	case "cancel-operator":
		r, err = w.q.CancelByOperator(id)
		w.gate.Left(id)
	case "front":
		err = w.q.Reorder(id, settlement.ToFront)
	case "back":
		err = w.q.Reorder(id, settlement.ToBack)
	case "priority":
		p := settlement.Normal
		if a.at(1) == "urgent" {
			p = settlement.Urgent
		}
		err = w.q.SetPriority(id, p)
	}
	if err != nil {
		return errLine(err)
	}
	if r.Reason != "" {
		return rejectedLines([]settlement.Rejected{r})
	}
	return w.queue()
}

func (w *world) queue() []string {
	var out []string
	for _, e := range w.q.All() {
		out = append(out, fmt.Sprintf("%d %s %s -> %s %s %s", e.ID, e.Priority, short(e.InstructingAgent), short(e.InstructedAgent),
			e.Amount.Format(e.Currency), e.Currency))
	}
	for _, c := range []corridor.Currency{"INR", "JPY", "KWD", "RUB"} {
		if tot := w.q.Total(c); tot != 0 {
			out = append(out, fmt.Sprintf("total %s %s", tot.Format(c), c))
		}
	}
	if len(out) == 0 {
		return []string{"empty"}
	}
	return out
}

func settledLines(ss []settlement.Settled) []string {
	if len(ss) == 0 {
		return []string{"none"}
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("settled %d %s -> %s %s %s", s.Payment.ID, short(s.Payment.InstructingAgent), short(s.Payment.InstructedAgent),
			s.Payment.Amount.Format(s.Payment.Currency), s.Payment.Currency)
	}
	return out
}

func rejectedLines(rs []settlement.Rejected) []string {
	if len(rs) == 0 {
		return []string{"none"}
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("rejected %d %s: %s", r.Payment.ID, r.Reason, r.Detail)
	}
	return out
}

func (w *world) balances() []string {
	var out []string
	for _, a := range w.l.Accounts() {
		name := short(a.ID.Owner)
		switch {
		case a.ID == ledger.Central(a.ID.Currency):
			name = "central"
		case a.ID == settlement.Technical(a.ID.Currency):
			name = "technical"
		case a.ID == settlement.FXPosition(a.ID.Currency):
			name = "fxposition"
		}
		out = append(out, fmt.Sprintf("%s/%s %s", name, a.ID.Currency, signed(a.Balance(), a.ID.Currency)))
	}
	return out
}

func signed(v int64, c corridor.Currency) string {
	if v < 0 {
		return "-" + corridor.Amount(-v).Format(c)
	}
	return corridor.Amount(v).Format(c)
}

func (w *world) cycleCmd(op string, a args) []string {
	switch op {
	case "cycle-open":
		w.cycle = settlement.NewCycle(settlement.CycleID(a.id(0)), a.clock("at"))
		return []string{fmt.Sprintf("cycle %d open", a.id(0))}
	case "accept":
		p := a.payment()
		if err := w.cycle.Accept(p); err != nil {
			return errLine(err)
		}
		return []string{fmt.Sprintf("ACCP %d", p.ID)}
	case "cycle-close-currency":
		return w.closeCurrency(a)
	}
	return w.closeCycle(w.cycle, a)
}

// cycle-close-currency CCY next=N at=HH:MM: the open cycle's part in CCY
// closes alone (Split); the rest stays open as cycle N.
func (w *world) closeCurrency(a args) []string {
	var next int
	fmt.Sscan(a.named["next"], &next)
	part, rest := w.cycle.Split(corridor.Currency(a.at(0)), settlement.CycleID(next))
	w.cycle = rest
	var out []string
	if part != nil {
		out = w.closeCycle(part, a)
	}
	if rest != nil {
		out = append(out, fmt.Sprintf("cycle %d open with %d payments", rest.ID(), len(rest.Payments())))
	}
	return out
}

// closeCycle closes c and lists what settled, what was removed and the net
// movements.
func (w *world) closeCycle(c *settlement.Cycle, a args) []string {
	res := c.Close(w.l, w.gate, a.clock("at"), w.transferID)
	out := []string{fmt.Sprintf("cycle %d closed", res.Cycle)}
	for _, p := range res.Settled {
		w.gate.Settled(p, a.clock("at"))
		out = append(out, fmt.Sprintf("ACSC %d", p.ID))
	}
	for _, r := range res.Removed {
		out = append(out, rejectedLines([]settlement.Rejected{r})...)
	}
	for _, m := range res.Movements {
		if m.Direction == "" {
			m.Direction = "flat"
		}
		out = append(out, fmt.Sprintf("net %s %s sent %s received %s %s %s", short(m.Participant), m.Currency,
			m.Sent.Format(m.Currency), m.Received.Format(m.Currency), m.Direction, m.Net.Format(m.Currency)))
	}
	return out
}

func (w *world) fx(op string, a args) []string {
	switch op {
	case "rate":
		return w.publish(a)
	case "quote":
		return w.quote(a)
	case "fx":
		return w.settleFX(a)
	}
	rate, err := settlement.ParseRate(a.at(3))
	if err != nil {
		return errLine(err)
	}
	from := corridor.Currency(a.at(1))
	cv, err := settlement.Convert(a.amount(0, from), from, corridor.Currency(a.at(2)), rate)
	if err != nil {
		return errLine(err)
	}
	return []string{conversionLine(cv)}
}

func conversionLine(cv settlement.Conversion) string {
	return fmt.Sprintf("%s -> %s at %s remainder %s minor", cv.From, cv.To, cv.Rate, cv.Remainder)
}

func pair(tb fataler, s string) settlement.Pair {
	from, to, ok := strings.Cut(s, "/")
	if !ok {
		tb.Fatalf("pair %q is not FROM/TO", s)
	}
	return settlement.Pair{From: corridor.Currency(from), To: corridor.Currency(to)}
}

// rate FROM/TO RATE
func (w *world) publish(a args) []string {
	r, err := settlement.ParseRate(a.at(1))
	if err != nil {
		return errLine(err)
	}
	if err := w.rates.Publish(pair(w.tb, a.at(0)), r); err != nil {
		return errLine(err)
	}
	return []string{"published " + a.at(0) + " " + r.String()}
}

// quote ID BIC FROM/TO AMOUNT at=HH:MM expires=HH:MM
func (w *world) quote(a args) []string {
	p := pair(w.tb, a.at(2))
	r, ok := w.rates.Rate(p)
	if !ok {
		return []string{"no rate for " + p.String()}
	}
	q, err := w.quotes.Issue(settlement.QuoteID(a.id(0)), a.bic(1), a.amount(3, p.From), p, r, a.clock("at"), a.clock("expires"))
	if err != nil {
		return errLine(err)
	}
	return []string{fmt.Sprintf("quote %d %s until %s", q.ID, conversionLine(q.Conversion), q.Expires.Format("15:04"))}
}

// fx QUOTE INSTRUCTING INSTRUCTED FROM/TO AMOUNT at=HH:MM
func (w *world) settleFX(a args) []string {
	p := pair(w.tb, a.at(3))
	instructing := a.bic(1)
	cv, err := w.quotes.Consume(settlement.QuoteID(a.id(0)), instructing, a.amount(4, p.From), p, a.clock("at"))
	if err != nil {
		return errLine(err)
	}
	legs, err := settlement.SettleFX(w.l, instructing, a.bic(2), cv, w.transferID)
	if err != nil {
		return errLine(err)
	}
	return append([]string{conversionLine(cv)}, legLines(legs[:])...)
}

// provider runs the FX provider commands: offer, rfq, pvp and accounts.
func (w *world) provider(op string, a args) []string {
	switch op {
	case "offer":
		return w.offer(a)
	case "rfq":
		return w.rfq(a)
	case "pvp":
		return w.pvp(a)
	}
	var out []string
	for _, acc := range w.l.Accounts() {
		out = append(out, fmt.Sprintf("%s balance %s floor %d", acc.ID, corridor.Amount(acc.Balance()).Format(acc.ID.Currency), acc.Floor()))
	}
	return out
}

// offer ID PROVIDER BASE/QUOTE BID ASK SIZE at=HH:MM expires=HH:MM
func (w *world) offer(a args) []string {
	p := pair(w.tb, a.at(2))
	bid, err := settlement.ParseRate(a.at(3))
	if err != nil {
		return errLine(err)
	}
	ask, err := settlement.ParseRate(a.at(4))
	if err != nil {
		return errLine(err)
	}
	o := settlement.Offer{ID: settlement.OfferID(a.id(0)), Provider: a.bic(1), Pair: p, Bid: bid, Ask: ask,
		Remaining: a.amount(5, p.From), Expires: a.clock("expires")}
	if err := w.offers.Publish(o, w.rates, a.clock("at")); err != nil {
		return errLine(err)
	}
	return []string{fmt.Sprintf("offer %d %s bid %s ask %s size %s", o.ID, p, bid, ask, o.Remaining.Format(p.From))}
}

// rfq ID BIC FROM/TO AMOUNT at=HH:MM expires=HH:MM: the best offer answers.
func (w *world) rfq(a args) []string {
	p := pair(w.tb, a.at(2))
	now := a.clock("at")
	o, cv, err := w.offers.Best(a.amount(3, p.From), p, now)
	if err != nil {
		return errLine(err)
	}
	q, err := w.quotes.IssueFromOffer(settlement.QuoteID(a.id(0)), a.bic(1), o, cv, now, a.clock("expires"))
	if err != nil {
		return errLine(err)
	}
	w.offers.Take(o.ID, cv)
	return []string{fmt.Sprintf("quote %d from %s offer %d %s until %s", q.ID, short(q.Provider), o.ID, conversionLine(q.Conversion), q.Expires.Format("15:04"))}
}

// pvp QUOTE INSTRUCTING INSTRUCTED FROM/TO AMOUNT at=HH:MM
func (w *world) pvp(a args) []string {
	p := pair(w.tb, a.at(3))
	id := settlement.QuoteID(a.id(0))
	q, cv, err := w.quotes.Check(id, a.bic(1), a.amount(4, p.From), p, a.clock("at"))
	if err != nil {
		return errLine(err)
	}
	legs, err := settlement.SettlePvP(w.l, a.bic(1), q.Provider, a.bic(2), cv, w.transferID)
	if err != nil {
		return errLine(err)
	}
	w.quotes.Use(id)
	return append([]string{conversionLine(cv)}, legLines(legs[:])...)
}

// legLines writes the transfers of a conversion, one a line.
func legLines(legs []ledger.Transfer) []string {
	var out []string
	for _, t := range legs {
		out = append(out, fmt.Sprintf("leg %d %s/%s -> %s/%s %s", t.ID, short(t.Debit.Owner), t.Debit.Currency,
			short(t.Credit.Owner), t.Credit.Currency, t.Amount.Format(t.Debit.Currency)))
	}
	return out
}
