//go:build invariants

package ledger

import (
	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// checkInvariants recomputes every currency's totals and every floor from the
// accounts themselves. It runs after each transfer under -tags invariants.
func checkInvariants(l *Ledger) {
	sums := make(map[corridor.Currency][2]int64)
	for id, a := range l.accounts {
		assert.That(id == a.ID, "account keyed %s holds %s", id, a.ID)
		assert.That(a.withinFloor(), "account %s below its floor", a.ID)
		s := sums[id.Currency]
		s[0] += int64(a.DebitsPosted)
		s[1] += int64(a.CreditsPosted)
		sums[id.Currency] = s
	}
	for c, s := range sums {
		assert.That(s[0] == s[1], "%s: account debits %d != credits %d", c, s[0], s[1])
		t := l.totals[c]
		assert.That(int64(t.debits) == s[0], "%s: running debits %d != recomputed %d", c, t.debits, s[0])
	}
}
