package ledger_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/ledger"
)

const (
	bankIN corridor.BIC = "DEMOINBBXXX"
	bankRU corridor.BIC = "DEMORUMMXXX"
)

func mustLedger(tb testing.TB) *ledger.Ledger {
	tb.Helper()
	l := ledger.New()
	for _, id := range []ledger.AccountID{
		ledger.Central("INR"), ledger.Settlement(bankIN, "INR"), ledger.Settlement(bankRU, "INR"),
		ledger.Central("RUB"), ledger.Settlement(bankRU, "RUB"),
	} {
		if err := l.Open(id, 0); err != nil {
			tb.Fatalf("Open(%s): %v", id, err)
		}
	}
	return l
}

func TestApply(t *testing.T) {
	tests := []struct {
		name   string
		t      ledger.Transfer
		reason corridor.ReasonCode
	}{
		{"OK", ledger.Transfer{ID: 2, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 100}, ""},
		{"ErrInsufficientFunds", ledger.Transfer{ID: 2, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 1001}, "AM04"},
		{"ErrDuplicateID", ledger.Transfer{ID: 1, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 1}, "AM05"},
		{"ErrNoAccount", ledger.Transfer{ID: 2, Debit: ledger.Settlement(bankIN, "RUB"), Credit: ledger.Settlement(bankRU, "RUB"), Amount: 1}, "AC01"},
		{"ErrCurrencyMismatch", ledger.Transfer{ID: 2, Debit: ledger.Settlement(bankRU, "INR"), Credit: ledger.Settlement(bankRU, "RUB"), Amount: 1}, "AM03"},
		{"ErrSameAccount", ledger.Transfer{ID: 2, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankIN, "INR"), Amount: 1}, "AG01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLedger(t)
			fund := ledger.Transfer{ID: 1, Debit: ledger.Central("INR"), Credit: ledger.Settlement(bankIN, "INR"), Amount: 1000}
			if err := l.Apply(fund); err != nil {
				t.Fatalf("fund: %v", err)
			}
			before := l.Sum()
			err := l.Apply(tt.t)
			got, _ := corridor.ReasonOf(err)
			if got != tt.reason {
				t.Fatalf("Apply(%+v) = %v; want reason %q", tt.t, err, tt.reason)
			}
			if err != nil && l.Sum() != before {
				t.Errorf("refused transfer changed the ledger")
			}
		})
	}
}

func TestCreditLimit(t *testing.T) {
	l := ledger.New()
	_ = l.Open(ledger.Central("INR"), 0) // Fresh ledger: cannot fail.
	if err := l.Open(ledger.Settlement(bankIN, "INR"), 500); err != nil {
		t.Fatal(err)
	}
	_ = l.Open(ledger.Settlement(bankRU, "INR"), 0)
	tr := ledger.Transfer{ID: 1, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 500}
	if err := l.Apply(tr); err != nil {
		t.Fatalf("within credit limit: %v", err)
	}
	tr.ID, tr.Amount = 2, 1
	if r, _ := corridor.ReasonOf(l.Apply(tr)); r != corridor.ReasonInsufficientFunds {
		t.Fatalf("past credit limit: reason %q; want AM04", r)
	}
	a, _ := l.Account(ledger.Settlement(bankIN, "INR"))
	if a.Balance() != -500 || a.Available() != 0 {
		t.Errorf("balance %d available %d; want -500, 0", a.Balance(), a.Available())
	}
}

func TestOpenTwice(t *testing.T) {
	l := mustLedger(t)
	if r, _ := corridor.ReasonOf(l.Open(ledger.Central("INR"), 0)); r != corridor.ReasonNotAllowed {
		t.Errorf("second Open: reason %q; want AG01", r)
	}
	if r, _ := corridor.ReasonOf(l.Open(ledger.Central("XYZ"), 0)); r != corridor.ReasonCurrency {
		t.Errorf("Open XYZ: reason %q; want AM03", r)
	}
}

// TestDoubleEntryProperty runs random transfer sequences and checks that per
// currency debits equal credits and that no settlement account crosses its floor.
func TestDoubleEntryProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := ledger.New()
		owners := []corridor.BIC{"AAAAINBBXXX", "BBBBRUMMXXX", "CCCCAEADXXX"}
		currencies := []corridor.Currency{"INR", "RUB"}
		var ids []ledger.AccountID
		for _, c := range currencies {
			ids = append(ids, ledger.Central(c))
			_ = l.Open(ledger.Central(c), 0) // Fresh ledger: cannot fail.
			for _, o := range owners {
				id := ledger.Settlement(o, c)
				limit := corridor.Amount(rapid.Int64Range(0, 1000).Draw(t, "limit"))
				if err := l.Open(id, limit); err != nil {
					t.Fatalf("Open: %v", err)
				}
				ids = append(ids, id)
			}
		}
		n := rapid.IntRange(1, 200).Draw(t, "transfers")
		for i := 1; i <= n; i++ {
			tr := ledger.Transfer{
				ID:     ledger.TransferID(i),
				Debit:  rapid.SampledFrom(ids).Draw(t, "debit"),
				Credit: rapid.SampledFrom(ids).Draw(t, "credit"),
				Amount: corridor.Amount(rapid.Int64Range(1, 5000).Draw(t, "amount")),
			}
			before := l.Sum()
			if err := l.Apply(tr); err != nil {
				if _, ok := corridor.ReasonOf(err); !ok {
					t.Fatalf("Apply: %v is not a reject", err)
				}
				if l.Sum() != before {
					t.Fatalf("refused transfer %+v changed the ledger", tr)
				}
			}
		}
		checkBooks(t, l)
	})
}

func checkBooks(t *rapid.T, l *ledger.Ledger) {
	debits := map[corridor.Currency]int64{}
	credits := map[corridor.Currency]int64{}
	for _, a := range l.Accounts() {
		debits[a.ID.Currency] += int64(a.DebitsPosted)
		credits[a.ID.Currency] += int64(a.CreditsPosted)
		if a.ID.Kind == ledger.KindSettlement && a.Balance() < -int64(a.CreditLimit) {
			t.Fatalf("account %s balance %d below floor -%d", a.ID, a.Balance(), a.CreditLimit)
		}
	}
	for c := range debits {
		if debits[c] != credits[c] {
			t.Fatalf("%s: debits %d != credits %d", c, debits[c], credits[c])
		}
	}
}

func TestApplyLinked(t *testing.T) {
	l := mustLedger(t)
	_ = l.Open(ledger.Technical("INR"), 0) // Fresh account: cannot fail.
	fund := ledger.Transfer{ID: 1, Debit: ledger.Central("INR"), Credit: ledger.Settlement(bankIN, "INR"), Amount: 100}
	if err := l.Apply(fund); err != nil {
		t.Fatal(err)
	}
	// Offsetting: RU pays IN 300 it does not have, IN pays RU 250 out of 100 + 300.
	offset := []ledger.Transfer{
		{ID: 2, Debit: ledger.Technical("INR"), Credit: ledger.Settlement(bankIN, "INR"), Amount: 300},
		{ID: 3, Debit: ledger.Technical("INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 250},
		{ID: 4, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Technical("INR"), Amount: 250},
		{ID: 5, Debit: ledger.Settlement(bankRU, "INR"), Credit: ledger.Technical("INR"), Amount: 300},
	}
	before := l.Sum()
	if r, _ := corridor.ReasonOf(l.ApplyLinked(offset)); r != corridor.ReasonInsufficientFunds {
		t.Fatalf("ApplyLinked with RU short by 50: reason %q; want AM04", r)
	}
	if l.Sum() != before {
		t.Fatal("a refused linked batch changed the ledger")
	}
	offset[3].Amount, offset[0].Amount = 250, 250
	if err := l.ApplyLinked(offset); err != nil {
		t.Fatalf("ApplyLinked of a covered offset: %v", err)
	}
	if tech, _ := l.Account(ledger.Technical("INR")); tech.Balance() != 0 {
		t.Errorf("technical account at %d after offsetting; want 0", tech.Balance())
	}
	if r, _ := corridor.ReasonOf(l.ApplyLinked([]ledger.Transfer{{ID: 9, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 1},
		{ID: 9, Debit: ledger.Settlement(bankIN, "INR"), Credit: ledger.Settlement(bankRU, "INR"), Amount: 1}})); r != corridor.ReasonDuplicate {
		t.Errorf("a batch repeating an ID: reason %q; want AM05", r)
	}
}
