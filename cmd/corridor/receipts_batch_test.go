package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestAuditBatchReceipts keeps the receipts of a batch, all under the hub's
// one signature, as a bank would, and checks them with audit verify
// --receipts: each is borne out alone; one moved to another place in its
// batch is refused.
func TestAuditBatchReceipts(t *testing.T) {
	ctx := context.Background()
	data := mustCA(t)
	m := mustRunHub(t, data)
	banks := mustRegisterBanks(t, ctx, m.API.URL(), data)
	var msgs [][]byte
	for _, p := range crashPayments(t, 12) {
		msgs = append(msgs, p.msg)
	}
	results, err := banks[0].SubmitBatch(ctx, msgs)
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for i, res := range results {
		if err := res.Err(); err != nil || res.Accepted.Receipt == nil || res.Accepted.Receipt.Batch == nil {
			t.Fatalf("result %d: %+v, %v; want a 202 with a batch receipt", i, res.Accepted, err)
		}
		line, err := json.Marshal(res.Accepted.Receipt)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	receipts := t.TempDir() + "/receipts.jsonl"
	var out bytes.Buffer
	audit := func() (string, error) {
		mustWriteLines(t, receipts, lines)
		out.Reset()
		err := run(ctx, []string{"audit", "verify", "--db", dbPath(data), "--ca", caDir(data), "--receipts", receipts}, &out, &out)
		return out.String(), err
	}
	if said, err := audit(); err != nil || !strings.Contains(said, "all 12 borne out") {
		t.Fatalf("audit of a batch's receipts: %v\n%s", err, said)
	}
	lines[3] = bytes.Replace(lines[3], []byte(`"index":3`), []byte(`"index":4`), 1)
	if said, err := audit(); err == nil || !strings.Contains(said, "receipts.jsonl:4: receipt of entry") {
		t.Errorf("audit of a receipt moved in its batch: %v\n%s; want line 4 refused", err, said)
	}
}
