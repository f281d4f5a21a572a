package iso20022_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
	"unicode"

	"pgregory.net/rapid"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
)

// randomInputs is how many generated inputs of each encoder the XSD test checks.
const randomInputs = 50

func TestXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not found; install it (Debian/Ubuntu: apt-get install libxml2-utils): every message we emit must be checked against the XSD")
	}
	var messages [][]byte
	for _, f := range []string{"pacs002_acsc.xml", "pacs002_rjct_am04.xml"} {
		messages = append(messages, MustReadFile(t, f))
	}
	messages = append(messages, []byte(MustEncodeValid(t)))
	for i := 0; i < randomInputs; i++ {
		sr := statusReportGen().Example(i)
		data, err := iso20022.EncodeStatusReport(sr)
		if err != nil {
			t.Fatalf("EncodeStatusReport(%+v) = %v", sr, err)
		}
		c := customerCreditTransferGen().Example(i)
		cct, err := iso20022.EncodeCustomerCreditTransfer(c.Header, c.Payment, c.InstrID)
		if err != nil {
			t.Fatalf("EncodeCustomerCreditTransfer(%+v) = %v", c, err)
		}
		messages = append(messages, data, cct)
		messages = append(messages, builderExamples(t, i)...)
	}
	for _, g := range builderGoldens {
		data, err := g.encode()
		if err != nil {
			t.Fatalf("encode %s = %v", g.file, err)
		}
		messages = append(messages, data)
	}
	bySchema := splitForXSD(t, messages)
	for _, id := range []string{iso20022.MsgDefAppHdr, iso20022.MsgDefCustomerCreditTransfer, iso20022.MsgDefStatusReport,
		iso20022.MsgDefReturn, iso20022.MsgDefCancelRequest, iso20022.MsgDefResolution, iso20022.MsgDefInstitutionCreditTransfer,
		iso20022.MsgDefAccountReport, iso20022.MsgDefStatement, iso20022.MsgDefNotification} {
		files := bySchema[id]
		if len(files) == 0 {
			t.Fatalf("no %s file to validate", id)
		}
		args := append([]string{"--noout", "--nonet", "--schema", filepath.Join("testdata", "xsd", id+".xsd")}, files...)
		if out, err := exec.Command(xmllint, args...).CombinedOutput(); err != nil {
			t.Errorf("xmllint --schema %s.xsd on %d files: %v\n%s", id, len(files), err, bytes.TrimSpace(out))
		}
	}
}

// TestXSDCatchesInvalid makes sure the XSD check can fail: a pacs.002 without
// its GrpHdr/MsgId does not validate.
func TestXSDCatchesInvalid(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not found; install it (Debian/Ubuntu: apt-get install libxml2-utils)")
	}
	bad := bytes.Replace(MustReadFile(t, "pacs002_acsc.xml"), []byte("<MsgId>HUB-STS-000001</MsgId>"), nil, 1)
	files := splitForXSD(t, [][]byte{bad})[iso20022.MsgDefStatusReport]
	args := []string{"--noout", "--nonet", "--schema", "testdata/xsd/pacs.002.001.10.xsd", files[0]}
	if out, err := exec.Command(xmllint, args...).CombinedOutput(); err == nil {
		t.Errorf("xmllint accepted a pacs.002 without MsgId:\n%s", out)
	}
}

// splitForXSD writes the AppHdr and the Document of each message, byte for
// byte as written, into files of their own, grouped by message definition.
func splitForXSD(tb testing.TB, messages [][]byte) map[string][]string {
	tb.Helper()
	dir := tb.TempDir()
	files := map[string][]string{}
	for i, msg := range messages {
		d := xml.NewDecoder(bytes.NewReader(msg))
		depth, start := 0, int64(0)
		for {
			before := d.InputOffset()
			tok, err := d.Token()
			if err != nil {
				break
			}
			switch e := tok.(type) {
			case xml.StartElement:
				depth++
				if depth == 2 {
					start = before
				}
			case xml.EndElement:
				depth--
				if depth != 1 {
					continue
				}
				id := e.Name.Space[len("urn:iso:std:iso:20022:tech:xsd:"):]
				name := filepath.Join(dir, fmt.Sprintf("%03d_%s.xml", i, e.Name.Local))
				if err := os.WriteFile(name, msg[start:d.InputOffset()], 0o644); err != nil {
					tb.Fatal(err)
				}
				files[id] = append(files[id], name)
			}
		}
	}
	return files
}

// Generators of valid encoder inputs, for the XSD test.

func bicGen() *rapid.Generator[corridor.BIC] {
	return rapid.Custom(func(t *rapid.T) corridor.BIC {
		upper := rapid.RuneFrom([]rune("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		alnum := rapid.RuneFrom([]rune("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
		s := rapid.StringOfN(alnum, 4, 4, -1).Draw(t, "party") + rapid.StringOfN(upper, 2, 2, -1).Draw(t, "country") +
			rapid.StringOfN(alnum, 2, 2, -1).Draw(t, "location") + rapid.StringOfN(alnum, 3, 3, -1).Draw(t, "branch")
		return corridor.BIC(s)
	})
}

func uetrGen() *rapid.Generator[corridor.UETR] {
	return rapid.Custom(func(t *rapid.T) corridor.UETR {
		hex := rapid.RuneFrom([]rune("0123456789abcdef"))
		h := func(n int, label string) string { return rapid.StringOfN(hex, n, n, -1).Draw(t, label) }
		variant := rapid.SampledFrom([]string{"8", "9", "a", "b"}).Draw(t, "variant")
		return corridor.UETR(h(8, "a") + "-" + h(4, "b") + "-4" + h(3, "c") + "-" + variant + h(3, "d") + "-" + h(12, "e"))
	})
}

// textGen makes 1 to max characters of names and references as banks write
// them: Latin, Cyrillic, Devanagari, digits, XML metacharacters, white space.
func textGen(max int) *rapid.Generator[string] {
	r := rapid.RuneFrom([]rune(" &<>\"'/-.\n\t0123456789"), unicode.Latin, unicode.Cyrillic, unicode.Devanagari)
	return rapid.StringOfN(r, 1, max, -1)
}

func optional(g *rapid.Generator[string]) *rapid.Generator[string] {
	return rapid.OneOf(rapid.Just(""), g)
}

func timeGen() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		sec := rapid.Int64Range(946684800, 4102444800).Draw(t, "unix") // 2000 to 2100.
		nsec := rapid.SampledFrom([]int64{0, 0, 500_000_000, rapid.Int64Range(0, 999_999_999).Draw(t, "nanos")}).Draw(t, "nsec")
		quarters := rapid.IntRange(-14*4, 14*4).Draw(t, "offset")
		if quarters == 0 {
			return time.Unix(sec, nsec).UTC()
		}
		return time.Unix(sec, nsec).In(time.FixedZone("", quarters*15*60))
	})
}

func dateGen() *rapid.Generator[corridor.Date] {
	return rapid.Custom(func(t *rapid.T) corridor.Date {
		return corridor.Date{Year: rapid.IntRange(1990, 2100).Draw(t, "year"),
			Month: time.Month(rapid.IntRange(1, 12).Draw(t, "month")), Day: rapid.IntRange(1, 28).Draw(t, "day")}
	})
}

func statusReportGen() *rapid.Generator[iso20022.StatusReport] {
	return rapid.Custom(func(t *rapid.T) iso20022.StatusReport {
		sr := iso20022.StatusReport{
			From: bicGen().Draw(t, "from"), To: bicGen().Draw(t, "to"),
			MsgID: textGen(35).Draw(t, "msgID"), Created: timeGen().Draw(t, "created"),
			OriginalMsgID: textGen(35).Draw(t, "origMsgID"), OriginalMsgDefID: iso20022.MsgDefCustomerCreditTransfer,
			OriginalInstrID:    optional(textGen(35)).Draw(t, "origInstrID"),
			OriginalEndToEndID: textGen(35).Draw(t, "origE2E"), OriginalUETR: uetrGen().Draw(t, "uetr"),
		}
		if rapid.Bool().Draw(t, "settled") {
			sr.Status = corridor.StatusSettled
			if rapid.Bool().Draw(t, "hasDate") {
				sr.SettlementDate = dateGen().Draw(t, "settlementDate")
			}
		} else {
			sr.Status = corridor.StatusRejected
			sr.Reason = rapid.SampledFrom([]corridor.ReasonCode{"AM04", "AM05", "CH20", "RC01", "RC07", "FF01", "NARR"}).Draw(t, "reason")
			sr.AdditionalInfo = optional(textGen(105)).Draw(t, "info")
		}
		if rapid.Bool().Draw(t, "agents") {
			sr.InstructingAgent, sr.InstructedAgent = bicGen().Draw(t, "instg"), bicGen().Draw(t, "instd")
		}
		return sr
	})
}

func customerCreditTransferGen() *rapid.Generator[iso20022.CustomerCreditTransfer] {
	return rapid.Custom(func(t *rapid.T) iso20022.CustomerCreditTransfer {
		currency := rapid.SampledFrom([]corridor.Currency{"INR", "RUB", "JPY", "KWD", "USD"}).Draw(t, "currency")
		p := corridor.Payment{
			MsgID: textGen(35).Draw(t, "msgID"), UETR: uetrGen().Draw(t, "uetr"), EndToEndID: textGen(35).Draw(t, "e2e"),
			InstructingAgent: bicGen().Draw(t, "instg"), InstructedAgent: bicGen().Draw(t, "instd"),
			DebtorAgent: bicGen().Draw(t, "dbtrAgt"), CreditorAgent: bicGen().Draw(t, "cdtrAgt"),
			Amount:   corridor.Amount(rapid.Int64Range(1, int64(corridor.MaxAmount)).Draw(t, "amount")),
			Currency: currency, SettlementDate: dateGen().Draw(t, "date"),
			DebtorName: optional(textGen(140)).Draw(t, "dbtr"), CreditorName: optional(textGen(140)).Draw(t, "cdtr"),
		}
		h := iso20022.AppHdr{From: p.InstructingAgent, To: p.InstructedAgent, BizMsgID: textGen(35).Draw(t, "bizMsgID"),
			MsgDefID: iso20022.MsgDefCustomerCreditTransfer, BizSvc: rapid.SampledFrom([]string{"", "swift.cbprplus.02", iso20022.BizSvcCBPRPlus}).Draw(t, "bizSvc"),
			Created: timeGen().Draw(t, "created"), PossibleDuplicate: rapid.Bool().Draw(t, "dup")}
		return iso20022.CustomerCreditTransfer{Header: h, Payment: p, InstrID: optional(textGen(35)).Draw(t, "instrID")}
	})
}

// TestRoundTrip_Rapid checks decode(encode(x)) == x over generated inputs.
func TestRoundTrip_Rapid(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := customerCreditTransferGen().Draw(t, "cct")
		data, err := iso20022.EncodeCustomerCreditTransfer(c.Header, c.Payment, c.InstrID)
		if err != nil {
			t.Fatalf("EncodeCustomerCreditTransfer = %v", err)
		}
		got, err := iso20022.DecodeCustomerCreditTransfer(data)
		if err != nil || got.Payment != c.Payment || got.InstrID != c.InstrID || !got.Header.Created.Equal(c.Header.Created) {
			t.Fatalf("DecodeCustomerCreditTransfer(Encode(%+v)) = %+v, %v", c, got, err)
		}
		sr := statusReportGen().Draw(t, "sr")
		if _, err := iso20022.EncodeStatusReport(sr); err != nil {
			t.Fatalf("EncodeStatusReport(%+v) = %v", sr, err)
		}
	})
}
