package httpapi

import (
	"fmt"
	"net/http"

	"corridor"
)

// handleRegister registers a participant, opens its settlement accounts and
// signs a client certificate for the key in its CSR. Registering again with
// the same details issues a new certificate (a bank that lost its key).
//
// The certificate is signed before the hub registers the participant, so that
// a CSR the CA refuses is an FF01 answer that changes nothing; a certificate
// signed for a registration the hub then refuses is never handed out.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	var req RegisterRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := participantOf(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cert, err := s.CA.IssueParticipant([]byte(req.CSR), p.BIC, p.Name, s.Now())
	if err != nil {
		// The BIC and name are valid (participantOf), so the CSR is what the CA refused.
		s.writeError(w, r, fmt.Errorf("%w: %w", corridor.Reject(corridor.ReasonInvalidFormat, "the CSR cannot be signed"), err))
		return
	}
	if err := s.Hub.RegisterParticipant(r.Context(), p); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("participant registered", corridor.LogKeyBIC, p.BIC, "currencies", p.Currencies)
	writeJSON(w, http.StatusCreated, RegisterResponse{BIC: string(p.BIC), Certificate: string(cert),
		CACertificate: string(s.CA.CertificatePEM())})
}

func participantOf(req RegisterRequest) (corridor.Participant, error) {
	bic, err := corridor.ParseBIC(req.BIC)
	if err != nil {
		return corridor.Participant{}, err
	}
	p := corridor.Participant{BIC: bic, Name: req.Name}
	if len(req.Currencies) > corridor.MaxParticipantCurrencies {
		return p, corridor.Reject(corridor.ReasonCurrency, fmt.Sprintf("at most %d currencies", corridor.MaxParticipantCurrencies))
	}
	for _, code := range req.Currencies {
		c, err := corridor.ParseCurrency(code)
		if err != nil {
			return p, err
		}
		p.Currencies = append(p.Currencies, c)
	}
	return p, p.Validate()
}

// handleFund moves liquidity from the central account into a participant's
// settlement account and answers with the participant's balances.
func (s *Server) handleFund(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	var req FundRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	bic, m, err := fundingOf(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Hub.Fund(r.Context(), bic, m); err != nil {
		s.writeError(w, r, err)
		return
	}
	bals, err := s.Hub.Balances(r.Context(), bic)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("account funded", corridor.LogKeyBIC, bic, "amount", m.String())
	writeJSON(w, http.StatusOK, accountsResponse(bals))
}

func fundingOf(req FundRequest) (corridor.BIC, corridor.Money, error) {
	bic, err := corridor.ParseBIC(req.BIC)
	if err != nil {
		return "", corridor.Money{}, err
	}
	c, err := corridor.ParseCurrency(req.Currency)
	if err != nil {
		return "", corridor.Money{}, err
	}
	a, err := corridor.ParseAmount(req.Amount, c)
	if err != nil {
		return "", corridor.Money{}, err
	}
	return bic, corridor.Money{Amount: a, Currency: c}, nil
}
