package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/iso20022"
	"github.com/corridor-network/corridor/pki"
)

// writeError is the one place where errors become HTTP responses: 400 for a
// malformed message (with every problem), 413 for a body over the limit, 403
// for a caller acting as someone else, 404, 422 for a business reject, 503 when
// the hub is busy or stopped. Anything else is a 500 whose detail only the log sees.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := errorResponse(err)
	var limited *limitError
	if errors.As(err, &limited) {
		w.Header().Set("Retry-After", retryAfterSeconds(limited.retryAfter))
	}
	noteError(w, body, err) // The request's log line says it, once.
	writeJSON(w, status, body)
}

func errorResponse(err error) (int, ErrorBody) {
	var invalid *iso20022.InvalidError
	if errors.As(err, &invalid) {
		body := ErrorBody{Error: "the message is not valid", Reason: string(invalid.Problems[0].Reason)}
		for _, p := range invalid.Problems {
			body.Problems = append(body.Problems, ProblemBody{Path: p.Path, Rule: p.Rule, Reason: string(p.Reason)})
		}
		return http.StatusBadRequest, body
	}
	reason, isReject := corridor.ReasonOf(err)
	var limited *limitError
	switch {
	case errors.As(err, &limited):
		return http.StatusTooManyRequests, ErrorBody{Error: err.Error()}
	case errors.Is(err, errBadJSON):
		return http.StatusBadRequest, ErrorBody{Error: err.Error(), Reason: string(corridor.ReasonInvalidFormat)}
	case errors.Is(err, errBodyRead):
		return http.StatusRequestTimeout, ErrorBody{Error: err.Error()}
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge, ErrorBody{Error: err.Error(), Reason: string(corridor.ReasonInvalidFormat)}
	case errors.Is(err, pki.ErrSignature):
		return http.StatusForbidden, ErrorBody{Error: "message signature refused: " + err.Error()}
	case errors.Is(err, corridor.ErrUnauthorized):
		return http.StatusForbidden, ErrorBody{Error: err.Error()}
	case errors.Is(err, corridor.ErrNotFound):
		return http.StatusNotFound, ErrorBody{Error: err.Error()}
	case isReject:
		return http.StatusUnprocessableEntity, ErrorBody{Error: err.Error(), Reason: string(reason)}
	case errors.Is(err, corridor.ErrInboxFull):
		return http.StatusServiceUnavailable, ErrorBody{Error: err.Error(), Outcome: OutcomeReceiverFull}
	case errors.Is(err, corridor.ErrOutcomeUnknown):
		return http.StatusServiceUnavailable, ErrorBody{Error: err.Error(), Outcome: OutcomeUnknown}
	case errors.Is(err, corridor.ErrBusy), errors.Is(err, corridor.ErrStopped):
		return http.StatusServiceUnavailable, ErrorBody{Error: err.Error(), Outcome: OutcomeNotTaken}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, ErrorBody{Error: "request ended before the hub answered; ask again to learn the outcome",
			Outcome: OutcomeUnknown}
	}
	return http.StatusInternalServerError, ErrorBody{Error: "internal error"}
}
