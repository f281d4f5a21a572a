package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// reusedSubmit and reusedBatch leave a SubmitResponse and a BatchResponse
// as a decoder finds them when it is given one in use: a receipt with a
// batch and its path, results with and without an accepted answer, an
// error with problems.
var (
	reusedSubmit = `{"reference":"r0","uetr":"u0","status":"ACSC","wait":"queue","reason":"AM04","detail":"d","duplicate":true,` +
		`"receipt":{"seq":9,"time":"2026-03-02T09:30:00Z","sender":"S","sha256":"h","signature":"sig",` +
		`"batch":{"index":1,"count":3,"path":[` + hashHex("1") + `,` + hashHex("2") + `]}}}`
	reusedBatch = `{"results":[{"status":202,"accepted":` + reusedSubmit + `},` +
		`{"status":422,"error":{"error":"e","reason":"AC01","problems":[{"path":"p","rule":"r","reason":"x"},{"path":"q"}],"outcome":"o","leader":"l"}},` +
		`{"status":503}]}`
)

// checkDecodes fails tb unless decode and json.Unmarshal agree on data,
// into a fresh T and into one json.Unmarshal decoded reused into: both
// refuse it, decode saying where (its errors start with prefix), or both
// accept it and decode the same. It reports whether they accept it.
func checkDecodes[T any](tb testing.TB, name string, decode func([]byte, *T) error, prefix, reused string, data []byte) (accepted bool) {
	tb.Helper()
	for _, before := range []string{"", reused} {
		var got, want T
		if before != "" {
			if json.Unmarshal([]byte(before), &got) != nil || json.Unmarshal([]byte(before), &want) != nil {
				tb.Fatalf("json.Unmarshal refuses %q", before)
			}
		}
		errGot, errWant := decode(data, &got), json.Unmarshal(data, &want)
		switch {
		case errGot == nil && errWant == nil:
			if !reflect.DeepEqual(got, want) {
				tb.Errorf("%s(%.300q) into %.20q differs from json.Unmarshal (-want +got):\n%s", name, data, before, cmp.Diff(want, got))
			}
			if before == "" {
				checkRoundTrip(tb, name, decode, got)
			}
		case errGot == nil:
			tb.Errorf("%s(%.300q) accepts what json.Unmarshal refuses: %v", name, data, errWant)
		case errWant == nil:
			tb.Errorf("%s(%.300q) = %v; json.Unmarshal accepts it", name, data, errGot)
		case !strings.HasPrefix(errGot.Error(), prefix):
			tb.Errorf("%s(%.300q) = %v; want it to say where", name, data, errGot)
		}
		accepted = errWant == nil
	}
	return accepted
}

// checkRoundTrip fails tb unless v, decoded, encodes as the hub encodes
// it (AppendAnswer) to what decodes to what encodes the same again: an
// empty list of problems and none are one on the wire (omitempty).
func checkRoundTrip[T any](tb testing.TB, name string, decode func([]byte, *T) error, v T) {
	tb.Helper()
	data, err := httpapi.AppendAnswer(nil, v)
	if err != nil {
		tb.Errorf("AppendAnswer(%+.300v): %v", v, err)
		return
	}
	var again T
	if err := decode(data, &again); err != nil {
		tb.Errorf("%s(%.300q), of AppendAnswer: %v", name, data, err)
		return
	}
	if data2, err := httpapi.AppendAnswer(nil, again); err != nil || !bytes.Equal(data2, data) {
		tb.Errorf("AppendAnswer of %s(%.300q) = %.300q, %v; want it the same", name, data, data2, err)
	}
}

func checkSubmitDecodes(tb testing.TB, data []byte) bool {
	tb.Helper()
	return checkDecodes(tb, "DecodeSubmitResponse", httpapi.DecodeSubmitResponse, "submit answer, byte ", reusedSubmit, data)
}

func checkBatchDecodes(tb testing.TB, data []byte) bool {
	tb.Helper()
	return checkDecodes(tb, "DecodeBatchResponse", httpapi.DecodeBatchResponse, "batch answer, byte ", reusedBatch, data)
}

// receiptJSON is a receipt in a batch as the hub writes it.
var receiptJSON = `{"seq":12,"time":"2026-03-02T09:30:00.123456789Z","sender":"DEMOINBBXXX","sha256":"` + strings.Repeat("ab", 32) +
	`","signature":"eyJhbGciOiJFUzI1NiJ9..c2ln","batch":{"index":0,"count":2,"path":[` + hashHex("7") + `]}}`

// submitCorners are answers to POST /v1/messages that exercise what
// json.Unmarshal does for SubmitResponse, and whether it accepts each. The
// scanning, strings and numbers they share with an inbox page are
// inboxCorners' (run here too, as answers).
var submitCorners = []struct {
	name, data string
	ok         bool
}{
	{"Null", `null`, true}, {"Empty", `{}`, true}, {"Array", `[]`, false}, {"Nothing", ``, false}, {"Trailing", `{} {}`, false},
	{"Hub", `{"reference":"CRDR-1","uetr":"3f1c7a52-9b4e-4c1d-8a2f-000000000001","status":"ACSC","receipt":` + receiptJSON + `}`, true},
	{"Pending", `{"reference":"r","uetr":"u","status":"PDNG","wait":"queue","reason":"","detail":"waits","duplicate":true}`, true},
	{"ReceiptNull", `{"receipt":null}`, true}, {"ReceiptEmpty", `{"receipt":{}}`, true},
	{"ReceiptArray", `{"receipt":[]}`, false}, {"ReceiptString", `{"receipt":"x"}`, false},
	{"ReceiptTwice", `{"receipt":` + receiptJSON + `,"receipt":{"seq":3,"batch":null}}`, true},
	{"ReceiptThenNull", `{"receipt":{"seq":3},"receipt":null}`, true},
	{"BatchEmpty", `{"receipt":{"batch":{}}}`, true}, {"BatchArray", `{"receipt":{"batch":[]}}`, false},
	{"PathNull", `{"receipt":{"batch":{"path":null}}}`, true}, {"PathBad", `{"receipt":{"batch":{"path":["x"]}}}`, false},
	{"UpperCase", `{"REFERENCE":"r","UETR":"u","STATUS":"s","WAIT":"w","REASON":"x","DETAIL":"d","DUPLICATE":true,"RECEIPT":{"SEQ":1,"TIME":null,"SENDER":"S","SHA256":"h","SIGNATURE":"g","BATCH":{"INDEX":1}}}`, true},
	{"LongS", `{"ſtatus":"s","receipt":{"ſender":"x","ſha256":"h","ſeq":2}}`, true},
	{"OtherTypesFields", `{"messages":[1],"seq":1,"body":"b","results":[],"error":"e","problems":1,"receipt":{"uetr":"u","status":"s","index":1,"path":[]}}`, true},
	{"Unknown", `{"x":[{"y":null}],"receipt":{"z":{"w":[1,2]}},"status":"s"}`, true},
	{"UnknownBad", `{"receipt":{"z":[1,]}}`, false},
	{"DuplicateString", `{"duplicate":"true"}`, false}, {"DuplicateNumber", `{"duplicate":1}`, false},
	{"DuplicateNull", `{"duplicate":null}`, true}, {"StatusNumber", `{"status":202}`, false},
	{"SeqString", `{"receipt":{"seq":"1"}}`, false}, {"SeqNegative", `{"receipt":{"seq":-1}}`, false},
	{"SeqMax", `{"receipt":{"seq":18446744073709551615}}`, true}, {"SeqOverflow", `{"receipt":{"seq":18446744073709551616}}`, false},
	{"TimeBad", `{"receipt":{"time":"2026-03-02"}}`, false}, {"TimeNumber", `{"receipt":{"time":1}}`, false},
	{"TimeOffset", `{"receipt":{"time":"2026-03-02T09:30:00+05:30"}}`, true},
	{"Escapes", `{"detail":"\u00e9\ud83d\ude00\ud800 \"<a>\" \u2028","reference":"a\/b"}`, true},
	{"InvalidUTF8", "{\"detail\":\"\xff\xfe\"}", true}, {"Control", "{\"detail\":\"\x01\"}", false},
	{"Depth10000", `{"receipt":{"batch":{"x":` + nested(9997) + `}}}`, true},
	{"Depth10001", `{"receipt":{"batch":{"x":` + nested(9998) + `}}}`, false},
	{"TimeDepth10001", `{"receipt":{"time":` + nested(9999) + `}}`, false},
}

// batchCorners are answers to POST /v1/messages/batch that exercise what
// json.Unmarshal does for BatchResponse, and whether it accepts each.
var batchCorners = []struct {
	name, data string
	ok         bool
}{
	{"Null", `null`, true}, {"Empty", `{}`, true}, {"Array", `[]`, false}, {"Nothing", ``, false}, {"Trailing", `{}]`, false},
	{"ResultsNull", `{"results":null}`, true}, {"ResultsEmpty", `{"results":[]}`, true}, {"ResultsObject", `{"results":{}}`, false},
	{"ResultNull", `{"results":[null,{"status":202},null]}`, true}, {"ResultArray", `{"results":[[]]}`, false},
	{"ResultNumber", `{"results":[202]}`, false},
	{"Hub", `{"results":[{"status":202,"accepted":{"reference":"r","uetr":"u","status":"ACSC","receipt":` + receiptJSON + `}},` +
		`{"status":422,"error":{"error":"corridor: rejected AC01: unknown","reason":"AC01"}},` +
		`{"status":400,"error":{"error":"the message is not valid","reason":"FF01","problems":[{"path":"/a/b","rule":"required","reason":"FF01"}]}},` +
		`{"status":503,"error":{"error":"busy","outcome":"not-taken","leader":"https://h"}}]}`, true},
	{"StatusNegative", `{"results":[{"status":-1}]}`, true}, {"StatusString", `{"results":[{"status":"202"}]}`, false},
	{"StatusFraction", `{"results":[{"status":202.5}]}`, false}, {"StatusExponent", `{"results":[{"status":2e2}]}`, false},
	{"StatusOverflow", `{"results":[{"status":9223372036854775808}]}`, false},
	{"AcceptedNull", `{"results":[{"accepted":null,"error":null}]}`, true}, {"AcceptedArray", `{"results":[{"accepted":[]}]}`, false},
	{"ErrorString", `{"results":[{"error":"e"}]}`, false}, {"ErrorEmpty", `{"results":[{"error":{}}]}`, true},
	{"ErrorTwice", `{"results":[{"error":{"error":"a","problems":[{"path":"p"}]},"error":{"reason":"b"}}]}`, true},
	{"ProblemsNull", `{"results":[{"error":{"problems":null}}]}`, true}, {"ProblemsEmpty", `{"results":[{"error":{"problems":[]}}]}`, true},
	{"ProblemNull", `{"results":[{"error":{"problems":[null,{"rule":"r"}]}}]}`, true},
	{"ProblemsObject", `{"results":[{"error":{"problems":{}}}]}`, false}, {"ProblemString", `{"results":[{"error":{"problems":["p"]}}]}`, false},
	{"ProblemPathArray", `{"results":[{"error":{"problems":[{"path":[` + hashHex("a") + `]}]}}]}`, false},
	{"ProblemPathString", `{"results":[{"error":{"problems":[{"path":"x","path":null}]}}]}`, true},
	{"UpperCase", `{"RESULTS":[{"STATUS":1,"ACCEPTED":{"STATUS":"s"},"ERROR":{"ERROR":"e","REASON":"r","PROBLEMS":[{"PATH":"p","RULE":"u","REASON":"x"}],"OUTCOME":"o","LEADER":"l"}}]}`, true},
	{"OtherTypesFields", `{"messages":[],"status":1,"results":[{"reference":"r","seq":1,"receipt":1,"error":{"status":"s","detail":1}}]}`, true},
	{"Unknown", `{"x":1,"results":[{"y":{"z":[]},"error":{"w":null,"problems":[{"v":true}]}}]}`, true},
	{"UnknownBad", `{"results":[{"error":{"problems":[{"v":tru}]}}]}`, false},
	{"ResultsTwice", `{"results":[{"status":1},{"status":2}],"results":[{"accepted":{}}]}`, true},
	{"Many", `{"results":[` + strings.TrimSuffix(strings.Repeat(`{"status":202,"accepted":{"status":"ACSC"}},`, 300), ",") + `]}`, true},
	{"Depth10000", `{"results":[{"error":{"problems":[{"x":` + nested(9994) + `}]}}]}`, true},
	{"Depth10001", `{"results":[{"error":{"problems":[{"x":` + nested(9995) + `}]}}]}`, false},
	{"ReceiptDepth10001", `{"results":[{"accepted":{"receipt":{"batch":{"x":` + nested(9995) + `}}}}]}`, false},
}

// TestDecodeSubmitResponse checks that DecodeSubmitResponse decodes each of
// submitCorners and inboxCorners as json.Unmarshal does.
func TestDecodeSubmitResponse(t *testing.T) {
	for _, tt := range submitCorners {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkSubmitDecodes(t, []byte(tt.data)); got != tt.ok {
				t.Errorf("json.Unmarshal accepts %.200q: %t; the case says %t", tt.data, got, tt.ok)
			}
		})
	}
	for _, tt := range inboxCorners {
		t.Run("Inbox"+tt.name, func(t *testing.T) { checkSubmitDecodes(t, []byte(tt.page)) })
	}
}

// TestDecodeBatchResponse checks that DecodeBatchResponse decodes each of
// batchCorners, submitCorners (as accepted answers) and inboxCorners as
// json.Unmarshal does.
func TestDecodeBatchResponse(t *testing.T) {
	for _, tt := range batchCorners {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkBatchDecodes(t, []byte(tt.data)); got != tt.ok {
				t.Errorf("json.Unmarshal accepts %.200q: %t; the case says %t", tt.data, got, tt.ok)
			}
		})
	}
	for _, tt := range submitCorners {
		t.Run("Submit"+tt.name, func(t *testing.T) {
			checkBatchDecodes(t, []byte(`{"results":[{"status":202,"accepted":`+tt.data+`}]}`))
		})
	}
	for _, tt := range inboxCorners {
		t.Run("Inbox"+tt.name, func(t *testing.T) { checkBatchDecodes(t, []byte(tt.page)) })
	}
}

// TestDecodeAnswerErrors checks that a refusal says what is wrong and at
// which byte.
func TestDecodeAnswerErrors(t *testing.T) {
	for _, tt := range []struct {
		batch      bool
		data, want string
	}{
		{false, ``, "submit answer, byte 0: the answer ends where its JSON needs a value"},
		{false, `[]`, "submit answer, byte 0: the answer must be an object or null"},
		{false, `{} x`, "submit answer, byte 3: data after the answer"},
		{false, `{"receipt":{"seq":1.5}}`, "submit answer, byte 18: seq: 1.5 is not an unsigned 64-bit integer"},
		{false, `{"duplicate":"yes"}`, "submit answer, byte 13: duplicate must be true or false or null"},
		{true, `{"results":[{"status":"202"}]}`, "batch answer, byte 22: status must be a number or null"},
		{true, `{"results":[{"error":{"problems":{}}}]}`, "batch answer, byte 33: problems must be an array or null"},
		{true, `{"results":[{"accepted":1}]}`, "batch answer, byte 24: accepted must be an object or null"},
	} {
		var err error
		if tt.batch {
			var resp httpapi.BatchResponse
			err = httpapi.DecodeBatchResponse([]byte(tt.data), &resp)
		} else {
			var resp httpapi.SubmitResponse
			err = httpapi.DecodeSubmitResponse([]byte(tt.data), &resp)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("decode %.80q = %v; want an error with %q", tt.data, err, tt.want)
		}
	}
}

// mustHubAnswers has a new bank D send one payment to A and then a batch
// of n payments to A, the first payment again (a duplicate) and one to a
// bank the hub does not know, and returns the hub's two answers as it
// wrote them.
func mustHubAnswers(tb testing.TB, n int) (submit, batch []byte) {
	tb.Helper()
	f := mustFixture(tb)
	d := mustRawBank(tb, f, bankD, "Demo Bank D of India", "INR")
	mustFund(tb, f.op, bankD, "INR", "100000.00")
	first := mustEncode(tb, rupees(5000, bankD, bankA, 1_00))
	a := d.submit(tb, f, first)
	if a.status != http.StatusAccepted {
		tb.Fatalf("POST /v1/messages = %s", a)
	}
	var msgs [][]byte
	for i := range n {
		msgs = append(msgs, mustEncode(tb, rupees(5001+i, bankD, bankA, corridor.Amount(1_00+i))))
	}
	msgs = append(msgs, first, mustEncode(tb, rupees(6000, bankD, notABank, 1_00)))
	b := d.send(f, http.MethodPost, "/v1/messages/batch", batchBody(tb, msgs), signBatch(tb, d.signer, msgs, len(msgs)))
	if b.status != http.StatusOK {
		tb.Fatalf("POST /v1/messages/batch = %s", b)
	}
	return []byte(a.body), []byte(b.body)
}

// TestDecodeHubAnswers decodes the hub's own answers as json.Unmarshal
// does, and checks that they hold what they should: a receipt, and in
// the batch, accepted answers, a duplicate and a refusal.
func TestDecodeHubAnswers(t *testing.T) {
	submit, batch := mustHubAnswers(t, 5)
	if !checkSubmitDecodes(t, submit) || !checkBatchDecodes(t, batch) {
		t.Fatalf("json.Unmarshal refuses the hub's answers %.300q, %.300q", submit, batch)
	}
	var s httpapi.SubmitResponse
	var b httpapi.BatchResponse
	if httpapi.DecodeSubmitResponse(submit, &s) != nil || httpapi.DecodeBatchResponse(batch, &b) != nil {
		t.Fatal("the hub's answers are refused")
	}
	if s.Receipt == nil || s.Receipt.Seq == 0 || s.Receipt.Time.IsZero() {
		t.Errorf("the answer to a message %s has no receipt", submit)
	}
	if len(b.Results) != 7 || b.Results[0].Accepted == nil || b.Results[0].Accepted.Receipt.Batch == nil ||
		!b.Results[5].Accepted.Duplicate || b.Results[6].Error == nil || b.Results[6].Error.Reason == "" {
		t.Errorf("the answer to a batch %s lacks what it should hold", batch)
	}
}

// FuzzDecodeSubmitResponse checks that DecodeSubmitResponse decodes what
// json.Unmarshal decodes and refuses what it refuses, seeded with the
// hub's answer and the corners.
func FuzzDecodeSubmitResponse(f *testing.F) {
	submit, _ := mustHubAnswers(f, 1)
	f.Add(submit)
	f.Add([]byte(reusedSubmit))
	for _, tt := range submitCorners {
		if len(tt.data) <= 4096 {
			f.Add([]byte(tt.data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return // Far more than an answer to one message holds.
		}
		checkSubmitDecodes(t, data)
	})
}

// FuzzDecodeBatchResponse checks that DecodeBatchResponse decodes what
// json.Unmarshal decodes and refuses what it refuses, seeded with the
// hub's answer and the corners.
func FuzzDecodeBatchResponse(f *testing.F) {
	_, batch := mustHubAnswers(f, 3)
	f.Add(batch)
	f.Add([]byte(reusedBatch))
	for _, tt := range batchCorners {
		if len(tt.data) <= 4096 {
			f.Add([]byte(tt.data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return // An answer of MaxBatchMessages results is some 300 KiB.
		}
		checkBatchDecodes(t, data)
	})
}

// BenchmarkDecodeSubmitResponse decodes the hub's answer to one message
// with json.Unmarshal (old) and DecodeSubmitResponse (new).
func BenchmarkDecodeSubmitResponse(b *testing.B) {
	submit, _ := mustHubAnswers(b, 1)
	benchmarkDecode(b, submit, httpapi.DecodeSubmitResponse)
}

// BenchmarkDecodeBatchResponse decodes the hub's answer to a batch of 64
// messages (and the two more mustHubAnswers adds) with json.Unmarshal
// (old) and DecodeBatchResponse (new).
func BenchmarkDecodeBatchResponse(b *testing.B) {
	_, batch := mustHubAnswers(b, 64)
	benchmarkDecode(b, batch, httpapi.DecodeBatchResponse)
}

func benchmarkDecode[T any](b *testing.B, data []byte, decode func([]byte, *T) error) {
	b.Logf("an answer of %d bytes", len(data))
	for _, impl := range []struct {
		name   string
		decode func([]byte, *T) error
	}{{"old", func(data []byte, v *T) error { return json.Unmarshal(data, v) }}, {"new", decode}} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var v T
				if err := impl.decode(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
