package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestSettlementCommands runs the operator's settlement and FX commands
// against an in-process hub with its timers off.
func TestSettlementCommands(t *testing.T) {
	dir, cleanup, err := demoDataDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	m := NewMain()
	m.Config.DataDir, m.Config.Addr = dir, "127.0.0.1:0"
	m.Config.ResolveEvery, m.Config.CycleEvery = 0, 0
	m.Config.NetCurrencies = []string{"RUB"}
	m.Logger = demoLogger(&bytes.Buffer{}, false)
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"fx", "rate", "--from", "INR", "--to", "RUB", "--rate", "1.0823"}, "published INR/RUB 1.0823"},
		{[]string{"settlement", "resolve"}, "resolved by offsetting 0"},
		{[]string{"settlement", "queue"}, "0 queued"},
		{[]string{"settlement", "cutoff"}, "expired at the cut-off 0"},
		{[]string{"settlement", "close-cycle"}, "no net settlement cycle was open"},
		{[]string{"participant", "add", "--bic", "DEMOINBB", "--name", "Demo Bank of India", "--currency", "INR", "--generate-key", "--out", t.TempDir()}, ""},
		{[]string{"participant", "fund", "--bic", "DEMOINBB", "--currency", "INR", "--amount", "10.00"}, ""},
		{[]string{"statement", "--bic", "DEMOINBB", "--currency", "INR", "--date", time.Now().UTC().Format(time.DateOnly)}, `<Amt Ccy="INR">10.00</Amt>`},
	} {
		var out, errs bytes.Buffer
		args := append(tt.args, "--data", dir)
		if err := run(context.Background(), args, &out, &errs); err != nil || !strings.Contains(out.String(), tt.want) {
			t.Errorf("corridor %s: %v, %q (stderr %q); want %q", strings.Join(tt.args, " "), err, out.String(), errs.String(), tt.want)
		}
	}
	var out bytes.Buffer
	err = run(context.Background(), []string{"fx", "rate", "--data", dir, "--from", "INR", "--to", "RUB", "--rate", "-1"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "FF01") {
		t.Errorf("a negative rate: %v; want an FF01 refusal", err)
	}
}
