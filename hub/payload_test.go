package hub

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/settlement"
)

var updatePayloads = flag.Bool("update-payloads", false, "rewrite testdata/journal/*.json (only with a new payload version and its migration)")

// samplePayment is a payment with every field set, for the payload goldens.
var samplePayment = corridor.Payment{MsgID: "MSG-1", UETR: "8a562c67-ca16-48ba-b074-65581be6f011", EndToEndID: "E2E-1",
	InstructingAgent: "DEMOINBBXXX", InstructedAgent: "DEMORUMMXXX", DebtorAgent: "DEMOINBBXXX", CreditorAgent: "DEMORUMMXXX",
	Amount: 350_000_000_00, Currency: "INR", SettlementDate: corridor.Date{Year: 2026, Month: 11, Day: 25},
	DebtorName: "Bharat Refineries Ltd", CreditorName: "ООО Нефтеэкспорт", UltimateDebtor: "Bharat Petroleum",
	UltimateCreditor: "Нефтеэкспорт Трейдинг", Urgent: true, Instructed: corridor.Money{Amount: 100, Currency: "RUB"}, FXQuote: 7}

var sampleTime = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// payloadSamples has one command of every journal kind, with its fields set.
func payloadSamples() []command {
	pay := paymentCmd{Sender: "DEMOINBBXXX", Payment: samplePayment, InstrID: "INSTR-1", Message: []byte("<Envelope/>"),
		Signature: "eyJhbGciOiJFUzI1NiJ9..c2ln", Screening: &screeningRecord{Screener: "un@2026-11-01 t0.88"}}
	return []command{
		registerCmd{BIC: "DEMOINBBXXX", Name: "Demo Bank of India", Currencies: []corridor.Currency{"INR"},
			Certificate: corridor.Certificate{Serial: "0a0b", NotAfter: sampleTime}},
		fundCmd{BIC: "DEMOINBBXXX", Currency: "INR", Amount: 1000_00},
		pay,
		ackCmd{BIC: "DEMORUMMXXX", Through: 42},
		revokeCmd{BIC: "DEMOINBBXXX", Serial: "0a0b"},
		suspendCmd{BIC: "DEMOINBBXXX", Suspended: true},
		policyCmd{BIC: "DEMORUMMXXX", Policy: corridor.RelationshipPolicy{Restricted: true,
			Allow: []corridor.Relationship{{Counterparty: "DEMOINBBXXX", Messages: []string{"pacs.008"}}}}},
		operatorRevokeCmd{Serial: "0c0d", By: "night-shift"},
		configCmd{NetCurrencies: []corridor.Currency{"RUB"}, PublishedRate: true, ScreeningThreshold: 0.9,
			Calendars: []settlement.Calendar{{Currency: "INR", Zone: "Asia/Kolkata", Weekend: []time.Weekday{time.Sunday},
				Holidays: []corridor.Date{{Year: 2026, Month: 1, Day: 26}}, Workdays: []corridor.Date{{Year: 2026, Month: 3, Day: 1}}}}},
		listCmd{Name: "un", Version: "2026-11-01", Hash: "abcd", Format: "un", Files: [][]byte{[]byte("<CONSOLIDATED_LIST/>")}},
		decideCmd{UETR: samplePayment.UETR, Release: true, By: "operator", Why: "registry checked", Whitelist: true},
		resolveCmd{}, cutoffCmd{}, closeCmd{},
		cancelCmd{BIC: "DEMOINBBXXX", UETR: samplePayment.UETR},
		moveCmd{UETR: samplePayment.UETR, Move: settlement.ToFront},
		rateCmd{Pair: settlement.Pair{From: "INR", To: "RUB"}, Rate: "1.0823"},
		quoteCmd{Requester: "DEMOINBBXXX", Amount: 1000_00, Pair: settlement.Pair{From: "INR", To: "RUB"}, Life: time.Minute},
		offerCmd{Provider: "DEMOFXPRXXX", Pair: settlement.Pair{From: "INR", To: "RUB"}, Bid: "1.0823", Ask: "1.09", Size: 100_000_00, Life: time.Hour},
		returnCmd{paymentCmd: pay, Reason: "AC04"},
		cancelRequestCmd{Sender: "DEMOINBBXXX", ID: "CXL-1", CaseID: "CASE-1", UETR: samplePayment.UETR, Reason: "DUPL",
			Message: []byte("<Envelope/>"), Signature: "sig"},
		caseRequestCmd{cancelRequestCmd{Sender: "DEMOINBBXXX", ID: "CXL-2", CaseID: "CASE-2", UETR: samplePayment.UETR, Reason: "DUPL",
			Message: []byte("<Envelope/>"), Signature: "sig"}},
		resolutionCmd{Sender: "DEMORUMMXXX", ID: "ANS-1", UETR: samplePayment.UETR, Status: "RJCR", Reason: "CUST",
			Message: []byte("<Envelope/>"), Signature: "sig"},
		notificationsCmd{BIC: "DEMOINBBXXX", Camt054: true},
		limitsCmd{BIC: "DEMOINBBXXX", Limits: settlement.Limits{Currency: "INR", Reserve: 100_00, Multilateral: 5000_00,
			Bilateral: map[corridor.BIC]corridor.Amount{"DEMORUMMXXX": 1000_00}}},
		netLimitsCmd{BIC: "DEMOINBBXXX", Limits: settlement.Limits{Currency: "INR", Reserve: 100_00, Multilateral: 5000_00,
			Bilateral: map[corridor.BIC]corridor.Amount{"DEMORUMMXXX": 1000_00}}},
		defundCmd{Sender: "DEMOINBBXXX", MsgID: "DEFUND-1", UETR: samplePayment.UETR, Money: corridor.Money{Amount: 40_00, Currency: "INR"},
			Date: corridor.Date{Year: 2026, Month: 11, Day: 25}, Message: []byte("<Envelope/>"), Signature: "sig"},
		dayOpenCmd{Currency: "INR", Date: corridor.Date{Year: 2026, Month: 12, Day: 1}},
		dayCutoffCmd{Currency: "INR", Type: settlement.Customer},
		dayCloseCmd{Currency: "RUB"},
	}
}

// TestPayloadGoldens fails when a command's journal encoding changes: each
// kind's sample must encode to its golden file, and the golden must decode
// back to the sample. A change needs a new payload version and a migration
// in decodePayload, then -update-payloads.
func TestPayloadGoldens(t *testing.T) {
	samples := payloadSamples()
	var kinds []string
	for _, c := range samples {
		kinds = append(kinds, c.kind())
		t.Run(c.kind(), func(t *testing.T) { checkPayloadGolden(t, c) })
	}
	for kind := range registry {
		if !slices.Contains(kinds, kind) {
			t.Errorf("journal kind %s has no payload sample", kind)
		}
	}
}

// checkPayloadGolden holds c's payload to testdata/journal/KIND.json, or
// KIND.record.hex for a binary record, and each older version's golden
// there (KIND.vN.json) to decoding to c too.
func checkPayloadGolden(t *testing.T, c command) {
	got, err := encodeCommand(c)
	if err != nil {
		t.Fatal(err)
	}
	path, text := filepath.Join("testdata", "journal", c.kind()+".json"), got
	if isRecord(got) {
		path, text = filepath.Join("testdata", "journal", c.kind()+".record.hex"), hexLines(got)
	}
	if *updatePayloads {
		if err := os.WriteFile(path, append(text, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := mustGolden(t, path)
	if !bytes.Equal(got, want) {
		t.Errorf("%s encodes as\n%s\nwant (%s)\n%s", c.kind(), text, path, hexLines(want))
	}
	older, _ := filepath.Glob(filepath.Join("testdata", "journal", c.kind()+".v*.json"))
	for _, p := range append([]string{path}, older...) {
		back, err := decodeCommand(c.kind(), mustGolden(t, p))
		if err != nil {
			t.Fatalf("decode %s: %v", p, err)
		}
		if !reflect.DeepEqual(back, c) {
			t.Errorf("%s decodes to\n%+v\nwant\n%+v", p, back, c)
		}
	}
}

// mustGolden reads a payload golden: JSON as it is, a record from its hex.
func mustGolden(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	if !strings.HasSuffix(path, ".hex") {
		return b
	}
	out, err := hex.DecodeString(strings.ReplaceAll(string(b), "\n", ""))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

// hexLines is b in hex, 64 digits a line.
func hexLines(b []byte) []byte {
	h := hex.EncodeToString(b)
	var out []byte
	for len(h) > 64 {
		out = append(append(out, h[:64]...), '\n')
		h = h[64:]
	}
	return append(out, h...)
}

// TestPayloadRefused checks that a journal entry this hub cannot read for
// sure is an error, not a guess.
func TestPayloadRefused(t *testing.T) {
	for name, payload := range map[string]string{
		"UnknownField": `{"v":1,"cmd":{"BIC":"DEMOINBBXXX","Through":1,"Thru":2}}`,
		"NewerVersion": `{"v":3,"cmd":{"BIC":"DEMOINBBXXX","Through":1}}`,
		"NoCommand":    `{"v":1}`,
		"Trailing":     `{"v":1,"cmd":{"BIC":"DEMOINBBXXX","Through":1}} {}`,
		"V0Unknown":    `{"BIC":"DEMOINBBXXX","Through":1,"Thru":2}`,
		"V2Trailing":   `{"v":2,"cmd":{"BIC":"DEMOINBBXXX","Through":1}} {}`,
		"V2Field":      `{"v":2,"cmd":{"BIC":"DEMOINBBXXX","Through":1},"x":1}`,
		"V2Unknown":    `{"v":2,"cmd":{"BIC":"DEMOINBBXXX","Through":1,"Thru":2}}`,
		"V2Cut":        `{"v":2,"cmd":{"BIC":"DEMOINBBXXX","Through":1}`,
	} {
		if c, err := decodeCommand(kindAck, []byte(payload)); err == nil {
			t.Errorf("%s: decoded %s as %+v; want an error", name, payload, c)
		}
	}
	if _, err := decodeCommand("inbox.nack", []byte(`{"v":1,"cmd":{}}`)); err == nil {
		t.Error("an unknown kind decoded")
	}
}

// TestEnvelopeBytes holds encodeCommand, which writes the envelope itself,
// to the bytes encoding/json writes for payloadEnvelope, and the fast read
// of it to the same command as the slow one.
func TestEnvelopeBytes(t *testing.T) {
	for _, c := range payloadSamples() {
		got, err := encodeCommand(c)
		if err != nil {
			t.Fatal(err)
		}
		if isRecord(got) {
			continue // No envelope: TestPaymentRecord.
		}
		body, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(payloadEnvelope{V: payloadVersion, Cmd: body})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: wrote %s; encoding/json writes %s", c.kind(), got, want)
		}
		spaced := bytes.Replace(got, []byte(`"cmd":`), []byte(`"cmd": `), 1) // Not as this hub writes it: read the slow way.
		fast, err1 := decodeCommand(c.kind(), got)
		slow, err2 := decodeCommand(c.kind(), spaced)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: read %+v (%v), the slow way %+v (%v)", c.kind(), fast, err1, slow, err2)
		}
	}
}
