package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// demoWatchlist is an operator's own list of two fictitious names, in the
// CSV format screening.LoadCSV reads.
//
//go:embed demo_watchlist.csv
var demoWatchlist []byte

// demoScreening loads the operator's list, sends a payment whose creditor is
// on it (transliterated differently), shows the hold, and rejects it.
func demoScreening(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	info, err := op.LoadList(ctx, httpapi.ListRequest{Name: "demo-watchlist", Format: "csv", Files: [][]byte{demoWatchlist}})
	if err != nil {
		return fmt.Errorf("load the demo watchlist: %w", err)
	}
	fmt.Fprintf(out, "\noperator loaded sanctions list %s version %s (%d entries); every payment is screened before it settles\n",
		info.Name, info.Version, info.Entries)
	msg, uetr, err := demoPacs008To(ctx, op, &demoIndia, &demoRussia, "2500000.00", "ООО «Нефтегаз Восток»")
	if err != nil {
		return err
	}
	resp, err := demoSubmit(ctx, out, &demoIndia, &demoRussia, "INR 2,500,000.00 to ООО «Нефтегаз Восток»", msg)
	if err != nil {
		return err
	}
	if resp.Status != string(corridor.StatusPending) {
		return fmt.Errorf("a payment to a listed creditor is %s; want it held", resp.Status)
	}
	if err := demoShowHolds(ctx, op, out); err != nil {
		return err
	}
	if err := op.Decide(ctx, uetr, false, httpapi.DecisionRequest{Why: "confirmed match with DEMO-1"}); err != nil {
		return err
	}
	tr, err := demoIndia.client.Track(ctx, uetr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "operator REJECTED it: the Indian bank's tracker says %s %s; nothing settled\n", tr.Legs[0].Status, tr.Legs[0].Reason)
	return nil
}

func demoShowHolds(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	holds, err := op.Holds(ctx)
	if err != nil {
		return err
	}
	for _, h := range holds {
		for _, hit := range h.Hits {
			fmt.Fprintf(out, "  HELD for compliance review; the operator sees: %s %q ~ %s entry %s %q, score %s\n",
				hit.Role, hit.Party, hit.List, hit.EntryID, hit.MatchedName, hit.Score)
		}
	}
	return nil
}

// demoPacs008To is a rupee payment to the named creditor.
func demoPacs008To(ctx context.Context, op *httpapi.Client, from, to *demoBank, amount, creditor string) ([]byte, corridor.UETR, error) {
	saved := to.Customer
	to.Customer = creditor
	defer func() { to.Customer = saved }()
	return demoPacs008Today(ctx, op, from, to, amount, "INR")
}
