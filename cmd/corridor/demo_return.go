package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
)

// The demo's return: the Russian bank sends back part of the first cargo's
// rupees, as after a quality claim on the oil.
const (
	demoReturned      = "5000000.00"
	demoReturnedMinor = 500_000_000
)

// demoReturn has the Russian bank return part of a settled payment with a
// pacs.004: it settles back to the Indian bank, which receives the pacs.004,
// and the original payment's tracker shows it. The pacs.004 is dated with
// the INR business date.
func demoReturn(ctx context.Context, op *httpapi.Client, out io.Writer, cargo []byte) error {
	orig, err := iso20022.DecodeCustomerCreditTransfer(cargo)
	if err != nil {
		return err
	}
	date, err := demoBusinessDate(ctx, op, "INR")
	if err != nil {
		return err
	}
	amount, err := corridor.ParseAmount(demoReturned, "INR")
	if err != nil {
		return err
	}
	msg, err := iso20022.EncodeReturn(iso20022.Return{MsgID: "RTN" + string(orig.Payment.UETR[:8]), ReturnID: "RTN-1",
		Created: demoCreated(date, time.Now()), Original: orig.Payment, Amount: amount, Reason: "MS03"})
	if err != nil {
		return err
	}
	resp, err := demoRussia.client.Submit(ctx, msg)
	if err != nil {
		return fmt.Errorf("return: %w", err)
	}
	fmt.Fprintf(out, "\n%s returns INR %s of the first cargo with a pacs.004 (reference %s): status %s\n",
		demoRussia.BIC, demoReturned, resp.Reference, resp.Status)
	tr, err := demoIndia.client.Track(ctx, orig.Payment.UETR)
	if err != nil {
		return err
	}
	for _, e := range tr.Legs[0].Events {
		if e.Event == "returned" {
			fmt.Fprintf(out, "  the cargo's tracker: %s %s\n", e.Event, e.Detail)
		}
	}
	return nil
}
