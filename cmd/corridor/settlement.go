package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/corridor-network/corridor/httpapi"
)

// runSettlement is `corridor settlement resolve|cutoff|close-cycle|queue`,
// the operator's settlement commands.
func runSettlement(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: corridor settlement resolve|cutoff|close-cycle|queue --data DIR [--hub URL]")
		return errors.New("settlement: resolve, cutoff, close-cycle or queue?")
	}
	action := args[0]
	fs, op := operatorFlagSet("settlement "+action, stderr)
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return err
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("settlement %s: %w", action, err)
	}
	defer c.Close()
	switch action {
	case "resolve", "cutoff":
		err = settlementRun(ctx, c, action, stdout)
	case "close-cycle":
		err = settlementClose(ctx, c, stdout)
	case "queue":
		err = settlementQueue(ctx, c, stdout)
	default:
		err = errors.New("unknown subcommand")
	}
	if err != nil {
		return fmt.Errorf("settlement %s: %w", action, err)
	}
	return nil
}

func settlementRun(ctx context.Context, c *httpapi.Client, action string, stdout io.Writer) error {
	run := c.Resolve
	if action == "cutoff" {
		run = c.Cutoff
	}
	rep, err := run(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "released %d, resolved by offsetting %d, expired at the cut-off %d\n", rep.Released, rep.Resolved, rep.Expired)
	return nil
}

func settlementClose(ctx context.Context, c *httpapi.Client, stdout io.Writer) error {
	rep, err := c.CloseCycle(ctx)
	if err != nil {
		return err
	}
	if rep.Cycle == 0 {
		fmt.Fprintln(stdout, "no net settlement cycle was open")
		return nil
	}
	fmt.Fprintf(stdout, "cycle %d closed: %d settled, %d removed\n", rep.Cycle, rep.Settled, rep.Removed)
	for _, m := range rep.Movements {
		fmt.Fprintf(stdout, "  %s %s sent %s received %s net %s %s\n", m.Participant, m.Currency, m.Sent, m.Received, m.Net, m.Direction)
	}
	return nil
}

func settlementQueue(ctx context.Context, c *httpapi.Client, stdout io.Writer) error {
	q, err := c.Queue(ctx)
	if err != nil {
		return err
	}
	for _, p := range q {
		fmt.Fprintf(stdout, "%-6s %6d %s %s → %s %s %s\n", p.Priority, p.Position, p.UETR, p.Debtor, p.Creditor, p.Amount, p.Currency)
	}
	fmt.Fprintf(stdout, "%d queued\n", len(q))
	return nil
}
