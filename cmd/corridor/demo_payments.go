package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"corridor"
	"corridor/httpapi"
	"corridor/iso20022"
)

// demoPayments sends an oil cargo payment that settles, one that the Indian
// bank's rupees cannot cover, and the first one again, then shows what each
// bank received and how the balances moved.
func demoPayments(ctx context.Context, out io.Writer) error {
	before, err := demoBalances(ctx)
	if err != nil {
		return err
	}
	printBalances(out, "\nbalances before", before)
	cargo, cargoUETR, err := demoPacs008(time.Now(), "350000000.00")
	if err != nil {
		return err
	}
	big, _, err := demoPacs008(time.Now(), "420000000.00")
	if err != nil {
		return err
	}
	for _, step := range []struct {
		what string
		msg  []byte
	}{
		{"oil cargo, INR 350,000,000.00", cargo},
		{"second cargo, INR 420,000,000.00", big},
		{"the first cargo's message sent again", cargo},
	} {
		if err := demoSubmit(ctx, out, step.what, step.msg); err != nil {
			return err
		}
	}
	if err := demoInboxes(ctx, out); err != nil {
		return err
	}
	if err := demoTrack(ctx, out, cargoUETR); err != nil {
		return err
	}
	after, err := demoBalances(ctx)
	if err != nil {
		return err
	}
	printBalances(out, "\nbalances after", after)
	return demoCheck(out, before, after)
}

func demoSubmit(ctx context.Context, out io.Writer, what string, msg []byte) error {
	resp, err := demoIndia.client.Submit(ctx, msg)
	if err != nil {
		return fmt.Errorf("submit %s: %w", what, err)
	}
	fmt.Fprintf(out, "\n%s → %s sends %s\n  UETR %s  reference %s  status %s", demoIndia.BIC, demoRussia.BIC, what,
		resp.UETR, resp.Reference, resp.Status)
	if resp.Reason != "" {
		fmt.Fprintf(out, "  reason %s (%s)", resp.Reason, resp.Detail)
	}
	if resp.Duplicate {
		fmt.Fprint(out, "  DUPLICATE: answered with the first payment's outcome, nothing paid twice")
	}
	fmt.Fprintln(out)
	return nil
}

// demoPacs008 is a pacs.008 from the Indian bank to the Russian bank in rupees.
func demoPacs008(now time.Time, amount string) ([]byte, corridor.UETR, error) {
	uetr := newUETR()
	a, err := corridor.ParseAmount(amount, "INR")
	if err != nil {
		return nil, "", err
	}
	msgID := "DEMO" + string(uetr[:8]) + string(uetr[24:])
	p := corridor.Payment{MsgID: msgID, UETR: uetr, EndToEndID: "E2E" + string(uetr[:8]),
		InstructingAgent: demoIndia.BIC, InstructedAgent: demoRussia.BIC, DebtorAgent: demoIndia.BIC, CreditorAgent: demoRussia.BIC,
		Amount: a, Currency: "INR", SettlementDate: corridor.DateOf(now.UTC()),
		DebtorName: demoIndia.Customer, CreditorName: demoRussia.Customer}
	h := iso20022.AppHdr{From: demoIndia.BIC, To: demoRussia.BIC, BizMsgID: msgID, MsgDefID: "pacs.008.001.08",
		BizSvc: "swift.cbprplus.02", Created: now.UTC().Truncate(time.Second)}
	msg, err := iso20022.EncodeCustomerCreditTransfer(h, p, msgID)
	return msg, uetr, err
}

// demoTrack prints the tracker's history of a payment.
func demoTrack(ctx context.Context, out io.Writer, uetr corridor.UETR) error {
	tr, err := demoIndia.client.Track(ctx, uetr)
	if err != nil {
		return fmt.Errorf("track %s: %w", uetr, err)
	}
	fmt.Fprintf(out, "\ntracker GET /v1/payments/%s:\n", uetr)
	for _, leg := range tr.Legs {
		fmt.Fprintf(out, "  %s %s → %s %s %s, now %s\n", leg.Reference, leg.InstructingAgent, leg.InstructedAgent,
			leg.Amount, leg.Currency, leg.Status)
		for _, e := range leg.Events {
			fmt.Fprintf(out, "    %s  %-12s %-4s %s\n", e.Time.Format("15:04:05.000"), e.Event, e.Status, e.Detail)
		}
	}
	return nil
}

// newUETR is a random version 4 UUID.
func newUETR() corridor.UETR {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return corridor.UETR(fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
}

// demoInboxes has each bank read and acknowledge what the hub delivered.
func demoInboxes(ctx context.Context, out io.Writer) error {
	for _, b := range []*demoBank{&demoRussia, &demoIndia} {
		msgs, err := b.client.Inbox(ctx, 0, 2*time.Second)
		if err != nil {
			return fmt.Errorf("read %s inbox: %w", b.BIC, err)
		}
		fmt.Fprintf(out, "\n%s inbox:\n", b.BIC)
		for _, m := range msgs {
			fmt.Fprintf(out, "  #%d %s UETR %s reference %s%s\n", m.Seq, m.MsgDefID, m.UETR, m.Reference, statusOf(m))
		}
		if len(msgs) > 0 {
			if err := b.client.Ack(ctx, msgs[len(msgs)-1].Seq); err != nil {
				return fmt.Errorf("acknowledge %s inbox: %w", b.BIC, err)
			}
			fmt.Fprintf(out, "  acknowledged up to #%d\n", msgs[len(msgs)-1].Seq)
		}
	}
	return nil
}

// statusOf reads the status out of a delivered pacs.002.
func statusOf(m httpapi.InboxMessageBody) string {
	if m.MsgDefID != "pacs.002.001.10" {
		return ""
	}
	sr, err := iso20022.DecodeStatusReport([]byte(m.Body))
	if err != nil {
		return "  (unreadable status report: " + err.Error() + ")"
	}
	if sr.Reason != "" {
		return fmt.Sprintf("  %s %s", sr.Status, sr.Reason)
	}
	return "  " + string(sr.Status)
}

type demoBalance struct {
	bank     corridor.BIC
	currency string
	balance  string
	minor    int64
}

func demoBalances(ctx context.Context) ([]demoBalance, error) {
	var out []demoBalance
	for _, b := range []*demoBank{&demoIndia, &demoRussia} {
		bals, err := b.client.Accounts(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s accounts: %w", b.BIC, err)
		}
		for _, bal := range bals {
			c, err := corridor.ParseCurrency(bal.Currency)
			if err != nil {
				return nil, err
			}
			a, err := corridor.ParseAmount(bal.Balance, c)
			if err != nil {
				return nil, fmt.Errorf("%s %s balance %q: %w", b.BIC, bal.Currency, bal.Balance, err)
			}
			out = append(out, demoBalance{b.BIC, bal.Currency, bal.Balance, int64(a)})
		}
	}
	return out, nil
}

func printBalances(out io.Writer, title string, bals []demoBalance) {
	fmt.Fprintln(out, title+":")
	for _, b := range bals {
		fmt.Fprintf(out, "  %s %s %22s\n", b.bank, b.currency, b.balance)
	}
}

// demoCheck proves that the balances add up: the rupees the two banks hold
// together did not change, and the Indian bank paid exactly one cargo.
func demoCheck(out io.Writer, before, after []demoBalance) error {
	total := func(bals []demoBalance, ccy string) (sum int64) {
		for _, b := range bals {
			if b.currency == ccy {
				sum += b.minor
			}
		}
		return sum
	}
	paid := before[0].minor - after[0].minor
	fmt.Fprintf(out, "\nINR held by both banks: %s before, %s after; %s paid once\n",
		corridor.Amount(total(before, "INR")).Format("INR"), corridor.Amount(total(after, "INR")).Format("INR"),
		corridor.Amount(paid).Format("INR"))
	if total(before, "INR") != total(after, "INR") || paid != 35_000_000_000 {
		return fmt.Errorf("balances do not add up")
	}
	fmt.Fprintln(out, "balances add up: every debit has its credit, the duplicate paid nothing")
	return nil
}
