package settlement

import (
	"cmp"
	"maps"
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/ledger"
)

// unitRemainder is one minor unit in the units of a Remainder.
const unitRemainder int64 = 1_000_000_000_000_000

const ( // unitRemainder is 10^RemainderScale.
	_ uint = RemainderScale - 15
	_ uint = 15 - RemainderScale
)

// RoundingAccount is the ID of the account a currency's FX rounding is
// booked to: it holds what providers' rounding kept, for the payments it
// was kept from, and pays back providers whose rounding gave.
func RoundingAccount(c corridor.Currency) ledger.AccountID {
	return ledger.FXRounding(c)
}

// RoundingKey names an accrual: an FX provider's, in one currency.
type RoundingKey struct {
	Provider corridor.BIC
	Currency corridor.Currency
}

// Accrual is what a provider's conversions into a currency left by rounding
// and is not booked yet.
type Accrual struct {
	Due      int64 // Whole minor units: the provider owes them when positive, is owed them when negative.
	Fraction int64 // Less than a minor unit either way, in 10^-RemainderScale of one.
}

// Rounding books the remainders of conversions through FX providers. A
// conversion pays the creditor agent the exact value rounded half-even to a
// minor unit; what rounding left (exact less paid, at most half a unit either
// way) is the provider's: kept when positive, given when negative. Each
// provider's remainders accrue per currency, and whenever the accrual holds a
// whole minor unit it is booked as a transfer between the provider's
// settlement account and the currency's rounding account: a provider that
// kept a unit pays it in; a provider that gave one is paid it back, from what
// others paid in. Neither side goes below its floor (while a side is short,
// the unit stays due), so rounding creates no money and every unit it moves
// came from an account that held it.
type Rounding struct {
	accrued map[RoundingKey]Accrual // Only accruals that are not zero.
}

// NewRounding returns a Rounding with nothing accrued.
func NewRounding() Rounding {
	return Rounding{accrued: make(map[RoundingKey]Accrual)}
}

// Accrued is what provider's conversions into c left and is not booked yet.
func (r *Rounding) Accrued(k RoundingKey) Accrual { return r.accrued[k] }

// Keys lists the accruals that are not zero, by currency, then provider.
func (r *Rounding) Keys() []RoundingKey {
	return slices.SortedFunc(maps.Keys(r.accrued), func(a, b RoundingKey) int {
		return cmp.Or(cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.Provider, b.Provider))
	})
}

// Book accrues rem, the remainder of a conversion through provider, and
// posts to l the whole minor units due between provider and the rounding
// account of rem's currency, opening that account the first time. It
// returns the transfer posted, if any.
func (r *Rounding) Book(l *ledger.Ledger, provider corridor.BIC, rem Remainder, nextID func() ledger.TransferID) (ledger.Transfer, bool) {
	assert.That(rem.Units > -unitRemainder && rem.Units < unitRemainder, "remainder %s is a whole unit or more", rem)
	key := RoundingKey{provider, rem.Currency}
	a := r.accrued[key]
	a.Fraction += rem.Units // Both under a unit: no overflow.
	a.Due += a.Fraction / unitRemainder
	a.Fraction %= unitRemainder
	t, ok := r.settle(l, key, &a, nextID)
	r.set(key, a)
	return t, ok
}

// settle posts what it can of a.Due between key's provider and the
// rounding account, and takes it off a.Due.
func (r *Rounding) settle(l *ledger.Ledger, key RoundingKey, a *Accrual, nextID func() ledger.TransferID) (ledger.Transfer, bool) {
	if a.Due == 0 {
		return ledger.Transfer{}, false
	}
	pool := RoundingAccount(key.Currency)
	if _, ok := l.Account(pool); !ok {
		err := l.Open(pool, 0)
		assert.That(err == nil, "open %s: %v", pool, err)
	}
	debit, credit, units := ledger.Settlement(key.Provider, key.Currency), pool, a.Due
	if units < 0 {
		debit, credit, units = pool, debit, -units
	}
	units = min(units, payable(l, debit), int64(corridor.MaxAmount))
	if units <= 0 {
		return ledger.Transfer{}, false
	}
	t := ledger.Transfer{ID: nextID(), Debit: debit, Credit: credit, Amount: corridor.Amount(units)}
	err := l.Apply(t)
	assert.That(err == nil, "rounding transfer %d: %v", t.ID, err) // payable kept it above the floor.
	if debit == pool {
		units = -units
	}
	a.Due -= units
	return t, true
}

// set records a as key's accrual, forgetting it at zero so that the map
// holds only providers with something outstanding.
func (r *Rounding) set(key RoundingKey, a Accrual) {
	if a == (Accrual{}) {
		delete(r.accrued, key)
		return
	}
	r.accrued[key] = a
}

// payable is what account id can pay without going below its floor.
func payable(l *ledger.Ledger, id ledger.AccountID) int64 {
	a, ok := l.Account(id)
	assert.That(ok, "account %s is not open", id)
	return a.Balance() - a.Floor()
}
