package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
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
	validity := pki.DefaultValidity
	if req.ValidityDays != 0 {
		validity = time.Duration(req.ValidityDays) * 24 * time.Hour
	}
	cert, err := s.CA.IssueParticipantFor([]byte(req.CSR), p.BIC, p.Name, s.Now(), validity)
	if _, isReject := corridor.ReasonOf(err); err != nil && !isReject {
		// The BIC and name are valid (participantOf), so the CSR is what the CA refused.
		err = fmt.Errorf("%w: %w", corridor.Reject(corridor.ReasonInvalidFormat, "the CSR cannot be signed"), err)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	issued, err := pki.CertificateOf(cert)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Hub.RegisterParticipant(r.Context(), p, issued); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("participant registered", corridor.LogKeyBIC, p.BIC, "currencies", p.Currencies, "serial", issued.Serial)
	writeJSON(w, http.StatusCreated, RegisterResponse{BIC: string(p.BIC), Certificate: string(cert),
		CACertificate: string(s.CA.CertificatePEM()), Serial: issued.Serial, NotAfter: issued.NotAfter})
}

// handleRevoke revokes one certificate of a participant (body {"serial": S})
// or all of them (no serial). The participant's next request is refused.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	bic, err := corridor.ParseBIC(r.PathValue("bic"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req RevokeRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if (req.Serial == "") != req.All {
		s.writeError(w, r, fmt.Errorf(`%w: give {"serial": S} for one certificate or {"all": true} for every one, not both`, errBadJSON))
		return
	}
	if err := s.Hub.RevokeCertificate(r.Context(), bic, req.Serial); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Warn("certificate revoked", corridor.LogKeyBIC, bic, "serial", req.Serial)
	w.WriteHeader(http.StatusNoContent)
}

// handleSuspend suspends or resumes a participant.
func (s *Server) handleSuspend(suspended bool) handler {
	return func(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
		bic, err := corridor.ParseBIC(r.PathValue("bic"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := s.Hub.Suspend(r.Context(), bic, suspended); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.Logger.Warn("participant standing changed", corridor.LogKeyBIC, bic, "suspended", suspended)
		w.WriteHeader(http.StatusNoContent)
	}
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

// handleRevokeOperator revokes an operator certificate by serial: its next
// request is refused.
func (s *Server) handleRevokeOperator(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	var req RevokeRequest
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.All || req.Serial == "" {
		s.writeError(w, r, fmt.Errorf(`%w: an operator certificate is revoked by its serial alone: {"serial": S}`, errBadJSON))
		return
	}
	if err := s.Hub.RevokeOperator(r.Context(), id.Name, req.Serial); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Warn("operator certificate revoked", "serial", req.Serial, "by", id.Name)
	w.WriteHeader(http.StatusNoContent)
}
