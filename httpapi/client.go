package httpapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// MaxResponseBytes bounds what the client reads of one response: a full inbox
// page of messages at their maximum size.
const MaxResponseBytes = 128 << 20

// SignatureHeader carries the detached JWS over a request's or a message's
// exact bytes.
const SignatureHeader = "X-Corridor-Signature"

// Client is the Go client of the hub's API that a bank's own code imports.
// It signs every message it sends with the key of its client certificate and
// verifies the hub's signature on every message it receives.
//
// Given several hub nodes (one active, the others standbys), it follows
// the active one: a standby's 503 names the leader, and a node that cannot
// be reached is skipped for the next. It sends a request again only when
// that cannot apply it twice: when the hub said it did not take it, when
// the connection was never made, or for a request that is idempotent
// (a message, answered as a duplicate if it was taken; a read; an
// acknowledgement), and for at most FailoverWait.
type Client struct {
	nodes  []string // The hub nodes' API URLs.
	http   *http.Client
	signer *pki.Signer // Nil when the certificate's key cannot sign (then Submit fails).

	mu     sync.Mutex
	target string // The node requests go to: the last that answered, or the leader a standby named.

	// FailoverWait bounds how long a request keeps trying the nodes while
	// none is active; DefaultFailoverWait when 0.
	FailoverWait time.Duration
}

// DefaultFailoverWait is how long a request waits for an active hub node:
// several lease lifetimes, so that a takeover completes within it.
const DefaultFailoverWait = 30 * time.Second

// NewClient returns a client of the hub at baseURL ("https://host:port", or
// several nodes' URLs separated by commas) that authenticates with the
// certificate in tlsConfig (see pki.ClientTLSConfig).
func NewClient(baseURL string, tlsConfig *tls.Config) *Client {
	tr := &http.Transport{TLSClientConfig: tlsConfig, ForceAttemptHTTP2: true, MaxIdleConnsPerHost: 64,
		IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second}
	c := &Client{http: &http.Client{Transport: tr, Timeout: WriteTimeout + 10*time.Second}}
	for _, u := range strings.Split(baseURL, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			c.nodes = append(c.nodes, u)
		}
	}
	if len(c.nodes) == 0 {
		c.nodes = []string{""} // Every request then fails, naming the missing URL.
	}
	c.target = c.nodes[0]
	if tlsConfig != nil && len(tlsConfig.Certificates) > 0 {
		c.signer, _ = pki.SignerFromTLS(tlsConfig.Certificates[0]) // Without one, Submit says why.
	}
	return c
}

// Close releases the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// APIError is an error response from the hub. It unwraps to a
// *corridor.RejectError when the hub gave a reason, and to ErrBusy,
// ErrNotFound or ErrUnauthorized by status, so callers use errors.Is and
// corridor.ReasonOf.
type APIError struct {
	Status int
	Body   ErrorBody
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("hub answered %d: %s", e.Status, e.Body.Error)
	if e.Body.Reason != "" && !strings.Contains(e.Body.Error, e.Body.Reason) { // Said once.
		s += " (" + e.Body.Reason + ")"
	}
	for _, p := range e.Body.Problems {
		s += fmt.Sprintf("; %s: %s", p.Path, p.Rule)
	}
	return s
}

func (e *APIError) Unwrap() []error {
	var errs []error
	if e.Body.Reason != "" {
		errs = append(errs, corridor.Reject(corridor.ReasonCode(e.Body.Reason), e.Body.Error))
	}
	switch e.Status {
	case http.StatusServiceUnavailable, http.StatusTooManyRequests:
		errs = append(errs, corridor.ErrBusy)
	case http.StatusNotFound:
		errs = append(errs, corridor.ErrNotFound)
	case http.StatusForbidden:
		errs = append(errs, corridor.ErrUnauthorized)
	}
	return errs
}

// Submit sends an ISO 20022 message (its header and document in an envelope) and
// returns the hub's answer once the hub has made it durable.
func (c *Client) Submit(ctx context.Context, message []byte) (SubmitResponse, error) {
	if c.signer == nil {
		return SubmitResponse{}, errors.New("submit: the client certificate's key cannot sign (ECDSA P-256 needed)")
	}
	sig, err := c.signer.SignDetached(message)
	if err != nil {
		return SubmitResponse{}, fmt.Errorf("submit: %w", err)
	}
	var resp SubmitResponse
	decode := func(data []byte) error {
		resp = SubmitResponse{} // Not what an attempt refused left of its answer: do may try again.
		return decodeSubmitResponse(data, &resp)
	}
	_, err = c.do(ctx, request{method: http.MethodPost, path: "/v1/messages", contentType: "application/xml",
		body: message, signature: sig, want: http.StatusAccepted, idempotent: true, decode: decode}, nil)
	return resp, err
}

// Inbox returns the caller's messages after seq after, waiting up to wait
// (at most MaxInboxWait) for one when there is none.
func (c *Client) Inbox(ctx context.Context, after uint64, wait time.Duration) ([]InboxMessageBody, error) {
	q := url.Values{"after": {strconv.FormatUint(after, 10)}, "wait": {wait.String()}, "sign": {"batch"}}
	var resp InboxResponse
	decode := func(data []byte) error {
		resp = InboxResponse{} // Not what an attempt refused left of its answer: do may try again.
		return decodeInboxResponse(data, &resp)
	}
	hubCert, err := c.do(ctx, request{method: http.MethodGet, path: "/v1/inbox?" + q.Encode(), want: http.StatusOK, idempotent: true,
		decode: decode}, nil)
	if err != nil {
		return nil, err
	}
	if err := verifyInbox(resp.Messages, hubCert); err != nil {
		return nil, err
	}
	return resp.Messages, nil
}

// verifyInbox checks the hub's signature on every message: over its body,
// or, for a page signed as one (sign=batch), over the page's statement of
// the root its Merkle path proves, each signature verified once.
func verifyInbox(msgs []InboxMessageBody, hubCert *x509.Certificate) error {
	proofs := newPageProofs(msgs)
	roots := map[string]corridor.MerkleHash{} // Signatures verified, and the root each covers.
	for i, m := range msgs {
		if m.Batch == nil {
			if err := pki.VerifyDetached(m.Signature, []byte(m.Body), hubCert); err != nil {
				return fmt.Errorf("inbox message %d: the hub's signature: %w", m.Seq, err)
			}
			continue
		}
		root, err := proofs.root(i, m)
		if err != nil {
			return fmt.Errorf("inbox message %d: its place in the page: %w", m.Seq, err)
		}
		if signed, ok := roots[m.Signature]; ok {
			if signed != root {
				return fmt.Errorf("inbox message %d: not in the page the hub signed", m.Seq)
			}
			continue
		}
		if err := pki.VerifyDetached(m.Signature, corridor.InboxStatement(m.Batch.Count, root), hubCert); err != nil {
			return fmt.Errorf("inbox message %d: the hub's signature over its page: %w", m.Seq, err)
		}
		roots[m.Signature] = root
	}
	return nil
}

// pageProofs finds the root each message of a page proves for its body, as
// corridor.MerkleRootOf finds it. For a page as the hub writes it, each
// message with a proof of the page's count, it builds the tree over the
// bodies once: a message at its own index with its path in that tree
// proves the tree's root, without hashing along its path (255 nodes for
// a page of 256 rather than 8 for each message; a third of verifying).
type pageProofs struct {
	leaves []corridor.MerkleHash // Of each message's body, in the page's order.
	tree   *corridor.MerkleTree  // Over leaves; nil for another page.
}

func newPageProofs(msgs []InboxMessageBody) pageProofs {
	if len(msgs) == 0 || len(msgs) > corridor.MaxBatchMessages {
		return pageProofs{}
	}
	for _, m := range msgs {
		if m.Batch == nil || m.Batch.Count != len(msgs) {
			return pageProofs{}
		}
	}
	leaves := make([]corridor.MerkleHash, len(msgs))
	for i, m := range msgs {
		// The leaf of the string itself: m.Body copied back into a []byte
		// to be hashed was 4.5% of all the end-to-end benchmark allocated.
		leaves[i] = corridor.MerkleLeafString(m.Body)
	}
	return pageProofs{leaves: leaves, tree: corridor.NewMerkleTree(leaves)}
}

// root is the root that m, message i of the page, proves for its body.
func (p pageProofs) root(i int, m InboxMessageBody) (corridor.MerkleHash, error) {
	b := m.Batch
	if p.tree == nil {
		return corridor.MerkleRootOf(corridor.MerkleLeafString(m.Body), b.Index, b.Count, b.Path)
	}
	var path [corridor.MaxBatchPath]corridor.MerkleHash
	if b.Index == i && slices.Equal(b.Path, p.tree.AppendPath(path[:0], i)) {
		return p.tree.Root(), nil
	}
	return corridor.MerkleRootOf(p.leaves[i], b.Index, b.Count, b.Path)
}

// Ack acknowledges every message of the caller's inbox up to and including through.
func (c *Client) Ack(ctx context.Context, through uint64) error {
	body, err := json.Marshal(AckRequest{Through: through})
	if err != nil {
		return fmt.Errorf("encode ack: %w", err)
	}
	_, err = c.do(ctx, request{method: http.MethodPost, path: "/v1/inbox/ack", contentType: "application/json", body: body,
		want: http.StatusNoContent, idempotent: true}, nil) // Acknowledging through a seq twice is acknowledging it once.
	return err
}

// Track returns the tracker's view of a payment.
func (c *Client) Track(ctx context.Context, uetr corridor.UETR) (TrackResponse, error) {
	var resp TrackResponse
	err := c.get(ctx, "/v1/payments/"+url.PathEscape(string(uetr)), &resp)
	return resp, err
}

// Accounts returns the caller's settlement accounts.
func (c *Client) Accounts(ctx context.Context) ([]BalanceBody, error) {
	var resp AccountsResponse
	err := c.get(ctx, "/v1/accounts", &resp)
	return resp.Accounts, err
}

// RegisterParticipant (operator) registers a participant and returns its
// signed certificate for the key behind req.CSR.
func (c *Client) RegisterParticipant(ctx context.Context, req RegisterRequest) (RegisterResponse, error) {
	var resp RegisterResponse
	err := c.doJSON(ctx, http.MethodPost, "/v1/participants", req, http.StatusCreated, &resp)
	return resp, err
}

// Fund (operator) moves liquidity from the central account to a participant.
func (c *Client) Fund(ctx context.Context, req FundRequest) ([]BalanceBody, error) {
	var resp AccountsResponse
	err := c.doJSON(ctx, http.MethodPost, "/v1/accounts/fund", req, http.StatusOK, &resp)
	return resp.Accounts, err
}

func (c *Client) doJSON(ctx context.Context, method, path string, in any, want int, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode %s request: %w", path, err)
	}
	_, err = c.do(ctx, request{method: method, path: path, contentType: "application/json", body: body, want: want}, out)
	return err
}

// request is one call of the API.
type request struct {
	method, path, contentType string
	body                      []byte
	signature                 string // Detached JWS over body, if any.
	want                      int    // The status of success.
	idempotent                bool   // Sending it twice has the effect of sending it once.

	// decode, if set, decodes a successful answer instead of json.Unmarshal
	// into out: for an answer read often and large enough for its own decoder.
	decode func(data []byte) error
}

// do sends r, decodes a successful answer into out and returns the hub's
// certificate as the TLS handshake verified it.
// get reads path into out, expecting 200.
func (c *Client) get(ctx context.Context, path string, out any) error {
	_, err := c.do(ctx, request{method: http.MethodGet, path: path, want: http.StatusOK, idempotent: true}, out)
	return err
}

// do sends r to the active node, following a standby to the leader it names
// and trying the other nodes while none answers, as Client says.
func (c *Client) do(ctx context.Context, r request, out any) (*x509.Certificate, error) {
	wait := c.FailoverWait
	if wait == 0 {
		wait = DefaultFailoverWait
	}
	deadline := time.Now().Add(wait)
	for attempt := 0; ; attempt++ {
		target := c.current()
		cert, err := c.once(ctx, target, r, out)
		next, again := c.failover(target, r, err)
		if !again || time.Now().After(deadline) {
			return cert, err
		}
		c.retarget(target, next)
		if next == "" || attempt > 0 { // A leader named is tried at once; anything else after a pause.
			select {
			case <-ctx.Done():
				return cert, err
			case <-time.After(min(100*time.Millisecond<<min(attempt, 4), time.Second)):
			}
		}
	}
}

// failover says whether r may be sent again after err from target, and to
// which node: the leader a standby named, or "" for the next node.
func (c *Client) failover(target string, r request, err error) (next string, again bool) {
	var apiErr *APIError
	switch {
	case err == nil:
		return "", false
	case errors.As(err, &apiErr):
		if apiErr.Status != http.StatusServiceUnavailable {
			return "", false
		}
		if apiErr.Body.Leader != "" && apiErr.Body.Leader != target {
			return strings.TrimRight(apiErr.Body.Leader, "/"), apiErr.Body.Outcome == OutcomeNotTaken || r.idempotent
		}
		// A single node that is busy says so to the caller; a cluster's
		// standby without a leader means an election: try again.
		return "", len(c.nodes) > 1 && (apiErr.Body.Outcome == OutcomeNotTaken || r.idempotent)
	case len(c.nodes) == 1 && c.current() == c.nodes[0]:
		return "", false // One node and no leader named: the caller decides.
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return "", false
	}
	var opErr *net.OpError
	never := errors.As(err, &opErr) && opErr.Op == "dial" // The request never left.
	return "", never || r.idempotent
}

// current is the node requests go to now.
func (c *Client) current() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.target
}

// retarget moves requests from failed to next, or to the node after failed
// in the list when next is "", unless another request moved them already.
func (c *Client) retarget(failed, next string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.target != failed {
		return
	}
	if next == "" {
		i := slices.Index(c.nodes, failed) // -1 for a leader named outside the list: start from the first.
		next = c.nodes[(i+1)%len(c.nodes)]
	}
	c.target = next
}

// once sends r to the node at base.
func (c *Client) once(ctx context.Context, base string, r request, out any) (*x509.Certificate, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, base+r.path, bytes.NewReader(r.body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if r.signature != "" {
		req.Header.Set(SignatureHeader, r.signature)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	defer resp.Body.Close()
	buf := getReadBuffer()
	defer putReadBuffer(buf) // Every decoder below copies what it keeps.
	data, err := readAllInto(buf, io.LimitReader(resp.Body, MaxResponseBytes), resp.ContentLength, MaxResponseBytes)
	if err != nil {
		return nil, fmt.Errorf("%s %s: read response: %w", r.method, r.path, err)
	}
	if resp.StatusCode != r.want {
		return nil, apiError(resp.StatusCode, data)
	}
	if resp.TLS == nil || len(resp.TLS.PeerCertificates) == 0 {
		return nil, fmt.Errorf("%s %s: the hub presented no certificate", r.method, r.path)
	}
	if err := r.decodeAnswer(data, out); err != nil {
		return nil, fmt.Errorf("%s %s: decode response: %w", r.method, r.path, err)
	}
	return resp.TLS.PeerCertificates[0], nil
}

// decodeAnswer decodes data, a successful answer to r, with r.decode if r
// has it, else with encoding/json into out, if any.
func (r request) decodeAnswer(data []byte, out any) error {
	switch {
	case r.decode != nil:
		return r.decode(data)
	case out != nil:
		return json.Unmarshal(data, out)
	}
	return nil
}

func apiError(status int, data []byte) *APIError {
	e := &APIError{Status: status}
	if json.Unmarshal(data, &e.Body) != nil || e.Body.Error == "" {
		e.Body.Error = strings.TrimSpace(string(data))
	}
	return e
}

var _ error = (*APIError)(nil)

// Relationships returns whom the caller accepts messages from.
func (c *Client) Relationships(ctx context.Context) (RelationshipsBody, error) {
	var resp RelationshipsBody
	err := c.get(ctx, "/v1/relationships", &resp)
	return resp, err
}

// SetRelationships replaces whom the caller accepts messages from.
func (c *Client) SetRelationships(ctx context.Context, p RelationshipsBody) (RelationshipsBody, error) {
	var resp RelationshipsBody
	err := c.doJSON(ctx, http.MethodPut, "/v1/relationships", p, http.StatusOK, &resp)
	return resp, err
}

// Revoke (operator) revokes one certificate of bic, or all when serial is empty.
func (c *Client) Revoke(ctx context.Context, bic corridor.BIC, serial string) error {
	return c.doJSON(ctx, http.MethodPost, "/v1/participants/"+url.PathEscape(string(bic))+"/revoke",
		RevokeRequest{Serial: serial, All: serial == ""}, http.StatusNoContent, nil)
}

// Suspend (operator) suspends bic, or resumes it when suspended is false.
func (c *Client) Suspend(ctx context.Context, bic corridor.BIC, suspended bool) error {
	action := "/resume"
	if suspended {
		action = "/suspend"
	}
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v1/participants/" + url.PathEscape(string(bic)) + action,
		want: http.StatusNoContent}, nil)
	return err
}

// Positions returns the caller's liquidity per currency: balances, queued
// payments out and in, and the open net cycle.
func (c *Client) Positions(ctx context.Context) ([]PositionBody, error) {
	var resp PositionsResponse
	err := c.get(ctx, "/v1/positions", &resp)
	return resp.Positions, err
}

// Queue lists the RTGS queue: the caller's own payments, or all of them for
// the operator.
func (c *Client) Queue(ctx context.Context) ([]QueuedBody, error) {
	var resp QueueResponse
	err := c.get(ctx, "/v1/queue", &resp)
	return resp.Payments, err
}

// Cancel cancels a queued payment (the caller's own; any for the operator).
func (c *Client) Cancel(ctx context.Context, uetr corridor.UETR) (SubmitResponse, error) {
	var resp SubmitResponse
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v1/payments/" + url.PathEscape(string(uetr)) + "/cancel",
		want: http.StatusOK}, &resp)
	return resp, err
}

// Move (operator) reorders a queued payment.
func (c *Client) Move(ctx context.Context, uetr corridor.UETR, req MoveRequest) error {
	return c.doJSON(ctx, http.MethodPost, "/v1/queue/"+url.PathEscape(string(uetr))+"/move", req, http.StatusNoContent, nil)
}

// Resolve (operator) runs gridlock resolution now.
func (c *Client) Resolve(ctx context.Context) (SettlementReportBody, error) {
	var resp SettlementReportBody
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v1/settlement/resolve", want: http.StatusOK}, &resp)
	return resp, err
}

// Cutoff (operator) ends the business day: what is still queued is rejected.
func (c *Client) Cutoff(ctx context.Context) (SettlementReportBody, error) {
	var resp SettlementReportBody
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v1/settlement/cutoff", want: http.StatusOK}, &resp)
	return resp, err
}

// CloseCycle (operator) closes the open net settlement cycle.
func (c *Client) CloseCycle(ctx context.Context) (CycleBody, error) {
	var resp CycleBody
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/v1/settlement/cycles/close", want: http.StatusOK}, &resp)
	return resp, err
}

// PublishRate (operator) publishes the rate of a pair such as "INR/RUB".
func (c *Client) PublishRate(ctx context.Context, r RateBody) error {
	return c.doJSON(ctx, http.MethodPost, "/v1/fx/rates", r, http.StatusOK, nil)
}

// Rates lists the published rates.
func (c *Client) Rates(ctx context.Context) ([]RateBody, error) {
	var resp RatesResponse
	err := c.get(ctx, "/v1/fx/rates", &resp)
	return resp.Rates, err
}

// Quote asks for an FX quote: the best provider offer's rate locked for the
// caller.
func (c *Client) Quote(ctx context.Context, req QuoteRequest) (QuoteBody, error) {
	var resp QuoteBody
	err := c.doJSON(ctx, http.MethodPost, "/v1/fx/quotes", req, http.StatusCreated, &resp)
	return resp, err
}

// LoadList (operator) loads or replaces a sanctions list from its files.
func (c *Client) LoadList(ctx context.Context, req ListRequest) (ListBody, error) {
	var resp ListBody
	err := c.doJSON(ctx, http.MethodPost, "/v1/screening/lists", req, http.StatusOK, &resp)
	return resp, err
}

// Lists (operator) returns the sanctions lists loaded.
func (c *Client) Lists(ctx context.Context) ([]ListBody, error) {
	var resp []ListBody
	err := c.get(ctx, "/v1/screening/lists", &resp)
	return resp, err
}

// Holds (operator) returns the payments held by screening, with their hits.
func (c *Client) Holds(ctx context.Context) ([]HoldBody, error) {
	var resp []HoldBody
	err := c.get(ctx, "/v1/compliance/holds", &resp)
	return resp, err
}

// Decide (operator) releases or rejects a held payment.
func (c *Client) Decide(ctx context.Context, uetr corridor.UETR, release bool, req DecisionRequest) error {
	action := "/reject"
	if release {
		action = "/release"
	}
	return c.doJSON(ctx, http.MethodPost, "/v1/compliance/holds/"+url.PathEscape(string(uetr))+action, req, http.StatusNoContent, nil)
}

// RevokeOperator (operator) revokes an operator certificate by its serial.
func (c *Client) RevokeOperator(ctx context.Context, serial string) error {
	return c.doJSON(ctx, http.MethodPost, "/v1/operators/revoke", RevokeRequest{Serial: serial}, http.StatusNoContent, nil)
}

// PublishOffer publishes the caller's two-way FX quote, as an FX provider.
func (c *Client) PublishOffer(ctx context.Context, req OfferRequest) (OfferBody, error) {
	var resp OfferBody
	err := c.doJSON(ctx, http.MethodPost, "/v1/fx/offers", req, http.StatusCreated, &resp)
	return resp, err
}

// Offers lists the FX providers' offers.
func (c *Client) Offers(ctx context.Context) ([]OfferBody, error) {
	var resp OffersResponse
	err := c.get(ctx, "/v1/fx/offers", &resp)
	return resp.Offers, err
}

// HubAccounts lists every account the hub holds, with balance and floor
// (operator).
func (c *Client) HubAccounts(ctx context.Context) ([]HubAccountBody, error) {
	var resp HubAccountsResponse
	err := c.get(ctx, "/v1/hub/accounts", &resp)
	return resp.Accounts, err
}
