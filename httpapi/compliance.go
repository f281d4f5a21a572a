package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
)

// MaxListUploadBytes bounds a sanctions list upload: the hub's 64 MiB of
// files, base64 in JSON.
const MaxListUploadBytes = 96 << 20

// ListRequest is the operator's POST /v1/screening/lists: a list's files as
// published, base64 in JSON.
type ListRequest struct {
	Name   string   `json:"name"`
	Format string   `json:"format"` // un, ofac-xml, ofac-csv (sdn, add, alt) or csv.
	Files  [][]byte `json:"files"`
}

// ListBody is a loaded list version.
type ListBody struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
	Entries int    `json:"entries"`
}

// HoldBody is a payment held by screening, with every hit.
type HoldBody struct {
	Reference string    `json:"reference"`
	UETR      string    `json:"uetr"`
	Held      time.Time `json:"held"`
	Screener  string    `json:"screener"`
	Leg       LegBody   `json:"payment"`
	Hits      []HitBody `json:"hits"`

	Cancellation *HeldCancellationBody `json:"cancellation,omitempty"` // The sender's camt.056, recorded while held.
	ReleasedBy   string                `json:"releasedBy,omitempty"`   // Four eyes: the first release's operator.
}

// HeldCancellationBody is a cancellation request recorded on a held payment.
type HeldCancellationBody struct {
	ID        string `json:"id"`
	CaseID    string `json:"caseId"`
	Requester string `json:"requester"`
	Reason    string `json:"reason"`
}

// HitBody is one candidate list entry for a party of a held payment.
type HitBody struct {
	Party       string `json:"party"`
	Role        string `json:"role"`
	List        string `json:"list"`
	ListVersion string `json:"listVersion"`
	EntryID     string `json:"entryId"`
	MatchedName string `json:"matchedName"`
	Score       string `json:"score"` // 0.000 to 1.000, from the per-mille score.
	Why         string `json:"why"`
	Whitelisted bool   `json:"whitelisted,omitempty"`
}

// DecisionRequest is the operator's release or reject of a held payment.
type DecisionRequest struct {
	Why       string `json:"why"`
	Whitelist bool   `json:"whitelist,omitempty"` // Release only: the hits were false positives.
}

func (s *Server) handleLoadList(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	body, err := readBody(w, r, MaxListUploadBytes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req ListRequest
	if err := decodeStrict(body, &req); err != nil { // As strict as every other JSON body, only larger.
		s.writeError(w, r, err)
		return
	}
	info, err := s.Hub.LoadList(r.Context(), req.Name, req.Format, req.Files)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.Logger.Info("sanctions list loaded", "list", info.Name, "version", info.Version, "entries", info.Entries, "hash", info.Hash)
	writeJSON(w, http.StatusOK, listBody(info))
}

func (s *Server) handleLists(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	lists, err := s.Hub.Lists(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bodies(lists, listBody))
}

func listBody(l hub.ListInfo) ListBody {
	return ListBody{Name: l.Name, Version: l.Version, Hash: l.Hash, Entries: l.Entries}
}

func (s *Server) handleHolds(w http.ResponseWriter, r *http.Request, _ corridor.Identity) {
	holds, err := s.Hub.Holds(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bodies(holds, holdBody))
}

func holdBody(h hub.ComplianceHold) HoldBody {
	b := HoldBody{Reference: h.Reference, UETR: string(h.Payment.UETR), Held: h.Held, Screener: h.Screener,
		Leg: legBody(hub.PaymentTrack{Reference: h.Reference, Payment: h.Payment, Status: corridor.StatusPending}), Hits: []HitBody{},
		ReleasedBy: h.ReleasedBy}
	if c := h.Cancellation; c != nil {
		b.Cancellation = &HeldCancellationBody{ID: c.ID, CaseID: c.CaseID, Requester: string(c.Requester), Reason: c.Reason}
	}
	for _, hit := range h.Hits {
		b.Hits = append(b.Hits, HitBody{Party: hit.Party, Role: hit.Role, List: hit.List, ListVersion: hit.ListVersion,
			EntryID: hit.EntryID, MatchedName: hit.MatchedName, Score: permille(hit.ScorePermille), Why: hit.Why, Whitelisted: hit.Whitelisted})
	}
	return b
}

// permille writes a score of 0 to 1000 as a decimal from 0.000 to 1.000.
func permille(p int) string {
	p = min(max(0, p), 1000)
	return fmt.Sprintf("%d.%03d", p/1000, p%1000)
}

// handleDecide releases or rejects a held payment; the operator's
// certificate name is journaled with the decision.
func (s *Server) handleDecide(release bool) handler {
	return func(w http.ResponseWriter, r *http.Request, id corridor.Identity) {
		uetr, err := corridor.ParseUETR(r.PathValue("uetr"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		var req DecisionRequest
		if err := readJSON(w, r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
		if err := s.Hub.Decide(r.Context(), id.Name, uetr, release, req.Why, req.Whitelist); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.Logger.Warn("compliance decision", corridor.LogKeyUETR, uetr, "release", release, "by", id.Name, "whitelist", req.Whitelist)
		w.WriteHeader(http.StatusNoContent)
	}
}
