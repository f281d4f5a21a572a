package hub_test

// The invariants the simulation checks after every step, through the hub's
// own views: balances and hub accounts, positions, the queue, the holds,
// the tracker, the business days, the statistics and every inbox.

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/settlement"
)

// simFXBound says whether the model holds converted payments to their
// instructing agent's reserve and sender limits in the currency they
// convert from, as docs/settlement.md says every normal payment is held
// ("however it settles"); TestSimFoundFXPassesReserveAndLimits showed the
// hub did not, before message rules MessagesFXGate.
const simFXBound = true

// simSnapshot is what the views said at the end of the last step.
type simSnapshot struct {
	days    map[corridor.Currency]hub.DayView
	avail   map[simAcct]int64
	reserve map[simAcct]corridor.Amount
}

// simReports is what the hub wrote about one reference into the inboxes.
type simReports struct {
	acsc, rjct int           // pacs.002s of each final status.
	date       corridor.Date // The settlement date of the ACSC.
	delivered  int           // The instruction (pacs.008, pacs.004) to the instructed agent.
}

// simLimits are limits set on a lane, in force from step from until step
// to (when replaced).
type simLimits struct {
	l        settlement.Limits
	from, to int
	replaced bool
}

type simDayLane struct {
	simAcct
	day corridor.Date
}

// simUsage is what settled out of (normal payments, per counterparty) and
// into (every payment, per counterparty) a lane on a business day.
type simUsage struct {
	out, in map[corridor.BIC]int64
	first   int // The earliest step that accepted one of the payments out.
}

// setLimits records that l is in force on lane from this step.
func (w *simWorld) setLimits(lane simAcct, l settlement.Limits) {
	rs := w.limits[lane]
	if n := len(rs); n > 0 {
		rs[n-1].to, rs[n-1].replaced = w.step, true
	}
	w.limits[lane] = append(rs, simLimits{l: l, from: w.step})
}

// reserveOf is the reserve in force on lane.
func (w *simWorld) reserveOf(lane simAcct) corridor.Amount {
	rs := w.limits[lane]
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1].l.Reserve
}

// caps are the loosest limits in force on lane at any step from from to
// now: 0 is no cap. A limit lowered does not take back what passed
// before, so only the loosest binds for sure; a payment that entered before
// its agent had limits counts for nothing.
func (w *simWorld) caps(lane simAcct, from int) (int64, map[corridor.BIC]int64) {
	rs := w.limits[lane]
	if len(rs) == 0 || rs[0].from >= from {
		return 0, nil // No limit yet when the first of them entered.
	}
	var multi int64
	multiUncapped := false
	bil := map[corridor.BIC]int64{}
	uncapped := map[corridor.BIC]bool{}
	for _, r := range rs {
		if r.replaced && r.to < from {
			continue
		}
		if r.l.Multilateral == 0 {
			multiUncapped = true
		}
		multi = max(multi, int64(r.l.Multilateral))
		for _, b := range simBankBICs {
			a, ok := r.l.Bilateral[b]
			if !ok || a == 0 {
				uncapped[b] = true
				continue
			}
			bil[b] = max(bil[b], int64(a))
		}
	}
	if multiUncapped {
		multi = 0
	}
	for b := range uncapped {
		delete(bil, b)
	}
	return multi, bil
}

// snapshot takes the views the first step starts from.
func (w *simWorld) snapshot() {
	if w.before.avail == nil {
		w.before = w.views()
	}
}

// views reads the business days and what every account has available.
func (w *simWorld) views() simSnapshot {
	ctx := context.Background()
	s := simSnapshot{days: map[corridor.Currency]hub.DayView{}, avail: map[simAcct]int64{}, reserve: map[simAcct]corridor.Amount{}}
	days, err := w.h.Days(ctx)
	if err != nil {
		w.fail("days: %v", err)
	}
	for _, d := range days {
		s.days[d.Currency] = d
	}
	for _, b := range w.banks {
		bals, err := w.h.Balances(ctx, b.bic)
		if err != nil {
			w.fail("balances of %s: %v", b.bic, err)
		}
		for _, a := range bals {
			s.avail[simAcct{b.bic, a.Currency}] = a.Available
			s.reserve[simAcct{b.bic, a.Currency}] = w.reserveOf(simAcct{b.bic, a.Currency})
		}
	}
	return s
}

// check runs every invariant after a step.
func (w *simWorld) check() {
	w.readInboxes()
	w.sweep(w.open)
	after := w.views()
	w.checkDays(after)
	w.checkMoved(w.moved, after)
	w.moved = w.moved[:0]
	w.checkMoney()
	w.checkPositions()
	w.checkStats()
	w.before = after
}

// sweep reads the tracker's view of legs, checks that each is still there,
// in one status it may be in, never changed once final and settled at most
// once, and adds those that became final to w.moved (and takes them out
// of w.open).
func (w *simWorld) sweep(legs []*simLeg) {
	ctx := context.Background()
	op := corridor.Identity{Role: corridor.RoleOperator}
	tracks := map[corridor.UETR][]hub.PaymentTrack{}
	moved := false
	for _, l := range legs {
		trs, ok := tracks[l.pay.UETR]
		if !ok {
			var err error
			if trs, err = w.h.Track(ctx, op, l.pay.UETR); err != nil {
				w.fail("acknowledged %s (%s) is lost: %v", l.ref, l.msg.what, err)
			}
			tracks[l.pay.UETR] = trs
		}
		i := slices.IndexFunc(trs, func(t hub.PaymentTrack) bool { return t.Reference == l.ref })
		if i < 0 {
			w.fail("acknowledged %s (%s) is not among the legs of %s", l.ref, l.msg.what, l.pay.UETR)
		}
		tr := trs[i]
		w.checkStage(l, tr)
		wasFinal := l.final()
		if wasFinal && (tr.Status != l.status || tr.Reason == "" && l.status == corridor.StatusRejected) {
			w.fail("%s was final %s; now %s %s", l.ref, l.status, tr.Status, tr.Reason)
		}
		l.status, l.wait, l.pay = tr.Status, tr.Wait, tr.Payment
		if !wasFinal && l.final() {
			w.moved, moved = append(w.moved, l), true
		}
	}
	if moved {
		w.open = slices.DeleteFunc(w.open, func(l *simLeg) bool { return l.final() })
	}
}

// checkStage checks that a tracked leg is in exactly one stage: a status
// with a wait only when pending, and at most one settlement in its events.
func (w *simWorld) checkStage(l *simLeg, tr hub.PaymentTrack) {
	switch tr.Status {
	case corridor.StatusPending:
		if !slices.Contains([]hub.Wait{hub.WaitQueue, hub.WaitLimit, hub.WaitCompliance, hub.WaitValueDate}, tr.Wait) {
			w.fail("%s is PDNG waiting for %q", l.ref, tr.Wait)
		}
	case corridor.StatusInCycle, corridor.StatusSettled, corridor.StatusRejected:
		if tr.Wait != "" {
			w.fail("%s is %s and waits for %s", l.ref, tr.Status, tr.Wait)
		}
	default:
		w.fail("%s rests in status %q: in no queue, cycle or hold, and not final", l.ref, tr.Status)
	}
	settled := 0
	for _, e := range tr.Events {
		if e.Event == "settled" {
			settled++
		}
	}
	if settled > 1 || (settled == 1) != (tr.Status == corridor.StatusSettled) {
		w.fail("%s is %s with %d settlements in its events", l.ref, tr.Status, settled)
	}
}

// readInboxes reads what every bank got since the last step and counts the
// hub's reports and deliveries by reference: at most one final pacs.002
// and one delivered instruction each.
func (w *simWorld) readInboxes() {
	ctx := context.Background()
	for _, b := range w.banks {
		for {
			msgs, err := w.h.Inbox(ctx, b.bic, w.seen[b.bic], 0)
			if err != nil {
				w.fail("inbox of %s: %v", b.bic, err)
			}
			for _, m := range msgs {
				w.seen[b.bic] = m.Seq
				w.readMessage(b.bic, m)
			}
			if len(msgs) < hub.MaxInboxRead {
				break
			}
		}
	}
}

func (w *simWorld) readMessage(bic corridor.BIC, m hub.InboxMessage) {
	r := w.reports[m.Reference]
	if r == nil {
		r = &simReports{}
		w.reports[m.Reference] = r
	}
	switch m.MsgDefID {
	case "pacs.002.001.10":
		sr, err := iso20022.DecodeStatusReport(m.Body)
		if err != nil {
			w.fail("pacs.002 #%d to %s: %v", m.Seq, bic, err)
		}
		switch sr.Status {
		case corridor.StatusSettled:
			r.acsc++
			r.date = sr.SettlementDate
		case corridor.StatusRejected:
			r.rjct++
		}
		if r.acsc+r.rjct > 1 {
			w.fail("%s has %d pacs.002 ACSC and %d RJCT", m.Reference, r.acsc, r.rjct)
		}
	case "pacs.008.001.08", "pacs.004.001.09":
		if r.delivered++; r.delivered > 1 {
			w.fail("%s delivered %d times to %s", m.Reference, r.delivered, bic)
		}
	}
}

// checkDays checks that every calendar currency has a business day open,
// on a business day of its calendar, never earlier than before.
func (w *simWorld) checkDays(after simSnapshot) {
	for _, c := range w.cals {
		d, ok := after.days[c.Currency]
		if !ok || d.Phase == "" {
			if w.step > len(w.banks)+len(w.cals) {
				w.fail("no %s business day is open", c.Currency)
			}
			continue
		}
		if !c.BusinessDay(d.Date) {
			w.fail("%s's business day %s is not a business day of its calendar", c.Currency, d.Date)
		}
		if b, ok := w.before.days[c.Currency]; ok && b.Phase != "" && settlement.CompareDates(d.Date, b.Date) < 0 {
			w.fail("%s's business day went back from %s to %s", c.Currency, b.Date, d.Date)
		}
	}
}

// checkMoved checks the legs that became final in the step: the reports and
// deliveries the hub wrote, the business day they settled on, and that no
// normal payment used a reserve or passed a limit; then it books them in
// the model.
func (w *simWorld) checkMoved(moved []*simLeg, after simSnapshot) {
	exempt := map[simAcct]int64{} // Outflows the reserve does not bind: urgent, returns, converted (see simFXBound).
	normal := map[simAcct]bool{}
	var lanes []simDayLane
	for _, l := range moved {
		r := w.reports[l.ref]
		if r == nil {
			r = &simReports{}
		}
		if l.status == corridor.StatusRejected {
			w.stats.Rejected++
			if r.rjct != 1 || r.acsc != 0 || r.delivered != 0 {
				w.fail("rejected %s: %d pacs.002 RJCT, %d ACSC, delivered %d times; want one RJCT", l.ref, r.rjct, r.acsc, r.delivered)
			}
			continue
		}
		w.stats.Settled++
		if r.acsc != 1 || r.rjct != 0 || r.delivered != 1 {
			w.fail("settled %s: %d pacs.002 ACSC, %d RJCT, delivered %d times; want one ACSC and one delivery", l.ref, r.acsc, r.rjct, r.delivered)
		}
		if l.settled++; l.settled > 1 {
			w.fail("%s settled twice", l.ref)
		}
		w.checkSettledOn(l, r.date)
		w.book(l)
		lane, a := w.debitOf(l)
		if l.urgentNow() || l.kind == "pacs.004" || (l.converts() && !simFXBound) {
			exempt[lane] += a
		} else {
			normal[lane] = true
		}
		if k, ok := w.count(l, r.date); ok && !slices.Contains(lanes, k) {
			lanes = append(lanes, k)
		}
	}
	for _, k := range lanes {
		w.checkLimits(k)
	}
	for _, lane := range slices.SortedFunc(maps.Keys(normal), compareAcct) {
		r := min(w.before.reserve[lane], after.reserve[lane])
		before, now := w.before.avail[lane], after.avail[lane]
		if now+exempt[lane] < min(before, int64(r)) {
			w.fail("a normal payment of %s used its %s reserve %s: available %d, then %d (%d of it urgent or exempt)",
				lane.bic, lane.cur, r.Format(lane.cur), before, now, exempt[lane])
		}
	}
}

func compareAcct(a, b simAcct) int {
	if a.bic != b.bic {
		return compareStrings(string(a.bic), string(b.bic))
	}
	return compareStrings(string(a.cur), string(b.cur))
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// debitOf is the lane l's settlement debits, and how much.
func (w *simWorld) debitOf(l *simLeg) (simAcct, int64) {
	p := l.pay
	if l.converts() {
		return simAcct{p.InstructingAgent, p.Instructed.Currency}, int64(p.Instructed.Amount)
	}
	return simAcct{p.InstructingAgent, p.Currency}, int64(p.Amount)
}

// checkSettledOn checks the business date l settled on, as its pacs.002
// says: its own settlement date; with a calendar, a business day of it,
// and not one closed before the step began.
func (w *simWorld) checkSettledOn(l *simLeg, date corridor.Date) {
	cur := l.pay.Currency
	cal, ok := w.calendar(cur)
	if !ok {
		// Without a calendar the day is the UTC date of the hub's clock, and
		// nothing ends it for a payment held by compliance or waiting in a
		// net cycle: it settles on a later date. Counted, not failed.
		if date != l.pay.SettlementDate {
			w.stats.LateUTC++
		}
		return
	}
	switch settlement.CompareDates(date, l.pay.SettlementDate) {
	case -1:
		w.fail("%s dated %s settled before, on %s", l.ref, l.pay.SettlementDate, date)
	case 1:
		// Later than asked: a net payment carried to the next cycle, or one
		// a compliance hold kept past its day (see the report). Counted.
		w.stats.LateDay++
	}
	if !cal.BusinessDay(date) {
		w.fail("%s settled on %s, not a %s business day", l.ref, date, cur)
	}
	if open := w.before.days[cur]; open.Phase != "" && settlement.CompareDates(date, open.Date) < 0 {
		w.fail("%s settled on %s, a %s business day closed before (the open day was %s)", l.ref, date, cur, open.Date)
	}
}

// book moves the model's balances as l's settlement must have.
func (w *simWorld) book(l *simLeg) {
	p := l.pay
	if l.converts() {
		w.balances[simAcct{p.InstructingAgent, p.Instructed.Currency}] -= int64(p.Instructed.Amount)
		w.balances[simAcct{l.provider, p.Instructed.Currency}] += int64(p.Instructed.Amount)
		w.balances[simAcct{l.provider, p.Currency}] -= int64(p.Amount)
		w.balances[simAcct{p.InstructedAgent, p.Currency}] += int64(p.Amount)
		return
	}
	w.balances[simAcct{p.InstructingAgent, p.Currency}] -= int64(p.Amount)
	w.balances[simAcct{p.InstructedAgent, p.Currency}] += int64(p.Amount)
}

// count adds l, settled on date, to the lanes' usage, and returns the
// lane and day whose outflow it adds to, if any.
func (w *simWorld) count(l *simLeg, date corridor.Date) (simDayLane, bool) {
	p := l.pay
	in := w.usageOf(simDayLane{simAcct{p.InstructedAgent, p.Currency}, date})
	in.in[p.InstructingAgent] += int64(p.Amount)
	if l.kind != "pacs.008" || p.Urgent || (w.netted(p.Currency) && !l.converts()) {
		return simDayLane{}, false // Limits bind normal payments settled gross: net cycles hold the reserve only (as settlement's property test states it).
	}
	lane, a := w.debitOf(l)
	if l.converts() && !simFXBound {
		return simDayLane{}, false
	}
	if l.converts() {
		date = w.today(lane.cur) // Its leg counts on the business day of the currency it pays in; it settled in this step.
	}
	k := simDayLane{lane, date}
	u := w.usageOf(k)
	u.out[p.InstructedAgent] += a
	if u.first == 0 || l.acceptedAt < u.first {
		u.first = l.acceptedAt
	}
	return k, true
}

// checkLimits checks that the settled net outflow of lane k stays within the
// loosest limits in force since the first of its payments out was accepted.
// It runs once all the step's settlements are counted: the hub lets a
// payment pass on what came in before it within the step.
func (w *simWorld) checkLimits(k simDayLane) {
	u := w.usage[k]
	multi, bil := w.caps(k.simAcct, u.first)
	var net int64
	for _, b := range slices.Sorted(maps.Keys(u.out)) {
		net += u.out[b]
	}
	for _, b := range slices.Sorted(maps.Keys(u.in)) {
		net -= u.in[b]
	}
	if multi > 0 && net > multi {
		w.fail("%s's settled net outflow on %s is %d, above its multilateral limit %d (out %v, in %v)", k.simAcct, k.day, net, multi, u.out, u.in)
	}
	for _, b := range slices.Sorted(maps.Keys(bil)) {
		if n := u.out[b] - u.in[b]; n > bil[b] {
			w.fail("%s's settled net outflow to %s on %s is %d, above its bilateral limit %d", k.simAcct, b, k.day, n, bil[b])
		}
	}
}

func (w *simWorld) usageOf(k simDayLane) *simUsage {
	u := w.usage[k]
	if u == nil {
		u = &simUsage{out: map[corridor.BIC]int64{}, in: map[corridor.BIC]int64{}}
		w.usage[k] = u
	}
	return u
}

// checkMoney checks that every account holds what the model says, none is
// below its floor, participants hold per currency exactly what was funded
// in less what was defunded, and the hub's accounts balance them.
func (w *simWorld) checkMoney() {
	ctx := context.Background()
	accts, err := w.h.HubAccounts(ctx)
	if err != nil {
		w.fail("hub accounts: %v", err)
	}
	rounding := map[corridor.Currency]int64{} // Booked into fx-rounding: by the one provider, so its balance is less by that.
	for _, a := range accts {
		if a.Kind == "fx-rounding" {
			rounding[a.Currency] = a.Balance
		}
	}
	held := map[corridor.Currency]int64{}
	for _, b := range w.banks {
		bals, err := w.h.Balances(ctx, b.bic)
		if err != nil {
			w.fail("balances of %s: %v", b.bic, err)
		}
		for _, a := range bals {
			want := w.balances[simAcct{b.bic, a.Currency}]
			if b.bic == simProvider {
				want -= rounding[a.Currency]
			}
			if a.Balance != want {
				w.fail("%s %s holds %d; the payments settled and fundings say %d", b.bic, a.Currency, a.Balance, want)
			}
			if a.Available < 0 || a.Balance < 0 {
				w.fail("%s %s is below its floor: balance %d, available %d", b.bic, a.Currency, a.Balance, a.Available)
			}
			held[a.Currency] += a.Balance
		}
	}
	total := maps.Clone(held)
	for _, a := range accts {
		if a.Breach || a.Balance < a.Floor {
			w.fail("hub account %s is below its floor: %d < %d", a.Name, a.Balance, a.Floor)
		}
		total[a.Currency] += a.Balance
		if a.Kind == "central" && a.Balance != -w.funded[a.Currency] {
			w.fail("%s is %d; %d was funded in less defunded", a.Name, a.Balance, w.funded[a.Currency])
		}
	}
	for _, cur := range simCurrencies {
		if held[cur]+rounding[cur] != w.funded[cur] {
			w.fail("participants hold %d %s; %d was funded in less defunded", held[cur], cur, w.funded[cur])
		}
		if total[cur] != 0 {
			w.fail("the %s accounts do not balance: they sum to %d", cur, total[cur])
		}
	}
}

// checkPositions checks that the queue, the holds and every bank's
// positions show exactly the legs the tracker says wait there.
func (w *simWorld) checkPositions() {
	ctx := context.Background()
	want := map[string]hub.Wait{}
	held := map[string]bool{}
	type pos struct{ queued, limited, cycle int64 }
	positions := map[simAcct]*pos{}
	at := func(k simAcct) *pos {
		if positions[k] == nil {
			positions[k] = &pos{}
		}
		return positions[k]
	}
	for _, l := range w.open {
		k := simAcct{l.pay.InstructingAgent, l.pay.Currency}
		switch {
		case l.wait == hub.WaitCompliance:
			held[l.ref] = true
		case l.status == corridor.StatusPending:
			want[l.ref] = l.wait
			if l.wait == hub.WaitQueue {
				at(k).queued += int64(l.pay.Amount)
			} else if l.wait == hub.WaitLimit {
				at(k).limited += int64(l.pay.Amount)
			}
		case l.status == corridor.StatusInCycle:
			at(k).cycle += int64(l.pay.Amount)
		}
	}
	q, err := w.h.Queue(ctx, corridor.Identity{Role: corridor.RoleOperator})
	if err != nil {
		w.fail("queue: %v", err)
	}
	got := map[string]hub.Wait{}
	for _, e := range q {
		if _, dup := got[e.Reference]; dup {
			w.fail("%s is in the queue view twice", e.Reference)
		}
		got[e.Reference] = e.Wait
	}
	if !maps.Equal(got, want) {
		w.fail("the queue view holds %v; the tracker says %v wait", got, want)
	}
	holds, err := w.h.Holds(ctx)
	if err != nil {
		w.fail("holds: %v", err)
	}
	gotHeld := map[string]bool{}
	for _, h := range holds {
		gotHeld[h.Reference] = true
	}
	if !maps.Equal(gotHeld, held) {
		w.fail("the holds are %v; the tracker says %v are held", gotHeld, held)
	}
	for _, b := range w.banks {
		liq, err := w.h.Liquidity(ctx, b.bic)
		if err != nil {
			w.fail("positions of %s: %v", b.bic, err)
		}
		for _, l := range liq {
			p := at(simAcct{b.bic, l.Currency})
			if int64(l.QueuedOut) != p.queued || int64(l.LimitQueuedOut) != p.limited || int64(l.CycleSent) != p.cycle {
				w.fail("%s %s positions: queued %d, on a limit %d, in the cycle %d; the tracker says %d, %d, %d",
					b.bic, l.Currency, l.QueuedOut, l.LimitQueuedOut, l.CycleSent, p.queued, p.limited, p.cycle)
			}
		}
	}
}

// checkStats checks that the hub's statistics count the pacs.008 legs in
// the statuses the tracker shows; with retention, final legs may have left
// memory (the tracker reads them from the archive), and the statistics
// count those in memory.
func (w *simWorld) checkStats() {
	st, err := w.h.Stats(context.Background())
	if err != nil {
		w.fail("stats: %v", err)
	}
	w.trace = append(w.trace, fmt.Sprintf("step %d seq %d: %s", w.step, st.Seq, w.what))
	got := map[corridor.PaymentStatus]int{}
	for _, c := range st.Payments {
		if c.MsgDef == "pacs.008.001.08" {
			got[c.Status] += c.Count
		}
	}
	want := map[corridor.PaymentStatus]int{}
	for _, l := range w.legs {
		if l.kind == "pacs.008" {
			want[l.status]++
		}
	}
	if w.cfg.Retention > 0 {
		for _, final := range []corridor.PaymentStatus{corridor.StatusSettled, corridor.StatusRejected} {
			if got[final] > want[final] {
				w.fail("statistics count %d %s pacs.008 legs in memory; the tracker %d in all", got[final], final, want[final])
			}
			got[final] = want[final] // The rest are archived.
		}
		maps.DeleteFunc(got, func(_ corridor.PaymentStatus, n int) bool { return n == 0 })
	}
	if !maps.Equal(got, want) {
		w.fail("statistics count %v pacs.008 legs by status; the tracker %v", got, want)
	}
}

// String names a lane for failures.
func (a simAcct) String() string { return fmt.Sprintf("%s/%s", a.bic, a.cur) }
