package httpapi

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"

	"github.com/corridor-network/corridor"
)

// SubmitBatch sends 1 to MaxBatchMessages ISO 20022 messages (each an
// envelope, as Submit takes) in one request under one signature over the
// root of their Merkle tree, and returns the hub's answer to each, in order,
// once the hub has made those it took durable. Each message is taken,
// de-duplicated and answered on its own (BatchResult.Err is the error Submit
// would have returned for it), so a batch is sent again as it is after a
// failure: every message it took is answered as a duplicate. The error is
// for the batch as a whole: refused (a bad signature, a malformed batch,
// nothing taken) or not answered.
func (c *Client) SubmitBatch(ctx context.Context, messages [][]byte) ([]BatchResult, error) {
	if c.signer == nil {
		return nil, errors.New("submit batch: the client certificate's key cannot sign (ECDSA P-256 needed)")
	}
	if n := len(messages); n == 0 || n > MaxBatchMessages {
		return nil, fmt.Errorf("submit batch: %d messages; a batch holds 1 to %d", n, MaxBatchMessages)
	}
	sig, err := c.signer.SignDetached(corridor.BatchStatement(len(messages), batchTree(messages).Root()))
	if err != nil {
		return nil, fmt.Errorf("submit batch: %w", err)
	}
	body := appendBatchRequest(make([]byte, 0, batchRequestLen(messages)), messages)
	var resp BatchResponse
	decode := func(data []byte) error {
		resp = BatchResponse{} // Not what an attempt refused left of its answer: do may try again.
		return decodeBatchResponse(data, &resp)
	}
	_, err = c.do(ctx, request{method: http.MethodPost, path: "/v1/messages/batch", contentType: "application/json",
		body: body, signature: sig, want: http.StatusOK, idempotent: true, decode: decode}, nil)
	if err != nil {
		return nil, err
	}
	if len(resp.Results) != len(messages) {
		return nil, fmt.Errorf("submit batch: the hub answered %d results for %d messages", len(resp.Results), len(messages))
	}
	return resp.Results, nil
}

// appendBatchRequest appends the body of POST /v1/messages/batch carrying
// messages, byte for byte as encoding/json writes their BatchRequest: the
// base64 alphabet needs no escaping in a JSON string.
func appendBatchRequest(buf []byte, messages [][]byte) []byte {
	buf = append(buf, batchRequestHead...)
	for i, m := range messages {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		buf = base64.StdEncoding.AppendEncode(buf, m)
		buf = append(buf, '"')
	}
	return append(buf, batchRequestTail...)
}

const batchRequestHead, batchRequestTail = `{"messages":[`, `]}`

// batchRequestLen is the length of appendBatchRequest's body for messages.
func batchRequestLen(messages [][]byte) int {
	n := len(batchRequestHead) + len(batchRequestTail) + max(len(messages)-1, 0) // The commas.
	for _, m := range messages {
		n += base64.StdEncoding.EncodedLen(len(m)) + 2
	}
	return n
}
