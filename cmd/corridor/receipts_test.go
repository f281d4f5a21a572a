package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuditReceipts keeps the receipts of signed payments as a bank would
// and checks them with audit verify --receipts: all borne out by the
// journal; then the store is swapped for a backup taken before the last of
// them (a journal that lost its tail, and its checkpoints with it), and the
// audit names the first receipt whose entry is missing; a receipt edited by
// hand is refused on its signature.
func TestAuditReceipts(t *testing.T) {
	ctx := context.Background()
	data := mustCA(t)
	m := mustRunHub(t, data)
	banks := mustRegisterBanks(t, ctx, m.API.URL(), data)
	var lines [][]byte
	early := filepath.Join(t.TempDir(), "early.db")
	var out bytes.Buffer
	for i, p := range crashPayments(t, 20) {
		if i == 10 {
			if err := run(ctx, []string{"backup", "--data", data, "--out", early}, &out, &out); err != nil {
				t.Fatalf("backup: %v\n%s", err, out.String())
			}
		}
		resp, err := banks[0].Submit(ctx, p.msg)
		if err != nil || resp.Receipt == nil {
			t.Fatalf("submit %d: %+v, %v; want a 202 with a receipt", i, resp, err)
		}
		line, err := json.Marshal(resp.Receipt)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	receipts := filepath.Join(t.TempDir(), "receipts.jsonl")
	mustWriteLines(t, receipts, lines)
	audit := func() (string, error) {
		out.Reset()
		err := run(ctx, []string{"audit", "verify", "--db", dbPath(data), "--ca", caDir(data), "--receipts", receipts}, &out, &out)
		return out.String(), err
	}
	if said, err := audit(); err != nil || !strings.Contains(said, "all 20 borne out") {
		t.Fatalf("audit of the whole journal with its receipts: %v\n%s", err, said)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	mustSwapStore(t, data, early)
	if said, err := audit(); err == nil || !strings.Contains(said, "10 borne out") || !strings.Contains(said, "acknowledged history is missing") {
		t.Errorf("audit of a journal that lost its tail, with receipts: %v\n%s; want the 11th receipt named missing", err, said)
	}
	lines[0] = bytes.Replace(lines[0], []byte(`"sender":"`), []byte(`"sender":"X`), 1)
	mustWriteLines(t, receipts, lines)
	if said, err := audit(); err == nil || !strings.Contains(said, "receipts.jsonl:1: receipt of entry") {
		t.Errorf("audit of an edited receipt: %v\n%s; want line 1 refused", err, said)
	}
}

func mustWriteLines(tb testing.TB, path string, lines [][]byte) {
	tb.Helper()
	if err := os.WriteFile(path, append(bytes.Join(lines, []byte("\n")), '\n'), 0o600); err != nil {
		tb.Fatal(err)
	}
}
