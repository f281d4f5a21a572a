package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/settlement"
)

// MaxOfferLifeSeconds bounds an offer's life_seconds.
const MaxOfferLifeSeconds = int64(hub.MaxOfferLife / time.Second)

// OfferRequest is an FX provider's POST /v1/fx/offers: a two-way quote on
// pair BASE/QUOTE, in units of QUOTE per unit of BASE. The provider buys
// BASE at bid and sells it at ask, up to size of BASE in all.
type OfferRequest struct {
	Pair        string `json:"pair"` // "INR/RUB".
	Bid         string `json:"bid"`  // Exact decimal.
	Ask         string `json:"ask"`  // Exact decimal, not below bid.
	Size        string `json:"size"` // In major units of BASE.
	LifeSeconds int64  `json:"life_seconds,omitempty"`
}

// OfferBody is an FX provider's offer as the API shows it.
type OfferBody struct {
	ID        uint64    `json:"id"`
	Provider  string    `json:"provider"`
	Pair      string    `json:"pair"`
	Bid       string    `json:"bid"`
	Ask       string    `json:"ask"`
	Remaining string    `json:"remaining"` // Of BASE, still available to quotes.
	Expires   time.Time `json:"expires"`
	Live      bool      `json:"live"`
}

// OffersResponse answers GET /v1/fx/offers.
type OffersResponse struct {
	Offers []OfferBody `json:"offers"`
}

// HubAccountBody is one account the hub holds, for the operator.
type HubAccountBody struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Currency string `json:"currency"`
	Balance  string `json:"balance"` // In the currency's major units, as a decimal.
	Floor    string `json:"floor"`   // Likewise.
	Units    string `json:"units"`   // "minor": balance and floor are exact amounts of the currency.
	Breach   bool   `json:"breach,omitempty"`
	// Accrued, on an fx-rounding account, is what each FX provider's
	// rounding has accrued towards it and is not booked yet.
	Accrued []RoundingAccrualBody `json:"accrued,omitempty"`
}

// RoundingAccrualBody is an FX provider's rounding not booked yet.
type RoundingAccrualBody struct {
	Provider string `json:"provider"`
	Due      string `json:"due"`      // Whole units the provider owes (positive) or is owed, as an amount of the currency.
	Fraction string `json:"fraction"` // Less than a minor unit, in minor units, exact: "0.4823".
}

// HubAccountsResponse answers GET /v1/hub/accounts.
type HubAccountsResponse struct {
	Accounts []HubAccountBody `json:"accounts"`
}

// handlePublishOffer publishes the caller's two-way quote.
func (s *Server) handlePublishOffer(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	var req OfferRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	or, err := offerOf(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	o, err := s.Hub.PublishOffer(r.Context(), id.BIC, or)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("FX offer published", "provider", id.BIC, "pair", req.Pair, "bid", o.Bid, "ask", o.Ask)
	writeJSON(w, http.StatusCreated, offerBody(o))
}

// offerOf checks an offer request strictly: a known pair, exact rates, a
// size in BASE's minor units and a life within bounds.
func offerOf(req OfferRequest) (hub.OfferRequest, error) {
	from, to, err := pairOf(req.Pair)
	if err != nil {
		return hub.OfferRequest{}, err
	}
	for _, rate := range []string{req.Bid, req.Ask} {
		if _, err := settlement.ParseRate(rate); err != nil {
			return hub.OfferRequest{}, err
		}
	}
	size, err := corridor.ParseAmount(req.Size, from)
	if err != nil {
		return hub.OfferRequest{}, err
	}
	if req.LifeSeconds < 0 || req.LifeSeconds > MaxOfferLifeSeconds {
		return hub.OfferRequest{}, corridor.Reject(corridor.ReasonInvalidDate, fmt.Sprintf("life_seconds must be within [0, %d]", MaxOfferLifeSeconds))
	}
	return hub.OfferRequest{From: from, To: to, Bid: req.Bid, Ask: req.Ask, Size: size, Life: time.Duration(req.LifeSeconds) * time.Second}, nil
}

func offerBody(o hub.FXOffer) OfferBody {
	return OfferBody{ID: o.ID, Provider: string(o.Provider), Pair: string(o.From) + "/" + string(o.To), Bid: o.Bid, Ask: o.Ask,
		Remaining: o.Remaining.Amount.Format(o.Remaining.Currency), Expires: o.Expires, Live: o.Live}
}

// handleOffers lists the providers' offers.
func (s *Server) handleOffers(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	offers, err := s.Hub.Offers(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, OffersResponse{Offers: bodies(offers, offerBody)})
}

// handleHubAccounts lists every account the hub holds, for the operator.
func (s *Server) handleHubAccounts(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	accts, err := s.Hub.HubAccounts(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, HubAccountsResponse{Accounts: bodies(accts, hubAccountBody)})
}

func hubAccountBody(a hub.HubAccount) HubAccountBody {
	b := HubAccountBody{Name: a.Name, Kind: a.Kind, Currency: string(a.Currency), Units: a.Units, Breach: a.Breach,
		Balance: signedMoney(a.Balance, a.Currency), Floor: signedMoney(a.Floor, a.Currency)}
	for _, r := range a.Accrued {
		b.Accrued = append(b.Accrued, RoundingAccrualBody{Provider: string(r.Provider), Due: signedMoney(r.Due, a.Currency), Fraction: r.Fraction})
	}
	return b
}

// signedMoney writes minor units of c as a signed decimal.
func signedMoney(v int64, c corridor.Currency) string {
	if v < 0 {
		return "-" + corridor.Amount(-v).Format(c)
	}
	return corridor.Amount(v).Format(c)
}
