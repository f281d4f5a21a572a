package httpapi

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/iso20022"
)

// FXQuotePrefix starts the instruction for the next agent of a pacs.008 that names
// an FX quote: "/FXQT/42" converts at quote 42's locked rate.
const FXQuotePrefix = iso20022.FXQuotePrefix

func (s *Server) handleResolve(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	rep, err := s.Hub.Resolve(r.Context())
	s.writeReport(w, r, rep, err)
}

func (s *Server) handleCutoff(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	rep, err := s.Hub.Cutoff(r.Context())
	s.writeReport(w, r, rep, err)
}

func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, rep hub.SettlementReport, err error) {
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("settlement run", "path", r.URL.Path, "released", rep.Released, "resolved", rep.Resolved, "expired", rep.Expired)
	writeJSON(w, http.StatusOK, SettlementReportBody{Released: rep.Released, Resolved: rep.Resolved, Expired: rep.Expired})
}

func (s *Server) handleCloseCycle(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	rep, err := s.Hub.CloseCycle(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("net cycle closed", "cycle", rep.Cycle, "settled", rep.Settled, "removed", rep.Removed)
	writeJSON(w, http.StatusOK, cycleBody(rep))
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	qs, err := s.Hub.Queue(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, QueueResponse{Payments: bodies(qs, queuedBody)})
}

// handleCancel cancels a queued payment: a participant's own, or any for the
// operator. Another participant's payment is 404, as if it did not exist.
func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	uetr, err := corridor.ParseUETR(r.PathValue("uetr"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.Hub.CancelPayment(r.Context(), id, uetr)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("queued payment cancelled", corridor.LogKeyUETR, uetr, "by", id.Name)
	writeJSON(w, http.StatusOK, submitResponse(res))
}

// handleMove reorders a queued payment: {"to": "front"|"back"} or
// {"priority": "urgent"|"normal"}.
func (s *Server) handleMove(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	uetr, err := corridor.ParseUETR(r.PathValue("uetr"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req MoveRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	switch {
	case req.To != "" && req.Priority != "":
		err = corridor.Reject(corridor.ReasonInvalidFormat, "give either to or priority")
	case req.To == "front" || req.To == "back":
		err = s.Hub.MoveQueued(r.Context(), uetr, req.To == "front")
	case req.Priority == "urgent" || req.Priority == "normal":
		err = s.Hub.PrioritiseQueued(r.Context(), uetr, req.Priority == "urgent")
	default:
		err = corridor.Reject(corridor.ReasonInvalidFormat, `to must be "front" or "back", or priority "urgent" or "normal"`)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handlePositions(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	ps, err := s.Hub.Liquidity(r.Context(), id.BIC)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, PositionsResponse{Positions: bodies(ps, positionBody)})
}

// handlePublishRate publishes {"pair": "INR/RUB", "rate": "1.0823"}.
func (s *Server) handlePublishRate(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	var req RateBody
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	rate, err := rateOf(req)
	if err == nil {
		err = s.Hub.PublishRate(r.Context(), rate)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("FX rate published", "pair", req.Pair, "rate", req.Rate)
	writeJSON(w, http.StatusOK, req)
}

func rateOf(b RateBody) (hub.FXRate, error) {
	f, t, err := pairOf(b.Pair)
	if err != nil {
		return hub.FXRate{}, err
	}
	return hub.FXRate{From: f, To: t, Rate: b.Rate}, nil
}

// pairOf reads "FROM/TO" as two known currencies.
func pairOf(pair string) (from, to corridor.Currency, err error) {
	f, t, ok := strings.Cut(pair, "/")
	if !ok {
		return "", "", corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("pair %.20q is not FROM/TO", pair))
	}
	if from, err = corridor.ParseCurrency(f); err != nil {
		return "", "", err
	}
	if to, err = corridor.ParseCurrency(t); err != nil {
		return "", "", err
	}
	return from, to, nil
}

func (s *Server) handleRates(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	rates, err := s.Hub.Rates(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, RatesResponse{Rates: bodies(rates, rateBody)})
}

func rateBody(rt hub.FXRate) RateBody {
	return RateBody{Pair: string(rt.From) + "/" + string(rt.To), Rate: rt.Rate}
}

// handleQuote answers the caller's quote request from the best provider offer: {"amount", "from", "to"}.
func (s *Server) handleQuote(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	var req QuoteRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	m, to, err := quoteOf(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q, err := s.Hub.Quote(r.Context(), id.BIC, m, to)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, quoteBody(q))
}

func quoteOf(req QuoteRequest) (corridor.Money, corridor.Currency, error) {
	from, err := corridor.ParseCurrency(req.From)
	if err != nil {
		return corridor.Money{}, "", err
	}
	to, err := corridor.ParseCurrency(req.To)
	if err != nil {
		return corridor.Money{}, "", err
	}
	a, err := corridor.ParseAmount(req.Amount, from)
	if err != nil {
		return corridor.Money{}, "", err
	}
	return corridor.Money{Amount: a, Currency: from}, to, nil
}
