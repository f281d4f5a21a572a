package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJournalHead checks that a hub refuses to start on a journal that lost
// what it had signed: a missing store (it would otherwise start a new, empty
// hub beside the CA) and a journal that ends before the head it signed (a
// lost tail). The head lives in DATA/journal.head, outside the journal.
func TestJournalHead(t *testing.T) {
	data := mustCA(t)
	ctx := context.Background()
	rate := func(r string) {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, []string{"fx", "rate", "--data", data, "--from", "INR", "--to", "RUB", "--rate", r}, &out, &out); err != nil {
			t.Fatalf("fx rate %s: %v\n%s", r, err, out.String())
		}
	}
	m := newTestMain(data)
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	rate("1.0823")
	early := filepath.Join(t.TempDir(), "early.db")
	var out bytes.Buffer
	if err := run(ctx, []string{"backup", "--data", data, "--out", early}, &out, &out); err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	rate("1.0824")
	if err := m.Close(); err != nil { // Signs the head: the journal and journal.head.
		t.Fatal(err)
	}
	if _, err := os.Stat(headFile(data)); err != nil {
		t.Fatalf("no journal head after a clean stop: %v", err)
	}
	if err := run(ctx, []string{"audit", "verify", "--data", data}, &out, &out); err != nil {
		t.Fatalf("audit verify of the whole journal: %v\n%s", err, out.String())
	}
	t.Run("ErrLostTail", func(t *testing.T) {
		mustSwapStore(t, data, early)
		mustRefuseStart(t, data, "acknowledged history is missing") // The store's mark: acknowledged up to the last batch.
		if err := os.Remove(dbPath(data) + "-mark"); err != nil {
			t.Fatal(err)
		}
		mustRefuseStart(t, data, "are missing") // Without the mark, the signed head.
		out.Reset()
		if err := run(ctx, []string{"audit", "verify", "--data", data}, &out, &out); err == nil || !strings.Contains(out.String(), "ALTERED") {
			t.Errorf("audit verify of a journal that lost its tail: %v\n%s; want ALTERED", err, out.String())
		}
	})
	t.Run("ErrMissingStore", func(t *testing.T) {
		mustSwapStore(t, data, "")
		mustRefuseStart(t, data, "is missing or empty")
	})
}

// mustSwapStore replaces data's store with the file from, or removes it.
func mustSwapStore(t *testing.T, data, from string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(dbPath(data) + suffix); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	if from == "" {
		return
	}
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dbPath(data), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustRefuseStart(t *testing.T, data, want string) {
	t.Helper()
	m := newTestMain(data)
	err := m.Run(context.Background())
	_ = m.Close() // The refusal is what the test checks.
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("start on %s: %v; want a refusal saying %q", data, err, want)
	}
}
