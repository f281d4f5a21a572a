package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/sqlite"
)

// TestAuditVerify runs the demo, then edits one byte of a journal entry in a
// copy of its data directory: audit verify names that entry in the copy and
// says the original is intact.
func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	var out bytes.Buffer
	if err := run(ctx, []string{"demo", "--once", "--data", data}, &out, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	altered := t.TempDir()
	mustCopyDir(t, data, altered)
	mustFlipByte(t, altered, []byte("Demo Bank of India"))

	out.Reset()
	if err := run(ctx, []string{"audit", "verify", "--data", data}, &out, &out); err != nil {
		t.Fatalf("audit of the untouched journal: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "intact") || !strings.Contains(out.String(), "signed checkpoints (last at entry") {
		t.Errorf("audit of the untouched journal says:\n%s", out.String())
	}
	out.Reset()
	err := run(ctx, []string{"audit", "verify", "--data", altered}, &out, &out)
	want := fmt.Sprintf("entry %d:", mustEntryHolding(t, data, "Demo Bank of India"))
	if err == nil || !strings.Contains(out.String(), "ALTERED") || !strings.Contains(out.String(), want) {
		t.Errorf("audit of the altered journal = %v, says:\n%s\nwant ALTERED naming %q", err, out.String(), want)
	}
}

// mustEntryHolding is the seq of the first journal entry whose payload holds what.
func mustEntryHolding(tb testing.TB, data, what string) uint64 {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), dbPath(data))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var seq uint64
	err = db.Journal().Replay(context.Background(), 0, func(e corridor.JournalEntry) error {
		if seq == 0 && bytes.Contains(e.Payload, []byte(what)) {
			seq = e.Seq
		}
		return nil
	})
	if err != nil || seq == 0 {
		tb.Fatalf("no journal entry holds %q: %v", what, err)
	}
	return seq
}

func mustCopyDir(tb testing.TB, from, to string) {
	tb.Helper()
	err := os.CopyFS(to, os.DirFS(from))
	if err != nil && !os.IsExist(err) {
		tb.Fatalf("copy %s: %v", from, err)
	}
}

// mustFlipByte changes one byte of what in the store's files. The page that
// holds it may stand both in the database and in its write-ahead log (an
// older and a newer copy), so every copy gets the same change: one byte of
// one journal entry, as SQLite reads it.
func mustFlipByte(tb testing.TB, data string, what []byte) {
	tb.Helper()
	changed := 0
	for _, name := range []string{"corridor.db", "corridor.db-wal"} {
		path := filepath.Join(data, name)
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		flipped := bytes.ReplaceAll(b, what, append(what[:len(what)-1:len(what)-1], what[len(what)-1]^0x01))
		if !bytes.Equal(flipped, b) {
			changed++
			if err := os.WriteFile(path, flipped, 0o600); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if changed == 0 {
		tb.Fatalf("%q is in no store file of %s", what, data)
	}
}
