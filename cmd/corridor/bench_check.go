package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// benchTrackers is how many tracker queries a check runs at once.
const benchTrackers = 8

// audit checks the invariants through the API, with no submission in
// flight: every payment the hub acknowledged is there exactly once (settled,
// or pending or rejected with a reason), no refused one is, no 202 went back
// on its word, and every bank's balance in every currency is what it was
// plus its funding plus what the settled payments moved, so each currency is
// conserved. A final audit asks about every payment and also checks the
// pacs.002s and the inboxes; an audit after a restart asks only about the
// payments not yet found settled or rejected. An error is a failed query.
func (e *benchEnv) audit(ctx context.Context, tr *benchTracker, final bool) ([]string, error) {
	if err := e.trackAll(ctx, tr, tr.toCheck(final)); err != nil {
		return nil, err
	}
	if err := e.trackDone(ctx, tr, final); err != nil {
		return nil, err
	}
	bals, err := e.balances(ctx)
	if err != nil {
		return nil, err
	}
	problems := tr.checkPayments(final)
	problems = append(problems, e.checkBalances(tr, bals)...)
	for k := range numKinds {
		if n := tr.kinds[k].firstAgain.Load(); n > 0 {
			problems = append(problems, fmt.Sprintf("%d duplicates were taken as new payments: their originals were lost", n))
		}
	}
	if final {
		inboxes, err := e.checkInboxes(ctx, tr)
		if err != nil {
			return nil, err
		}
		problems = append(problems, inboxes...)
	}
	return problems, nil
}

// toCheck is every payment of the map (final) or those not yet found
// terminal; trackDone asks about the records.
func (tr *benchTracker) toCheck(all bool) map[msgKey]*benchPayment {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	out := map[msgKey]*benchPayment{}
	for k, p := range tr.payments {
		if all || !p.terminal() {
			out[k] = p
		}
	}
	return out
}

// trackAll asks the hub, as each payment's sender, what it knows of it.
func (e *benchEnv) trackAll(ctx context.Context, tr *benchTracker, ps map[msgKey]*benchPayment) error {
	keys := make(chan msgKey)
	errs := make([]error, benchTrackers)
	var wg sync.WaitGroup
	for w := range benchTrackers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range keys {
				if errs[w] != nil {
					continue
				}
				var found benchPayment
				found, errs[w] = track(ctx, k, ps[k])
				tr.mu.Lock()
				ps[k].keepFindings(&found)
				tr.mu.Unlock()
			}
		}()
	}
	for k := range ps {
		keys <- k
	}
	close(keys)
	wg.Wait()
	return errors.Join(errs...)
}

// track finds the legs of p's UETR that are the message k.
func track(ctx context.Context, k msgKey, p *benchPayment) (benchPayment, error) {
	resp, err := p.from.client.Track(ctx, p.uetr)
	if errors.Is(err, corridor.ErrNotFound) {
		return benchPayment{}, nil
	}
	if err != nil {
		return benchPayment{}, fmt.Errorf("track %s: %w", p.uetr, err)
	}
	var found benchPayment
	for _, leg := range resp.Legs {
		if leg.MsgID == k.msgID && leg.InstructingAgent == string(k.bic) {
			found.legs++
			found.status, found.wait, found.reason = leg.Status, leg.Wait, leg.Reason
		}
	}
	return found, nil
}

// keepFindings copies into p what a check found of it.
func (p *benchPayment) keepFindings(found *benchPayment) {
	p.legs, p.status, p.wait, p.reason = found.legs, found.status, found.wait, found.reason
}

// benchTally counts the payments of one problem and names a few.
type benchTally struct {
	n        int
	examples []string
}

func (t *benchTally) add(k msgKey) {
	if t.n++; len(t.examples) < 3 {
		t.examples = append(t.examples, string(k.bic)+"/"+k.msgID)
	}
}

// checkPayments checks each payment against what the hub said of it.
func (tr *benchTracker) checkPayments(final bool) []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tallies := map[string]*benchTally{}
	bad := func(what string, k msgKey) {
		if tallies[what] == nil {
			tallies[what] = &benchTally{}
		}
		tallies[what].add(k)
	}
	tr.eachPayment(func(k msgKey, p *benchPayment) {
		for _, what := range p.problems(final) {
			bad(what, k)
		}
	})
	if final && tr.stray > 0 {
		tallies["pacs.002s name payments the bench never sent"] = &benchTally{n: tr.stray}
	}
	var out []string
	for _, what := range slices.Sorted(maps.Keys(tallies)) {
		t := tallies[what]
		out = append(out, fmt.Sprintf("%d %s %v", t.n, what, t.examples))
	}
	return out
}

// problems says what is wrong with p, given the hub's answer at the check.
func (p *benchPayment) problems(final bool) []string {
	var out []string
	settled := string(corridor.StatusSettled)
	switch {
	case p.acked && p.legs == 0:
		out = append(out, p.kind.String()+" payments got a 202 but the hub does not know them")
	case p.legs > 1:
		out = append(out, p.kind.String()+" payments are in the hub more than once")
	case !p.acked && p.definite && p.legs > 0:
		out = append(out, p.kind.String()+" payments were refused with a 4xx but the hub has them")
	}
	if p.legs == 1 {
		switch {
		case p.acked && p.answered == settled && p.status != settled:
			out = append(out, p.kind.String()+" payments were answered ACSC and are no longer")
		case p.status == string(corridor.StatusPending) && p.wait == "":
			out = append(out, p.kind.String()+" payments wait without saying why")
		case p.status == string(corridor.StatusRejected) && p.reason == "":
			out = append(out, p.kind.String()+" payments were rejected without a reason")
		}
	}
	if !final {
		return out
	}
	switch {
	case p.terminal() && p.reports != 1:
		out = append(out, fmt.Sprintf("%s payments are %s but the sender received %d pacs.002s", p.kind, p.status, p.reports))
	case p.terminal() && string(p.reported) != p.status:
		out = append(out, p.kind.String()+" payments have a pacs.002 that disagrees with the tracker")
	case !p.terminal() && p.reports > 0:
		out = append(out, p.kind.String()+" payments have a pacs.002 but are not final")
	}
	return out
}

// checkBalances compares every bank's balances with what the settled
// payments and the fundings explain, and each currency's total with the
// funding.
func (e *benchEnv) checkBalances(tr *benchTracker, bals map[benchAccount]int64) []string {
	want := maps.Clone(e.before)
	e.fundedMu.Lock()
	funded := maps.Clone(e.funded)
	e.fundedMu.Unlock()
	for a, v := range funded {
		want[a] += v
	}
	moved := map[corridor.Currency]int64{}
	tr.mu.Lock()
	tr.eachPayment(func(_ msgKey, p *benchPayment) {
		if p.legs != 1 || p.status != string(corridor.StatusSettled) {
			return
		}
		for _, ef := range p.effects {
			want[benchAccount{ef.bic, ef.ccy}] += ef.minor
		}
	})
	tr.mu.Unlock()
	var out []string
	for _, a := range slices.SortedFunc(maps.Keys(bals), func(x, y benchAccount) int {
		return cmp.Compare(string(x.bic)+string(x.ccy), string(y.bic)+string(y.ccy))
	}) {
		moved[a.ccy] += bals[a] - e.before[a] - funded[a]
		if bals[a] != want[a] {
			out = append(out, fmt.Sprintf("%s %s holds %s; the settled payments and fundings explain %s", a.bic, a.ccy,
				corridor.Amount(bals[a]).Format(a.ccy), corridor.Amount(want[a]).Format(a.ccy)))
		}
	}
	for _, ccy := range slices.Sorted(maps.Keys(moved)) {
		if moved[ccy] != 0 {
			out = append(out, fmt.Sprintf("%s is not conserved: the banks' balances moved by %d minor units beyond the funding", ccy, moved[ccy]))
		}
	}
	return out
}

// checkInboxes checks, at the end, that every delivered message was
// acknowledged.
func (e *benchEnv) checkInboxes(ctx context.Context, tr *benchTracker) ([]string, error) {
	var out []string
	for _, b := range e.banks() {
		var left []httpapi.InboxMessageBody
		err := e.retrying(ctx, func() error {
			var err error
			left, err = b.client.Inbox(ctx, 0, 0)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("read %s inbox: %w", b.BIC, err)
		}
		if len(left) > 0 {
			out = append(out, fmt.Sprintf("%s has %d delivered messages it did not acknowledge", b.BIC, len(left)))
		}
	}
	if d, a := tr.delivered.Load(), tr.acknowledged.Load(); d != a {
		out = append(out, fmt.Sprintf("%d messages delivered, %d acknowledged", d, a))
	}
	return out, nil
}
