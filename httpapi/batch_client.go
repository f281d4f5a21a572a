package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
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
	req := BatchRequest{Messages: make([]string, len(messages))}
	for i, m := range messages {
		req.Messages[i] = base64.StdEncoding.EncodeToString(m)
	}
	sig, err := c.signer.SignDetached(corridor.BatchStatement(len(messages), batchTree(messages).Root()))
	if err != nil {
		return nil, fmt.Errorf("submit batch: %w", err)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("submit batch: encode: %w", err)
	}
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
