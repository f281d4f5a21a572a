package ledger

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"slices"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
)

// TransferID identifies a transfer; the hub assigns them and never reuses one.
type TransferID uint64

// Transfer moves Amount from the Debit account to the Credit account, both in
// the same currency.
type Transfer struct {
	ID     TransferID
	Debit  AccountID
	Credit AccountID
	Amount corridor.Amount
}

// MaxAccounts bounds the accounts one ledger holds.
const MaxAccounts = 100_000

// Ledger holds accounts and applies transfers. It is not safe for concurrent
// use: the sequencer goroutine owns it.
type Ledger struct {
	accounts  map[AccountID]*Account
	applied   transferSet
	totals    map[corridor.Currency]*totals
	transfers uint64
}

// totals are a currency's sums over all accounts, kept to assert double entry.
type totals struct{ debits, credits corridor.Amount }

// New returns an empty ledger.
func New() *Ledger {
	return &Ledger{
		accounts: make(map[AccountID]*Account),
		totals:   make(map[corridor.Currency]*totals),
	}
}

// Open opens an account with zero balance. It returns a reject if the account
// exists, its currency is unknown or the ledger is full.
func (l *Ledger) Open(id AccountID, creditLimit corridor.Amount) error {
	if !id.Currency.Valid() {
		return corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("currency %.3q is not processable", string(id.Currency)))
	}
	if _, ok := l.accounts[id]; ok {
		return corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("account %s is already open", id))
	}
	if len(l.accounts) >= MaxAccounts {
		return corridor.Reject(corridor.ReasonNotAllowed, "the ledger holds its maximum of accounts")
	}
	assert.That(id.Kind >= KindSettlement && id.Kind <= KindFXRounding, "account %s has kind %s", id, id.Kind)
	assert.That((id.Kind == KindSettlement) == (id.Owner != ""), "account %s: only settlement accounts have an owner", id)
	assert.That(creditLimit >= 0 && creditLimit <= corridor.MaxAmount, "credit limit %d out of range", creditLimit)
	l.accounts[id] = &Account{ID: id, CreditLimit: creditLimit}
	if l.totals[id.Currency] == nil {
		l.totals[id.Currency] = &totals{}
	}
	return nil
}

// Account returns the account with the given ID.
func (l *Ledger) Account(id AccountID) (Account, bool) {
	a, ok := l.accounts[id]
	if !ok {
		return Account{}, false
	}
	return *a, true
}

// Apply posts t. It returns AC01 when an account does not exist, AM03 when
// their currencies differ, AM05 when t.ID was applied before and AM04 when the
// debit would take the account below its floor; a refused transfer changes nothing.
func (l *Ledger) Apply(t Transfer) error {
	assert.That(t.ID != 0, "transfer ID is zero")
	assert.That(t.Amount > 0, "transfer %d amount %d is not positive", t.ID, t.Amount)
	assert.That(t.Amount <= corridor.MaxAmount, "transfer %d amount %d exceeds MaxAmount", t.ID, t.Amount)
	dr, cr, err := l.accountsOf(t)
	if err != nil {
		return err
	}
	if l.applied.has(t.ID) {
		return corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("transfer %d was already applied", t.ID))
	}
	if avail := dr.Available(); avail >= 0 && avail < int64(t.Amount) {
		return corridor.Reject(corridor.ReasonInsufficientFunds,
			fmt.Sprintf("account %s has %s available", dr.ID, corridor.Amount(avail).Format(dr.ID.Currency)))
	}
	l.post(t, dr, cr)
	return nil
}

// MaxLinkedTransfers bounds the transfers ApplyLinked posts together.
const MaxLinkedTransfers = 100_000

// ApplyLinked posts every transfer of ts, in order, or none of them: it checks
// the whole sequence against the balances as they would be after each
// earlier transfer before it posts the first. It returns the reject of the
// first transfer that would fail, with its index in the detail.
func (l *Ledger) ApplyLinked(ts []Transfer) error {
	assert.That(len(ts) <= MaxLinkedTransfers, "%d linked transfers", len(ts))
	balances := make(map[AccountID]int64)
	seen := make(map[TransferID]bool, len(ts))
	for i, t := range ts {
		if err := l.check(t, balances, seen); err != nil {
			return fmt.Errorf("linked transfer %d of %d: %w", i+1, len(ts), err)
		}
	}
	for _, t := range ts {
		assert.That(l.Apply(t) == nil, "linked transfer %d failed after its check", t.ID)
	}
	return nil
}

// check is Apply's test of t without posting, against balances that earlier
// transfers of the same batch changed.
func (l *Ledger) check(t Transfer, balances map[AccountID]int64, seen map[TransferID]bool) error {
	assert.That(t.ID != 0, "transfer ID is zero")
	assert.That(t.Amount > 0 && t.Amount <= corridor.MaxAmount, "transfer %d amount %d out of range", t.ID, t.Amount)
	dr, cr, err := l.accountsOf(t)
	if err != nil {
		return err
	}
	if l.applied.has(t.ID) || seen[t.ID] {
		return corridor.Reject(corridor.ReasonDuplicate, fmt.Sprintf("transfer %d was already applied", t.ID))
	}
	for _, a := range []*Account{dr, cr} {
		if _, ok := balances[a.ID]; !ok {
			balances[a.ID] = a.Balance()
		}
	}
	balances[dr.ID] -= int64(t.Amount)
	balances[cr.ID] += int64(t.Amount)
	if floorHeld(dr.ID.Kind) && balances[dr.ID] < dr.Floor() {
		return corridor.Reject(corridor.ReasonInsufficientFunds, fmt.Sprintf("account %s cannot cover transfer %d", dr.ID, t.ID))
	}
	seen[t.ID] = true
	return nil
}

func (l *Ledger) accountsOf(t Transfer) (dr, cr *Account, err error) {
	dr, ok := l.accounts[t.Debit]
	if !ok {
		return nil, nil, corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("account %s does not exist", t.Debit))
	}
	cr, ok = l.accounts[t.Credit]
	if !ok {
		return nil, nil, corridor.Reject(corridor.ReasonAccountInvalid, fmt.Sprintf("account %s does not exist", t.Credit))
	}
	if t.Debit.Currency != t.Credit.Currency {
		return nil, nil, corridor.Reject(corridor.ReasonCurrency,
			fmt.Sprintf("accounts %s and %s hold different currencies", t.Debit, t.Credit))
	}
	if t.Debit == t.Credit {
		return nil, nil, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("transfer %d debits and credits the same account", t.ID))
	}
	return dr, cr, nil
}

// post applies a transfer that has passed every check and asserts the result.
func (l *Ledger) post(t Transfer, dr, cr *Account) {
	var ok bool
	dr.DebitsPosted, ok = dr.DebitsPosted.Add(t.Amount)
	assert.That(ok, "debits of %s overflow", dr.ID)
	cr.CreditsPosted, ok = cr.CreditsPosted.Add(t.Amount)
	assert.That(ok, "credits of %s overflow", cr.ID)
	tot := l.totals[t.Debit.Currency]
	tot.debits, ok = tot.debits.Add(t.Amount)
	assert.That(ok, "total debits of %s overflow", t.Debit.Currency)
	tot.credits, ok = tot.credits.Add(t.Amount)
	assert.That(ok, "total credits of %s overflow", t.Debit.Currency)
	l.applied.add(t.ID)
	l.transfers++
	assert.That(dr.withinFloor(), "account %s crossed its floor: balance %d", dr.ID, dr.Balance())
	assert.That(tot.debits == tot.credits, "%s out of balance: debits %d, credits %d", t.Debit.Currency, tot.debits, tot.credits)
	checkInvariants(l)
}

// Accounts returns every account, ordered by currency, kind and owner.
func (l *Ledger) Accounts() []Account {
	out := make([]Account, 0, len(l.accounts))
	for _, a := range l.accounts {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Account) int {
		switch {
		case a.ID.less(b.ID):
			return -1
		case b.ID.less(a.ID):
			return 1
		}
		return 0
	})
	return out
}

// Transfers is the number of transfers applied.
func (l *Ledger) Transfers() uint64 { return l.transfers }

// Applied reports whether a transfer with this ID was applied.
func (l *Ledger) Applied(id TransferID) bool {
	return l.applied.has(id)
}

// Hash writes the ledger's whole state, in a fixed order, into h.
func (l *Ledger) Hash(h hash.Hash) {
	var b [8]byte
	for _, a := range l.Accounts() {
		h.Write([]byte(a.ID.String()))
		for _, v := range []corridor.Amount{a.DebitsPosted, a.CreditsPosted, a.CreditLimit} {
			binary.BigEndian.PutUint64(b[:], uint64(v))
			h.Write(b[:])
		}
	}
	for id := range l.applied.all() { // Every ID, in order, as the hash has always written them.
		binary.BigEndian.PutUint64(b[:], uint64(id))
		h.Write(b[:])
	}
}

// Sum is the SHA-256 of Hash's bytes.
func (l *Ledger) Sum() [32]byte {
	h := sha256.New()
	l.Hash(h)
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}
