package iso20022_test

import (
	"testing"

	"github.com/corridor-network/corridor/iso20022"
)

// BenchmarkDecodeCustomerCreditTransfer decodes and validates (XSD and usage
// rules) a real CBPR+ pacs.008 of about 5 KB with its AppHdr.
func BenchmarkDecodeCustomerCreditTransfer(b *testing.B) {
	data := MustReadFile(b, "cbprplus-translation/mt103_pacs_008_A_B.xml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iso20022.DecodeCustomerCreditTransfer(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkValidate validates the same message with the generic Validate,
// which also decodes it into the generated types for the usage rules.
func BenchmarkValidate(b *testing.B) {
	data := MustReadFile(b, "cbprplus-translation/mt103_pacs_008_A_B.xml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if ps := iso20022.Validate(data); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkDecodeSubmission decodes a pacs.008 as the hub does each one a
// bank submits: canonical XML, as EncodeCustomerCreditTransfer writes it,
// created in UTC as corridor bench's banks write theirs.
func BenchmarkDecodeSubmission(b *testing.B) {
	h := validHeader()
	h.Created = h.Created.UTC()
	data, err := iso20022.EncodeCustomerCreditTransfer(h, validPayment(), "INSTR-1")
	if err != nil {
		b.Fatal(err)
	}
	sender := validPayment().InstructingAgent
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iso20022.DecodeSubmission(data, sender, hubBIC); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeStatusReport decodes a pacs.002 as a bank does each one
// the hub writes to it.
func BenchmarkDecodeStatusReport(b *testing.B) {
	data := MustReadFile(b, "pacs002_acsc.xml")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iso20022.DecodeStatusReport(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeStatusReport writes the pacs.002 of a settled payment, as
// the hub does for each payment it settles.
func BenchmarkEncodeStatusReport(b *testing.B) {
	sr := settled()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iso20022.EncodeStatusReport(sr); err != nil {
			b.Fatal(err)
		}
	}
}
