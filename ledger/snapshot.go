package ledger

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/corridor-network/corridor"
)

// Snapshot is a ledger's whole state: its accounts and the IDs of the
// transfers it applied. The running totals and the count are recomputed
// from these.
type Snapshot struct {
	Accounts []Account     // In Accounts' order.
	Applied  []TransferRun // Sorted, apart and not adjacent.
}

// TransferRun is the transfer IDs First to Last, both included.
type TransferRun struct {
	First, Last TransferID
}

// Snapshot is l's state, sharing nothing with l.
func (l *Ledger) Snapshot() Snapshot {
	return Snapshot{Accounts: l.Accounts(), Applied: slices.Clone(l.applied.runs)}
}

var errSnapshot = errors.New("ledger snapshot")

// Restore builds the ledger s holds. It refuses, naming the problem, what
// Open and Apply would never have built: an account twice or of an unknown
// kind, currency or owner, a total or credit limit out of range, an account
// below a floor the ledger holds, debits unequal to credits in a currency,
// or transfer runs out of order. What it allocates is in proportion to s
// (the applied transfers are kept as the runs s holds), however many
// transfers the runs stand for: a ledger of a billion transfers in one run
// restores as fast as one of ten.
func Restore(s Snapshot) (*Ledger, error) {
	if len(s.Accounts) > MaxAccounts {
		return nil, fmt.Errorf("%w: %d accounts, more than %d", errSnapshot, len(s.Accounts), MaxAccounts)
	}
	l := New()
	for _, a := range s.Accounts {
		if err := l.restoreAccount(a); err != nil {
			return nil, fmt.Errorf("%w: account %s: %v", errSnapshot, a.ID, err)
		}
	}
	for c, t := range l.totals {
		if t.debits != t.credits {
			return nil, fmt.Errorf("%w: %s out of balance: debits %d, credits %d", errSnapshot, c, t.debits, t.credits)
		}
	}
	var n uint64
	var last TransferID
	for _, r := range s.Applied {
		if r.First == 0 || r.First > r.Last || (last != 0 && (last == math.MaxUint64 || r.First <= last+1)) {
			return nil, fmt.Errorf("%w: transfer run %d to %d is empty or not after %d with a gap", errSnapshot, r.First, r.Last, last)
		}
		n += uint64(r.Last-r.First) + 1
		last = r.Last
	}
	l.applied = transferSet{runs: slices.Clone(s.Applied)} // In order, apart: checked above.
	l.transfers = n
	return l, nil
}

// restoreAccount adds a, checked, and counts its totals.
func (l *Ledger) restoreAccount(a Account) error {
	id := a.ID
	switch {
	case !id.Currency.Valid():
		return errors.New("currency unknown")
	case id.Kind < KindSettlement || id.Kind > KindFXRounding:
		return fmt.Errorf("kind %d unknown", id.Kind)
	case (id.Kind == KindSettlement) != (id.Owner != ""):
		return errors.New("only a settlement account has an owner")
	case l.accounts[id] != nil:
		return errors.New("twice")
	case !inRange(a.DebitsPosted) || !inRange(a.CreditsPosted) || !inRange(a.CreditLimit):
		return errors.New("a total or the credit limit is out of range")
	case !a.withinFloor():
		return fmt.Errorf("balance %d below its floor", a.Balance())
	}
	if l.totals[id.Currency] == nil {
		l.totals[id.Currency] = &totals{}
	}
	t := l.totals[id.Currency]
	var ok1, ok2 bool
	t.debits, ok1 = t.debits.Add(a.DebitsPosted)
	t.credits, ok2 = t.credits.Add(a.CreditsPosted)
	if !ok1 || !ok2 {
		return errors.New("the currency's totals pass the maximum amount")
	}
	acct := a
	l.accounts[id] = &acct
	return nil
}

func inRange(a corridor.Amount) bool { return a >= 0 && a <= corridor.MaxAmount }
