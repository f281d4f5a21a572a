package pki_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// BenchmarkSignaturesPerPayment measures the signature work of one payment
// end to end, alone and in batches: the bank signs (one JWS per message, or
// one per batch over its Merkle root), the hub verifies it and builds every
// message's proof, and the hub signs the receipts (one per message, or one
// per batch over the receipts' root, with a path each). ns/payment is the
// figure docs/benchmarks.md and pki's documentation give.
func BenchmarkSignaturesPerPayment(b *testing.B) {
	bank, _ := mustHubSigner(b) // Any ES256 key: the costs are the bank's and the hub's alike.
	hub, _ := mustHubSigner(b)
	for _, n := range []int{1, 16, 64, 256} {
		msgs := make([][]byte, n)
		receipts := make([]corridor.Receipt, n)
		for i := range msgs {
			msgs[i] = append(fmt.Appendf(nil, "%06d", i), message3KB...)
			receipts[i] = corridor.NewReceipt(uint64(i+1), time.Unix(0, 0), "DEMOINBBXXX", msgs[i])
		}
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			for b.Loop() {
				if n == 1 {
					signAlone(b, bank, hub, msgs[0], receipts[0])
				} else {
					signBatch(b, bank, hub, msgs, receipts)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/payment")
		})
	}
}

// signAlone is POST /v1/messages: a JWS over the message, verified, and a
// signed receipt.
func signAlone(b *testing.B, bank, hub *pki.Signer, msg []byte, r corridor.Receipt) {
	sig, err := bank.SignDetached(msg)
	if err == nil {
		err = pki.VerifyDetached(sig, msg, bank.Certificate())
	}
	if err == nil {
		_, err = hub.SignDetached(corridor.ReceiptMessage(r))
	}
	if err != nil {
		b.Fatal(err)
	}
}

// signBatch is POST /v1/messages/batch: the bank's tree and one JWS; the
// hub's tree, one verification and every proof; the receipts' tree, one
// JWS and every receipt's path.
func signBatch(b *testing.B, bank, hub *pki.Signer, msgs [][]byte, receipts []corridor.Receipt) {
	tree := func(leaves [][]byte) *corridor.MerkleTree {
		hs := make([]corridor.MerkleHash, len(leaves))
		for i, l := range leaves {
			hs[i] = corridor.MerkleLeaf(l)
		}
		return corridor.NewMerkleTree(hs)
	}
	sig, err := bank.SignDetached(corridor.BatchStatement(len(msgs), tree(msgs).Root()))
	if err != nil {
		b.Fatal(err)
	}
	t := tree(msgs)
	if err := pki.VerifyDetached(sig, corridor.BatchStatement(len(msgs), t.Root()), bank.Certificate()); err != nil {
		b.Fatal(err)
	}
	rm := make([][]byte, len(receipts))
	for i := range msgs {
		_ = t.Path(i)
		rm[i] = corridor.ReceiptMessage(receipts[i])
	}
	rt := tree(rm)
	if _, err := hub.SignDetached(corridor.BatchReceiptStatement(len(rm), rt.Root())); err != nil {
		b.Fatal(err)
	}
	for i := range rm {
		_ = rt.Path(i)
	}
}
