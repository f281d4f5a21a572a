package hub

import (
	"fmt"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
)

// TestRecentlyLetGo checks the sequencer's recent memory of what it let go
// of: a repeat of a payment let go of is still a duplicate while the
// archive may not show it yet (the let-go's append is not durable, or a
// submission was checked against the archive before it), until recentFor
// after the append was durable; an append that failed forgets it, for its
// payments are back in memory.
func TestRecentlyLetGo(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s := newState("CRDRINBBXXX")
	seq := uint64(0)
	run := func(c command, at time.Time) result {
		t.Helper()
		seq++
		r := s.execute(c, seq, at)
		if !r.changed {
			seq--
		}
		return r
	}
	for _, c := range []command{
		configCmd{Retention: time.Minute, Messages: MessagesCurrent},
		registerCmd{BIC: samplePayment.InstructingAgent, Name: "Demo Bank of India", Currencies: []corridor.Currency{"INR"},
			Certificate: corridor.Certificate{Serial: "0a", NotAfter: t0.AddDate(1, 0, 0)}},
		registerCmd{BIC: samplePayment.InstructedAgent, Name: "Demo Bank of Russia", Currencies: []corridor.Currency{"INR"},
			Certificate: corridor.Certificate{Serial: "0b", NotAfter: t0.AddDate(1, 0, 0)}},
		fundCmd{BIC: samplePayment.InstructingAgent, Currency: "INR", Amount: 1000_00},
	} {
		if r := run(c, t0); r.err != nil {
			t.Fatalf("%s: %v", c.kind(), r.err)
		}
	}
	p := samplePayment
	p.Amount, p.Urgent, p.Instructed, p.FXQuote, p.SettlementDate = 100, false, corridor.Money{}, 0, corridor.DateOf(t0)
	pay := paymentCmd{Sender: p.InstructingAgent, Payment: p, Message: []byte("<Envelope/>")}
	if r := run(pay, t0); r.err != nil || r.payment.Status != corridor.StatusSettled {
		t.Fatalf("submit: %+v", r)
	}

	later := t0.Add(2 * time.Minute)
	run(fundCmd{BIC: p.InstructingAgent, Currency: "INR", Amount: 1}, later)
	if len(s.letGone) != 1 || s.bySeq[s.letGone[0].seq] != nil {
		t.Fatalf("let go of %d payments; want the settled one, out of memory", len(s.letGone))
	}
	s.remember(s.letGone, later)
	s.letGone = nil
	mustRepeat := func(at time.Time, want bool) {
		t.Helper()
		r := run(pay, at)
		if got := r.err == nil && r.payment.Duplicate; got != want {
			t.Fatalf("repeat at %v: %+v; want a duplicate %v", at.Sub(later), r, want)
		}
	}
	mustRepeat(later, true)
	s.remember(nil, later.Add(time.Hour))
	mustRepeat(later.Add(time.Hour), true) // Not durable yet: remembered however long the append takes.

	s.durablyLetGo(1, later.Add(time.Hour))
	s.remember(nil, later.Add(time.Hour+recentFor))
	mustRepeat(later.Add(time.Hour+recentFor), true)
	s.remember(nil, later.Add(time.Hour+recentFor+time.Millisecond))
	if len(s.recent) != 0 || len(s.recentLetGo) != 0 {
		t.Fatalf("still remembered %d keys after recentFor", len(s.recent))
	}

	s.remember([]*payment{{cmd: pay, msgDef: msgDefPacs008}}, later)
	s.forgetUndurable()
	if len(s.recent) != 0 || len(s.recentLetGo) != 0 {
		t.Fatalf("a let-go whose append failed is still remembered: %d keys", len(s.recent))
	}
}

// TestDurablyLetGoInOrder: the append that becomes durable marks only its
// own let-go batches; those of the batch executed behind it stay undurable
// (remembered however long their append takes, and forgotten if it fails).
func TestDurablyLetGoInOrder(t *testing.T) {
	s := newState("CORRXXXXXXX")
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		p := &payment{cmd: paymentCmd{Sender: "SBININBBXXX", Payment: corridor.Payment{MsgID: fmt.Sprintf("M%d", i)}}, msgDef: msgDefPacs008}
		s.remember([]*payment{p}, at)
	}
	s.durablyLetGo(1, at.Add(time.Second)) // The first append's one batch.
	s.durablyLetGo(1, at.Add(2*time.Second))
	var durable []bool
	for _, b := range s.recentLetGo {
		durable = append(durable, b.Durable)
	}
	if fmt.Sprint(durable) != "[true true false]" || !s.recentLetGo[1].At.Equal(at.Add(2*time.Second)) {
		t.Fatalf("durable %v, second at %v; want [true true false] and the second at its own append", durable, s.recentLetGo[1].At)
	}
	s.forgetUndurable()
	if len(s.recentLetGo) != 2 {
		t.Fatalf("%d batches after the failed append; want the 2 durable ones", len(s.recentLetGo))
	}
}
