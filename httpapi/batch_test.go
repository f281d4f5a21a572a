package httpapi_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/pki"
	"github.com/corridor-network/corridor/sqlite"
)

// batchOf is n fresh payments of one rupee from A to B, numbered from first.
func batchOf(tb testing.TB, first, n int) [][]byte {
	tb.Helper()
	msgs := make([][]byte, n)
	for i := range msgs {
		msgs[i] = mustEncode(tb, rupees(first+i, bankA, bankB, 1_00))
	}
	return msgs
}

// mustSubmitBatch sends msgs as one batch from c.
func mustSubmitBatch(tb testing.TB, c *httpapi.Client, msgs [][]byte) []httpapi.BatchResult {
	tb.Helper()
	results, err := c.SubmitBatch(context.Background(), msgs)
	if err != nil {
		tb.Fatalf("SubmitBatch of %d: %v", len(msgs), err)
	}
	return results
}

// mustAccepted fails unless result is a 202; it returns its answer.
func mustAccepted(tb testing.TB, i int, result httpapi.BatchResult) httpapi.SubmitResponse {
	tb.Helper()
	if err := result.Err(); err != nil {
		tb.Fatalf("result %d: %v; want 202", i, err)
	}
	return *result.Accepted
}

// mustBalance is c's INR balance.
func mustBalance(tb testing.TB, c *httpapi.Client) string {
	tb.Helper()
	for _, a := range mustAccounts(tb, c) {
		if a.Currency == "INR" {
			return a.Balance
		}
	}
	tb.Fatal("no INR account")
	return ""
}

// TestBatchSettles sends 100 payments in one batch: each is answered in
// order, settled once, with its own reference and a receipt that verifies
// alone under the batch receipts' one signature; each journal entry proves
// alone what A signed, and no longer does with its message or its path
// altered.
func TestBatchSettles(t *testing.T) {
	f := mustFixture(t)
	a := mustRawBank(t, f, bankA, "Demo Bank of India", "INR") // A second certificate of A's, whose key the test holds.
	hubCert, err := pki.LoadHubCertificate(f.caDir)
	if err != nil {
		t.Fatal(err)
	}
	msgs := batchOf(t, 1, 100)
	results := mustSubmitBatch(t, a.client, msgs)
	refs := map[string]bool{}
	var seqs []uint64
	for i, res := range results {
		ack := mustAccepted(t, i, res)
		if want := rupees(1+i, bankA, bankB, 1_00).pay.UETR; ack.UETR != string(want) || ack.Status != "ACSC" || ack.Duplicate {
			t.Fatalf("result %d = %+v; want %s settled, not a duplicate", i, ack, want)
		}
		refs[ack.Reference] = true
		r, err := ack.Receipt.Verify(hubCert)
		if err != nil {
			t.Fatalf("receipt %d: %v", i, err)
		}
		if r.Message != corridor.NewReceipt(0, r.Time, bankA, msgs[i]).Message || ack.Receipt.Batch.Count != len(msgs) {
			t.Errorf("receipt %d = %+v; want the hash of message %d, one of %d", i, r, i, len(msgs))
		}
		seqs = append(seqs, r.Seq)
	}
	if len(refs) != len(msgs) {
		t.Errorf("%d references for %d payments", len(refs), len(msgs))
	}
	if got, want := mustBalance(t, f.b), "600.00"; got != want { // 500.00 funded, 100 × 1.00 received.
		t.Errorf("B's balance = %s; want %s", got, want)
	}
	altered := *results[7].Accepted.Receipt
	altered.Batch = &httpapi.BatchProofBody{Index: 8, Count: altered.Batch.Count, Path: altered.Batch.Path}
	if _, err := altered.Verify(hubCert); err == nil {
		t.Error("a receipt moved to another place in its batch verifies")
	}
	checkEvidence(t, f, a.signer.Certificate(), seqs)
	alone := mustSubmit(t, a.client, payment(t, 500, bankA, bankB)) // A message sent alone proves itself the same way.
	journal, err := sqlite.OpenReader(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Close()
	e, err := journal.Entry(context.Background(), alone.Receipt.Seq)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(_ corridor.BIC, sig string, signed []byte) error {
		return pki.VerifyDetached(sig, signed, a.signer.Certificate())
	}
	if ok, err := hub.VerifyEvidence(e, verify); !ok || err != nil {
		t.Errorf("evidence of entry %d, sent alone: %t, %v; want it to verify", e.Seq, ok, err)
	}
}

// checkEvidence checks that each entry of seqs proves alone what its
// sender signed, and not once its message, its path or its count is altered.
func checkEvidence(t *testing.T, f *fixture, cert *x509.Certificate, seqs []uint64) {
	t.Helper()
	ctx := context.Background()
	journal, err := sqlite.OpenReader(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Close()
	verify := func(_ corridor.BIC, sig string, signed []byte) error { return pki.VerifyDetached(sig, signed, cert) }
	for _, seq := range seqs {
		e, err := journal.Entry(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := hub.VerifyEvidence(e, verify); !ok || err != nil {
			t.Fatalf("evidence of entry %d: %t, %v; want it to verify", seq, ok, err)
		}
		// The payment's record holds the message's bytes as they came: one
		// amount changed in place breaks the evidence (hub's own tests alter
		// the batch proof).
		bad := e
		bad.Payload = bytes.Replace(e.Payload, []byte(`">1.00<`), []byte(`">9.00<`), 1)
		if bytes.Equal(bad.Payload, e.Payload) {
			t.Fatalf("entry %d: no amount of 1.00 in its payload", seq)
		}
		if ok, err := hub.VerifyEvidence(bad, verify); !ok || err == nil {
			t.Errorf("evidence of entry %d with its message altered: %t, %v; want refused", seq, ok, err)
		}
	}
}

// TestBatchEachOnItsOwn sends a batch that mixes good payments, a repeat
// of one sent before, a repeat inside the batch, a malformed message, one
// from another bank, one to an unknown bank and one with a MsgId reused for
// other content: each gets the answer it would alone, only the good ones
// settle, once; the same batch again is answered the same, every 202 as a
// duplicate, and changes nothing.
func TestBatchEachOnItsOwn(t *testing.T) {
	f := mustFixture(t)
	before := mustPaid(t, f.a, 1)
	msgs := [][]byte{
		payment(t, 2, bankA, bankB),
		before,
		[]byte("<Envelope>not a message"),
		payment(t, 3, bankC, bankB), // From C, over A's connection.
		payment(t, 4, bankA, notABank),
		payment(t, 2, bankA, bankB), // Message 0 again.
		mustEncode(t, rupees(5, bankA, bankB, 7_00).withMsgID("MSG-0002")),
		payment(t, 6, bankA, bankB),
	}
	want := []struct {
		status    int
		duplicate bool
		reason    string
	}{{202, false, ""}, {202, true, ""}, {400, false, "FF01"}, {403, false, ""}, {422, false, "RC07"}, {202, true, ""},
		{422, false, "AM05"}, {202, false, ""}}
	check := func(round int, results []httpapi.BatchResult, again bool) {
		t.Helper()
		for i, res := range results {
			w := want[i]
			got := fmt.Sprintf("%d %t %s", res.Status, res.Accepted != nil && res.Accepted.Duplicate, reasonOf(res))
			if exp := fmt.Sprintf("%d %t %s", w.status, w.duplicate || again && w.status == 202, w.reason); got != exp {
				t.Errorf("round %d, result %d = %s (%+v); want %s", round, i, got, res.Err(), exp)
			}
		}
	}
	check(1, mustSubmitBatch(t, f.a, msgs), false)
	if got, want := mustBalance(t, f.b), "503.00"; got != want { // Payments 1, 2 and 6, once each.
		t.Errorf("B's balance = %s; want %s", got, want)
	}
	sum := mustStateSum(t, f.hub)
	check(2, mustSubmitBatch(t, f.a, msgs), true)
	mustUnchanged(t, f.hub, sum)
}

// mustPaid sends payment n from c's bank A to B alone and returns its bytes.
func mustPaid(tb testing.TB, c *httpapi.Client, n int) []byte {
	tb.Helper()
	msg := mustEncode(tb, rupees(n, bankA, bankB, 1_00))
	mustSubmit(tb, c, msg)
	return msg
}

func reasonOf(r httpapi.BatchResult) string {
	if r.Error != nil {
		return r.Error.Reason
	}
	return r.Accepted.Reason
}

// TestBatchBounds checks the client's own refusals: an empty batch and one
// over MaxBatchMessages are never sent.
func TestBatchBounds(t *testing.T) {
	f := mustFixture(t)
	for _, n := range []int{0, httpapi.MaxBatchMessages + 1} {
		_, err := f.a.SubmitBatch(context.Background(), make([][]byte, n))
		var apiErr *httpapi.APIError
		if err == nil || errors.As(err, &apiErr) {
			t.Errorf("SubmitBatch of %d = %v; want refused before sending", n, err)
		}
	}
}

// TestBatchRateCountsMessages checks that a batch counts as its messages
// against the bank's rate: over the burst, the batch is 429 and nothing of
// it is taken.
func TestBatchRateCountsMessages(t *testing.T) {
	f := mustFixture(t, func(s *httpapi.Server) { s.RateLimit, s.RateBurst = 1, 20 })
	sum := mustStateSum(t, f.hub)
	_, err := f.a.SubmitBatch(context.Background(), batchOf(t, 1, 30))
	var apiErr *httpapi.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusTooManyRequests {
		t.Fatalf("a batch of 30 over a burst of 20: %v; want 429", err)
	}
	mustUnchanged(t, f.hub, sum)
}
