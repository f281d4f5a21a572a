package httpapi

import (
	"net/http"
)

// Standby answers every API request on a hub node that is not the active
// hub: 503, not taken, naming the active hub's API address when one holds
// the journal's lease, so that a client sends the request there (the Go
// client does, with the same bytes). While an election is under way there
// is no leader to name, and the client tries again.
type Standby struct {
	Leader func() string // The active hub's API URL, "" while no node holds the lease.
}

func (s Standby) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body := ErrorBody{Error: "this hub node is a standby and takes no requests; send them to the active hub", Outcome: OutcomeNotTaken}
	if body.Leader = s.Leader(); body.Leader == "" {
		body.Error = "no hub node is active: an election is under way; retry shortly"
	}
	w.Header().Set("Retry-After", "1")
	writeJSON(w, http.StatusServiceUnavailable, body)
}
