package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// refDecodeBatch is decodeBatch as it was before plainBatch: every body
// through decodeStrict into a BatchRequest, then each string decoded.
func refDecodeBatch(body []byte, maxMessageBytes int64) ([][]byte, error) {
	var req BatchRequest
	if err := decodeStrict(body, &req); err != nil {
		return nil, err
	}
	if n := len(req.Messages); n == 0 || n > MaxBatchMessages {
		return nil, fmt.Errorf("%w: a batch of %d messages; a batch holds 1 to %d", errBadJSON, n, MaxBatchMessages)
	}
	msgs := make([][]byte, len(req.Messages))
	for i, m := range req.Messages {
		if int64(base64.StdEncoding.DecodedLen(len(m))) > maxMessageBytes+2 {
			return nil, fmt.Errorf("messages[%d] is over the limit of %d bytes: %w", i, maxMessageBytes, errTooLarge)
		}
		b, err := base64.StdEncoding.Strict().DecodeString(m)
		if err != nil {
			return nil, fmt.Errorf("%w: messages[%d] is not padded base64 (RFC 4648 §4): %v", errBadJSON, i, err)
		}
		if int64(len(b)) > maxMessageBytes {
			return nil, fmt.Errorf("messages[%d] of %d bytes is over the limit of %d bytes: %w", i, len(b), maxMessageBytes, errTooLarge)
		}
		msgs[i] = b
	}
	return msgs, nil
}

// batchBodies are bodies of POST /v1/messages/batch, plain and not.
var batchBodies = []string{
	`{"messages":["PERvY3VtZW50Lz4="]}`,
	` { "messages" : [ "PERvY3VtZW50Lz4=" , "AAEC" ] } ` + "\n",
	`{"messages":[]}`,
	`{"messages":[""]}`,
	`{"messages":["AAE="]}`,  // Padded, but its last bits are not zero: strict refuses.
	`{"messages":["AAEC"`,    // Cut short.
	`{"messages":["AA\/C"]}`, // An escape: decodeStrict's.
	`{"messages":null}`,
	`{"Messages":["AAEC"]}`,
	`{"messages":["AAEC"],"messages":["AAEC"]}`,
	`{"messages":["AAEC"],"extra":1}`,
	`{"messages":["AAEC",]}`,
	`{"messages":["AAECAAECAAECAAEC"]}`, // Over a limit of 8 bytes.
	`{"messages":["AAEC"]}x`,
	"{\"messages\":[\"AA\nEC\"]}", // A raw newline in a string: not JSON.
	`["AAEC"]`,
}

func TestDecodeBatchMatchesReference(t *testing.T) {
	for _, body := range batchBodies {
		checkDecodeBatch(t, []byte(body), 8)
	}
	many := `{"messages":[` + "\"AAEC\"" + string(bytes.Repeat([]byte(`,"AAEC"`), MaxBatchMessages)) + `]}`
	checkDecodeBatch(t, []byte(many), 8)
}

// FuzzDecodeBatch holds decodeBatch, with its in-place reading of plain
// bodies, to the decoder it replaced: the same messages or the same error.
func FuzzDecodeBatch(f *testing.F) {
	for _, body := range batchBodies {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 1<<16 {
			return
		}
		checkDecodeBatch(t, body, 64)
	})
}

func checkDecodeBatch(t *testing.T, body []byte, maxMessageBytes int64) {
	t.Helper()
	got, err := decodeBatch(body, maxMessageBytes)
	want, wantErr := refDecodeBatch(body, maxMessageBytes)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("decodeBatch(%q) error %v; want %v", body, err, wantErr)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("decodeBatch(%q) (-want +got):\n%s", body, diff)
	}
	encoded, plain := plainBatch(body)
	if !plain {
		return
	}
	var req BatchRequest
	if err := decodeStrict(body, &req); err != nil {
		t.Fatalf("plainBatch took %q, which decodeStrict refuses: %v", body, err)
	}
	if len(encoded) != len(req.Messages) {
		t.Fatalf("plainBatch(%q) read %d messages; decodeStrict %d", body, len(encoded), len(req.Messages))
	}
	for i, m := range encoded {
		if string(m) != req.Messages[i] {
			t.Fatalf("plainBatch(%q) message %d = %q; decodeStrict %q", body, i, m, req.Messages[i])
		}
	}
}

// FuzzAppendBatchRequest holds the client's batch body to encoding/json's
// BatchRequest: the same bytes.
func FuzzAppendBatchRequest(f *testing.F) {
	f.Add([]byte("<Document/>"), byte(1))
	f.Add([]byte{0, 0xff, 0xfe, '<', '>', '&'}, byte(3))
	f.Fuzz(func(t *testing.T, data []byte, parts byte) {
		messages := bytes.SplitN(data, []byte{0}, int(parts%8)+1)
		req := BatchRequest{Messages: make([]string, len(messages))}
		for i, m := range messages {
			req.Messages[i] = base64.StdEncoding.EncodeToString(m)
		}
		want, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		got := appendBatchRequest(nil, messages)
		if !bytes.Equal(got, want) {
			t.Fatalf("appendBatchRequest(%q) = %s; want %s", messages, got, want)
		}
		if len(got) != batchRequestLen(messages) {
			t.Fatalf("batchRequestLen(%q) = %d; the body has %d bytes", messages, batchRequestLen(messages), len(got))
		}
	})
}

// BenchmarkDecodeBatch decodes a batch of 64 messages as corridor bench
// --batch 64 sends them, in place (new) and through decodeStrict (old).
func BenchmarkDecodeBatch(b *testing.B) {
	body, _ := benchBatchBody(b, 64)
	for _, impl := range []struct {
		name   string
		decode func([]byte, int64) ([][]byte, error)
	}{{"old", refDecodeBatch}, {"new", decodeBatch}} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := impl.decode(body, 1<<20); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
