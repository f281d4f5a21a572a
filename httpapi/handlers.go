package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/internal/crashpoint"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/pki"
)

// handleSubmit takes a message in its envelope (a pacs.008, or a pacs.004,
// pacs.009, camt.056 or camt.029), checks that the caller is
// who the message says sent it, and hands it to the sequencer. The 202 is
// written only after the journal has made the payment durable.
func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	sig, err := signatureOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := readBody(w, r, s.MaxBodyBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The signature covers the exact bytes received: verify it before
	// anything reads them, and never over a re-encoding.
	if err := pki.VerifyDetached(sig, body, r.TLS.PeerCertificates[0]); err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.submit(r, id.BIC, corridor.SignedMessage{Body: body, Signature: sig})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Debug("payment accepted", corridor.LogKeyUETR, res.UETR, corridor.LogKeyBIC, id.BIC,
		"reference", res.Reference, "status", res.Status, "duplicate", res.Duplicate)
	ack := submitResponse(res)
	if res.Receipt.Seq != 0 {
		// The message is journaled whatever happens to the receipt: a
		// signing failure is logged and the answer goes without one.
		if ack.Receipt, err = receiptBody(res.Receipt, s.Signer.SignDetached); err != nil {
			s.Logger.Error("receipt not signed", corridor.LogKeyUETR, res.UETR, "error", err)
		}
	}
	writeJSON(w, http.StatusAccepted, ack)
}

// signatureOf is the request's signature header, given at most once:
// Header.Get reads the first of several, and a proxy or an audit log that
// reads another would record a signature the hub never checked.
func signatureOf(r *http.Request) (string, error) {
	if n := len(r.Header.Values(SignatureHeader)); n > 1 {
		return "", fmt.Errorf("%w: signature header given %d times; send it once", pki.ErrSignature, n)
	}
	return r.Header.Get(SignatureHeader), nil
}

// submit reads the message once, checking that bic sent it, and hands
// what it says to the hub.
func (s *Server) submit(r *http.Request, bic corridor.BIC, msg corridor.SignedMessage) (hub.PaymentResult, error) {
	sub, err := iso20022.DecodeSubmission(msg.Body, bic, s.Hub.BIC())
	if err != nil {
		return hub.PaymentResult{}, err
	}
	return s.Hub.SubmitMessage(r.Context(), sub, msg)
}

func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	q := r.URL.Query()
	after, err := parseUint(q.Get("after"))
	if err != nil {
		s.writeError(w, r, corridor.Reject(corridor.ReasonInvalidFormat, "after must be a message seq: "+err.Error()))
		return
	}
	wait, err := parseWait(q.Get("wait"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	batch, err := parseSignMode(q.Get("sign"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.limits.acquireRead(id.BIC); err != nil {
		s.writeError(w, r, err)
		return
	}
	msgs, err := s.pollInbox(r, id.BIC, after, wait)
	crashpoint.Hit(crashpoint.InboxRead)
	s.limits.releaseRead(id.BIC) // Before signing: the read is done, its slot frees for the next.
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeInboxPage(w, r, id.BIC, msgs, batch)
}

// writeInboxPage answers a read of bic's inbox with msgs, signed one by one
// or, with batch, as one page.
func (s *Server) writeInboxPage(w http.ResponseWriter, r *http.Request, bic corridor.BIC, msgs []hub.InboxMessage, batch bool) {
	sign := s.signEach
	if batch {
		sign = s.signPage
	}
	page, err := sign(bic, msgs)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page.write(w)
}

// signEach gives each message of a page the hub's signature over its body,
// signed once per message (sigCache) however often it is read.
func (s *Server) signEach(bic corridor.BIC, msgs []hub.InboxMessage) (inboxPage, error) {
	sigs := make([]string, len(msgs))
	for i, m := range msgs {
		sig, err := s.sigs.signature(bic, m)
		if err != nil {
			return inboxPage{}, err
		}
		sigs[i] = sig
	}
	return inboxPage{msgs: msgs, sigs: sigs}, nil
}

// signPage signs a page read with sign=batch once: the hub's JWS over
// corridor.InboxStatement of the Merkle root of its bodies, each message
// carrying its place in the tree. One signature per read instead of one
// per message, for a bank that reads many.
func (s *Server) signPage(_ corridor.BIC, msgs []hub.InboxMessage) (inboxPage, error) {
	if len(msgs) == 0 {
		return inboxPage{msgs: msgs}, nil
	}
	leaves := make([]corridor.MerkleHash, len(msgs))
	for i, m := range msgs {
		leaves[i] = corridor.MerkleLeaf(m.Body)
	}
	tree := corridor.NewMerkleTree(leaves)
	sig, err := s.Signer.SignDetached(corridor.InboxStatement(len(msgs), tree.Root()))
	if err != nil {
		return inboxPage{}, fmt.Errorf("sign inbox page: %w", err)
	}
	return inboxPage{msgs: msgs, sig: sig, tree: tree}, nil
}

// A page signed as one is a Merkle tree of at most MaxBatchMessages leaves.
const _ uint = corridor.MaxBatchMessages - hub.MaxInboxRead

// parseSignMode reads the inbox's sign parameter: "" or "message" for a
// signature per message, "batch" for one per page.
func parseSignMode(v string) (batch bool, err error) {
	switch v {
	case "", "message":
		return false, nil
	case "batch":
		return true, nil
	}
	return false, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("sign must be message or batch, not %.20q", v))
}

// pollInbox reads bic's inbox, waiting up to wait, and checks the caller's
// standing again after every wait: a revocation or suspension that became
// durable while the poll waited ends it with 403, and nothing is delivered.
func (s *Server) pollInbox(r *http.Request, bic corridor.BIC, after uint64, wait time.Duration) ([]hub.InboxMessage, error) {
	deadline := time.Now().Add(wait)
	for {
		msgs, err := s.Hub.Inbox(r.Context(), bic, after, wait)
		if err != nil {
			return nil, err
		}
		if err := s.inGoodStanding(r, bic, pki.Serial(r.TLS.PeerCertificates[0])); err != nil {
			return nil, err
		}
		if wait = time.Until(deadline); len(msgs) > 0 || wait <= 0 {
			return msgs, nil
		}
	}
}

func parseUint(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

func parseWait(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > MaxInboxWait {
		return 0, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("wait must be a duration from 0s to %s", MaxInboxWait))
	}
	return d, nil
}

func (s *Server) handleAck(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	var req AckRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Hub.Ack(r.Context(), id.BIC, req.Through); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.sigs.forget(id.BIC, req.Through)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAccounts(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	bals, err := s.Hub.Balances(r.Context(), id.BIC)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, accountsResponse(bals))
}

func accountsResponse(bals []hub.Balance) AccountsResponse {
	return AccountsResponse{Accounts: bodies(bals, balanceBody)}
}

func (s *Server) handleTrack(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	uetr, err := corridor.ParseUETR(r.PathValue("uetr"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	legs, err := s.Hub.Track(r.Context(), id, uetr)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := TrackResponse{UETR: string(uetr)}
	for _, l := range legs {
		resp.Legs = append(resp.Legs, legBody(l))
	}
	writeJSON(w, http.StatusOK, resp)
}

// answerPool keeps the buffers answers were encoded in, each given back
// once written (the response writer copies what it is given) unless it
// grew past maxKept, so that one large answer does not keep its memory for
// all later ones.
type answerPool struct {
	pool    sync.Pool
	maxKept int
}

func (p *answerPool) get() *[]byte {
	if b, ok := p.pool.Get().(*[]byte); ok {
		return b
	}
	return new([]byte)
}

func (p *answerPool) put(b *[]byte) {
	if cap(*b) > p.maxKept {
		return
	}
	*b = (*b)[:0]
	p.pool.Put(b)
}

// answerBuffers keeps the buffers of writeJSON's answers: a new buffer for
// each, grown by doubling, was 6% of the bytes a payment allocated end to
// end. Inbox pages, larger, have inboxBuffers.
var answerBuffers = answerPool{maxKept: 1 << 20}

func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r, MaxJSONBodyBytes)
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

// writeJSON writes v as the answer of status, in JSON as encoding/json
// writes it (appendAnswer: the answers sent most by hand, the others by
// encoding/json).
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := answerBuffers.get()
	defer answerBuffers.put(buf)
	body, err := appendAnswer((*buf)[:0], v)
	if err != nil { // A bug: every answer's type encodes.
		status = http.StatusInternalServerError
		body, _ = appendAnswer(body[:0], ErrorBody{Error: "internal error: the answer could not be encoded"})
	}
	*buf = body // Kept as large as it grew.
	writeAnswer(w, status, body)
}

// writeAnswer writes body, an answer encoded whole first so that its
// length is declared: a client reads the answer into one buffer of that
// size.
func writeAnswer(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // The client hung up; nothing left to tell it.
}
