package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// LimitsBody is PUT /v1/limits: a participant's urgent reserve and sender
// limits in one currency, amounts in major units ("0" or "" for none).
type LimitsBody struct {
	Currency     string            `json:"currency"`
	Reserve      string            `json:"reserve,omitempty"`      // Liquidity only urgent payments may use.
	Multilateral string            `json:"multilateral,omitempty"` // The most it pays all others in a business day.
	Bilateral    map[string]string `json:"bilateral,omitempty"`    // By counterparty BIC: the most it pays it in a business day.
}

func (s *Server) handlePutLimits(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	var req LimitsBody
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := setLimits(r, s.Hub, id.BIC, req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, req)
}

func setLimits(r *http.Request, h *hub.Hub, bic corridor.BIC, req LimitsBody) error {
	cur, err := corridor.ParseCurrency(req.Currency)
	if err != nil {
		return err
	}
	amount := func(s string) (corridor.Amount, error) {
		if s == "" {
			return 0, nil
		}
		return corridor.ParseAmount(s, cur)
	}
	reserve, err := amount(req.Reserve)
	if err != nil {
		return err
	}
	multi, err := amount(req.Multilateral)
	if err != nil {
		return err
	}
	bi := make(map[corridor.BIC]corridor.Amount, len(req.Bilateral))
	for b, a := range req.Bilateral {
		to, err := corridor.ParseBIC(b)
		if err != nil {
			return err
		}
		if bi[to], err = amount(a); err != nil {
			return err
		}
	}
	return h.SetLimits(r.Context(), bic, cur, reserve, multi, bi)
}

// SetLimits sets the caller's urgent reserve and sender limits in one currency.
func (c *Client) SetLimits(ctx context.Context, l LimitsBody) error {
	return c.doJSON(ctx, http.MethodPut, "/v1/limits", l, http.StatusOK, nil)
}

// MessageBody is a message the hub writes on request (a camt.053 statement,
// a camt.052 report), signed by the hub.
type MessageBody struct {
	MsgDefID  string `json:"msgDefId"`
	Reference string `json:"reference"` // The message's own reference.
	Body      string `json:"body"`
	Signature string `json:"signature"` // The hub's detached JWS over Body.
}

// NotificationsBody is PUT and GET /v1/notifications.
type NotificationsBody struct {
	Camt054 bool `json:"camt054"` // A camt.054 into the inbox on every debit and credit.
}

// handleStatement answers GET /v1/statements?currency=INR&date=2026-11-25[&page=2]
// with the camt.053 of the caller's account, or, for the operator, of the
// account of &bic=.
func (s *Server) handleStatement(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	q := r.URL.Query()
	bic, cur, page, err := accountQuery(q, id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	date, err := corridor.ParseDate(q.Get("date"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	msg, err := s.Hub.Statement(r.Context(), bic, cur, date, page)
	s.writeMessage(w, r, msg, err)
}

// handleReport answers GET /v1/reports/intraday?currency=INR[&page=2] with
// the camt.052 of the caller's account (the operator names &bic=).
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	bic, cur, page, err := accountQuery(r.URL.Query(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	msg, err := s.Hub.Report(r.Context(), bic, cur, page)
	s.writeMessage(w, r, msg, err)
}

// accountQuery reads whose account in which currency, and the page. A
// participant sees its own accounts only: naming another BIC is 403.
func accountQuery(q url.Values, id corridor.Identity) (corridor.BIC, corridor.Currency, int, error) {
	cur, err := corridor.ParseCurrency(q.Get("currency"))
	if err != nil {
		return "", "", 0, err
	}
	page := 1
	if p := q.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			return "", "", 0, corridor.Reject(corridor.ReasonInvalidFormat, "page must be a number from 1")
		}
	}
	bic := id.BIC
	if b := q.Get("bic"); b != "" {
		if bic, err = corridor.ParseBIC(b); err != nil {
			return "", "", 0, err
		}
	}
	switch {
	case id.Role == corridor.RoleOperator && bic == "":
		return "", "", 0, corridor.Reject(corridor.ReasonInvalidFormat, "the operator names the account's owner with bic")
	case id.Role != corridor.RoleOperator && bic != id.BIC:
		return "", "", 0, fmt.Errorf("%s asked for %s's account: %w", id.BIC, bic, corridor.ErrUnauthorized)
	}
	return bic, cur, page, nil
}

func (s *Server) writeMessage(w http.ResponseWriter, r *http.Request, msg hub.InboxMessage, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sig, err := s.Signer.SignDetached(msg.Body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, MessageBody{MsgDefID: msg.MsgDefID, Reference: msg.Reference, Body: string(msg.Body), Signature: sig})
}

func (s *Server) handlePutNotifications(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	var req NotificationsBody
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Hub.SetNotifications(r.Context(), id.BIC, req.Camt054); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, req)
}

func (s *Server) handleGetNotifications(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	on, err := s.Hub.Notifications(r.Context(), id.BIC)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, NotificationsBody{Camt054: on})
}

// Statement returns the camt.053 of the caller's account in currency for
// date (page from 1); the operator's client names the owner with bic.
func (c *Client) Statement(ctx context.Context, bic corridor.BIC, currency corridor.Currency, date corridor.Date, page int) (MessageBody, error) {
	q := url.Values{"currency": {string(currency)}, "date": {date.String()}, "page": {strconv.Itoa(page)}}
	if bic != "" {
		q.Set("bic", string(bic))
	}
	var resp MessageBody
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/v1/statements?" + q.Encode(), want: http.StatusOK}, &resp)
	return resp, err
}

// Report returns the camt.052 intraday report of the caller's account in currency.
func (c *Client) Report(ctx context.Context, currency corridor.Currency) (MessageBody, error) {
	var resp MessageBody
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/v1/reports/intraday?currency=" + url.QueryEscape(string(currency)), want: http.StatusOK}, &resp)
	return resp, err
}

// SetNotifications asks for (or stops) a camt.054 on every debit and credit.
func (c *Client) SetNotifications(ctx context.Context, camt054 bool) error {
	return c.doJSON(ctx, http.MethodPut, "/v1/notifications", NotificationsBody{Camt054: camt054}, http.StatusOK, nil)
}
