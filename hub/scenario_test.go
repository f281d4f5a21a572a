package hub_test

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/internal/scenario"
	"github.com/corridor-network/corridor/iso20022"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/*.txt")

// TestScenarios runs the hub's data-driven scenarios in testdata: each block
// is a command line, "----" and the expected output, ended by a blank line;
// lines starting with # between blocks are comments. Commands:
//
//	register BIC CCY[,CCY]            a participant with accounts
//	fund BIC CCY AMOUNT               liquidity from the central account
//	pay N FROM TO CCY AMOUNT          pacs.008 number N
//	return N AMOUNT REASON            pacs.004 of payment N by its creditor agent
//	cancel N                          camt.056 by payment N's sender (a new one once the last was answered)
//	answer N CNCL|RJCR|PDCR [REASON]  camt.029 by payment N's creditor agent to the last request
//	balances BIC...                   settlement balances
//	track N                           the tracker's events of payment N's leg
//	inbox BIC                         the message definitions in an inbox
//	hub four-eyes                     restart the hub on its journal, releases needing two operators
//	list                              load the operator's sanctions list (ownList)
//	hold N FROM TO CCY AMOUNT         pacs.008 number N to a listed creditor: held by screening
//	release N BY | reject N BY        operator BY's compliance decision on payment N
//	holds                             the compliance queue: each held payment, its case and first release
func TestScenarios(t *testing.T) {
	scenario.RunDir(t, "testdata/*.txt", *update, newScenario(0))
	t.Run("BooksStored", func(t *testing.T) { // The same answers with the entries in the store.
		scenario.RunDir(t, "testdata/*.txt", false, newScenario(hub.MaxRetention))
	})
}

// newScenario is the runner of one scenario file, on a world of its own,
// its hub with retention (a retention longer than any scenario lets go of
// no payment, but keeps the statement entries in the store).
func newScenario(retention time.Duration) func(t *testing.T, file string) func(scenario.Block) []string {
	return func(t *testing.T, file string) func(scenario.Block) []string {
		return newWorld(t, file, retention)
	}
}

func newWorld(t *testing.T, file string, retention time.Duration) func(scenario.Block) []string {
	dir := t.TempDir()
	h, _, stop := mustHubWith(t, dir, hub.Config{Retention: retention})
	w := &world{t: t, h: h, dir: dir, stop: stop, payments: map[string]corridor.Payment{}, cases: map[string]int{}, answered: map[string]bool{},
		quotes: map[string]uint64{}, retention: retention}
	return func(b scenario.Block) []string {
		if len(b.Input) > 0 {
			t.Fatalf("%s:%d: the hub's commands take no input lines", file, b.Line)
		}
		return strings.Split(w.run(b.Cmd), "\n")
	}
}

// world is a scenario's hub and the payments it sent, by number.
type world struct {
	t        *testing.T
	h        *hub.Hub
	dir      string // The hub's journal.
	stop     func() // Stops the hub.
	payments map[string]corridor.Payment
	cases    map[string]int    // Cancellation requests sent per payment.
	answered map[string]bool   // The latest request of a payment got an answer.
	quotes   map[string]uint64 // FX quote IDs by the scenario's names.

	retention time.Duration // The hub's.
}

// caseOf is the Case/Id of payment n's latest cancellation request, or of a
// new one: CXL-1-1, CXL-1-2…; a "cancel" repeats the last request while
// the case it opened has no answer yet.
func (w *world) caseOf(n string, next bool) string {
	if next && w.answered[n] {
		w.cases[n]++
		w.answered[n] = false
	}
	if w.cases[n] == 0 {
		w.cases[n] = 1
	}
	return fmt.Sprintf("CXL-%s-%d", n, w.cases[n])
}

func (w *world) run(line string) string {
	f := strings.Fields(line)
	ctx := context.Background()
	switch {
	case f[0] == "register" && len(f) == 3:
		var curs []corridor.Currency
		for _, c := range strings.Split(f[2], ",") {
			curs = append(curs, corridor.Currency(c))
		}
		bic := bicOf(f[1])
		return outcome(hub.PaymentResult{}, w.h.RegisterParticipant(ctx, corridor.Participant{BIC: bic, Name: "Bank " + f[1], Currencies: curs}, certificate(bic)))
	case f[0] == "fund" && len(f) == 4:
		a, err := corridor.ParseAmount(f[3], corridor.Currency(f[2]))
		if err == nil {
			err = w.h.Fund(ctx, bicOf(f[1]), corridor.Money{Amount: a, Currency: corridor.Currency(f[2])})
		}
		return outcome(hub.PaymentResult{}, err)
	case f[0] == "pay" && len(f) == 6:
		return w.pay(f[1], bicOf(f[2]), bicOf(f[3]), corridor.Currency(f[4]), f[5])
	case f[0] == "return" && len(f) == 4:
		p := w.payments[f[1]]
		a, err := corridor.ParseAmount(f[2], p.Currency)
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		msg, err := iso20022.EncodeReturn(iso20022.Return{MsgID: "RTR-" + f[1] + "-" + f[2], ReturnID: "RTRID-" + f[1], Created: businessDay, Original: p, Amount: a, Reason: f[3]})
		return w.submit(p.InstructedAgent, msg, err)
	case f[0] == "cancel" && len(f) == 2:
		p := w.payments[f[1]]
		msg, err := iso20022.EncodeCancelRequest(iso20022.CancelRequest{ID: w.caseOf(f[1], true), Created: businessDay, Original: p, Reason: "DUPL"})
		return w.submit(p.InstructingAgent, msg, err)
	case f[0] == "answer" && (len(f) == 3 || len(f) == 4):
		p := w.payments[f[1]]
		defer func() { w.answered[f[1]] = true }()
		msg, err := iso20022.EncodeResolution(answer("ANS-"+w.caseOf(f[1], false)+"-"+f[2], w.caseOf(f[1], false), p, f[2], strings.Join(f[3:], "")))
		return w.submit(p.InstructedAgent, msg, err)
	case f[0] == "balances":
		return w.balances(f[1:])
	case f[0] == "track" && len(f) == 2:
		return w.track(f[1])
	case f[0] == "inbox" && len(f) == 2:
		return inboxKinds(w.t, w.h, bicOf(f[1]))
	case f[0] == "report" && len(f) == 3:
		return w.report(bicOf(f[1]), corridor.Currency(f[2]))
	case f[0] == "rate" || f[0] == "offer" || f[0] == "quote" || f[0] == "fxpay" || f[0] == "hub-accounts":
		return w.fx(f)
	}
	return w.runCompliance(f, line)
}

// runCompliance runs the scenario commands of screening and compliance.
func (w *world) runCompliance(f []string, line string) string {
	ctx := context.Background()
	switch {
	case f[0] == "hub" && len(f) == 2 && f[1] == "four-eyes":
		w.stop()
		w.h, _, w.stop = mustHubWith(w.t, w.dir, hub.Config{FourEyes: true, Retention: w.retention})
		return "ok"
	case f[0] == "list" && len(f) == 1:
		mustOwnList(w.t, w.h)
		return "ok"
	case f[0] == "hold" && len(f) == 6:
		return w.payTo(f[1], bicOf(f[2]), bicOf(f[3]), corridor.Currency(f[4]), f[5], listedPayment(0).CreditorName)
	case (f[0] == "release" || f[0] == "reject") && len(f) == 3:
		return outcome(hub.PaymentResult{}, w.h.Decide(ctx, f[2], w.payments[f[1]].UETR, f[0] == "release", "checked by "+f[2], false))
	case f[0] == "holds" && len(f) == 1:
		return w.holds()
	}
	w.t.Fatalf("unknown command %q", line)
	return ""
}

// bicOf is the test BIC of a short name: "IN" → "DEMOINBBXXX".
func bicOf(name string) corridor.BIC { return corridor.BIC("DEMO" + name + "BBXXX") }

func (w *world) pay(n string, from, to corridor.BIC, cur corridor.Currency, amount string) string {
	return w.payTo(n, from, to, cur, amount, "")
}

// payTo is pay with the creditor's name, when not "".
func (w *world) payTo(n string, from, to corridor.BIC, cur corridor.Currency, amount, creditor string) string {
	a, err := corridor.ParseAmount(amount, cur)
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	var i int
	fmt.Sscan(n, &i)
	p := pay(i, from, to, a)
	p.Currency = cur
	p.CreditorName = cmp.Or(creditor, p.CreditorName)
	w.payments[n] = p
	res, err := submit(w.t, w.h, p)
	return outcome(res, err)
}

func (w *world) submit(from corridor.BIC, msg []byte, err error) string {
	if err != nil {
		w.t.Fatalf("encode: %v", err)
	}
	res, err := submitMessage(w.t, w.h, from, msg)
	return outcome(res, err)
}

// outcome is a command's answer: "ok", a status with its reason, or the refusal.
func outcome(res hub.PaymentResult, err error) string {
	if r, ok := corridor.ReasonOf(err); ok {
		return "reject " + string(r)
	}
	switch {
	case errors.Is(err, corridor.ErrNotFound):
		return "error not found"
	case errors.Is(err, corridor.ErrUnauthorized):
		return "error not authorised"
	case err != nil:
		return "error " + err.Error()
	case res.Status == "":
		return "ok"
	}
	return strings.TrimSpace(string(res.Status) + " " + string(res.Reason))
}

func (w *world) balances(names []string) string {
	var out []string
	for _, n := range names {
		bals, err := w.h.Balances(context.Background(), bicOf(n))
		if err != nil {
			w.t.Fatal(err)
		}
		for _, b := range bals {
			out = append(out, fmt.Sprintf("%s %s %s", n, b.Currency, signedText(b.Balance, b.Currency)))
		}
	}
	return strings.Join(out, "\n")
}

func signedText(v int64, c corridor.Currency) string {
	if v < 0 {
		return "-" + corridor.Amount(-v).Format(c)
	}
	return corridor.Amount(v).Format(c)
}

func (w *world) track(n string) string {
	p := w.payments[n]
	legs, err := w.h.Track(context.Background(), corridor.Identity{Role: corridor.RoleOperator}, p.UETR)
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	var out []string
	for _, l := range legs {
		if l.Payment.MsgID != p.MsgID {
			out = append(out, fmt.Sprintf("return %s %s %s", l.Reference, l.Status, l.Payment.Amount.Format(l.Payment.Currency)))
			continue
		}
		for _, e := range l.Events {
			out = append(out, strings.TrimSpace(e.Event+" "+string(e.Status)+" "+string(e.Reason)))
		}
	}
	return strings.Join(out, "\n")
}

// fx runs the FX commands:
//
//	rate FROM/TO RATE
//	offer PROVIDER BASE/QUOTE BID ASK SIZE
//	quote Q BANK FROM AMOUNT TO          (Q names the quote for fxpay)
//	fxpay N Q FROM TO INSTRUCTED CCY SETTLED XCHGRATE|-   (INSTRUCTED is "AMOUNT CCY" as one word, 1000.00INR)
//	hub-accounts
func (w *world) fx(f []string) string {
	ctx := context.Background()
	switch {
	case f[0] == "rate" && len(f) == 3:
		from, to, _ := strings.Cut(f[1], "/")
		return outcome(hub.PaymentResult{}, w.h.PublishRate(ctx, hub.FXRate{From: corridor.Currency(from), To: corridor.Currency(to), Rate: f[2]}))
	case f[0] == "offer" && len(f) == 6:
		from, to, _ := strings.Cut(f[2], "/")
		size, err := corridor.ParseAmount(f[5], corridor.Currency(from))
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		_, err = w.h.PublishOffer(ctx, bicOf(f[1]), hub.OfferRequest{From: corridor.Currency(from), To: corridor.Currency(to), Bid: f[3], Ask: f[4], Size: size, Life: time.Hour})
		return outcome(hub.PaymentResult{}, err)
	case f[0] == "quote" && len(f) == 6:
		a, err := corridor.ParseAmount(f[4], corridor.Currency(f[3]))
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		q, err := w.h.Quote(ctx, bicOf(f[2]), corridor.Money{Amount: a, Currency: corridor.Currency(f[3])}, corridor.Currency(f[5]))
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		w.quotes[f[1]] = q.ID
		return fmt.Sprintf("quote %s from %s: %s %s -> %s %s at %s, remainder %s", f[1], q.Provider, q.From.Amount.Format(q.From.Currency), q.From.Currency,
			q.To.Amount.Format(q.To.Currency), q.To.Currency, q.Rate, q.Remainder)
	case f[0] == "fxpay" && len(f) == 9:
		return w.fxpay(f[1:])
	case f[0] == "hub-accounts":
		accts, err := w.h.HubAccounts(ctx)
		if err != nil {
			return outcome(hub.PaymentResult{}, err)
		}
		var out []string
		for _, a := range accts {
			out = append(out, fmt.Sprintf("%s %d floor %d breach %t", a.Name, a.Balance, a.Floor, a.Breach))
			for _, r := range a.Accrued {
				out = append(out, fmt.Sprintf("  accrued %s due %d fraction %s", r.Provider, r.Due, r.Fraction))
			}
		}
		return strings.Join(out, "\n")
	}
	w.t.Fatalf("unknown command %q", strings.Join(f, " "))
	return ""
}

// fxpay sends a converted payment: N Q FROM TO INSTRUCTED-AMOUNT INSTRUCTED-CCY SETTLED-AMOUNT@CCY XCHGRATE.
func (w *world) fxpay(f []string) string {
	ic := corridor.Currency(f[5])
	ia, err := corridor.ParseAmount(f[4], ic)
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	amount, ccy, _ := strings.Cut(f[6], "@")
	sa, err := corridor.ParseAmount(amount, corridor.Currency(ccy))
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	var i int
	fmt.Sscan(f[0], &i)
	p := pay(i, bicOf(f[2]), bicOf(f[3]), sa)
	p.Currency, p.Instructed, p.FXQuote = corridor.Currency(ccy), corridor.Money{Amount: ia, Currency: ic}, w.quotes[f[1]]
	if f[7] != "-" {
		p.XchgRate = f[7]
	}
	w.payments[f[0]] = p
	res, err := submit(w.t, w.h, p)
	return outcome(res, err)
}

// holds is the compliance queue, a line per held payment: its number, the
// cancellation request recorded on it and the first release under four eyes.
func (w *world) holds() string {
	holds, err := w.h.Holds(context.Background())
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	var out []string
	for _, h := range holds {
		line := "held " + h.Payment.MsgID
		if c := h.Cancellation; c != nil {
			line += fmt.Sprintf("; cancellation %s from %s, reason %s", c.CaseID, c.Requester, c.Reason)
		}
		if h.ReleasedBy != "" {
			line += "; released by " + h.ReleasedBy
		}
		out = append(out, line)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, "\n")
}

// entryFields find an entry's amount, direction, code and additional
// information in a report.
var entryFields = []*regexp.Regexp{
	regexp.MustCompile(`<Amt Ccy="[A-Z]{3}">([0-9.]+)</Amt>`),
	regexp.MustCompile(`<CdtDbtInd>([A-Z]+)</CdtDbtInd>`),
	regexp.MustCompile(`<Prtry><Cd>([A-Z]+)</Cd>`),
	regexp.MustCompile(`<AddtlNtryInf>([^<]*)</AddtlNtryInf>`),
}

// report lists the entries of bic's intraday report (camt.052) in cur, one
// a line: code, direction, amount and additional information.
func (w *world) report(bic corridor.BIC, cur corridor.Currency) string {
	m, err := w.h.Report(context.Background(), bic, cur, 1)
	if err != nil {
		return outcome(hub.PaymentResult{}, err)
	}
	mustPassXMLLint(w.t, "camt.052 of "+string(bic), m.Body)
	var out []string
	for _, ntry := range strings.Split(string(m.Body), "<Ntry>")[1:] {
		var f [4]string
		for i, re := range entryFields {
			if m := re.FindStringSubmatch(ntry); m != nil {
				f[i] = m[1]
			}
		}
		out = append(out, strings.TrimSpace(strings.Join([]string{f[2], f[1], f[0], f[3]}, " ")))
	}
	return strings.Join(out, "\n")
}
