package hub

// A payment.submit payload of version 3 is a binary record, not JSON: one
// is written for every payment, on the sequencer's goroutine, and most of
// its JSON was the base64 of the message, encoded there and decoded at
// every replay. The record holds the message's bytes as they are.
//
//	version    1 byte: paymentRecordVersion (a JSON payload starts with '{')
//	strings    sender, msgID, UETR, endToEndID, instructing, instructed,
//	           debtor and creditor agents, currency, debtor, creditor,
//	           ultimate debtor and creditor names, instructed currency,
//	           exchange rate, instruction ID, signature: each a uvarint
//	           length and its bytes
//	amount     varint, minor units; then the instructed amount, varint
//	FX quote   uvarint
//	date       varint year, 1 byte month, 1 byte day
//	flags      1 byte: 1 urgent, 2 a batch proof follows, 4 a screening
//	message    uvarint length and the message's bytes
//	batch      (flag 2) uvarint index, uvarint count, uvarint path length
//	           and that many 32-byte hashes
//	screening  (flag 4) the screener, then each result (appendScreening)
//
// A record is checked whole on decode: a short, long or out-of-range
// record is an error naming what is wrong, never a guessed payment.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/assert"
	"github.com/corridor-network/corridor/screening"
)

const paymentRecordVersion = 3

const (
	paymentUrgent = 1 << iota
	paymentHasBatch
	paymentHasScreening
)

// maxPaymentString bounds each string of a record: the fields of a
// validated message (at most a few hundred bytes), the sender's detached
// JWS, and the names and explanations of screening hits, with room to
// spare: the sequencer asserts it, so it must never be reached.
const maxPaymentString = 64 << 10

var errPaymentRecord = errors.New("payment record")

// isRecord says whether payload is a binary record rather than JSON.
func isRecord(payload []byte) bool { return len(payload) > 0 && payload[0] == paymentRecordVersion }

// recordScratch holds the buffers records are written in before they are
// copied out at their length: a record's size is known only once written
// (the screening results vary), and one grown as it is written was
// allocated twice, a few kilobytes each time, for every payment.
var recordScratch = sync.Pool{New: func() any { return new([]byte) }}

// encodeRecord is the journal payload of c, a binary record.
func (c paymentCmd) encodeRecord() []byte {
	scratch := recordScratch.Get().(*[]byte)
	defer recordScratch.Put(scratch)
	*scratch = c.appendRecord((*scratch)[:0])
	return bytes.Clone(*scratch)
}

// appendRecord appends c's record to buf.
func (c paymentCmd) appendRecord(buf []byte) []byte {
	p := &c.Payment
	buf = append(buf, paymentRecordVersion)
	for _, s := range c.recordStrings() {
		assert.That(len(*s) <= maxPaymentString, "payment %s: a string of %d bytes", p.UETR, len(*s))
		buf = appendString(buf, *s)
	}
	buf = binary.AppendVarint(buf, int64(p.Amount))
	buf = binary.AppendVarint(buf, int64(p.Instructed.Amount))
	buf = binary.AppendUvarint(buf, p.FXQuote)
	buf = binary.AppendVarint(buf, int64(p.SettlementDate.Year))
	buf = append(buf, byte(p.SettlementDate.Month), byte(p.SettlementDate.Day))
	var flags byte
	if p.Urgent {
		flags |= paymentUrgent
	}
	if c.Batch != nil {
		flags |= paymentHasBatch
	}
	if c.Screening != nil {
		flags |= paymentHasScreening
	}
	buf = append(buf, flags)
	buf = appendString(buf, c.Message)
	if b := c.Batch; b != nil {
		buf = binary.AppendUvarint(buf, uint64(b.Index))
		buf = binary.AppendUvarint(buf, uint64(b.Count))
		buf = binary.AppendUvarint(buf, uint64(len(b.Path)))
		for _, h := range b.Path {
			buf = append(buf, h[:]...)
		}
	}
	if c.Screening != nil {
		buf = appendScreening(buf, c.Screening)
	}
	return buf
}

// appendScreening appends the screening record: its screener, then each
// result's party, hits, hold, flags, count compared and screener. A list's
// length is written plus one, 0 for none (nil), so that what is read back
// is what was written, nil or empty alike.
func appendScreening(buf []byte, s *screeningRecord) []byte {
	buf = appendString(buf, s.Screener)
	buf = appendCount(buf, s.Results == nil, len(s.Results))
	for i := range s.Results {
		r := &s.Results[i]
		buf = appendStrings(buf, r.Party.Name, r.Party.Country, r.Party.DateOfBirth, string(r.Party.BIC), string(r.Party.Role))
		buf = appendCount(buf, r.Hits == nil, len(r.Hits))
		for _, h := range r.Hits {
			buf = binary.BigEndian.AppendUint64(buf, math.Float64bits(h.Score))
			buf = appendStrings(buf, h.List, h.ListVersion, h.EntryID, string(h.Kind), h.MatchedName, h.Why)
		}
		hold := byte(0)
		if r.Hold {
			hold = 1
		}
		buf = append(buf, hold)
		buf = appendCount(buf, r.Flags == nil, len(r.Flags))
		for _, f := range r.Flags {
			buf = appendString(buf, f)
		}
		buf = binary.AppendUvarint(buf, uint64(r.Compared))
		buf = appendString(buf, r.Screener)
	}
	return buf
}

func appendStrings(buf []byte, ss ...string) []byte {
	for _, s := range ss {
		assert.That(len(s) <= maxPaymentString, "screening: a string of %d bytes", len(s))
		buf = appendString(buf, s)
	}
	return buf
}

// appendCount appends a list's length plus one, or 0 for a nil list.
func appendCount(buf []byte, isNil bool, n int) []byte {
	if isNil {
		return append(buf, 0)
	}
	return binary.AppendUvarint(buf, uint64(n)+1)
}

// recordStrings are c's strings in the record's order.
func (c *paymentCmd) recordStrings() [17]*string {
	p := &c.Payment
	return [...]*string{(*string)(&c.Sender), &p.MsgID, (*string)(&p.UETR), &p.EndToEndID,
		(*string)(&p.InstructingAgent), (*string)(&p.InstructedAgent), (*string)(&p.DebtorAgent), (*string)(&p.CreditorAgent),
		(*string)(&p.Currency), &p.DebtorName, &p.CreditorName, &p.UltimateDebtor, &p.UltimateCreditor,
		(*string)(&p.Instructed.Currency), &p.XchgRate, &c.InstrID, &c.Signature}
}

// decodePaymentRecord reads a record encodeRecord wrote.
func decodePaymentRecord(rec []byte) (paymentCmd, error) {
	d := recordReader{buf: rec, kind: errPaymentRecord, maxString: maxPaymentString}
	if v := d.oneByte(); v != paymentRecordVersion && d.err == nil {
		return paymentCmd{}, fmt.Errorf("%w: version %d, not %d", errPaymentRecord, v, paymentRecordVersion)
	}
	var c paymentCmd
	for _, s := range c.recordStrings() {
		*s = d.string()
	}
	p := &c.Payment
	p.Amount, p.Instructed.Amount = corridor.Amount(d.varint()), corridor.Amount(d.varint())
	p.FXQuote = d.uvarint()
	y, m, day := d.varint(), d.oneByte(), d.oneByte()
	p.SettlementDate = corridor.Date{Year: int(max(min(y, 9999), -9999)), Month: time.Month(m), Day: int(day)}
	flags := d.oneByte()
	p.Urgent = flags&paymentUrgent != 0
	if msg := d.bytes(); len(msg) > 0 {
		c.Message = append([]byte(nil), msg...) // The store may reuse the record's buffer.
	}
	if flags&paymentHasBatch != 0 {
		c.Batch = d.batchProof()
	}
	if flags&paymentHasScreening != 0 {
		c.Screening = d.screening()
	}
	switch {
	case d.err != nil:
		return paymentCmd{}, d.err
	case flags&^(paymentUrgent|paymentHasBatch|paymentHasScreening) != 0:
		return paymentCmd{}, fmt.Errorf("%w: flags %#x", errPaymentRecord, flags)
	case len(d.buf) > 0:
		return paymentCmd{}, fmt.Errorf("%w: %d bytes after the payment", errPaymentRecord, len(d.buf))
	case y < 0 || y > 9999 || m > 12 || day > 31:
		return paymentCmd{}, fmt.Errorf("%w: settlement date %d-%d-%d", errPaymentRecord, y, m, day)
	}
	return c, nil
}

// batchProof reads the proof that places a message in its batch.
func (d *recordReader) batchProof() *corridor.BatchProof {
	index, count, n := d.uvarint(), d.uvarint(), d.uvarint()
	if d.err == nil && (count < 1 || count > corridor.MaxBatchMessages || index >= count || n > corridor.MaxBatchPath) {
		d.fail("batch proof of message %d of %d with a path of %d", index, count, n)
	}
	b := &corridor.BatchProof{Index: int(index), Count: int(count)}
	for i := uint64(0); i < n; i++ {
		h := d.fixed(len(corridor.MerkleHash{}))
		if d.err != nil {
			return nil
		}
		b.Path = append(b.Path, corridor.MerkleHash(h))
	}
	return b
}

// screening reads the screening record appendScreening wrote.
func (d *recordReader) screening() *screeningRecord {
	s := &screeningRecord{Screener: d.string()}
	s.Results = sliceOf[screening.Result](d, minResultBytes)
	for i := range s.Results {
		r := &s.Results[i]
		r.Party = screening.Party{Name: d.string(), Country: d.string(), DateOfBirth: d.string(), BIC: corridor.BIC(d.string()), Role: screening.Role(d.string())}
		r.Hits = sliceOf[screening.Hit](d, minHitBytes)
		for j := range r.Hits {
			h := &r.Hits[j]
			if score := d.fixed(8); score != nil {
				h.Score = math.Float64frombits(binary.BigEndian.Uint64(score))
			}
			h.List, h.ListVersion, h.EntryID, h.Kind = d.string(), d.string(), d.string(), screening.Kind(d.string())
			h.MatchedName, h.Why = d.string(), d.string()
			if d.err == nil && !(h.Score >= 0 && h.Score <= 1) {
				d.fail("a hit scores %v", h.Score)
			}
		}
		switch hold := d.oneByte(); {
		case hold > 1 && d.err == nil:
			d.fail("hold %d", hold)
		default:
			r.Hold = hold == 1
		}
		r.Flags = sliceOf[screening.Flag](d, 1)
		for j := range r.Flags {
			r.Flags[j] = screening.Flag(d.string())
		}
		r.Compared = int(min(d.uvarint(), math.MaxInt32))
		r.Screener = d.string()
	}
	if d.err != nil {
		return nil
	}
	return s
}

// The fewest bytes a screening result and a hit take in a record: a list
// longer than what is left of the record could hold is refused before it
// is allocated.
const (
	minResultBytes = 10 // Five strings, a count, the hold, a count, compared, the screener.
	minHitBytes    = 14 // The score and six strings.
)

// sliceOf reads a count appendCount wrote and returns a list that long,
// nil for none; a list of more elements of at least minBytes each than
// the record has left fails.
func sliceOf[T any](d *recordReader, minBytes int) []T {
	n := d.uvarint()
	switch {
	case d.err != nil || n == 0:
		return nil
	case n-1 > uint64(len(d.buf)/minBytes):
		d.fail("a list of %d, with %d bytes left", n-1, len(d.buf))
		return nil
	}
	return make([]T, n-1)
}
