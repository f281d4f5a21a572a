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
