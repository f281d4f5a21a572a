package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor/pki"
)

// TestScreeningLoad swaps lists in a running hub with `corridor screening
// load` and lists the (empty) compliance holds.
func TestScreeningLoad(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if err := pki.InitCA(caDir(data), time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Config.DataDir, m.Config.Addr = data, "127.0.0.1:0"
	m.Logger = slog.New(slog.DiscardHandler)
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() }) // The test's result is already decided.
	for _, tt := range []struct{ args, want string }{
		{"screening load --data " + data + " --list un --format un ../../screening/testdata/un/UN_consolidated.xml", "list un loaded: version 20"},
		{"screening load --data " + data + " --list ofac --format ofac-csv ../../screening/testdata/ofac-csv-small", "list ofac loaded"},
		{"screening load --data " + data + " --list own --format csv demo_watchlist.csv", "2 entries"},
		{"compliance list --data " + data, "no payment is held"},
	} {
		var out bytes.Buffer
		if err := run(ctx, strings.Fields(tt.args), &out, &out); err != nil || !strings.Contains(out.String(), tt.want) {
			t.Errorf("corridor %s = %v:\n%s\nwant it to say %q", tt.args, err, out.String(), tt.want)
		}
	}
	lists, err := m.Hub.Lists(ctx)
	if err != nil || len(lists) != 3 {
		t.Errorf("the hub has %d lists, %v; want 3", len(lists), err)
	}
	var out bytes.Buffer
	if err := run(ctx, strings.Fields("screening load --data "+data+" --list bad --format un demo_watchlist.csv"), &out, &out); err == nil {
		t.Errorf("a CSV loaded as the UN list was accepted:\n%s", out.String())
	}
}
