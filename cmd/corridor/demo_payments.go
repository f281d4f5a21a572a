package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
)

// demoPayments sends an oil cargo payment that settles, one that the Indian
// bank's rupees cannot cover (it queues), and the first one again; then a
// payment from the Russian bank that waits until the operator funds it, an
// INR→RUB conversion at a quoted rate, a screened payment, a return and a
// payment value-dated the next business day, which waits in the warehouse;
// the end of the INR day rejects what is still queued, sends the day's
// statements and releases the value-dated payment. It shows what each bank
// received and how the balances moved.
func demoPayments(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	before, err := demoBalances(ctx)
	if err != nil {
		return err
	}
	printBalances(out, "\nbalances before", before)
	if err := demoQueueReleased(ctx, op, out); err != nil {
		return err
	}
	cargo, cargoUETR, bigUETR, err := demoCargoes(ctx, op, out)
	if err != nil {
		return err
	}
	fxUETR, err := demoFX(ctx, op, out)
	if err != nil {
		return err
	}
	if err := demoScreening(ctx, op, out); err != nil {
		return err
	}
	if err := demoReturn(ctx, op, out, cargo); err != nil {
		return err
	}
	if err := demoDayEnds(ctx, op, out, bigUETR); err != nil {
		return err
	}
	for _, uetr := range []corridor.UETR{cargoUETR, fxUETR} {
		if err := demoTrack(ctx, out, uetr); err != nil {
			return err
		}
	}
	after, err := demoBalances(ctx)
	if err != nil {
		return err
	}
	printBalances(out, "\nbalances after", after)
	return demoCheck(out, before, after)
}

// demoCargoes sends the oil cargo, the second cargo that the Indian bank
// cannot cover, and the first again. It returns the first cargo's message
// and UETR, and the second's UETR.
func demoCargoes(ctx context.Context, op *httpapi.Client, out io.Writer) ([]byte, corridor.UETR, corridor.UETR, error) {
	cargo, cargoUETR, err := demoPacs008Today(ctx, op, &demoIndia, &demoRussia, "350000000.00", "INR")
	if err != nil {
		return nil, "", "", err
	}
	big, bigUETR, err := demoPacs008Today(ctx, op, &demoIndia, &demoRussia, "420000000.00", "INR")
	if err != nil {
		return nil, "", "", err
	}
	for _, step := range []struct {
		what string
		msg  []byte
	}{
		{"oil cargo, INR 350,000,000.00", cargo},
		{"second cargo, INR 420,000,000.00", big},
		{"the first cargo's message sent again", cargo},
	} {
		if _, err := demoSubmit(ctx, out, &demoIndia, &demoRussia, step.what, step.msg); err != nil {
			return nil, "", "", err
		}
	}
	return cargo, cargoUETR, bigUETR, nil
}

// demoDayEnds sends the value-dated payment, closes the INR business day,
// shows what each bank received, the statements among it, and the
// value-dated payment settled on the new day.
func demoDayEnds(ctx context.Context, op *httpapi.Client, out io.Writer, queued corridor.UETR) error {
	uetr, next, err := demoSendValueDated(ctx, op, out)
	if err != nil {
		return err
	}
	if err := demoEndOfDay(ctx, op, out, queued); err != nil {
		return err
	}
	if err := demoReleasedNextDay(ctx, out, uetr, next); err != nil {
		return err
	}
	return demoInboxes(ctx, out)
}

// The amounts of the demo's liquidity and FX steps.
const (
	demoRussiaPays   = "12000000.00" // More than the Russian bank's 10,000,000.00 rupees.
	demoTopUp        = "5000000.00"  // The operator's funding that releases it.
	demoFXRate       = "1.0823"      // INR/RUB.
	demoFXRupees     = "1000000.00"
	demoFXRoubles    = "1082300.00" // demoFXRupees at demoFXRate.
	demoCargoPaid    = 35_000_000_000
	demoRussiaPaid   = 1_200_000_000
	demoTopUpMinor   = 500_000_000
	demoFXRupeeMinor = 100_000_000
	demoFXRoubleMin  = 108_230_000
)

func demoSubmit(ctx context.Context, out io.Writer, from, to *demoBank, what string, msg []byte) (httpapi.SubmitResponse, error) {
	resp, err := from.client.Submit(ctx, msg)
	if err != nil {
		return resp, fmt.Errorf("submit %s: %w", what, err)
	}
	fmt.Fprintf(out, "\n%s → %s sends %s\n  UETR %s  reference %s  status %s", from.BIC, to.BIC, what,
		resp.UETR, resp.Reference, resp.Status)
	if resp.Reason != "" {
		fmt.Fprintf(out, "  reason %s (%s)", resp.Reason, resp.Detail)
	}
	switch {
	case resp.Status == string(corridor.StatusPending) && resp.Wait == "warehouse":
		fmt.Fprint(out, "  WAREHOUSED: waits for its value date")
	case resp.Status == string(corridor.StatusPending) && strings.Contains(resp.Detail, "compliance"):
		fmt.Fprint(out, "  HELD: screening found a possible match")
	case resp.Status == string(corridor.StatusPending):
		fmt.Fprint(out, "  QUEUED: waits for liquidity")
	}
	if resp.Duplicate {
		fmt.Fprint(out, "  DUPLICATE: answered with the first payment's outcome, nothing paid twice")
	}
	fmt.Fprintln(out)
	return resp, nil
}

// demoQueueReleased has the Russian bank pay more rupees than it holds: the
// payment queues, the operator funds the bank, and the payment settles.
func demoQueueReleased(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	msg, uetr, err := demoPacs008Today(ctx, op, &demoRussia, &demoIndia, demoRussiaPays, "INR")
	if err != nil {
		return err
	}
	if _, err := demoSubmit(ctx, out, &demoRussia, &demoIndia, "INR "+demoRussiaPays+", more than it holds", msg); err != nil {
		return err
	}
	if err := demoQueue(ctx, op, out); err != nil {
		return err
	}
	if _, err := op.Fund(ctx, httpapi.FundRequest{BIC: string(demoRussia.BIC), Currency: "INR", Amount: demoTopUp}); err != nil {
		return fmt.Errorf("fund %s: %w", demoRussia.BIC, err)
	}
	tr, err := demoRussia.client.Track(ctx, uetr)
	if err != nil {
		return fmt.Errorf("track %s: %w", uetr, err)
	}
	fmt.Fprintf(out, "operator funded %s with %s INR: the queued payment is now %s (RELEASED by incoming liquidity)\n",
		demoRussia.BIC, demoTopUp, tr.Legs[0].Status)
	return nil
}

// demoQueue prints the operator's view of the RTGS queue.
func demoQueue(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	q, err := op.Queue(ctx)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	fmt.Fprintf(out, "RTGS queue GET /v1/queue (%d waiting):\n", len(q))
	for _, p := range q {
		fmt.Fprintf(out, "  %-6s #%d %s %s → %s %s %s", p.Priority, p.Position, p.Reference, p.Debtor, p.Creditor, p.Amount, p.Currency)
		if p.Wait == "warehouse" {
			fmt.Fprintf(out, "  wait %s, value date %s", p.Wait, p.ValueDate)
		}
		fmt.Fprintln(out)
	}
	return nil
}

// demoPacs008Today is a pacs.008 from one demo bank to the other, dated
// with cur's business date as the hub reports it.
func demoPacs008Today(ctx context.Context, op *httpapi.Client, from, to *demoBank, amount string, cur corridor.Currency) ([]byte, corridor.UETR, error) {
	date, err := demoBusinessDate(ctx, op, cur)
	if err != nil {
		return nil, "", err
	}
	return demoPacs008On(from, to, date, time.Now(), amount, cur)
}

// demoPacs008On is a pacs.008 from one demo bank to the other, written at
// now and settling on date.
func demoPacs008On(from, to *demoBank, date corridor.Date, now time.Time, amount string, cur corridor.Currency) ([]byte, corridor.UETR, error) {
	p, err := demoPayment(from, to, date, amount, cur)
	if err != nil {
		return nil, "", err
	}
	msg, err := demoMessage(p, now)
	return msg, p.UETR, err
}

// demoPayment is a payment of amount in cur from one demo bank's customer
// to the other's, settling on date.
func demoPayment(from, to *demoBank, date corridor.Date, amount string, cur corridor.Currency) (corridor.Payment, error) {
	uetr := newUETR()
	a, err := corridor.ParseAmount(amount, cur)
	if err != nil {
		return corridor.Payment{}, err
	}
	return corridor.Payment{MsgID: "DEMO" + string(uetr[:8]) + string(uetr[24:]), UETR: uetr, EndToEndID: "E2E" + string(uetr[:8]),
		InstructingAgent: from.BIC, InstructedAgent: to.BIC, DebtorAgent: from.BIC, CreditorAgent: to.BIC,
		Amount: a, Currency: cur, SettlementDate: date,
		DebtorName: from.Customer, CreditorName: to.Customer}, nil
}

// demoMessage is the pacs.008 of p that its instructing agent writes at now,
// with its message reference as its instruction reference.
func demoMessage(p corridor.Payment, now time.Time) ([]byte, error) {
	h := iso20022.AppHdr{From: p.InstructingAgent, To: p.InstructedAgent, BizMsgID: p.MsgID, MsgDefID: iso20022.MsgDefCustomerCreditTransfer,
		BizSvc: "swift.cbprplus.02", Created: now.UTC().Truncate(time.Second)}
	return iso20022.EncodeCustomerCreditTransfer(h, p, p.MsgID)
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
			if m.MsgDefID == "camt.053.001.08" {
				fmt.Fprintf(out, "  #%d %s end-of-day statement, reference %s%s\n", m.Seq, m.MsgDefID, m.Reference, statementOf(m))
				continue
			}
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
	if sr.SettlementDate != (corridor.Date{}) {
		return fmt.Sprintf("  %s settled %s", sr.Status, sr.SettlementDate)
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

// demoCheck proves that the balances add up: rupees left the two banks only
// through the FX conversion and arrived only with the operator's funding;
// roubles arrived only from the FX provider; the Indian bank paid exactly
// one cargo, the conversion and the value-dated freight, and received the
// Russian bank's payment and the return.
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
	fmt.Fprintf(out, "\nINR held by both banks: %s before, %s after (+%s funded, -%s converted); %s paid net by %s (%s value-dated, %s returned)\n",
		corridor.Amount(total(before, "INR")).Format("INR"), corridor.Amount(total(after, "INR")).Format("INR"),
		demoTopUp, demoFXRupees, corridor.Amount(paid).Format("INR"), demoIndia.BIC, demoValueDated, demoReturned)
	fmt.Fprintf(out, "RUB held by both banks: %s before, %s after (+%s paid by the FX provider, PvP)\n",
		corridor.Amount(total(before, "RUB")).Format("RUB"), corridor.Amount(total(after, "RUB")).Format("RUB"), demoFXRoubles)
	if total(after, "INR") != total(before, "INR")+demoTopUpMinor-demoFXRupeeMinor ||
		total(after, "RUB") != total(before, "RUB")+demoFXRoubleMin || paid != demoCargoPaid-demoRussiaPaid+demoFXRupeeMinor+demoValueDatedMinor-demoReturnedMinor {
		return fmt.Errorf("balances do not add up")
	}
	fmt.Fprintln(out, "balances add up: every debit has its credit, the duplicate paid nothing")
	return nil
}
