package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

func runParticipant(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: corridor participant csr|add|fund|revoke|suspend|resume [flags]")
		return errors.New("participant: csr, add, fund, revoke, suspend or resume?")
	}
	switch args[0] {
	case "csr":
		return runParticipantCSR(args[1:], stdout, stderr)
	case "add":
		return runParticipantAdd(ctx, args[1:], stdout, stderr)
	case "fund":
		return runParticipantFund(ctx, args[1:], stdout, stderr)
	case "revoke", "suspend", "resume":
		return runParticipantStanding(ctx, args[0], args[1:], stdout, stderr)
	}
	return fmt.Errorf("participant: unknown subcommand %q", args[0])
}

// operatorFlags locate the hub and the operator's certificate.
type operatorFlags struct {
	hub, data string
}

// operatorFlagSet is the flag set of an operator command named name, with
// the flags that locate the hub and the operator's certificate.
func operatorFlagSet(name string, stderr io.Writer) (*flag.FlagSet, *operatorFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	op := &operatorFlags{}
	op.register(fs)
	return fs, op
}

func (o *operatorFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&o.hub, "hub", "", "hub URL (default: the address the hub wrote into DATA/hub.addr)")
	fs.StringVar(&o.data, "data", "", "the hub's data directory, holding ca/operator.crt")
}

// client is an operator client of the hub.
func (o *operatorFlags) client() (*httpapi.Client, error) {
	if o.data == "" {
		return nil, errors.New("--data is required (it holds the operator certificate)")
	}
	url := o.hub
	if url == "" {
		b, err := os.ReadFile(addrFile(o.data))
		if err != nil {
			return nil, fmt.Errorf("no --hub given and no running hub's address: %w", err)
		}
		url = strings.TrimSpace(string(b))
	}
	dir := caDir(o.data)
	tlsConfig, err := pki.ClientTLSConfig(filepath.Join(dir, pki.OperatorCertFile), filepath.Join(dir, pki.OperatorKeyFile),
		filepath.Join(dir, pki.CACertFile))
	if err != nil {
		return nil, err
	}
	return httpapi.NewClient(url, tlsConfig), nil
}

// currencyList collects repeated --currency flags.
type currencyList []string

func (c *currencyList) String() string     { return strings.Join(*c, ",") }
func (c *currencyList) Set(s string) error { *c = append(*c, s); return nil }

func runParticipantFund(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, op := operatorFlagSet("participant fund", stderr)
	var req httpapi.FundRequest
	fs.StringVar(&req.BIC, "bic", "", "the participant's BIC")
	fs.StringVar(&req.Currency, "currency", "", "currency of the settlement account")
	fs.StringVar(&req.Amount, "amount", "", "amount in major units, such as 1000000.00")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("participant fund: %w", err)
	}
	defer c.Close()
	bals, err := c.Fund(ctx, req)
	if err != nil {
		return fmt.Errorf("participant fund: %w", err)
	}
	for _, b := range bals {
		fmt.Fprintf(stdout, "%s %s balance %s available %s\n", req.BIC, b.Currency, b.Balance, b.Available)
	}
	return nil
}

// runParticipantStanding is `corridor participant revoke|suspend|resume`.
func runParticipantStanding(ctx context.Context, action string, args []string, stdout, stderr io.Writer) error {
	fs, op := operatorFlagSet("participant "+action, stderr)
	bicText := fs.String("bic", "", "the participant's BIC")
	var serial string
	if action == "revoke" { // Each subcommand's help lists only the flags it takes.
		fs.StringVar(&serial, "serial", "", "the certificate's serial (hex); default all of the participant's certificates")
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	bic, err := corridor.ParseBIC(*bicText)
	if err != nil {
		return fmt.Errorf("participant %s: %w", action, err)
	}
	c, err := op.client()
	if err != nil {
		return fmt.Errorf("participant %s: %w", action, err)
	}
	defer c.Close()
	switch action {
	case "revoke":
		err = c.Revoke(ctx, bic, serial)
	default:
		err = c.Suspend(ctx, bic, action == "suspend")
	}
	if err != nil {
		return fmt.Errorf("participant %s: %w", action, err)
	}
	fmt.Fprintf(stdout, "%s: %s done\n", bic, action)
	return nil
}
