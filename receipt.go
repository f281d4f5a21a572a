package corridor

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// Receipt is the hub's word that it journaled a message: the journal
// position of the entry that took it, when, from whom, and the SHA-256 of the
// message exactly as received. The hub signs ReceiptMessage of it in every
// 202, so a bank holds evidence of what the hub acknowledged that does not
// live in the hub's files: a journal cut or rewritten before Seq is caught
// by the receipt (see cmd/corridor's audit verify --receipts).
type Receipt struct {
	Seq     uint64    // The journal entry that took the message.
	Time    time.Time // That entry's time.
	Sender  BIC       // Who sent the message.
	Message [32]byte  // SHA-256 of the message as received.
}

// NewReceipt is the receipt of message, from sender, journaled as seq at t.
func NewReceipt(seq uint64, t time.Time, sender BIC, message []byte) Receipt {
	return Receipt{Seq: seq, Time: t.UTC(), Sender: sender, Message: sha256.Sum256(message)}
}

// ReceiptMessage is the byte string a receipt's signature covers.
func ReceiptMessage(r Receipt) []byte {
	const label = "corridor receipt v1\n"
	b := make([]byte, 0, len(label)+8+8+1+len(r.Sender)+32)
	b = append(b, label...)
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Time.UnixNano()))
	b = append(b, byte(len(r.Sender)))
	b = append(b, r.Sender...)
	return append(b, r.Message[:]...)
}
