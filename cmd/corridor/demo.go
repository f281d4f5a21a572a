package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/pki"
)

// The demo's banks: an Indian importer's bank and a Russian exporter's bank
// that holds rupees on a vostro settlement account.
var (
	demoIndia  = demoBank{BIC: "DEMOINBBXXX", Name: "Demo Bank of India", Currencies: []string{"INR"}, Customer: "Bharat Refineries Ltd"}
	demoRussia = demoBank{BIC: "DEMORUMMXXX", Name: "Демо Банк Москва", Currencies: []string{"INR", "RUB"}, Customer: "ООО Нефтеэкспорт"}
)

type demoBank struct {
	BIC        corridor.BIC
	Name       string
	Currencies []string
	Customer   string
	client     *httpapi.Client
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory (default: a new temporary directory)")
	once := fs.Bool("once", false, "exit after the trace instead of serving until Ctrl-C")
	addr := fs.String("addr", "127.0.0.1:0", "address the hub listens on")
	verbose := fs.Bool("v", false, "log the hub's work to stderr")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	dir, cleanup, err := demoDataDir(*data)
	if err != nil {
		return err
	}
	defer cleanup()
	m := NewMain()
	m.Config.DataDir, m.Config.Addr = dir, *addr
	m.Logger = demoLogger(stderr, *verbose)
	cal, err := demoCalendar()
	if err != nil {
		return err
	}
	m.Config.Calendars, m.Config.DayTimes = append(m.Config.Calendars, cal), demoDayTimes
	err = demoRun(ctx, m, stdout)
	if err == nil && !*once {
		fmt.Fprintf(stdout, "\nThe hub keeps serving at %s (data in %s). Ctrl-C stops it.\n", m.API.URL(), dir)
		<-ctx.Done()
	}
	err = errors.Join(err, m.Close())
	fmt.Fprintln(stdout, demoDataFate(dir, *data != ""))
	return err
}

// demoDataFate says, as the demo ends, where its data is and whether it
// stays: a directory given with --data is kept; the temporary one is removed.
func demoDataFate(dir string, given bool) string {
	if given {
		return "demo stopped; its data stays in " + dir
	}
	return "demo stopped; its temporary data directory " + dir + " is removed (use --data DIR to keep it)"
}

func demoLogger(stderr io.Writer, verbose bool) *slog.Logger {
	if verbose {
		return slog.New(slog.NewTextHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

// demoDataDir is dir, made ready with a CA, or a new temporary directory.
func demoDataDir(dir string) (string, func(), error) {
	cleanup := func() {}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "corridor-demo-")
		if err != nil {
			return "", cleanup, fmt.Errorf("make demo directory: %w", err)
		}
		dir, cleanup = tmp, func() { _ = os.RemoveAll(tmp) } // A temporary directory; nothing to report.
	}
	if _, err := os.Stat(filepath.Join(caDir(dir), pki.CACertFile)); errors.Is(err, fs.ErrNotExist) {
		if err := pki.InitCA(caDir(dir), time.Now(), nil); err != nil {
			cleanup()
			return "", func() {}, fmt.Errorf("make the demo CA: %w", err)
		}
	}
	return dir, cleanup, nil
}

// demoRun starts the hub, connects the two banks and sends the three payments.
func demoRun(ctx context.Context, m *Main, out io.Writer) error {
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "Operations (metrics, health): %s/metrics %s/readyz\n", m.OpsURL(), m.OpsURL())
	fmt.Fprintf(out, "Corridor hub %s at %s (data in %s)\n\n", m.Config.BIC, m.API.URL(), m.Config.DataDir)
	op, err := (&operatorFlags{hub: m.API.URL(), data: m.Config.DataDir}).client()
	if err != nil {
		return err
	}
	defer op.Close()
	for _, b := range []*demoBank{&demoIndia, &demoRussia, &demoProvider} {
		if err := b.connect(ctx, op, m.API.URL(), m.Config.DataDir, out); err != nil {
			return fmt.Errorf("connect %s: %w", b.BIC, err)
		}
		defer b.client.Close()
	}
	if err := demoOpenDay(ctx, op, out); err != nil {
		return err
	}
	if err := demoFund(ctx, op, out); err != nil {
		return err
	}
	if err := demoTrust(ctx, op, m.API.URL(), m.Config.DataDir, out); err != nil {
		return err
	}
	defer demoEmirates.client.Close()
	return demoPayments(ctx, op, out)
}

// connect registers the bank (unless an earlier run did) and opens its client.
func (b *demoBank) connect(ctx context.Context, op *httpapi.Client, hubURL, data string, out io.Writer) error {
	dir := banksDir(data)
	cert, key, ca := filepath.Join(dir, string(b.BIC)+".crt"), filepath.Join(dir, string(b.BIC)+".key"), filepath.Join(dir, "ca.crt")
	if _, err := os.Stat(key); errors.Is(err, fs.ErrNotExist) {
		if _, err := addParticipant(ctx, op, string(b.BIC), b.Name, b.Currencies, dir); err != nil {
			return err
		}
		fmt.Fprintf(out, "registered %s %q with settlement accounts in %v; certificate in %s\n", b.BIC, b.Name, b.Currencies, cert)
	}
	tlsConfig, err := pki.ClientTLSConfig(cert, key, ca)
	if err != nil {
		return err
	}
	b.client = httpapi.NewClient(hubURL, tlsConfig)
	return nil
}

func demoFund(ctx context.Context, op *httpapi.Client, out io.Writer) error {
	funding := []httpapi.FundRequest{
		{BIC: string(demoIndia.BIC), Currency: "INR", Amount: "500000000.00"},
		{BIC: string(demoRussia.BIC), Currency: "INR", Amount: "10000000.00"},
		{BIC: string(demoRussia.BIC), Currency: "RUB", Amount: "100000000.00"},
	}
	for _, f := range funding {
		if _, err := op.Fund(ctx, f); err != nil {
			return fmt.Errorf("fund %s %s: %w", f.BIC, f.Currency, err)
		}
		fmt.Fprintf(out, "operator funded %s with %s %s from the central account\n", f.BIC, f.Amount, f.Currency)
	}
	return nil
}
