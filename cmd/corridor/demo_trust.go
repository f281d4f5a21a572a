package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// demoEmirates is a third participant the Russian bank has no relationship with.
var demoEmirates = demoBank{BIC: "DEMOAEADXXX", Name: "Demo Bank of the Emirates", Currencies: []string{"INR"}, Customer: "Gulf Trading FZE"}

// demoTrust shows relationship management and signatures: the Russian bank
// accepts pacs.008 only from the Indian bank, so a payment from a bank it has
// not authorised is refused before settlement, with nothing changed.
func demoTrust(ctx context.Context, op *httpapi.Client, hubURL, data string, out io.Writer) error {
	fmt.Fprintln(out, "\nevery message is signed: each bank signs what it sends (detached JWS, ES256, over the exact bytes),")
	fmt.Fprintln(out, "the hub verifies that before it parses anything and signs every message it delivers; the client checks it")
	policy := httpapi.RelationshipsBody{Mode: "restricted",
		Allow: []httpapi.RelationshipBody{{Counterparty: string(demoIndia.BIC), Messages: []string{"pacs.008"}}}}
	if _, err := demoRussia.client.SetRelationships(ctx, policy); err != nil {
		return fmt.Errorf("relationships of %s: %w", demoRussia.BIC, err)
	}
	fmt.Fprintf(out, "%s puts its relationships (RMA): restricted, pacs.008 from %s only (a new participant's default is open)\n",
		demoRussia.BIC, demoIndia.BIC)
	if err := demoEmirates.connect(ctx, op, hubURL, data, out); err != nil {
		return fmt.Errorf("connect %s: %w", demoEmirates.BIC, err)
	}
	if _, err := op.Fund(ctx, httpapi.FundRequest{BIC: string(demoEmirates.BIC), Currency: "INR", Amount: "1000000.00"}); err != nil {
		return err
	}
	msg, _, err := demoPacs008Today(ctx, op, &demoEmirates, &demoRussia, "500000.00", "INR")
	if err != nil {
		return err
	}
	_, err = demoEmirates.client.Submit(ctx, msg)
	reason, _ := corridor.ReasonOf(err)
	var apiErr *httpapi.APIError
	if reason != corridor.ReasonNotAllowed || !errors.As(err, &apiErr) {
		return fmt.Errorf("a payment from an unauthorised bank: %v; want an AG01 refusal", err)
	}
	fmt.Fprintf(out, "%s → %s sends INR 500,000.00: REFUSED %d %s (%s); nothing journaled, nothing paid\n",
		demoEmirates.BIC, demoRussia.BIC, apiErr.Status, reason, apiErr.Body.Error)
	return nil
}
