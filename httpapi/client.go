package httpapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"corridor"
)

// MaxResponseBytes bounds what the client reads of one response: a full inbox
// page of messages at their maximum size.
const MaxResponseBytes = 128 << 20

// Client is the Go client of the hub's API that a bank's own code imports.
type Client struct {
	base string
	http *http.Client
}

// NewClient returns a client of the hub at baseURL ("https://host:port") that
// authenticates with the certificate in tlsConfig (see pki.ClientTLSConfig).
func NewClient(baseURL string, tlsConfig *tls.Config) *Client {
	tr := &http.Transport{TLSClientConfig: tlsConfig, ForceAttemptHTTP2: true, MaxIdleConnsPerHost: 64,
		IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second}
	return &Client{base: strings.TrimRight(baseURL, "/"), http: &http.Client{Transport: tr, Timeout: WriteTimeout + 10*time.Second}}
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
	if e.Body.Reason != "" {
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
	case http.StatusServiceUnavailable:
		errs = append(errs, corridor.ErrBusy)
	case http.StatusNotFound:
		errs = append(errs, corridor.ErrNotFound)
	case http.StatusForbidden:
		errs = append(errs, corridor.ErrUnauthorized)
	}
	return errs
}

// Submit sends an ISO 20022 message (AppHdr and Document in an envelope) and
// returns the hub's answer once the hub has made it durable.
func (c *Client) Submit(ctx context.Context, message []byte) (SubmitResponse, error) {
	var resp SubmitResponse
	err := c.do(ctx, http.MethodPost, "/v1/messages", "application/xml", message, http.StatusAccepted, &resp)
	return resp, err
}

// Inbox returns the caller's messages after seq after, waiting up to wait
// (at most MaxInboxWait) for one when there is none.
func (c *Client) Inbox(ctx context.Context, after uint64, wait time.Duration) ([]InboxMessageBody, error) {
	q := url.Values{"after": {strconv.FormatUint(after, 10)}, "wait": {wait.String()}}
	var resp InboxResponse
	err := c.do(ctx, http.MethodGet, "/v1/inbox?"+q.Encode(), "", nil, http.StatusOK, &resp)
	return resp.Messages, err
}

// Ack acknowledges every message of the caller's inbox up to and including through.
func (c *Client) Ack(ctx context.Context, through uint64) error {
	return c.doJSON(ctx, http.MethodPost, "/v1/inbox/ack", AckRequest{Through: through}, http.StatusNoContent, nil)
}

// Track returns the tracker's view of a payment.
func (c *Client) Track(ctx context.Context, uetr corridor.UETR) (TrackResponse, error) {
	var resp TrackResponse
	err := c.do(ctx, http.MethodGet, "/v1/payments/"+url.PathEscape(string(uetr)), "", nil, http.StatusOK, &resp)
	return resp, err
}

// Accounts returns the caller's settlement accounts.
func (c *Client) Accounts(ctx context.Context) ([]BalanceBody, error) {
	var resp AccountsResponse
	err := c.do(ctx, http.MethodGet, "/v1/accounts", "", nil, http.StatusOK, &resp)
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
	return c.do(ctx, method, path, "application/json", body, want, out)
}

func (c *Client) do(ctx context.Context, method, path, contentType string, body []byte, want int, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes))
	if err != nil {
		return fmt.Errorf("%s %s: read response: %w", method, path, err)
	}
	if resp.StatusCode != want {
		apiErr := &APIError{Status: resp.StatusCode}
		if json.Unmarshal(data, &apiErr.Body) != nil || apiErr.Body.Error == "" {
			apiErr.Body.Error = strings.TrimSpace(string(data))
		}
		return apiErr
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode response: %w", method, path, err)
	}
	return nil
}

var _ error = (*APIError)(nil)
var _ = errors.Is
