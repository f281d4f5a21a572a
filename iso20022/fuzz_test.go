package iso20022_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// fuzzInputBytes caps fuzz inputs: the size bound itself is tested in the
// table tests, and small inputs let the fuzzer go deep.
const fuzzInputBytes = 64 << 10

// checkInvalid fails unless err is an *InvalidError whose reason ReasonOf finds.
func checkInvalid(t *testing.T, err error) {
	t.Helper()
	problemsOf(t, err)
	if _, ok := corridor.ReasonOf(err); !ok {
		t.Fatalf("ReasonOf(%v) found no reason", err)
	}
}

func FuzzDecodeCustomerCreditTransfer(f *testing.F) {
	for _, name := range cctSamples {
		f.Add(MustReadFile(f, name))
	}
	f.Add([]byte(MustEncodeValid(f)))
	f.Add(MustReadFile(f, "pacs002_acsc.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzInputBytes {
			return
		}
		c, err := iso20022.DecodeCustomerCreditTransfer(data)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		out, err := iso20022.EncodeCustomerCreditTransfer(c.Header, c.Payment, c.InstrID)
		if err != nil {
			t.Fatalf("EncodeCustomerCreditTransfer(decoded %+v) = %v", c, err)
		}
		again, err := iso20022.DecodeCustomerCreditTransfer(out)
		if err != nil {
			t.Fatalf("DecodeCustomerCreditTransfer(encoded) = %v\n%s", err, out)
		}
		if diff := cmp.Diff(*c, *again); diff != "" {
			t.Fatalf("decode, encode, decode changed the transfer (-first +second):\n%s", diff)
		}
	})
}

func FuzzDecodeStatusReport(f *testing.F) {
	for _, name := range append(statusSamples, "pacs002_acsc.xml", "pacs002_rjct_am04.xml") {
		f.Add(MustReadFile(f, name))
	}
	f.Add(MustReadFile(f, cctSamples[0]))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzInputBytes {
			return
		}
		sr, err := iso20022.DecodeStatusReport(data)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		out, err := iso20022.EncodeStatusReport(*sr)
		if err != nil {
			t.Fatalf("EncodeStatusReport(decoded %+v) = %v", sr, err)
		}
		again, err := iso20022.DecodeStatusReport(out)
		if err != nil {
			t.Fatalf("DecodeStatusReport(encoded) = %v\n%s", err, out)
		}
		if diff := cmp.Diff(*sr, *again); diff != "" {
			t.Fatalf("decode, encode, decode changed the report (-first +second):\n%s", diff)
		}
	})
}

func FuzzMessageDefinition(f *testing.F) {
	f.Add(MustReadFile(f, cctSamples[0]))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzInputBytes {
			return
		}
		if _, err := iso20022.MessageDefinition(data); err != nil {
			checkInvalid(t, err)
		}
	})
}
