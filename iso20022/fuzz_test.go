package iso20022_test

import (
	"errors"
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

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

// FuzzDecodeSubmission checks that DecodeSubmission never panics, refuses
// with an *InvalidError, a reject or ErrUnauthorized, accepts only what
// Validate accepts, and that decode, encode, decode gives the same value
// for every message whose decoded values a builder can write again.
func FuzzDecodeSubmission(f *testing.F) {
	for _, name := range append(cctSamples, "pacs004.xml", "camt056.xml", "camt029_rjcr.xml", "camt029_cncl.xml", "pacs009.xml", "pacs002_acsc.xml") {
		f.Add(MustReadFile(f, name))
	}
	f.Add([]byte(MustEncodeValid(f)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzInputBytes {
			return
		}
		sender := submitter(data)
		s, err := iso20022.DecodeSubmission(data, sender, hubBIC)
		if err != nil {
			var invalid *iso20022.InvalidError
			_, reject := corridor.ReasonOf(err)
			if !errors.As(err, &invalid) && !reject && !errors.Is(err, corridor.ErrUnauthorized) {
				t.Fatalf("DecodeSubmission = %v (%T): neither invalid, a reject nor unauthorized", err, err)
			}
			return
		}
		if ps := iso20022.Validate(data); len(ps) > 0 && s.Payment == nil {
			t.Fatalf("DecodeSubmission accepted what Validate refuses: %v", ps)
		}
		out, ok := reencode(t, s)
		if !ok {
			return
		}
		again, err := iso20022.DecodeSubmission(out, sender, hubBIC)
		if err != nil {
			t.Fatalf("DecodeSubmission(encoded) = %v\n%s", err, out)
		}
		if diff := cmp.Diff(s, again); diff != "" {
			t.Fatalf("decode, encode, decode changed the submission (-first +second):\n%s", diff)
		}
	})
}

// submitter is the sender a fuzz input claims: its first BICFI, the AppHdr's Fr.
func submitter(data []byte) corridor.BIC {
	m := regexp.MustCompile(`<(?:[A-Za-z0-9]+:)?BICFI>([A-Z0-9]{8,11})<`).FindSubmatch(data)
	if m == nil {
		return "DEMOINBBXXX"
	}
	b, err := corridor.ParseBIC(string(m[1]))
	if err != nil {
		return "DEMOINBBXXX"
	}
	return b
}

// reencode writes s again with the builders, when they can write all of
// what was decoded: a builder derives some elements from others (Case/Id is
// Assgnmt/Id, IntrBkSttlmDt the creation date) and takes reasons of four
// characters.
func reencode(t *testing.T, s *iso20022.Submission) ([]byte, bool) {
	orig := corridor.Payment{MsgID: "ORIGINAL", InstructingAgent: "DEMOINBBXXX", InstructedAgent: "DEMORUMMXXX",
		Amount: 1, Currency: "INR", SettlementDate: fixtureDay}
	var out []byte
	var err error
	switch {
	case s.Payment != nil:
		out, err = iso20022.EncodeCustomerCreditTransfer(s.Payment.Header, s.Payment.Payment, s.Payment.InstrID)
	case s.Return != nil:
		r := s.Return
		if r.SettlementDate == (corridor.Date{}) || !codeLike(r.Reason) {
			return nil, false
		}
		orig.UETR, orig.EndToEndID, orig.InstructingAgent, orig.InstructedAgent = r.UETR, r.EndToEndID, r.InstructedAgent, r.InstructingAgent
		orig.Currency = r.Amount.Currency
		if r.OriginalMsgID != "" {
			orig.MsgID = r.OriginalMsgID
		}
		out, err = iso20022.EncodeReturn(iso20022.Return{MsgID: r.MsgID, ReturnID: r.ReturnID, Original: orig, Amount: r.Amount.Amount,
			Created: time.Date(r.SettlementDate.Year, r.SettlementDate.Month, r.SettlementDate.Day, 12, 0, 0, 0, time.UTC),
			Reason:  r.Reason, Urgent: r.Urgent})
	case s.Cancel != nil:
		c := s.Cancel
		if c.CaseID != c.ID || !codeLike(c.Reason) {
			return nil, false
		}
		orig.UETR, orig.InstructingAgent = c.UETR, s.Sender
		out, err = iso20022.EncodeCancelRequest(iso20022.CancelRequest{ID: c.ID, Created: fixedTime, Original: orig, Reason: c.Reason})
	case s.Resolution != nil:
		r := s.Resolution
		if r.Reason != "" && !codeLike(r.Reason) {
			return nil, false
		}
		out, err = iso20022.EncodeResolution(iso20022.Resolution{From: s.Sender, To: "DEMOINBBXXX", ID: r.ID, CaseID: "CASE", Created: fixedTime,
			Original: iso20022.OriginalTransaction{MsgID: "ORIGINAL", MsgDefID: iso20022.MsgDefCustomerCreditTransfer, UETR: r.UETR},
			Status:   r.Status, Reason: r.Reason})
	case s.Defund != nil:
		d := s.Defund
		if d.SettlementDate == (corridor.Date{}) {
			return nil, false
		}
		out, err = iso20022.EncodeDefund(iso20022.Defund{MsgID: d.MsgID, UETR: d.UETR, From: s.Sender, Hub: hubBIC, Amount: d.Amount,
			Created: time.Date(d.SettlementDate.Year, d.SettlementDate.Month, d.SettlementDate.Day, 12, 0, 0, 0, time.UTC)})
	}
	if err != nil {
		t.Fatalf("encode the decoded %s = %v", s.MsgDefID, err)
	}
	return out, true
}

// codeLike reports whether s can be written as an external code: 1 to 4 characters.
func codeLike(s string) bool { return s != "" && utf8.RuneCountInString(s) <= 4 }
