package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/corridor-network/corridor/pki"
)

// TestReceipt checks the signed receipt in a 202: it verifies under the
// hub's certificate, names the sender and the hash of the bytes sent, a
// repeat of the same bytes gets the first copy's receipt, and a receipt
// altered in any field no longer verifies.
func TestReceipt(t *testing.T) {
	f := mustFixture(t)
	hubCert, err := pki.LoadHubCertificate(f.caDir)
	if err != nil {
		t.Fatal(err)
	}
	msg := payment(t, 1, bankA, bankB)
	first := mustSubmit(t, f.a, msg)
	if first.Receipt == nil {
		t.Fatalf("202 without a receipt: %+v", first)
	}
	r, err := first.Receipt.Verify(hubCert)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(msg); r.Message != sum || r.Sender != bankA || r.Seq == 0 {
		t.Errorf("receipt = %+v; want entry > 0 from %s of sha256 %x", r, bankA, sum)
	}
	again := mustSubmit(t, f.a, msg)
	if !again.Duplicate || again.Receipt == nil || *again.Receipt != *first.Receipt {
		t.Errorf("repeat answered %+v; want a duplicate with the first receipt %+v", again, first.Receipt)
	}
	for name, alter := range map[string]func(){
		"seq":    func() { first.Receipt.Seq++ },
		"sha256": func() { first.Receipt.SHA256 = hex.EncodeToString(make([]byte, 32)) },
		"sender": func() { first.Receipt.Sender = string(bankB) },
		"time":   func() { first.Receipt.Time = first.Receipt.Time.Add(1) },
	} {
		saved := *first.Receipt
		alter()
		if _, err := first.Receipt.Verify(hubCert); err == nil {
			t.Errorf("a receipt with its %s altered verifies", name)
		}
		*first.Receipt = saved
	}
}
