package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// xBatch is three fresh payments from X to A, numbered from first.
func xBatch(t *testing.T, first int) [][]byte {
	return [][]byte{payment(t, first, bankX, bankA), payment(t, first+1, bankX, bankA), payment(t, first+2, bankX, bankA)}
}

// batchBody is the JSON body of a batch of msgs.
func batchBody(tb testing.TB, msgs [][]byte) []byte {
	tb.Helper()
	enc := make([]string, len(msgs))
	for i, m := range msgs {
		enc[i] = base64.StdEncoding.EncodeToString(m)
	}
	b, err := json.Marshal(map[string][]string{"messages": enc})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// signBatch is signer's JWS over the statement of msgs, claiming count.
func signBatch(tb testing.TB, signer *pki.Signer, msgs [][]byte, count int) string {
	tb.Helper()
	leaves := make([]corridor.MerkleHash, len(msgs))
	for i, m := range msgs {
		leaves[i] = corridor.MerkleLeaf(m)
	}
	sig, err := signer.SignDetached(corridor.BatchStatement(count, corridor.MerkleRoot(leaves)))
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}

// xSendsBatch has X sign the batch signed (with its own key, unless by is
// set) and send the batch sent(signed).
func xSendsBatch(first int, by func(s *securityFixture) *pki.Signer, sent func(t *testing.T, signed [][]byte) [][]byte) hostileRun {
	return func(t *testing.T, s *securityFixture) answer {
		signed := xBatch(t, first)
		signer := s.x.signer
		if by != nil {
			signer = by(s)
		}
		sig := signBatch(t, signer, signed, len(signed))
		return s.x.send(s.fixture, http.MethodPost, "/v1/messages/batch", batchBody(t, sent(t, slices.Clone(signed))), sig)
	}
}

// xSendsRawBatch has X send body as a batch under sig(body's messages).
func xSendsRawBatch(body func(t *testing.T) []byte) hostileRun {
	return func(t *testing.T, s *securityFixture) answer {
		msgs := xBatch(t, 7100)
		return s.x.send(s.fixture, http.MethodPost, "/v1/messages/batch", body(t), signBatch(t, s.x.signer, msgs, len(msgs)))
	}
}

// batchCases are the batch endpoint's refusals of a batch as a whole:
// nothing of it is taken.
func batchCases() []hostileCase {
	same := func(_ *testing.T, m [][]byte) [][]byte { return m }
	return []hostileCase{
		{"BatchMessageTampered", xSendsBatch(7000, nil, func(t *testing.T, m [][]byte) [][]byte {
			m[1] = mustReplace(t, m[1], `">1.00<`, `">9.00<`)
			return m
		}), 403, "does not verify"},
		{"BatchWrongCount", func(t *testing.T, s *securityFixture) answer {
			msgs := xBatch(t, 7010)
			return s.x.send(s.fixture, http.MethodPost, "/v1/messages/batch", batchBody(t, msgs), signBatch(t, s.x.signer, msgs, 4))
		}, 403, "does not verify"},
		{"BatchReordered", xSendsBatch(7020, nil, func(_ *testing.T, m [][]byte) [][]byte { return [][]byte{m[1], m[0], m[2]} }), 403, "does not verify"},
		{"BatchTruncated", xSendsBatch(7030, nil, func(_ *testing.T, m [][]byte) [][]byte { return m[:2] }), 403, "does not verify"},
		{"BatchMessageAdded", xSendsBatch(7040, nil, func(t *testing.T, m [][]byte) [][]byte {
			return append(m, payment(t, 7049, bankX, bankA))
		}), 403, "does not verify"},
		{"BatchSignedByAnotherBank", xSendsBatch(7050, func(s *securityFixture) *pki.Signer { return s.a2.signer }, same), 403, "kid names another certificate"},
		{"BatchSignatureOfOneMessage", func(t *testing.T, s *securityFixture) answer {
			msg := payment(t, 7060, bankX, bankA)
			return s.x.send(s.fixture, http.MethodPost, "/v1/messages/batch", batchBody(t, [][]byte{msg}), s.x.sign(t, msg))
		}, 403, "does not verify"},
		{"BatchNoSignature", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodPost, "/v1/messages/batch", batchBody(t, xBatch(t, 7070)), "")
		}, 403, "no signature"},
		{"BatchTooManyMessages", func(t *testing.T, s *securityFixture) answer {
			msgs := make([][]byte, 257)
			for i := range msgs {
				msgs[i] = payment(t, 7200+i, bankX, bankA)
			}
			return s.x.send(s.fixture, http.MethodPost, "/v1/messages/batch", batchBody(t, msgs), signBatch(t, s.x.signer, msgs[:256], 256))
		}, 400, "holds 1 to 256"},
		{"BatchEmpty", xSendsRawBatch(func(*testing.T) []byte { return []byte(`{"messages":[]}`) }), 400, "a batch of 0 messages"},
		{"BatchBodyOverLimit", xSendsRawBatch(func(*testing.T) []byte {
			return []byte(`{"messages":["` + strings.Repeat("A", 8<<20) + `"]}`)
		}), 413, "over the limit of 8388608 bytes"},
		{"BatchMessageOverLimit", xSendsRawBatch(func(t *testing.T) []byte { return batchBody(t, [][]byte{make([]byte, 1<<20+1)}) }), 413, "messages[0] of 1048577 bytes is over the limit"},
		{"BatchNotBase64", xSendsRawBatch(func(*testing.T) []byte { return []byte(`{"messages":["PEVudmVsb3Bl-_"]}`) }), 400, "messages[0] is not padded base64"},
		{"BatchUnknownField", xSendsRawBatch(func(t *testing.T) []byte {
			return bytes.Replace(batchBody(t, xBatch(t, 7100)), []byte(`{`), []byte(`{"signature":"x",`), 1)
		}), 400, "unknown field"},
		{"BatchMessagesNotAList", xSendsRawBatch(func(*testing.T) []byte { return []byte(`{"messages":"PEVudmVsb3BlLz4="}`) }), 400, "messages"},
		{"BatchDuplicateKey", xSendsRawBatch(func(t *testing.T) []byte {
			return bytes.Replace(batchBody(t, xBatch(t, 7100)), []byte(`{`), []byte(`{"messages":[],`), 1)
		}), 400, "given twice"},
		{"BatchSignatureHeaderTwice", func(t *testing.T, s *securityFixture) answer {
			msgs := xBatch(t, 7080)
			sig := signBatch(t, s.x.signer, msgs, len(msgs))
			req, err := http.NewRequest(http.MethodPost, s.url+"/v1/messages/batch", bytes.NewReader(batchBody(t, msgs)))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Add("X-Corridor-Signature", sig)
			req.Header.Add("X-Corridor-Signature", sig)
			return do(s.x.http, req)
		}, 403, "signature header given 2 times"},
		{"OperatorSubmitsBatch", func(t *testing.T, s *securityFixture) answer {
			return s.op.send(s.fixture, http.MethodPost, "/v1/messages/batch", batchBody(t, [][]byte{s.paidBody}), "")
		}, 403, "participant role"},
		{"WrongMethodOnBatch", func(t *testing.T, s *securityFixture) answer {
			return s.x.send(s.fixture, http.MethodGet, "/v1/messages/batch", nil, "")
		}, 405, ""},
	}
}
