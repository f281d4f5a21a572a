package hub_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/internal/scenario"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/settlement"
)

// testCalendars are the calendars of the business-day tests: INR in
// Kolkata with a holiday on Wednesday 2 December 2026, RUB in Moscow with one
// on Thursday 3 December.
func testCalendars(tb testing.TB) []settlement.Calendar {
	tb.Helper()
	var out []settlement.Calendar
	for _, f := range []string{
		"currency INR\nzone Asia/Kolkata\nweekend Sat Sun\nholiday 2026-12-02 test holiday\n",
		"currency RUB\nzone Europe/Moscow\nweekend Sat Sun\nholiday 2026-12-03 test holiday\n",
	} {
		c, err := settlement.ParseCalendar([]byte(f))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// TestDayScenarios runs the business-day scenarios in testdata/day on a hub
// with testCalendars, driving its test clock across business days and
// holidays in both zones. A file whose name starts net_ runs on a hub that
// settles INR and RUB in deferred net cycles. Besides the commands of
// TestScenarios:
//
//	clock TIME                      set the clock (RFC 3339; it only moves forward)
//	day open|close CUR              open the first day, or end the day
//	day cutoff CUR customer|interbank
//	days                            every currency's business date and phase
//	payon N FROM TO CUR AMOUNT DATE  payment N dated DATE
//	defund N BIC CUR AMOUNT DATE    a pacs.009 to the hub dated DATE
//	cancelpay N                     the instructing agent takes payment N out of its queue
//	notify BIC                      turn camt.054 on
//	limit BIC CUR AMOUNT            a multilateral limit per business day
//	statement BIC CUR DATE          the camt.053's id, sequence and dates
//	report BIC CUR                  the camt.052's dates
//	dates BIC                       every message in the inbox, with the dates it states
func TestDayScenarios(t *testing.T) {
	scenario.RunDir(t, "testdata/day/*.txt", *update, newDayScenario(0))
	t.Run("BooksStored", func(t *testing.T) { // The same statements with the entries in the store.
		scenario.RunDir(t, "testdata/day/*.txt", false, newDayScenario(hub.MaxRetention))
	})
}

func newDayScenario(retention time.Duration) func(t *testing.T, file string) func(scenario.Block) []string {
	return func(t *testing.T, file string) func(scenario.Block) []string {
		cfg := hub.Config{Calendars: testCalendars(t), Retention: retention}
		if strings.HasPrefix(filepath.Base(file), "net_") {
			cfg.NetCurrencies = []corridor.Currency{"INR", "RUB"}
		}
		h, c, _ := mustHubWith(t, t.TempDir(), cfg)
		w := &dayWorld{world: world{t: t, h: h, payments: map[string]corridor.Payment{}, cases: map[string]int{}, answered: map[string]bool{},
			retention: retention}, clock: c}
		return func(b scenario.Block) []string { return strings.Split(w.runDay(b.Cmd), "\n") }
	}
}

// dayWorld is a scenario world with a clock and a seen mark per inbox.
type dayWorld struct {
	world
	clock *clock
	seen  map[corridor.BIC]uint64 // The last inbox message dates printed.
}

func (w *dayWorld) runDay(line string) string {
	f := strings.Fields(line)
	ctx := context.Background()
	switch {
	case f[0] == "clock" && len(f) == 2:
		at, err := time.Parse(time.RFC3339, f[1])
		if err != nil {
			w.t.Fatal(err)
		}
		w.clock.set(at)
		return "ok"
	case f[0] == "day" && len(f) >= 3:
		return w.day(ctx, f[1], corridor.Currency(f[2]), f[3:])
	case f[0] == "days":
		days, err := w.h.Days(ctx)
		var out []string
		for _, d := range days {
			out = append(out, fmt.Sprintf("%s %s %s waiting %d", d.Currency, d.Date, d.Phase, d.Waiting))
		}
		return strings.Join(append(out, outcome(hub.PaymentResult{}, err)), "\n")
	case f[0] == "payon" && len(f) == 7:
		return w.payOn(f)
	case f[0] == "defund" && len(f) == 6:
		return w.defund(f)
	case f[0] == "cancelpay" && len(f) == 2:
		p := w.payments[f[1]]
		res, err := w.h.CancelPayment(ctx, corridor.Identity{Role: corridor.RoleParticipant, BIC: p.InstructingAgent}, p.UETR)
		return outcome(res, err)
	case f[0] == "notify" && len(f) == 2:
		return outcome(hub.PaymentResult{}, w.h.SetNotifications(ctx, bicOf(f[1]), true))
	case f[0] == "limit" && len(f) == 4:
		a, err := corridor.ParseAmount(f[3], corridor.Currency(f[2]))
		if err == nil {
			err = w.h.SetLimits(ctx, bicOf(f[1]), corridor.Currency(f[2]), 0, a, nil)
		}
		return outcome(hub.PaymentResult{}, err)
	case f[0] == "statement" && len(f) == 4:
		d, err := corridor.ParseDate(f[3])
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		m, err := w.h.Statement(ctx, bicOf(f[1]), corridor.Currency(f[2]), d, 1)
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		return messageDates(w.t, m)
	case f[0] == "report" && len(f) == 3:
		m, err := w.h.Report(ctx, bicOf(f[1]), corridor.Currency(f[2]), 1)
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		return messageDates(w.t, m)
	case f[0] == "dates" && len(f) == 2:
		return w.dates(ctx, bicOf(f[1]))
	}
	return w.run(line)
}

func (w *dayWorld) day(ctx context.Context, verb string, cur corridor.Currency, rest []string) string {
	var d hub.DayView
	var err error
	switch {
	case verb == "open":
		d, err = w.h.OpenDay(ctx, cur)
	case verb == "cutoff" && len(rest) == 1:
		d, err = w.h.CutoffDay(ctx, cur, settlement.PaymentType(rest[0]))
	case verb == "close":
		d, err = w.h.CloseDay(ctx, cur)
	default:
		w.t.Fatalf("unknown day command %s", verb)
	}
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	return fmt.Sprintf("%s %s %s", d.Currency, d.Date, d.Phase)
}

func (w *dayWorld) payOn(f []string) string {
	cur := corridor.Currency(f[4])
	a, err := corridor.ParseAmount(f[5], cur)
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	d, err := corridor.ParseDate(f[6])
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	var i int
	fmt.Sscan(f[1], &i)
	p := pay(i, bicOf(f[2]), bicOf(f[3]), a)
	p.Currency, p.SettlementDate = cur, d
	w.payments[f[1]] = p
	res, err := submit(w.t, w.h, p)
	if err != nil {
		return outcome(res, err)
	}
	return strings.TrimSpace(outcome(res, err) + " " + string(res.Wait))
}

// defund has a bank take liquidity out by pacs.009, dated (the UTC date of
// its creation) as asked.
func (w *dayWorld) defund(f []string) string {
	cur := corridor.Currency(f[3])
	a, err := corridor.ParseAmount(f[4], cur)
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	created, err := time.Parse(time.DateOnly, f[5])
	if err != nil {
		w.t.Fatal(err)
	}
	msg, err := iso20022.EncodeDefund(iso20022.Defund{MsgID: "DEFUND-" + f[1], UETR: corridor.UETR(fmt.Sprintf("0a1b2c3d-0000-4000-8000-%012s", f[1])),
		Created: created.Add(12 * time.Hour), From: bicOf(f[2]), Hub: w.h.BIC(), Amount: corridor.Money{Amount: a, Currency: cur}})
	return w.submit(bicOf(f[2]), msg, err)
}

// dates lists the messages delivered to bic since the last dates, one a
// line, with the dates they state.
func (w *dayWorld) dates(ctx context.Context, bic corridor.BIC) string {
	if w.seen == nil {
		w.seen = map[corridor.BIC]uint64{}
	}
	msgs, err := w.h.Inbox(ctx, bic, w.seen[bic], 0)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, messageDates(w.t, m))
		w.seen[bic] = m.Seq
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, "\n")
}

var (
	reStatus    = regexp.MustCompile(`<TxSts>([A-Z]{4})</TxSts>`)
	reRequested = regexp.MustCompile(`<IntrBkSttlmDt>([0-9-]+)</IntrBkSttlmDt>`)
	reSettled   = regexp.MustCompile(`<FctvIntrBkSttlmDt>\s*<Dt>([0-9-]+)</Dt>`)
	reBalDate   = regexp.MustCompile(`(?s)<Cd>(OPBD|CLBD|ITBD)</Cd>.*?<Dt>\s*<Dt>([0-9-]+)</Dt>`)
	reValue     = regexp.MustCompile(`<ValDt>\s*<Dt>([0-9-]+)</Dt>`)
	reStmtID    = regexp.MustCompile(`<(?:Stmt|Rpt|Ntfctn)>\s*<Id>([^<]+)</Id>`)
	reSequence  = regexp.MustCompile(`<ElctrncSeqNb>([0-9]+)</ElctrncSeqNb>`)
	reReason    = regexp.MustCompile(`<Rsn>\s*<Cd>([A-Z0-9]{4})</Cd>`)
)

// messageDates is a message's kind and what it says of dates: a pacs.002's
// status and settlement date, a statement's id, sequence, balance dates and
// value dates.
func messageDates(tb testing.TB, m hub.InboxMessage) string {
	tb.Helper()
	mustPassXMLLint(tb, m.MsgDefID+" "+m.Reference, m.Body) // Every message the hub writes passes the official XSD.
	body := string(m.Body)
	out := []string{m.MsgDefID[:min(len(m.MsgDefID), len("pacs.008"))]}
	for _, re := range []*regexp.Regexp{reStmtID, reStatus, reReason} {
		if g := re.FindStringSubmatch(body); g != nil {
			out = append(out, g[1])
		}
	}
	if g := reRequested.FindStringSubmatch(body); g != nil {
		out = append(out, "dated "+g[1])
	}
	if g := reSettled.FindStringSubmatch(body); g != nil {
		out = append(out, "settled "+g[1])
	}
	if g := reSequence.FindStringSubmatch(body); g != nil {
		out = append(out, "seq "+g[1])
	}
	for _, g := range reBalDate.FindAllStringSubmatch(body, -1) {
		out = append(out, g[1]+" "+g[2])
	}
	var vals []string
	for _, g := range reValue.FindAllStringSubmatch(body, -1) {
		vals = append(vals, g[1])
	}
	if len(vals) > 0 {
		out = append(out, "value "+strings.Join(vals, ","))
	}
	return strings.Join(out, " ")
}

// set moves the clock to at; it never goes back.
func (c *clock) set(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if at.After(c.t) {
		c.t = at
	}
}
