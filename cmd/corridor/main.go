// Command corridor is the one binary of the Corridor payment network: the hub,
// the demo and the operator's commands.
//
//	corridor demo [--data DIR] [--once]
//	corridor hub --data DIR [--addr HOST:PORT] [--bic BIC]
//	corridor ca init --data DIR [--host NAME]...
//	corridor participant csr --bic BIC --out DIR   (run by the bank: its key and certificate request)
//	corridor participant add --hub URL --data DIR --csr FILE --name NAME --currency CCY... [--out DIR]
//	corridor participant fund --hub URL --data DIR --bic BIC --currency CCY --amount DECIMAL
//	corridor settlement resolve|cutoff|close-cycle|queue --data DIR
//	corridor fx rate --data DIR --from CCY --to CCY --rate DECIMAL
//	corridor statement --data DIR --bic BIC --currency CCY --date YYYY-MM-DD [--out FILE]
//	corridor validate [--json] FILE...
//	corridor version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // The zones of the business-day calendars, on machines without /usr/share/zoneinfo.

	"github.com/corridor-network/corridor"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !silent(err) {
		fmt.Fprintln(os.Stderr, errorLine(err))
	}
	os.Exit(exitStatus(err))
}

// errorLine is err said once, with the program's name in front: a reject
// already begins with "corridor: rejected", so it gets no second one.
func errorLine(err error) string {
	var rej *corridor.RejectError
	if errors.As(err, &rej) {
		return err.Error()
	}
	return "corridor: " + err.Error()
}

const usage = `corridor: a cross-border interbank payment hub

Usage:
  corridor demo [--data DIR] [--once]        a hub, an Indian and a Russian bank, three payments
  corridor hub --data DIR [--addr HOST:PORT]  run the hub
  corridor ca init --data DIR                 make the hub's CA, server and operator certificates
  corridor ca operator --data DIR --name N    issue another operator certificate (from --csr, or with a new key)
  corridor operator revoke --serial HEX       refuse an operator certificate from its next request on
  corridor participant csr --bic B --out DIR  make a bank's key and certificate request (run by the bank)
  corridor participant add --csr FILE ...     register a bank from its request and write its certificate (operator)
  corridor participant fund ...               move liquidity into a bank's settlement account (operator)
  corridor participant revoke|suspend|resume  revoke a bank's certificates, stop or restart it (operator)
  corridor settlement resolve|cutoff|close-cycle|queue  gridlock resolution, end of day, net cycle, the queue (operator)
  corridor fx rate --from INR --to RUB --rate 1.0823    publish the reference rate and band (operator)
  corridor fx quote --pair INR/RUB --bid B --ask A --size N ...   publish a two-way quote (FX provider)
  corridor accounts --data DIR                 every hub account with its balance and floor (operator)
  corridor statement --bic BIC --currency CCY --date YYYY-MM-DD   a participant's camt.053 end-of-day statement (operator)
  corridor audit verify --data DIR            prove the journal was not altered
  corridor compliance list|release|reject    payments held by sanctions screening, and the operator's decisions
  corridor bench [--payments N | --duration D] [--concurrency C] [--batch N] [--rate R] [--mix M] [--kill-every D] [--json]   a payment mix through the real API, optionally batched, optionally killing the hub
  corridor sign --key K --cert C FILE         print the X-Corridor-Signature of FILE's exact bytes (a bank, for curl)
  corridor validate [--json] FILE...          check ISO 20022 messages against the schema and CBPR+ rules
  corridor screening check --list NAME=FILE... PARTY...  screen names offline against sanctions lists
  corridor backup --data DIR --out FILE      copy the journal store while the hub runs (the CA directory apart)
  corridor restore --backup FILE --data DIR  check a backup's hash chain and restore it into a new data directory
  corridor version                            the module version and VCS revision of this binary

Run "corridor COMMAND --help" for a command's flags.
` + exitStatuses

// run dispatches to a subcommand; each lives in a file of its own.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	sub, ok := subcommands[cmd]
	if !ok {
		return usagef("unknown command %q (see 'corridor --help')", cmd)
	}
	return sub(ctx, rest, stdout, stderr)
}

// subcommand runs one of corridor's commands with the arguments after its name.
type subcommand func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// subcommands are corridor's commands by name; each lives in a file of its own.
var subcommands = map[string]subcommand{
	"demo":        runDemo,
	"hub":         runHub,
	"ca":          withoutContext(runCA),
	"participant": runParticipant,
	"settlement":  runSettlement,
	"day":         runDayCommand,
	"fx":          runFX,
	"accounts":    runAccounts,
	"audit":       runAudit,
	"backup":      runBackup,
	"restore":     runRestore,
	"compliance":  runCompliance,
	"bench":       runBench,
	"operator":    runOperator,
	"statement":   runStatement,
	"sign":        withoutContext(runSign),
	"validate":    runValidate,
	"screening":   runScreening,
	"version":     withoutContext(runVersion),
}

// withoutContext adapts a command that neither blocks nor does network I/O.
func withoutContext(f func(args []string, stdout, stderr io.Writer) error) subcommand {
	return func(_ context.Context, args []string, stdout, stderr io.Writer) error { return f(args, stdout, stderr) }
}
