package ledger

import (
	"fmt"

	"github.com/corridor-network/corridor"
)

// Kind says what an account is for.
type Kind uint8

// The kinds of account.
const (
	KindSettlement Kind = 1 // A participant's settlement account; has a floor.
	KindCentral    Kind = 2 // The operator's central account of a currency; no floor.
	KindTechnical  Kind = 3 // The hub's technical account of a currency, through which offsetting and net settlement post; no floor, back at zero after each use.
	KindFXPosition Kind = 4 // The hub's FX position in a currency: the other side of every conversion, and its rounding remainders; no floor.
	KindFXRounding Kind = 5 // The hub's FX rounding account of a currency: the whole units FX providers' rounding kept or gave; floor zero.
)

func (k Kind) String() string {
	switch k {
	case KindSettlement:
		return "settlement"
	case KindCentral:
		return "central"
	case KindTechnical:
		return "technical"
	case KindFXPosition:
		return "fx-position"
	case KindFXRounding:
		return "fx-rounding"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// AccountID names an account: its kind, owner and currency. The central
// account of a currency has no owner.
type AccountID struct {
	Kind     Kind
	Owner    corridor.BIC
	Currency corridor.Currency
}

// Settlement is the ID of owner's settlement account in currency c.
func Settlement(owner corridor.BIC, c corridor.Currency) AccountID {
	return AccountID{Kind: KindSettlement, Owner: owner, Currency: c}
}

// Central is the ID of the operator's central account in currency c.
func Central(c corridor.Currency) AccountID {
	return AccountID{Kind: KindCentral, Currency: c}
}

// Technical is the ID of the hub's technical account in currency c.
func Technical(c corridor.Currency) AccountID {
	return AccountID{Kind: KindTechnical, Currency: c}
}

// FXPosition is the ID of the hub's FX position account in currency c.
func FXPosition(c corridor.Currency) AccountID {
	return AccountID{Kind: KindFXPosition, Currency: c}
}

// FXRounding is the ID of the hub's FX rounding account in currency c.
func FXRounding(c corridor.Currency) AccountID {
	return AccountID{Kind: KindFXRounding, Currency: c}
}

func (id AccountID) String() string {
	if id.Kind != KindSettlement {
		return id.Kind.String() + "/" + string(id.Currency)
	}
	return string(id.Owner) + "/" + string(id.Currency)
}

// less orders account IDs for deterministic output: by currency, kind, owner.
func (id AccountID) less(o AccountID) bool {
	if id.Currency != o.Currency {
		return id.Currency < o.Currency
	}
	if id.Kind != o.Kind {
		return id.Kind.order() < o.Kind.order()
	}
	return id.Owner < o.Owner
}

// order puts the operator's accounts of a currency before the participants'.
func (k Kind) order() int {
	if k == KindSettlement {
		return 10
	}
	return int(k)
}

// Account is a settlement or operator account with its posted totals.
type Account struct {
	ID            AccountID
	DebitsPosted  corridor.Amount // Sum of every debit, in minor units.
	CreditsPosted corridor.Amount // Sum of every credit, in minor units.
	CreditLimit   corridor.Amount // How far below zero a settlement account may go; 0 for none.
}

// Balance is credits less debits: what the hub owes the account's owner. It is
// negative only for a central account or a settlement account using its credit limit.
func (a Account) Balance() int64 {
	return int64(a.CreditsPosted) - int64(a.DebitsPosted)
}

// Available is how much the account can still be debited; -1 for no limit.
func (a Account) Available() int64 {
	if a.ID.Kind != KindSettlement {
		return -1
	}
	return a.Balance() + int64(a.CreditLimit)
}

// Floor is the lowest balance the account may hold. A settlement account
// may go down to minus its credit limit. The hub's technical and FX position
// accounts hold nothing of their own: their floor is zero (journals written
// before FX providers existed drove FX positions below it; the operator's
// view shows that). The central account's negative balance is what was
// funded in from outside; it may go down to minus MaxAmount.
func (a Account) Floor() int64 {
	switch a.ID.Kind {
	case KindSettlement:
		return -int64(a.CreditLimit)
	case KindCentral:
		return -int64(corridor.MaxAmount)
	}
	return 0
}

// withinFloor reports whether the account respects its floor. The ledger
// holds settlement and FX rounding accounts to theirs; the others' floors
// are the hub's to keep (journals written before FX providers existed did
// not keep the FX positions').
func (a Account) withinFloor() bool {
	return !floorHeld(a.ID.Kind) || a.Balance() >= a.Floor()
}

// floorHeld reports whether the ledger refuses a debit that would take an
// account of kind k below its floor.
func floorHeld(k Kind) bool { return k == KindSettlement || k == KindFXRounding }
