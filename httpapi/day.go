package httpapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/settlement"
)

// handleDays is GET /v1/days: each calendar currency's business date and phase.
func (s *Server) handleDays(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	days, err := s.Hub.Days(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]DayBody, 0, len(days))
	for _, d := range days {
		out = append(out, dayBody(d))
	}
	writeJSON(w, http.StatusOK, out)
}

// handleDay is POST /v1/days/{currency}/open, /cutoff?type=customer|interbank
// and /close: the operator runs a phase of a currency's business day.
func (s *Server) handleDay(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	cur := corridor.Currency(r.PathValue("currency"))
	if !cur.Valid() {
		s.writeError(w, r, corridor.Reject(corridor.ReasonCurrency, "unknown currency"))
		return
	}
	var d hub.DayView
	var err error
	switch r.PathValue("phase") {
	case "open":
		d, err = s.Hub.OpenDay(r.Context(), cur)
	case "cutoff":
		var t settlement.PaymentType
		if t, err = settlement.ParsePaymentType(r.URL.Query().Get("type")); err == nil {
			d, err = s.Hub.CutoffDay(r.Context(), cur, t)
		}
	case "close":
		d, err = s.Hub.CloseDay(r.Context(), cur)
	default:
		err = corridor.ErrNotFound
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("business day", "currency", cur, "phase", d.Phase, "date", d.Date.String())
	writeJSON(w, http.StatusOK, dayBody(d))
}

// Days (operator) lists each calendar currency's business day.
func (c *Client) Days(ctx context.Context) ([]DayBody, error) {
	var resp []DayBody
	_, err := c.do(ctx, request{method: http.MethodGet, path: "/v1/days", want: http.StatusOK}, &resp)
	return resp, err
}

// Day (operator) runs phase ("open", "cutoff" or "close") of cur's business
// day; a cut-off names its payment type ("customer" or "interbank").
func (c *Client) Day(ctx context.Context, cur corridor.Currency, phase string, typ settlement.PaymentType) (DayBody, error) {
	var resp DayBody
	path := "/v1/days/" + url.PathEscape(string(cur)) + "/" + url.PathEscape(phase)
	if typ != "" {
		path += "?type=" + url.QueryEscape(string(typ))
	}
	_, err := c.do(ctx, request{method: http.MethodPost, path: path, want: http.StatusOK}, &resp)
	return resp, err
}
