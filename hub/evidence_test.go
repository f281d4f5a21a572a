package hub

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/corridor-network/corridor"
)

// TestEvidenceRefusesAltered journals a payment of a batch and checks that
// its entry alone proves what the sender signed, and that an entry with
// its message, its place in the batch or the batch's count altered does
// not. The signature here is a stand-in (the SHA-256 of what is signed):
// the hub holds no JWS code, and httpapi's tests verify real ones.
func TestEvidenceRefusesAltered(t *testing.T) {
	msgs := [][]byte{[]byte("<Envelope>0</Envelope>"), []byte("<Envelope>1.00</Envelope>"), []byte("<Envelope>2</Envelope>")}
	leaves := make([]corridor.MerkleHash, len(msgs))
	for i, m := range msgs {
		leaves[i] = corridor.MerkleLeaf(m)
	}
	sign := func(signed []byte) string { sum := sha256.Sum256(signed); return hex.EncodeToString(sum[:]) }
	verify := func(_ corridor.BIC, sig string, signed []byte) error {
		if sig != sign(signed) {
			return errors.New("signature does not match")
		}
		return nil
	}
	good := paymentCmd{Sender: "DEMOINBBXXX", Payment: samplePayment, Message: msgs[1],
		Signature: sign(corridor.BatchStatement(len(msgs), corridor.MerkleRoot(leaves))),
		Batch:     &corridor.BatchProof{Index: 1, Count: len(msgs), Path: corridor.MerklePath(leaves, 1)}}
	alone := good
	alone.Batch, alone.Signature = nil, sign(alone.Message)
	for name, c := range map[string]paymentCmd{"batch": good, "alone": alone} {
		if ok, err := VerifyEvidence(journalEntry(c, 7, sampleTime, [32]byte{}), verify); !ok || err != nil {
			t.Errorf("%s: evidence %t, %v; want it to verify", name, ok, err)
		}
	}
	altered := map[string]func(c *paymentCmd){
		"message": func(c *paymentCmd) { c.Message = bytes.Replace(c.Message, []byte("1.00"), []byte("9.00"), 1) },
		"path":    func(c *paymentCmd) { c.Batch.Path[0][0] ^= 1 },
		"index":   func(c *paymentCmd) { c.Batch.Index = 2 },
		"count":   func(c *paymentCmd) { c.Batch.Count = 4 },
	}
	for name, alter := range altered {
		c := good
		c.Message = bytes.Clone(good.Message)
		c.Batch = &corridor.BatchProof{Index: good.Batch.Index, Count: good.Batch.Count, Path: append([]corridor.MerkleHash(nil), good.Batch.Path...)}
		alter(&c)
		if ok, err := VerifyEvidence(journalEntry(c, 7, sampleTime, [32]byte{}), verify); !ok || err == nil {
			t.Errorf("%s altered: evidence %t, %v; want refused", name, ok, err)
		}
	}
}
