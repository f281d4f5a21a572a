package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// demoProvider is the demo's FX provider: a participant with settlement
// accounts in both currencies that quotes INR/RUB two-way. The hub funds no
// conversion; the provider's roubles pay the creditor agent.
var demoProvider = demoBank{BIC: "DEMOFXPRXXX", Name: "Demo FX Provider", Currencies: []string{"INR", "RUB"}, Customer: "Demo FX Provider"}

// The provider's funding and two-way quote.
const (
	demoProviderRoubles = "5000000.00"
	demoProviderBid     = demoFXRate // The provider buys rupees at the reference rate...
	demoProviderAsk     = "1.0900"   // ...and sells them a little dearer.
	demoProviderSize    = "10000000.00"
)

// demoFX publishes the reference rate, has the FX provider quote two-way,
// the Indian bank take a quote and pay roubles out of its rupees,
// payment-versus-payment through the provider, and shows the hub's own
// accounts untouched.
func demoFX(ctx context.Context, op *httpapi.Client, out io.Writer) (corridor.UETR, error) {
	if err := demoProviderUp(ctx, op, out); err != nil {
		return "", err
	}
	q, err := demoIndia.client.Quote(ctx, httpapi.QuoteRequest{Amount: demoFXRupees, From: "INR", To: "RUB"})
	if err != nil {
		return "", fmt.Errorf("quote: %w", err)
	}
	fmt.Fprintf(out, "%s got FX quote %d from %s: %s INR → %s RUB at %s, remainder %s kopecks, live until %s\n", demoIndia.BIC, q.ID,
		q.Provider, q.Amount, q.Converted, q.Rate, q.Remainder, q.Expires.Format(time.TimeOnly))
	date, err := demoBusinessDate(ctx, op, "RUB")
	if err != nil {
		return "", err
	}
	p, err := demoPayment(&demoIndia, &demoRussia, date, q.Converted, "RUB")
	if err != nil {
		return "", err
	}
	rupees, _ := corridor.ParseAmount(demoFXRupees, "INR") // A constant that parses.
	p.Instructed, p.FXQuote, p.XchgRate = corridor.Money{Amount: rupees, Currency: "INR"}, q.ID, q.Rate
	msg, err := demoMessage(p, time.Now())
	if err != nil {
		return "", err
	}
	_, err = demoSubmit(ctx, out, &demoIndia, &demoRussia, fmt.Sprintf("INR %s converted to RUB %s with quote %d, PvP through %s",
		q.Amount, q.Converted, q.ID, q.Provider), msg)
	if err != nil {
		return "", err
	}
	return p.UETR, demoHubAccounts(ctx, op, out)
}

// demoProviderUp publishes the reference rate, funds the provider (demoRun
// connected it), and has it quote two-way.
func demoProviderUp(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	if err := op.PublishRate(ctx, httpapi.RateBody{Pair: "INR/RUB", Rate: demoFXRate}); err != nil {
		return fmt.Errorf("publish rate: %w", err)
	}
	fmt.Fprintf(out, "\noperator published the reference rate INR/RUB %s (a sanity band, never a source of money)\n", demoFXRate)
	err := op.PublishRate(ctx, httpapi.RateBody{Pair: "RUB/INR", Rate: "0.95"})
	fmt.Fprintf(out, "operator tried RUB/INR 0.95 beside it: refused (%v)\n", err)
	if _, err := op.Fund(ctx, httpapi.FundRequest{BIC: string(demoProvider.BIC), Currency: "RUB", Amount: demoProviderRoubles}); err != nil {
		return fmt.Errorf("fund %s: %w", demoProvider.BIC, err)
	}
	fmt.Fprintf(out, "operator funded FX provider %s with %s RUB from the central account\n", demoProvider.BIC, demoProviderRoubles)
	o, err := demoProvider.client.PublishOffer(ctx, httpapi.OfferRequest{Pair: "INR/RUB", Bid: demoProviderBid, Ask: demoProviderAsk,
		Size: demoProviderSize, LifeSeconds: 3600})
	if err != nil {
		return fmt.Errorf("offer: %w", err)
	}
	fmt.Fprintf(out, "FX provider %s quotes %s: bid %s, ask %s, up to %s INR, until %s (offer %d)\n", o.Provider, o.Pair, o.Bid, o.Ask,
		o.Remaining, o.Expires.Format(time.TimeOnly), o.ID)
	return nil
}

// demoHubAccounts prints the operator's view of every hub account.
func demoHubAccounts(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	accts, err := op.HubAccounts(ctx)
	if err != nil {
		return fmt.Errorf("hub accounts: %w", err)
	}
	fmt.Fprintln(out, "hub accounts GET /v1/hub/accounts (conversions are PvP: the FX positions stay untouched):")
	for _, a := range accts {
		fmt.Fprintf(out, "  %-18s %22s  floor %s (%s)\n", a.Name, a.Balance, a.Floor, a.Units)
		printAccrued(out, a)
	}
	return nil
}
