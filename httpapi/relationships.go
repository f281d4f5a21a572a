package httpapi

import (
	"fmt"
	"net/http"

	"github.com/corridor-network/corridor"
)

// Relationship policy modes on the wire.
const (
	policyOpen       = "open"
	policyRestricted = "restricted"
)

func (s *Server) handleGetRelationships(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	p, err := s.Hub.Relationships(r.Context(), id.BIC)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, relationshipsBody(p))
}

// handlePutRelationships replaces whom the caller accepts messages from.
func (s *Server) handlePutRelationships(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
	var req RelationshipsBody
	if err := readJSON(w, r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := policyOf(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Hub.SetRelationships(r.Context(), id.BIC, p); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, relationshipsBody(p))
}

func policyOf(b RelationshipsBody) (corridor.RelationshipPolicy, error) {
	var p corridor.RelationshipPolicy
	switch b.Mode {
	case policyOpen:
		if len(b.Allow) > 0 {
			return p, corridor.Reject(corridor.ReasonNotAllowed, "an open policy lists no relationships")
		}
		return p, nil
	case policyRestricted:
		p.Restricted = true
	default:
		return p, corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("mode must be %q or %q", policyOpen, policyRestricted))
	}
	if len(b.Allow) > corridor.MaxRelationships {
		return p, corridor.Reject(corridor.ReasonNotAllowed, fmt.Sprintf("at most %d relationships", corridor.MaxRelationships))
	}
	for _, rb := range b.Allow {
		bic, err := corridor.ParseBIC(rb.Counterparty)
		if err != nil {
			return p, err
		}
		p.Allow = append(p.Allow, corridor.Relationship{Counterparty: bic, Messages: rb.Messages})
	}
	return p, nil
}

func relationshipsBody(p corridor.RelationshipPolicy) RelationshipsBody {
	b := RelationshipsBody{Mode: policyOpen, Allow: []RelationshipBody{}}
	if p.Restricted {
		b.Mode = policyRestricted
	}
	for _, r := range p.Allow {
		b.Allow = append(b.Allow, RelationshipBody{Counterparty: string(r.Counterparty), Messages: r.Messages})
	}
	return b
}
