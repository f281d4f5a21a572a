package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// runCompliance is `corridor compliance list|release|reject`: the operator's
// view of payments held by screening, and its decisions.
func runCompliance(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: corridor compliance list|release|reject --data DIR [--uetr U --why TEXT [--whitelist]]")
		return errors.New("compliance: list, release or reject?")
	}
	action := args[0]
	fs, op := operatorFlagSet("compliance "+action, stderr)
	var uetr, why string
	var whitelist bool
	if action != "list" { // Each subcommand's help lists only the flags it takes.
		fs.StringVar(&uetr, "uetr", "", "the held payment's UETR")
		fs.StringVar(&why, "why", "", "the reason, journaled with the decision")
	}
	if action == "release" {
		fs.BoolVar(&whitelist, "whitelist", false, "the hits were false positives; do not hold these parties for these entries again")
	}
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return err
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("compliance %s: %w", action, err)
	}
	defer c.Close()
	switch action {
	case "list":
		return listHolds(ctx, c, stdout)
	case "release", "reject":
		u, err := corridor.ParseUETR(uetr)
		if err != nil {
			return fmt.Errorf("compliance %s: %w", action, err)
		}
		if err := c.Decide(ctx, u, action == "release", httpapi.DecisionRequest{Why: why, Whitelist: whitelist}); err != nil {
			return fmt.Errorf("compliance %s: %w", action, err)
		}
		return reportDecision(ctx, c, stdout, u, action)
	}
	return fmt.Errorf("compliance: unknown subcommand %q", action)
}

func listHolds(ctx context.Context, c *httpapi.Client, out io.Writer) error {
	holds, err := c.Holds(ctx)
	if err != nil {
		return fmt.Errorf("compliance list: %w", err)
	}
	if len(holds) == 0 {
		fmt.Fprintln(out, "no payment is held")
	}
	for _, h := range holds {
		fmt.Fprintf(out, "%s %s %s → %s %s %s, held %s\n", h.UETR, h.Reference, h.Leg.InstructingAgent, h.Leg.InstructedAgent,
			h.Leg.Amount, h.Leg.Currency, h.Held.Format("2006-01-02 15:04:05"))
		if x := h.Cancellation; x != nil {
			fmt.Fprintf(out, "  cancellation requested by %s (camt.056 %s, case %s, reason %s): the decision answers it\n",
				x.Requester, x.ID, x.CaseID, x.Reason)
		}
		if h.ReleasedBy != "" {
			fmt.Fprintf(out, "  released by %s; four eyes: a different operator must release it too\n", h.ReleasedBy)
		}
		for _, hit := range h.Hits {
			mark := ""
			if hit.Whitelisted {
				mark = " (whitelisted)"
			}
			fmt.Fprintf(out, "  %s %q ~ %s %s entry %s %q score %s%s: %s\n", hit.Role, hit.Party, hit.List, hit.ListVersion,
				hit.EntryID, hit.MatchedName, hit.Score, mark, hit.Why)
		}
	}
	return nil
}

// reportDecision says what a decision did: a release under four eyes that
// still waits for a second operator leaves the payment held.
func reportDecision(ctx context.Context, c *httpapi.Client, out io.Writer, u corridor.UETR, action string) error {
	holds, err := c.Holds(ctx)
	if err != nil {
		return fmt.Errorf("compliance %s: %w", action, err)
	}
	for _, h := range holds {
		if h.UETR == string(u) {
			fmt.Fprintf(out, "%s: release recorded by %s; four eyes: a different operator must release it\n", u, h.ReleasedBy)
			return nil
		}
	}
	fmt.Fprintf(out, "%s: %sd\n", u, action)
	return nil
}
