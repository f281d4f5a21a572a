package settlement_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

// The scenarios and the property test drive the Gate as the hub does: a
// normal payment asks the gate, then waits in the limit queue or enters the
// RTGS queue and counts against the limits; whenever liquidity arrives or a
// limit changes, the RTGS queue is released and the limit queue admits what
// it may, again while it admits any.

// outcome is what entering settlement did with a payment.
type outcome struct {
	hold    settlement.Hold
	held    bool // Into the limit queue.
	settled bool // Settled gross at once; else queued for liquidity, unless held.
}

// enter takes p towards settlement at now, as the hub's settleGross does.
func (w *world) enter(p settlement.Payment, now, deadline time.Time) (outcome, error) {
	if h, held := w.gate.Held(w.l, w.q, p, now); held {
		w.gate.Wait(p)
		return outcome{hold: h, held: true}, nil
	}
	w.gate.Enter(p, now) // Before it settles: a settlement counts what entered.
	settled, err := w.submitQueue(p, now, deadline)
	if err != nil {
		w.gate.Left(p.ID)
		return outcome{}, err
	}
	if settled {
		w.gate.Settled(p, now)
	}
	return outcome{settled: settled}, nil
}

// settledAll tells the gate of every payment in ss, settled at now, as the
// hub does of every settlement.
func (w *world) settledAll(ss []settlement.Settled, now time.Time) []settlement.Settled {
	for _, st := range ss {
		w.gate.Settled(st.Payment, now)
	}
	return ss
}

// leftAll tells the gate of every payment in rs, gone from settlement
// unsettled.
func (w *world) leftAll(rs []settlement.Rejected) []settlement.Rejected {
	for _, r := range rs {
		w.gate.Left(r.Payment.ID)
	}
	return rs
}

// submitQueue settles p gross or queues it, once the gate let it through.
func (w *world) submitQueue(p settlement.Payment, now, deadline time.Time) (bool, error) {
	if w.entering != nil {
		w.entering(p, now)
	}
	_, settled, err := w.q.Submit(w.l, p, now, deadline, w.transferID)
	return settled, err
}

// releaseAll releases the RTGS queue, then admits from the limit queue,
// again while it admits any, as the hub's release does. released gets what
// each release settled; admitted each admitted payment before it enters the
// RTGS queue, and then whether it settled at once.
func (w *world) releaseAll(now time.Time, released func([]settlement.Settled), admitted func(p settlement.Payment, settled bool)) {
	for {
		released(w.settledAll(w.q.Release(w.l, w.transferID), now))
		n := 0
		for p := range w.gate.Admit(w.l, w.q, func(corridor.Currency) time.Time { return now }) {
			settled, err := w.submitQueue(p, now, endOfDay(now))
			if err != nil {
				w.tb.Fatalf("admitted payment %d: %v", p.ID, err)
			}
			if settled {
				w.gate.Settled(p, now)
			}
			admitted(p, settled)
			n++
		}
		if n == 0 {
			return
		}
	}
}

// endOfDay is the deadline the hub gives a payment: the end of its business day.
func endOfDay(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// release is releaseAll's lines, "none" when nothing moved.
func (w *world) release(now time.Time) []string {
	var out []string
	w.releaseAll(now, func(ss []settlement.Settled) {
		if len(ss) > 0 {
			out = append(out, settledLines(ss)...)
		}
	}, func(p settlement.Payment, settled bool) {
		out = append(out, fmt.Sprintf("admitted %d, %s", p.ID, queuedOrSettled(settled)))
	})
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

func queuedOrSettled(settled bool) string {
	if settled {
		return "settled"
	}
	return "queued"
}

func (w *world) limits(op string, a args) []string {
	switch op {
	case "limits":
		return w.setLimits(a)
	case "enter":
		return w.enterLines(a)
	case "waiting":
		return w.waiting()
	case "usage":
		return w.usage()
	case "remove":
		if !w.gate.Remove(settlement.PaymentID(a.id(0))) {
			return []string{"not waiting"}
		}
		return w.waiting()
	case "expire-waiting":
		return rejectedLines(w.gate.Expire())
	case "next-day":
		w.day = w.day.AddDate(0, 0, 1)
		return []string{"day " + corridor.DateOf(w.day).String()}
	}
	w.tb.Fatalf("unknown command %q", op)
	return nil
}

// limits BIC CCY [reserve=A] [multilateral=A] [bilateral=BIC:A,BIC:A]: the
// limits are replaced, then the queues released.
func (w *world) setLimits(a args) []string {
	c := corridor.Currency(a.at(1))
	l := settlement.Limits{Currency: c, Bilateral: map[corridor.BIC]corridor.Amount{}}
	if v, ok := a.named["reserve"]; ok {
		l.Reserve = mustAmount(w.tb, v, c)
	}
	if a.named["rule"] == "gross" {
		l.Rule = settlement.RuleGross
	}
	if v, ok := a.named["multilateral"]; ok {
		l.Multilateral = mustAmount(w.tb, v, c)
	}
	if v, ok := a.named["bilateral"]; ok {
		for _, kv := range strings.Split(v, ",") {
			bic, amt, _ := strings.Cut(kv, ":")
			l.Bilateral[mustBIC(w.tb, bic)] = mustAmount(w.tb, amt, c)
		}
	}
	if err := w.gate.SetLimits(w.l, a.bic(0), l); err != nil {
		return errLine(err)
	}
	return append([]string{"limits set"}, w.release(a.clock("at"))...)
}

// enter ID INSTRUCTING INSTRUCTED CCY AMOUNT [urgent] at=HH:MM deadline=HH:MM
func (w *world) enterLines(a args) []string {
	p := a.payment()
	now := a.clock("at")
	o, err := w.enter(p, now, a.clock("deadline"))
	switch {
	case err != nil:
		return errLine(err)
	case o.held && o.hold.Behind != 0:
		return []string{fmt.Sprintf("held %d behind %d", p.ID, o.hold.Behind)}
	case o.held:
		return []string{fmt.Sprintf("held %d: %s", p.ID, o.hold.Detail)}
	case !o.settled:
		return []string{fmt.Sprintf("queued %d", p.ID)}
	}
	out := []string{fmt.Sprintf("settled %d", p.ID)}
	if more := w.release(now); more[0] != "none" { // The hub releases after a settlement.
		out = append(out, more...)
	}
	return out
}

func (w *world) waiting() []string {
	var out []string
	for _, p := range w.gate.Waiting() {
		out = append(out, fmt.Sprintf("%d %s -> %s %s %s", p.ID, short(p.InstructingAgent), short(p.InstructedAgent),
			p.Amount.Format(p.Currency), p.Currency))
	}
	if len(out) == 0 {
		return []string{"empty"}
	}
	return out
}

func (w *world) usage() []string {
	var out []string
	for bic, u := range w.gate.AllUsage() {
		if u.Rule == settlement.RuleNet {
			out = append(out, netUsage(bic, u))
			continue
		}
		line := fmt.Sprintf("%s %s %s used %s", short(bic), u.Currency, u.Day, u.Total.Format(u.Currency))
		for _, to := range slices.Sorted(maps.Keys(u.To)) {
			line += fmt.Sprintf(", %s to %s", u.To[to].Format(u.Currency), short(to))
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// netUsage is a RuleNet usage line: the day's flows in total, then per
// counterparty, with the net outflow the limits cap.
func netUsage(bic corridor.BIC, u settlement.Usage) string {
	c := u.Currency
	f := func(a corridor.Amount) string { return a.Format(c) }
	line := fmt.Sprintf("%s %s %s net %s: out %s, pending %s, in %s", short(bic), c, u.Day, signed(u.NetOut(""), c),
		f(u.Out.Total), f(u.Pending.Total), f(u.In.Total))
	bics := slices.Concat(slices.Collect(maps.Keys(u.Out.By)), slices.Collect(maps.Keys(u.Pending.By)), slices.Collect(maps.Keys(u.In.By)))
	slices.Sort(bics)
	for _, b := range slices.Compact(bics) {
		line += fmt.Sprintf("; %s net %s", short(b), signed(u.NetOut(b), c))
	}
	return line
}
