package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// runFX is `corridor fx rate|quote`: the operator publishing a reference
// rate, or an FX provider publishing its two-way quote.
func runFX(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "rate":
			return runFXRate(ctx, args[1:], stdout, stderr)
		case "quote":
			return runFXQuote(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "usage: corridor fx rate --data DIR --from CCY --to CCY --rate DECIMAL\n"+
		"       corridor fx quote --hub URL --cert FILE --key FILE --ca FILE --pair BASE/QUOTE --bid DECIMAL --ask DECIMAL --size AMOUNT [--life DURATION]")
	return errors.New("fx: rate or quote?")
}

// runFXRate is `corridor fx rate --from INR --to RUB --rate 1.0823`.
func runFXRate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, op := operatorFlagSet("fx rate", stderr)
	from := fs.String("from", "", "currency sold, such as INR")
	to := fs.String("to", "", "currency bought, such as RUB")
	rate := fs.String("rate", "", "units of --to one unit of --from buys, an exact decimal such as 1.0823")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("fx rate: %w", err)
	}
	defer c.Close()
	if err := c.PublishRate(ctx, httpapi.RateBody{Pair: *from + "/" + *to, Rate: *rate}); err != nil {
		return fmt.Errorf("fx rate: %w", err)
	}
	fmt.Fprintf(stdout, "published %s/%s %s\n", *from, *to, *rate)
	return nil
}

// runFXQuote is `corridor fx quote`, run by an FX provider with its own
// certificate: its bid and ask on a pair, a size and a life.
func runFXQuote(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fx quote", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hub := fs.String("hub", "", "hub URL")
	cert := fs.String("cert", "", "the provider's certificate (PEM)")
	key := fs.String("key", "", "the provider's key (PEM)")
	ca := fs.String("ca", "", "the hub CA's certificate (PEM)")
	var req httpapi.OfferRequest
	fs.StringVar(&req.Pair, "pair", "", "BASE/QUOTE, such as INR/RUB: rates are units of QUOTE per unit of BASE")
	fs.StringVar(&req.Bid, "bid", "", "rate at which the provider buys BASE, an exact decimal")
	fs.StringVar(&req.Ask, "ask", "", "rate at which the provider sells BASE, an exact decimal, not below --bid")
	fs.StringVar(&req.Size, "size", "", "most BASE the quote trades in all, in major units such as 1000000.00")
	life := fs.Duration("life", 15*time.Minute, "how long the quote stays live, at most 24h")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *hub == "" || *cert == "" || *key == "" || *ca == "" {
		return usageError{errors.New("fx quote: --hub, --cert, --key and --ca are required")}
	}
	if *life <= 0 || *life > 24*time.Hour {
		return fmt.Errorf("fx quote: --life %s is not within (0, 24h]", *life)
	}
	req.LifeSeconds = int64(*life / time.Second)
	tlsConfig, err := pki.ClientTLSConfig(*cert, *key, *ca)
	if err != nil {
		return fmt.Errorf("fx quote: %w", err)
	}
	c := httpapi.NewClient(*hub, tlsConfig)
	defer c.Close()
	o, err := c.PublishOffer(ctx, req)
	if err != nil {
		return fmt.Errorf("fx quote: %w", err)
	}
	fmt.Fprintf(stdout, "offer %d: %s bid %s ask %s, up to %s, until %s\n", o.ID, o.Pair, o.Bid, o.Ask, o.Remaining, o.Expires.Format(time.RFC3339))
	return nil
}

// runAccounts is `corridor accounts --data DIR`: the operator's view of
// every account the hub holds, with its balance and floor.
func runAccounts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, op := operatorFlagSet("accounts", stderr)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	defer c.Close()
	accts, err := c.HubAccounts(ctx)
	if err != nil {
		return fmt.Errorf("accounts: %w", err)
	}
	fmt.Fprintf(stdout, "%-18s %-4s %24s %24s  %s\n", "ACCOUNT", "CCY", "BALANCE", "FLOOR", "UNITS")
	for _, a := range accts {
		mark := ""
		if a.Breach {
			mark = "  BELOW FLOOR"
		}
		fmt.Fprintf(stdout, "%-18s %-4s %24s %24s  %s%s\n", a.Name, a.Currency, a.Balance, a.Floor, a.Units, mark)
		printAccrued(stdout, a)
	}
	return nil
}

// printAccrued prints, under an fx-rounding account, each FX provider's
// rounding accrued towards it and not booked yet.
func printAccrued(w io.Writer, a httpapi.HubAccountBody) {
	for _, r := range a.Accrued {
		fmt.Fprintf(w, "    accrued with %s: %s %s due, %s of a minor unit\n", r.Provider, r.Due, a.Currency, r.Fraction)
	}
}
