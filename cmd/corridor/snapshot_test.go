package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
)

// TestSnapshotEvery runs a hub with --snapshot-every 5, journals a dozen
// commands, waits for the snapshot, and restarts it: the new hub says it
// started from the snapshot and reaches the same state hash.
func TestSnapshotEvery(t *testing.T) {
	ctx := context.Background()
	data := mustCA(t)
	var logs syncBuffer
	m := newTestMain(data)
	m.Config.SnapshotEvery = 5
	m.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	if err := m.Run(ctx); err != nil {
		t.Fatal(errJoinClose(err, m))
	}
	for i := range 6 {
		bic := corridor.BIC(fmt.Sprintf("SNA%cINBBXXX", 'A'+i))
		p := corridor.Participant{BIC: bic, Name: "Snapshot Bank", Currencies: []corridor.Currency{"INR"}}
		if err := m.Hub.RegisterParticipant(ctx, p, corridor.Certificate{Serial: fmt.Sprintf("5a%02d", i), NotAfter: time.Now().AddDate(1, 0, 0)}); err != nil {
			t.Fatal(err)
		}
		if err := m.Hub.Fund(ctx, bic, corridor.Money{Amount: 100_00, Currency: "INR"}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "a state snapshot", func() bool { return strings.Contains(logs.String(), "state snapshot saved") })
	if err := m.Hub.Fund(ctx, "SNAAINBBXXX", corridor.Money{Amount: 1_00, Currency: "INR"}); err != nil { // After the snapshot.
		t.Fatal(err)
	}
	want, _, err := m.Hub.StateSum(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	var again syncBuffer
	m = newTestMain(data)
	m.Logger = slog.New(slog.NewTextHandler(&again, nil))
	if err := m.Run(ctx); err != nil {
		t.Fatal(errJoinClose(err, m))
	}
	defer m.Close()
	if !strings.Contains(again.String(), "state loaded from snapshot") {
		t.Fatalf("the restarted hub did not start from the snapshot:\n%s", again.String())
	}
	if got, _, err := m.Hub.StateSum(ctx); err != nil || got != want {
		t.Fatalf("state hash after the restart %x, %v; want %x", got, err, want)
	}
}

// errJoinClose is a start's error, with the Close that must follow it.
func errJoinClose(err error, m *Main) error {
	if cerr := m.Close(); cerr != nil {
		return fmt.Errorf("%w (close: %v)", err, cerr)
	}
	return err
}
