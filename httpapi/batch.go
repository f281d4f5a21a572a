package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/pki"
)

// Bounds of POST /v1/messages/batch.
const (
	MaxBatchMessages  = corridor.MaxBatchMessages // Messages in one batch.
	MaxBatchBodyBytes = 8 << 20                   // The JSON body of a batch: 256 messages of 24 KiB each, in base64.
)

// BatchRequest is the body of POST /v1/messages/batch: 1 to
// MaxBatchMessages messages, each one envelope as POST /v1/messages takes
// it, in base64 (RFC 4648 §4, padded). The signature header holds one
// detached JWS over corridor.BatchStatement of them.
type BatchRequest struct {
	Messages []string `json:"messages"`
}

// BatchResponse answers POST /v1/messages/batch: one result per message, in
// the order sent.
type BatchResponse struct {
	Results []BatchResult `json:"results"`
}

// BatchResult is the answer to one message of a batch: the status that
// message alone would have had from POST /v1/messages, with Accepted for a
// 202, Error otherwise.
type BatchResult struct {
	Status   int             `json:"status"`
	Accepted *SubmitResponse `json:"accepted,omitempty"` // With 202; its receipt is under the batch's one signature.
	Error    *ErrorBody      `json:"error,omitempty"`    // With any other status.
}

// Err is the result as the client's error of the same answer to a single
// message (an *APIError), or nil for a 202.
func (r BatchResult) Err() error {
	switch {
	case r.Status == http.StatusAccepted && r.Accepted != nil:
		return nil
	case r.Error != nil:
		return &APIError{Status: r.Status, Body: *r.Error}
	}
	return &APIError{Status: r.Status, Body: ErrorBody{Error: fmt.Sprintf("batch result of status %d without its body", r.Status)}}
}

// BatchProofBody is a corridor.BatchProof as the API writes it: the place
// of one receipt among those of its batch.
type BatchProofBody struct {
	Index int                   `json:"index"`
	Count int                   `json:"count"`
	Path  []corridor.MerkleHash `json:"path"` // Lower-case hex, from the leaf up.
}

func (b BatchProofBody) proof() corridor.BatchProof {
	return corridor.BatchProof{Index: b.Index, Count: b.Count, Path: b.Path}
}

// handleBatch takes up to MaxBatchMessages messages under one signature,
// verified once over the root of their Merkle tree before any of them is
// parsed, and answers each as POST /v1/messages would, in order. A batch
// whose JSON, bounds or signature is refused is refused as a whole and
// nothing of it is taken; past that, one message's refusal never touches
// another's.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	sig, err := signatureOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	msgs, err := s.readBatch(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tree := batchTree(msgs)
	if err := pki.VerifyDetached(sig, corridor.BatchStatement(len(msgs), tree.Root()), r.TLS.PeerCertificates[0]); err != nil {
		s.writeError(w, r, err)
		return
	}
	// A batch counts as its messages against the bank's rate: the request
	// took one token, its other messages take theirs.
	if err := s.limits.charge(id.BIC, len(msgs)-1, s.Now()); err != nil {
		s.writeError(w, r, err)
		return
	}
	results := s.submitBatch(r, id.BIC, msgs, sig, tree)
	s.signReceipts(results)
	s.Logger.Debug("batch answered", corridor.LogKeyBIC, id.BIC, "messages", len(msgs))
	writeJSON(w, http.StatusOK, BatchResponse{Results: results})
}

// readBatch reads and decodes the body of a batch, in a buffer given back
// once the messages are decoded out of it.
func (s *Server) readBatch(w http.ResponseWriter, r *http.Request) ([][]byte, error) {
	buf := getReadBuffer()
	defer putReadBuffer(buf)
	body, err := readBodyInto(buf, w, r, MaxBatchBodyBytes)
	if err != nil {
		return nil, err
	}
	return decodeBatch(body, s.MaxBodyBytes)
}

// decodeBatch reads a batch's body: strict JSON, 1 to MaxBatchMessages
// messages, each padded base64 of at most maxMessageBytes. A body as the
// client writes it (plainBatch) is read in place; any other goes through
// decodeStrict, which names what is wrong with it.
func decodeBatch(body []byte, maxMessageBytes int64) ([][]byte, error) {
	encoded, ok := plainBatch(body)
	if !ok {
		var req BatchRequest
		if err := decodeStrict(body, &req); err != nil {
			return nil, err
		}
		encoded = make([][]byte, len(req.Messages))
		for i, m := range req.Messages {
			encoded[i] = []byte(m)
		}
	}
	if n := len(encoded); n == 0 || n > MaxBatchMessages {
		return nil, fmt.Errorf("%w: a batch of %d messages; a batch holds 1 to %d", errBadJSON, n, MaxBatchMessages)
	}
	msgs := make([][]byte, len(encoded))
	for i, m := range encoded {
		b, err := decodeBatchMessage(i, m, maxMessageBytes)
		if err != nil {
			return nil, err
		}
		msgs[i] = b
	}
	return msgs, nil
}

// strictBase64 is padded base64 (RFC 4648 §4) that refuses stray bits.
var strictBase64 = base64.StdEncoding.Strict()

// decodeBatchMessage decodes message i of a batch, m, into bytes of its
// own, refusing it before decoding when its length alone says it is over
// maxMessageBytes (padding aside).
func decodeBatchMessage(i int, m []byte, maxMessageBytes int64) ([]byte, error) {
	if int64(strictBase64.DecodedLen(len(m))) > maxMessageBytes+2 {
		return nil, fmt.Errorf("messages[%d] is over the limit of %d bytes: %w", i, maxMessageBytes, errTooLarge)
	}
	b := make([]byte, strictBase64.DecodedLen(len(m)))
	n, err := strictBase64.Decode(b, m)
	if err != nil {
		return nil, fmt.Errorf("%w: messages[%d] is not padded base64 (RFC 4648 §4): %v", errBadJSON, i, err)
	}
	if int64(n) > maxMessageBytes {
		return nil, fmt.Errorf("messages[%d] of %d bytes is over the limit of %d bytes: %w", i, n, maxMessageBytes, errTooLarge)
	}
	return b[:n], nil
}

// plainBatch reads body in place when it is a batch as SubmitBatch writes
// it, spaces between tokens aside: one object with the one member
// "messages", an array of at most MaxBatchMessages strings of the base64
// alphabet. It returns each string's bytes within body, or false for any
// other body (escapes, other members, null, too many messages), which
// decodeStrict then judges. What it accepts, decodeStrict accepts and
// decodes to the same strings (FuzzDecodeBatch).
func plainBatch(body []byte) ([][]byte, bool) {
	s := plainScanner{data: body}
	if !s.token('{') || !s.literal(`"messages"`) || !s.token(':') || !s.token('[') {
		return nil, false
	}
	var encoded [][]byte
	for s.space(); s.peek() != ']'; s.space() {
		if len(encoded) > 0 && !s.token(',') {
			return nil, false
		}
		m, ok := s.base64String()
		if !ok || len(encoded) == MaxBatchMessages {
			return nil, false
		}
		encoded = append(encoded, m)
	}
	s.pos++ // The ']'.
	if !s.token('}') {
		return nil, false
	}
	s.space()
	return encoded, s.pos == len(s.data)
}

// plainScanner reads the tokens of a plain batch.
type plainScanner struct {
	data []byte
	pos  int
}

// space skips JSON's insignificant whitespace.
func (s *plainScanner) space() { s.pos = spaceEnd(s.data, s.pos) }

// peek is the next byte, or 0 at the end.
func (s *plainScanner) peek() byte {
	if s.pos == len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// token skips space and then c, saying whether c was there.
func (s *plainScanner) token(c byte) bool {
	s.space()
	if s.peek() != c {
		return false
	}
	s.pos++
	return true
}

// literal skips space and then lit, saying whether lit was there.
func (s *plainScanner) literal(lit string) bool {
	s.space()
	if !bytes.HasPrefix(s.data[s.pos:], []byte(lit)) {
		return false
	}
	s.pos += len(lit)
	return true
}

// base64String reads a string of base64 characters only (no escapes), and
// returns what is between its quotes.
func (s *plainScanner) base64String() ([]byte, bool) {
	if s.peek() != '"' {
		return nil, false
	}
	start := s.pos + 1
	for s.pos = start; s.pos < len(s.data) && isBase64Char(s.data[s.pos]); s.pos++ {
	}
	if s.peek() != '"' {
		return nil, false
	}
	s.pos++
	return s.data[start : s.pos-1], true
}

func isBase64Char(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
}

// batchTree is the Merkle tree over msgs.
func batchTree(msgs [][]byte) *corridor.MerkleTree {
	leaves := make([]corridor.MerkleHash, len(msgs))
	for i, m := range msgs {
		leaves[i] = corridor.MerkleLeaf(m)
	}
	return corridor.NewMerkleTree(leaves)
}

// submitBatch decodes each message, checking that bic sent it, and hands
// those that decode to the hub together, each with the batch signature and
// its proof, which the journal keeps beside it.
func (s *Server) submitBatch(r *http.Request, bic corridor.BIC, msgs [][]byte, sig string, tree *corridor.MerkleTree) []BatchResult {
	results := make([]BatchResult, len(msgs))
	subs := make([]*iso20022.Submission, len(msgs))
	signed := make([]corridor.SignedMessage, len(msgs))
	paths := tree.Paths()
	for i, m := range msgs {
		signed[i] = corridor.SignedMessage{Body: m, Signature: sig,
			Batch: &corridor.BatchProof{Index: i, Count: len(msgs), Path: paths[i]}}
		sub, err := iso20022.DecodeSubmission(m, bic, s.Hub.BIC())
		if err != nil {
			results[i] = errorResult(err)
			continue
		}
		subs[i] = sub
	}
	for i, out := range s.Hub.SubmitBatch(r.Context(), subs, signed) {
		switch {
		case subs[i] == nil:
		case out.Err != nil:
			results[i] = errorResult(out.Err)
		default:
			ack := submitResponse(out.Result)
			if out.Result.Receipt.Seq != 0 {
				ack.Receipt = unsignedReceipt(out.Result.Receipt, "")
			}
			results[i] = BatchResult{Status: http.StatusAccepted, Accepted: &ack}
		}
	}
	return results
}

func errorResult(err error) BatchResult {
	status, body := errorResponse(err)
	return BatchResult{Status: status, Error: &body}
}

// signReceipts signs the receipts of results once: over the root of the
// tree of their corridor.ReceiptMessage, in order, each receipt given its
// place in that tree. The messages are journaled whatever happens to the
// receipts: a signing failure is logged and the answers go without them.
func (s *Server) signReceipts(results []BatchResult) {
	var receipts []*ReceiptBody
	var leaves []corridor.MerkleHash
	for _, res := range results {
		if res.Accepted == nil || res.Accepted.Receipt == nil {
			continue
		}
		r, err := receiptOf(*res.Accepted.Receipt)
		if err != nil { // The hub's own receipt: a bug.
			s.Logger.Error("receipt not signed", corridor.LogKeyUETR, res.Accepted.UETR, "error", err)
			res.Accepted.Receipt = nil
			continue
		}
		receipts = append(receipts, res.Accepted.Receipt)
		leaves = append(leaves, corridor.MerkleLeaf(corridor.ReceiptMessage(r)))
	}
	if len(receipts) == 0 {
		return
	}
	tree := corridor.NewMerkleTree(leaves)
	sig, err := s.Signer.SignDetached(corridor.BatchReceiptStatement(len(leaves), tree.Root()))
	if err != nil {
		s.Logger.Error("batch receipts not signed", "receipts", len(receipts), "error", err)
		for _, res := range results {
			if res.Accepted != nil {
				res.Accepted.Receipt = nil
			}
		}
		return
	}
	paths := tree.Paths()
	for i, rb := range receipts {
		rb.Signature = sig
		rb.Batch = &BatchProofBody{Index: i, Count: len(leaves), Path: paths[i]}
	}
}

// receiptOf is the receipt b describes, unsigned.
func receiptOf(b ReceiptBody) (corridor.Receipt, error) {
	r := corridor.Receipt{Seq: b.Seq, Time: b.Time.UTC(), Sender: corridor.BIC(b.Sender)}
	h, err := hex.DecodeString(b.SHA256)
	if err != nil || len(h) != len(r.Message) {
		return corridor.Receipt{}, fmt.Errorf("receipt of entry %d: sha256 %q is not 64 hex digits", b.Seq, b.SHA256)
	}
	copy(r.Message[:], h)
	return r, nil
}

// charge takes n more tokens of bic's bucket, for a request that does the
// work of n+1, such as a batch. The bucket must hold at least n (or, for n
// above the burst, a full burst); it may then go below zero, and bic's next
// requests wait until it refills.
func (l *limiter) charge(bic corridor.BIC, n int, now time.Time) error {
	if n <= 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[bic]
	if b == nil { // Not a participant acquire admitted: nothing to charge.
		return nil
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.refill)
	b.last = now
	if need := min(float64(n), l.burst); b.tokens < need {
		wait := time.Duration((need - b.tokens) / l.refill * float64(time.Second))
		return &limitError{retryAfter: wait, why: fmt.Sprintf("%s is over %g messages per second: a batch of %d", bic, l.refill, n+1)}
	}
	b.tokens -= float64(n)
	return nil
}
