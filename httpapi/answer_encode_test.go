package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
)

// encodedByJSON is v as json.NewEncoder with SetEscapeHTML(false) encodes
// it, as the hub wrote every answer before it had its own encoders.
func encodedByJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// checkEncodes fails tb unless AppendAnswer appends v to a buffer that
// holds something already exactly as encoding/json writes it, or refuses
// it, appending nothing, when encoding/json does.
func checkEncodes(tb testing.TB, v any) {
	tb.Helper()
	const before = "before "
	got, errGot := httpapi.AppendAnswer([]byte(before), v)
	want, errWant := encodedByJSON(v)
	described := fmt.Sprintf("%+v", v)
	if len(described) > 300 {
		described = described[:300] + "..."
	}
	switch {
	case errGot == nil && errWant == nil:
		if !bytes.HasPrefix(got, []byte(before)) || !bytes.Equal(got[len(before):], want) {
			tb.Errorf("AppendAnswer(%s) =\n%q\nwant, as encoding/json writes it,\n%q", described, got, append([]byte(before), want...))
		}
	case errGot == nil:
		tb.Errorf("AppendAnswer(%s) = %q; encoding/json refuses it: %v", described, got, errWant)
	case errWant == nil:
		tb.Errorf("AppendAnswer(%s) = %v; encoding/json writes %q", described, errGot, want)
	case string(got) != before:
		tb.Errorf("AppendAnswer(%s) = %q, %v; want only what the buffer held", described, got, errGot)
	}
}

// hardStrings are strings encoding/json escapes or changes, each alone and
// between plain text, long enough for eight bytes at a time.
var hardStrings = func() []string {
	special := []string{"", `"`, `\`, "/", "<>&", "\x7f", "\u2028", "\u2029", "\u2027\u202a", "é€😀", "\ufffd",
		"\xff", "\xfe\xff", "\xc0\x80", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98", "ООО Нефтеэкспорт"}
	for c := range 0x20 {
		special = append(special, string(rune(c)))
	}
	var out []string
	for _, s := range special {
		out = append(out, s, "abcdefghij"+s+"klmnopqrstuvwxyz"+s, s+"<Document>"+s)
	}
	return append(out, strings.Repeat("plain xml ", 400), strings.Repeat("\u00e9<a b=\"c\"/>\n", 300))
}()

// hardTimes are times encoding/json writes in all the ways it writes them,
// and refuses.
var hardTimes = []time.Time{
	{}, businessDay, businessDay.Add(time.Nanosecond), businessDay.Add(120 * time.Millisecond), businessDay.Add(123456789),
	businessDay.In(time.FixedZone("IST", 5*3600+1800)), businessDay.In(time.FixedZone("", -7*3600)),
	businessDay.In(time.FixedZone("", 3661)), businessDay.In(time.FixedZone("", -59)),
	time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
	time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	businessDay.In(time.FixedZone("", 24*3600)), businessDay.In(time.FixedZone("", -24*3600)),
	businessDay.In(time.FixedZone("", 23*3600+59*60)), time.Now(), // With a monotonic reading.
}

// TestAppendAnswerStrings checks each of hardStrings in every string of
// the three answers.
func TestAppendAnswerStrings(t *testing.T) {
	for _, s := range hardStrings {
		for _, v := range answersOf(s, s, s, businessDay, 2, 0xffff) {
			checkEncodes(t, v)
		}
	}
}

// TestAppendAnswerTimes checks each of hardTimes in the answers that have
// times.
func TestAppendAnswerTimes(t *testing.T) {
	for _, tm := range hardTimes {
		for _, v := range answersOf("a", "b", "c", tm, 2, 0xffff) {
			checkEncodes(t, v)
		}
	}
}

// TestAppendAnswerShapes checks answers of every count of elements and
// every choice of the optional parts.
func TestAppendAnswerShapes(t *testing.T) {
	for n := range 4 {
		for flags := range 1 << 12 {
			for _, v := range answersOf("s", "", "t", businessDay, n, uint16(flags)) {
				checkEncodes(t, v)
			}
		}
	}
	for _, v := range []any{httpapi.InboxResponse{}, httpapi.BatchResponse{}, httpapi.SubmitResponse{},
		httpapi.InboxResponse{Messages: []httpapi.InboxMessageBody{}}, httpapi.BatchResponse{Results: []httpapi.BatchResult{}},
		httpapi.ErrorBody{Error: "not one of the three"}, map[string]int{"x": 1}} {
		checkEncodes(t, v)
	}
}

// answersOf builds an answer of each of the three types from s1, s2 and
// s3 (strings), tm, n (how many messages, results, problems and hashes of
// a path) and flags, which choose what is set and what left empty or nil.
func answersOf(s1, s2, s3 string, tm time.Time, n int, flags uint16) []any {
	bit := func(i int) bool { return flags&(1<<i) != 0 }
	pick := func(i int, s string) string {
		if bit(i) {
			return s
		}
		return ""
	}
	var proof *httpapi.BatchProofBody
	if bit(0) {
		proof = &httpapi.BatchProofBody{Index: -n, Count: n << 40}
		if bit(1) {
			proof.Path = make([]corridor.MerkleHash, n)
			for i := range proof.Path {
				proof.Path[i] = corridor.MerkleLeaf([]byte(s1 + s3))
			}
		}
	}
	submit := httpapi.SubmitResponse{Reference: s1, UETR: s2, Status: s3, Wait: pick(2, s1), Reason: pick(3, s2), Detail: pick(4, s3),
		Duplicate: bit(5)}
	if bit(6) {
		submit.Receipt = &httpapi.ReceiptBody{Seq: uint64(n) << 60, Time: tm, Sender: s1, SHA256: s2, Signature: s3, Batch: proof}
	}
	var inbox httpapi.InboxResponse
	var batch httpapi.BatchResponse
	if bit(7) {
		inbox.Messages, batch.Results = []httpapi.InboxMessageBody{}, []httpapi.BatchResult{}
	}
	for i := range n {
		inbox.Messages = append(inbox.Messages, httpapi.InboxMessageBody{Seq: uint64(i), MsgDefID: s1, UETR: s2, Reference: s3,
			Time: tm, PossibleDuplicate: bit(8 + i%2), Body: s1 + s2 + s3, Signature: s2, Batch: proof})
		r := httpapi.BatchResult{Status: 202 - i*100}
		if bit(10) {
			r.Accepted = &submit
		}
		if bit(11) {
			r.Error = &httpapi.ErrorBody{Error: s1, Reason: pick(2, s2), Outcome: pick(3, s3), Leader: pick(4, s1)}
			for j := range i {
				r.Error.Problems = append(r.Error.Problems, httpapi.ProblemBody{Path: s1, Rule: s2, Reason: pick(j%3, s3)})
			}
			if i == 0 && bit(1) {
				r.Error.Problems = []httpapi.ProblemBody{} // Empty but not nil: omitted too.
			}
		}
		batch.Results = append(batch.Results, r)
	}
	return []any{inbox, batch, submit}
}

// TestEncodeHubAnswers checks that the answers a real hub writes, now by
// its own encoders, are what encoding/json writes for what they decode to.
func TestEncodeHubAnswers(t *testing.T) {
	submit, batch := mustHubAnswers(t, 5)
	inboxBatch, inboxEach := mustInboxPages(t, 6)
	for _, tt := range []struct {
		answer []byte
		v      any
	}{{submit, new(httpapi.SubmitResponse)}, {batch, new(httpapi.BatchResponse)},
		{inboxBatch, new(httpapi.InboxResponse)}, {inboxEach, new(httpapi.InboxResponse)}} {
		if err := json.Unmarshal(tt.answer, tt.v); err != nil {
			t.Fatalf("json.Unmarshal(%.200q): %v", tt.answer, err)
		}
		want, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		want = append(bytes.ReplaceAll(bytes.ReplaceAll(bytes.ReplaceAll(want, []byte(`\u003c`), []byte("<")),
			[]byte(`\u003e`), []byte(">")), []byte(`\u0026`), []byte("&")), '\n') // As with SetEscapeHTML(false).
		if !bytes.Equal(tt.answer, want) {
			t.Errorf("the hub wrote\n%.2000s\nencoding/json writes\n%.2000s", tt.answer, want)
		}
	}
}

// FuzzAppendAnswers checks that AppendAnswer writes the three answers built
// from its inputs (answersOf) exactly as encoding/json writes them.
func FuzzAppendAnswers(f *testing.F) {
	for i, s := range hardStrings {
		tm := hardTimes[i%len(hardTimes)]
		_, offset := tm.Zone()
		f.Add(s, "b", hardStrings[(i+7)%len(hardStrings)], tm.Unix(), int64(tm.Nanosecond()), int32(offset), uint8(i%4), uint16(i*2654435761))
	}
	f.Fuzz(func(t *testing.T, s1, s2, s3 string, sec, nsec int64, offset int32, n uint8, flags uint16) {
		if len(s1)+len(s2)+len(s3) > 64<<10 {
			return
		}
		tm := time.Unix(sec, nsec).In(time.FixedZone("", int(offset)))
		for _, v := range answersOf(s1, s2, s3, tm, int(n%8), flags) {
			checkEncodes(t, v)
		}
	})
}

// BenchmarkEncodeBatchResponse encodes the hub's answer to a batch of 64
// messages (and the two more mustHubAnswers adds) with encoding/json into
// a buffer kept between answers (old) and with AppendAnswer (new).
func BenchmarkEncodeBatchResponse(b *testing.B) {
	_, batch := mustHubAnswers(b, 64)
	var resp httpapi.BatchResponse
	if err := json.Unmarshal(batch, &resp); err != nil {
		b.Fatal(err)
	}
	benchmarkEncode(b, resp, len(batch))
}

// BenchmarkEncodeInboxPage encodes a page of 64 messages as the hub writes
// it for sign=batch (mustInboxPages), as BenchmarkEncodeBatchResponse does.
func BenchmarkEncodeInboxPage(b *testing.B) {
	page, _ := mustInboxPages(b, 64)
	var resp httpapi.InboxResponse
	if err := json.Unmarshal(page, &resp); err != nil {
		b.Fatal(err)
	}
	benchmarkEncode(b, resp, len(page))
}

func benchmarkEncode(b *testing.B, v any, size int) {
	b.Logf("an answer of %d bytes", size)
	b.Run("old", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("new", func(b *testing.B) {
		b.SetBytes(int64(size))
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = httpapi.AppendAnswer(buf[:0], v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
