package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
)

// benchKind is one kind of payment in the bench's mix.
type benchKind int

const (
	kindGross  benchKind = iota // The Indian bank pays the Russian bank rupees; its liquidity covers it at once.
	kindQueued                  // The Russian bank pays rupees it has only when enough gross payments have come in.
	kindFX                      // The Indian bank pays roubles out of rupees through the FX provider's quote (PvP).
	kindDup                     // The exact bytes of an acknowledged payment sent again: a duplicate, never paid twice.
	kindReturn                  // The Russian bank returns part of a settled gross payment with a pacs.004.
	numKinds
)

var benchKindNames = [numKinds]string{"gross", "queued", "fx", "dup", "return"}

func (k benchKind) String() string { return benchKindNames[k] }

// defaultMix is the mix of `corridor bench` when --mix is not given.
const defaultMix = "gross=70,queued=10,fx=10,dup=5,return=5"

// The amounts of the mix. The queued payment is seven gross payments: the
// Russian bank, funded with no rupees, receives 70 × 1,000 for every 72,500
// it pays in the default mix (queued and returns), so its queue forms at
// once, is released a little with every gross payment that pays it, and
// never quite empties; the bench funds what still waits at the end.
const (
	benchGross         = "1000.00"
	benchGrossMinor    = 100_000
	benchQueued        = "7000.00"
	benchQueuedMinor   = 700_000
	benchFXRupees      = "1000.00"
	benchFXRupeesMinor = 100_000
	benchReturned      = "500.00"
	benchReturnedMinor = 50_000
	maxMixWeight       = 1000
)

// benchMix is the weight of each kind: a payment is of kind k with
// probability mix[k] / the sum.
type benchMix [numKinds]int

// parseMix reads "gross=70,queued=10,...": every kind named at most once,
// weights 0..maxMixWeight, at least one above zero. A kind not named weighs 0.
func parseMix(s string) (benchMix, error) {
	var m benchMix
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		k := kindByName(name)
		if !ok || k < 0 {
			return m, fmt.Errorf("--mix %q: %q is not KIND=WEIGHT with KIND one of %s", s, part, strings.Join(benchKindNames[:], ", "))
		}
		if seen[name] {
			return m, fmt.Errorf("--mix %q: %s named twice", s, name)
		}
		seen[name] = true
		v, err := strconv.Atoi(w)
		if err != nil || v < 0 || v > maxMixWeight {
			return m, fmt.Errorf("--mix %q: the weight of %s must be 0 to %d", s, name, maxMixWeight)
		}
		m[k] = v
	}
	if m.total() == 0 {
		return m, fmt.Errorf("--mix %q: every weight is 0", s)
	}
	return m, nil
}

func kindByName(name string) benchKind {
	for k, n := range benchKindNames {
		if n == name {
			return benchKind(k)
		}
	}
	return -1
}

func (m benchMix) total() int {
	t := 0
	for _, w := range m {
		t += w
	}
	return t
}

// pick is the kind of the payment whose draw is r, in [0, m.total()).
func (m benchMix) pick(r int) benchKind {
	for k, w := range m {
		if r < w {
			return benchKind(k)
		}
		r -= w
	}
	return kindGross
}

func (m benchMix) String() string {
	parts := make([]string, 0, numKinds)
	for k, w := range m {
		if w > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", benchKind(k), w))
		}
	}
	return strings.Join(parts, ",")
}

// benchEffect is what a payment moves on one account when it settles.
type benchEffect struct {
	bic   corridor.BIC
	ccy   corridor.Currency
	minor int64 // Signed: a credit is positive.
}

// benchOp is one submission: its message, who sends it, what it moves when
// it settles.
type benchOp struct {
	kind    benchKind
	from    *demoBank
	key     msgKey // The sender and its message reference.
	uetr    corridor.UETR
	msg     []byte
	effects []benchEffect
	orig    corridor.Payment // A gross payment, kept for a later return of it.
}

// msgKey names one message a bank sent.
type msgKey struct {
	bic   corridor.BIC
	msgID string
}

// maxBenchPool bounds the messages kept for duplicates and the payments kept
// for returns.
const maxBenchPool = 4096

// benchPools are the acknowledged messages a duplicate may repeat and the
// settled gross payments a return may return (each at most once).
type benchPools struct {
	mu      sync.Mutex // guards the fields below
	dups    []benchOp  // A ring of at most maxBenchPool.
	dupNext int
	returns []corridor.Payment // At most maxBenchPool; the oldest dropped.
}

func (p *benchPools) acked(op benchOp, settled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.dups) < maxBenchPool {
		p.dups = append(p.dups, op)
	} else {
		p.dups[p.dupNext] = op
		p.dupNext = (p.dupNext + 1) % maxBenchPool
	}
	if op.kind == kindGross && settled {
		if len(p.returns) == maxBenchPool {
			p.returns = p.returns[1:]
		}
		p.returns = append(p.returns, op.orig)
	}
}

func (p *benchPools) dup(r int) (benchOp, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.dups) == 0 {
		return benchOp{}, false
	}
	return p.dups[r%len(p.dups)], true
}

func (p *benchPools) toReturn() (corridor.Payment, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.returns)
	if n == 0 {
		return corridor.Payment{}, false
	}
	orig := p.returns[n-1]
	p.returns = p.returns[:n-1]
	return orig, true
}

// newOp builds a submission of kind k. A duplicate or a return with nothing
// to repeat or return yet is a gross payment instead. An FX payment asks the
// hub for a quote first.
func (e *benchEnv) newOp(ctx context.Context, k benchKind, r int) (benchOp, error) {
	now := time.Now()
	switch k {
	case kindDup:
		if op, ok := e.pools.dup(r); ok {
			op.kind, op.effects = kindDup, nil
			return op, nil
		}
	case kindReturn:
		if orig, ok := e.pools.toReturn(); ok {
			return e.returnOp(orig, now)
		}
	case kindQueued:
		return e.paymentOp(kindQueued, e.russia, e.india, benchQueued, benchQueuedMinor, now)
	case kindFX:
		return e.fxOp(ctx, now)
	}
	return e.paymentOp(kindGross, e.india, e.russia, benchGross, benchGrossMinor, now)
}

func (e *benchEnv) paymentOp(k benchKind, from, to *demoBank, amount string, minor int64, now time.Time) (benchOp, error) {
	p, err := demoPayment(from, to, corridor.DateOf(now.UTC()), amount, "INR")
	if err != nil {
		return benchOp{}, err
	}
	msg, err := demoMessage(p, now)
	return benchOp{kind: k, from: from, key: msgKey{from.BIC, p.MsgID}, uetr: p.UETR, msg: msg, orig: p,
		effects: []benchEffect{{from.BIC, "INR", -minor}, {to.BIC, "INR", minor}}}, err
}

// returnOp is the Russian bank's pacs.004 returning benchReturned of orig.
func (e *benchEnv) returnOp(orig corridor.Payment, now time.Time) (benchOp, error) {
	msgID := "RTN" + string(orig.UETR[:8]) + string(orig.UETR[24:])
	msg, err := iso20022.EncodeReturn(iso20022.Return{MsgID: msgID, ReturnID: msgID, Created: now.UTC().Truncate(time.Second),
		Original: orig, Amount: benchReturnedMinor, Reason: "MS03"})
	return benchOp{kind: kindReturn, from: e.russia, key: msgKey{e.russia.BIC, msgID}, uetr: orig.UETR, msg: msg,
		effects: []benchEffect{{e.russia.BIC, "INR", -benchReturnedMinor}, {e.india.BIC, "INR", benchReturnedMinor}}}, err
}

// fxOp takes a quote for benchFXRupees INR → RUB and writes the Indian
// bank's pacs.008 that pays the Russian bank the roubles, PvP through the
// quote's provider.
func (e *benchEnv) fxOp(ctx context.Context, now time.Time) (benchOp, error) {
	var q httpapi.QuoteBody
	err := e.retrying(ctx, func() error {
		var err error
		q, err = e.india.client.Quote(ctx, httpapi.QuoteRequest{Amount: benchFXRupees, From: "INR", To: "RUB"})
		return err
	})
	if err != nil {
		return benchOp{}, fmt.Errorf("quote: %w", err)
	}
	p, err := demoPayment(e.india, e.russia, corridor.DateOf(now.UTC()), q.Converted, "RUB")
	if err != nil {
		return benchOp{}, err
	}
	p.Instructed, p.FXQuote, p.XchgRate = corridor.Money{Amount: benchFXRupeesMinor, Currency: "INR"}, q.ID, q.Rate
	msg, err := demoMessage(p, now)
	provider := corridor.BIC(q.Provider)
	return benchOp{kind: kindFX, from: e.india, key: msgKey{e.india.BIC, p.MsgID}, uetr: p.UETR, msg: msg,
		effects: []benchEffect{{e.india.BIC, "INR", -benchFXRupeesMinor}, {provider, "INR", benchFXRupeesMinor},
			{provider, "RUB", -int64(p.Amount)}, {e.russia.BIC, "RUB", int64(p.Amount)}}}, err
}
