package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/corridor-network/corridor"
)

// runStatement is `corridor statement --bic BIC --currency CCY --date YYYY-MM-DD`:
// the operator fetches a participant's camt.053 end-of-day statement and
// writes it to stdout or --out.
func runStatement(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, op := operatorFlagSet("statement", stderr)
	bic := fs.String("bic", "", "the participant whose settlement account it is")
	currency := fs.String("currency", "", "the account's currency, such as INR")
	date := fs.String("date", "", "the business date, YYYY-MM-DD (UTC)")
	page := fs.Int("page", 1, "the page, from 1, of a day with many entries")
	out := fs.String("out", "", "write the camt.053 here instead of stdout")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	b, err := corridor.ParseBIC(*bic)
	if err != nil {
		return fmt.Errorf("statement: --bic: %w", err)
	}
	c, err := corridor.ParseCurrency(*currency)
	if err != nil {
		return fmt.Errorf("statement: --currency: %w", err)
	}
	d, err := corridor.ParseDate(*date)
	if err != nil {
		return fmt.Errorf("statement: --date: %w", err)
	}
	client, err := op.client()
	if err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	defer client.Close()
	st, err := client.Statement(ctx, b, c, d, *page)
	if err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	if *out == "" {
		_, err = io.WriteString(stdout, st.Body)
		return err
	}
	if err := os.WriteFile(*out, []byte(st.Body), 0o644); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s %s to %s\n", st.MsgDefID, st.Reference, *out)
	return nil
}
