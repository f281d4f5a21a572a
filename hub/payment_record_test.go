package hub

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/screening"
)

// samplePaymentCmds are payments with every part of a record set, or none.
func samplePaymentCmds() []paymentCmd {
	full := paymentCmd{Sender: "DEMOINBBXXX", Payment: samplePayment, InstrID: "INSTR-1", Message: []byte("<Envelope>é</Envelope>"),
		Signature: "eyJhbGciOiJFUzI1NiJ9..c2ln", Batch: &corridor.BatchProof{Index: 5, Count: 7, Path: []corridor.MerkleHash{{1}, {2, 3}, {255}}},
		Screening: &screeningRecord{Screener: "un@2026-11-01 t0.88", Results: []screening.Result{{
			Party: screening.Party{Name: "Bharat Refineries Ltd", Country: "IN", Role: "debtor"},
			Hits:  []screening.Hit{{Score: 0.91, List: "un", ListVersion: "2026-11-01", EntryID: "QDi.001", MatchedName: "BHARAT", Why: "bharat 1.00"}},
			Hold:  true, Compared: 12, Screener: "un@2026-11-01 t0.88"}}}}
	full.Payment.XchgRate = "1.0823"
	bare := paymentCmd{Sender: "DEMORUMMXXX", Payment: corridor.Payment{MsgID: "M", UETR: "00000001-0000-4000-8000-000000000001",
		Amount: 1, Currency: "INR", SettlementDate: corridor.Date{Year: 2026, Month: 1, Day: 1}}}
	long := bare
	long.Payment.DebtorName = strings.Repeat("Ж", 2000)
	long.Message = bytes.Repeat([]byte("<x/>"), 10_000)
	return []paymentCmd{full, bare, long}
}

// TestPaymentRecordRoundTrip writes payments as the journal keeps them and
// reads them back whole, as the JSON payload of version 2 read them.
func TestPaymentRecordRoundTrip(t *testing.T) {
	for i, c := range samplePaymentCmds() {
		payload, err := encodeCommand(c)
		if err != nil || !isRecord(payload) {
			t.Fatalf("payment %d: a payload of %d bytes, record %v, %v", i, len(payload), isRecord(payload), err)
		}
		got, err := decodeCommand(kindPayment, payload)
		if err != nil {
			t.Fatalf("payment %d: %v", i, err)
		}
		if diff := cmp.Diff(c, got, cmp.AllowUnexported(paymentCmd{}), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("payment %d read back differs (-wrote +read):\n%s", i, diff)
		}
	}
}

// TestPaymentRecordRefusesDamage cuts and alters a record: each is an
// error, never a payment; and a record is only ever a payment.submit.
func TestPaymentRecordRefusesDamage(t *testing.T) {
	c := samplePaymentCmds()[0]
	rec := c.encodeRecord()
	for n := range rec {
		if _, err := decodePaymentRecord(rec[:n]); err == nil {
			t.Errorf("a record cut to %d of %d bytes was read", n, len(rec))
		}
	}
	badDate := c
	badDate.Payment.SettlementDate.Month = 13
	badProof := c
	badProof.Batch = &corridor.BatchProof{Index: 7, Count: 7}
	for name, bad := range map[string][]byte{
		"version":  append([]byte{9}, rec[1:]...),
		"trailing": append(bytes.Clone(rec), 0),
		"date":     badDate.encodeRecord(),
		"proof":    badProof.encodeRecord(),
	} {
		if _, err := decodePaymentRecord(bad); err == nil {
			t.Errorf("%s: read", name)
		}
	}
	if _, err := decodeCommand(kindReturn, rec); err == nil {
		t.Error("a payment record read as a return")
	}
	r, err := encodeCommand(returnCmd{paymentCmd: c, Reason: "AC04"})
	if err != nil || isRecord(r) {
		t.Errorf("a return encodes as a record (%v): it would lose its reason", err)
	}
}

// TestPaymentRecordSmaller: the record of a payment is its message and a
// little more, not the base64 of it inside JSON.
func TestPaymentRecordSmaller(t *testing.T) {
	c := samplePaymentCmds()[0]
	c.Message = bytes.Repeat([]byte("<Nm>Bharat Refineries Ltd</Nm>\n"), 64)
	body, err := json.Marshal(c) // Version 2's payload, without its envelope.
	if err != nil {
		t.Fatal(err)
	}
	if rec := c.encodeRecord(); len(rec) > len(c.Message)+1024 || len(body) < len(c.Message)*4/3 {
		t.Errorf("record %d bytes, JSON %d, message %d", len(rec), len(body), len(c.Message))
	}
}

func FuzzDecodePaymentRecord(f *testing.F) {
	for _, c := range samplePaymentCmds()[:2] {
		f.Add(c.encodeRecord())
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		c, err := decodePaymentRecord(rec)
		if err != nil {
			return
		}
		again, err := decodePaymentRecord(c.encodeRecord())
		if err != nil {
			t.Fatalf("a payment read from %x does not read back: %v", rec, err)
		}
		if diff := cmp.Diff(c, again, cmp.AllowUnexported(paymentCmd{}), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("a payment read from %x reads back otherwise:\n%s", rec, diff)
		}
	})
}

// BenchmarkPaymentPayload encodes and decodes a payment's journal payload
// as a record (version 3) and as the JSON of version 2, with a message of
// the size a bank sends (about 2 KB).
func BenchmarkPaymentPayload(b *testing.B) {
	c := samplePaymentCmds()[0]
	c.Message = bytes.Repeat([]byte("<Nm>Bharat Refineries Ltd</Nm>\n"), 64)
	body, err := json.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	v2 := append(append([]byte(envelopeHead), body...), '}')
	rec := c.encodeRecord()
	b.Run("record/encode", func(b *testing.B) {
		for b.Loop() {
			c.encodeRecord()
		}
		b.ReportMetric(float64(len(rec)), "bytes")
	})
	b.Run("json/encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(c); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(v2)), "bytes")
	})
	for name, payload := range map[string][]byte{"record/decode": rec, "json/decode": v2} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := decodeCommand(kindPayment, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
