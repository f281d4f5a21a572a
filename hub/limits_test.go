package hub_test

import (
	"context"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

func TestDefund(t *testing.T) {
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 100_00}, 0)
	msg, err := iso20022.EncodeDefund(iso20022.Defund{MsgID: "DEFUND-1", UETR: "0a1b2c3d-0000-4000-8000-000000000001", Created: businessDay,
		From: bankIN, Hub: hubBIC, Amount: corridor.Money{Amount: 40_00, Currency: "INR"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := submitMessage(t, h, bankIN, msg); err != nil || res.Status != corridor.StatusSettled {
		t.Fatalf("defund = %+v, %v; want ACSC", res, err)
	}
	if res, err := submitMessage(t, h, bankIN, msg); err != nil || !res.Duplicate {
		t.Fatalf("repeated defund = %+v, %v; want the first answer", res, err)
	}
	mustBalance(t, h, bankIN, "INR", 60_00)
	mustPassXMLLint(t, "pacs.002 of a defunding", lastMessage(t, h, bankIN, "pacs.002.001.10").Body)
	big, _ := iso20022.EncodeDefund(iso20022.Defund{MsgID: "DEFUND-2", UETR: "0a1b2c3d-0000-4000-8000-000000000002", Created: businessDay,
		From: bankIN, Hub: hubBIC, Amount: corridor.Money{Amount: 60_01, Currency: "INR"}})
	if _, err := submitMessage(t, h, bankIN, big); err == nil {
		t.Error("defunding more than the balance")
	}
}

func TestLimits(t *testing.T) {
	ctx := context.Background()
	h, _ := mustHub(t, t.TempDir())
	mustBanks(t, h, map[corridor.BIC]corridor.Amount{bankIN: 1000_00}, 0)
	if err := h.SetLimits(ctx, bankIN, "INR", 300_00, 500_00, map[corridor.BIC]corridor.Amount{bankRU: 200_00}); err != nil {
		t.Fatal(err)
	}
	mustSubmit(t, h, pay(1, bankIN, bankRU, 150_00), corridor.StatusSettled)
	overBilateral := pay(2, bankIN, bankRU, 100_00)
	mustSubmit(t, h, overBilateral, corridor.StatusPending)
	behind := pay(3, bankIN, bankAE, 10_00)
	mustSubmit(t, h, behind, corridor.StatusSettled) // A bilateral limit holds only payments to its counterparty.
	urgent := pay(4, bankIN, bankRU, 600_00)
	urgent.Urgent = true
	mustSubmit(t, h, urgent, corridor.StatusSettled) // Urgent payments pass limits and use the reserve.
	mustBalance(t, h, bankIN, "INR", 240_00)

	if err := h.SetLimits(ctx, bankIN, "INR", 100_00, 500_00, map[corridor.BIC]corridor.Amount{bankRU: 300_00}); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, h, overBilateral.UETR, corridor.StatusSettled, "")
	mustStatus(t, h, behind.UETR, corridor.StatusSettled, "")
	reserve := pay(5, bankIN, bankAE, 100_00) // 140.00 left, 100.00 of it reserved.
	mustSubmit(t, h, reserve, corridor.StatusPending)
	mustCancel(t, h, "CXL-5", reserve, corridor.StatusRejected)
	mustSubmit(t, h, pay(6, bankIN, bankAE, 30_00), corridor.StatusSettled) // A net 290.00 out today: nothing came in.
	if err := h.SetLimits(ctx, bankIN, "INR", 0, 295_00, nil); err != nil {
		t.Fatal(err)
	}
	overMulti := pay(7, bankIN, bankAE, 10_00)
	mustSubmit(t, h, overMulti, corridor.StatusPending)
	if rep, err := h.Cutoff(ctx); err != nil || rep.Expired != 1 {
		t.Fatalf("Cutoff = %+v, %v; want the waiting payment expired", rep, err)
	}
	mustStatus(t, h, overMulti.UETR, corridor.StatusRejected, corridor.ReasonInsufficientFunds)
}
