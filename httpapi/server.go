package httpapi

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/pki"
)

// Limits of the API.
const (
	DefaultMaxBodyBytes = 1 << 20 // A message or request body.
	MaxJSONBodyBytes    = 64 << 10
	MaxInboxWait        = 60 * time.Second
	MaxHeaderBytes      = 16 << 10
	ReadHeaderTimeout   = 10 * time.Second
	ReadTimeout         = 30 * time.Second
	WriteTimeout        = MaxInboxWait + 15*time.Second // A long poll writes after its wait.
	IdleTimeout         = 120 * time.Second
)

// Server is the API server.
type Server struct {
	Hub           *hub.Hub
	CA            *pki.CA     // Issues participant certificates.
	Signer        *pki.Signer // The hub's key: signs every message it delivers, once (sigCache).
	TLS           *tls.Config // From pki.ServerTLSConfig: TLS 1.3, client certificates required.
	Logger        *slog.Logger
	Now           func() time.Time
	MaxBodyBytes  int64
	RateLimit     int           // Requests per second per participant; DefaultRatePerSecond if 0.
	RateBurst     int           // DefaultRateBurst if 0.
	MaxInFlight   int           // Concurrent requests per participant; DefaultMaxInFlight if 0.
	MaxInboxReads int           // Concurrent inbox reads per participant, within MaxInFlight; DefaultMaxInboxReads if 0.
	ReadTimeout   time.Duration // To read a whole request; ReadTimeout if 0.

	// OnRequest, when set, is told of every request answered: its route
	// pattern (empty when none matched), status and duration, for metrics.
	// It runs on the request's goroutine and must not block.
	OnRequest func(route string, status int, d time.Duration)

	limits *limiter
	sigs   *sigCache // Signatures of delivered inbox messages, signed once.
	srv    *http.Server
	ln     net.Listener
	wg     sync.WaitGroup
}

// Open listens on addr ("127.0.0.1:0" picks a port) and serves until Close.
func (s *Server) Open(addr string) error {
	if s.TLS == nil || s.TLS.ClientAuth != tls.RequireAndVerifyClientCert || s.TLS.MinVersion < tls.VersionTLS13 {
		return errors.New("httpapi: TLS must be 1.3 with verified client certificates")
	}
	if s.Signer == nil || s.CA == nil {
		return errors.New("httpapi: the server needs the hub's CA and signing key")
	}
	s.defaults()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s.Handler(), TLSConfig: s.TLS, MaxHeaderBytes: MaxHeaderBytes,
		ReadHeaderTimeout: min(ReadHeaderTimeout, s.ReadTimeout), ReadTimeout: s.ReadTimeout, WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout,
		ErrorLog: newServerLog(s.Logger, s.Now)}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.Logger.Error("api server stopped", "error", err)
		}
	}()
	return nil
}

func (s *Server) defaults() {
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	s.Logger = s.Logger.With(corridor.LogKeyComponent, "httpapi")
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.MaxBodyBytes <= 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s.RateLimit = cmp.Or(s.RateLimit, DefaultRatePerSecond)
	s.RateBurst = cmp.Or(s.RateBurst, DefaultRateBurst)
	s.MaxInFlight = cmp.Or(s.MaxInFlight, DefaultMaxInFlight)
	s.MaxInboxReads = min(cmp.Or(s.MaxInboxReads, DefaultMaxInboxReads), s.MaxInFlight)
	s.limits = newLimiter(s.RateLimit, s.RateBurst, s.MaxInFlight, s.MaxInboxReads)
	s.sigs = newSigCache(s.Signer.SignDetached)
	s.ReadTimeout = cmp.Or(s.ReadTimeout, ReadTimeout)
}

// Addr is the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// URL is the server's base URL.
func (s *Server) URL() string { return "https://" + s.Addr() }

// Close stops accepting requests, waits up to ctx for those in flight, and
// returns when the server goroutine has ended.
func (s *Server) Close(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = errors.Join(err, s.srv.Close())
	}
	s.wg.Wait()
	return err
}

// Handler routes the API. Every route requires an authenticated caller.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	return mux
}

// Routes is every pattern Handler registers, in order: what
// docs/openapi.yaml describes, and nothing else.
func Routes() []string {
	var p patterns
	(&Server{}).routes(&p)
	return p
}

// router is where routes registers the API: the ServeMux, or patterns.
type router interface {
	HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request))
}

// patterns records the patterns registered on it and serves nothing.
type patterns []string

func (p *patterns) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	*p = append(*p, pattern)
}

// routes registers every route of the API on mux.
func (s *Server) routes(mux router) {
	mux.HandleFunc("POST /v1/messages", s.participant(s.handleSubmit))
	mux.HandleFunc("POST /v1/messages/batch", s.participant(s.handleBatch))
	mux.HandleFunc("GET /v1/inbox", s.participant(s.handleInbox))
	mux.HandleFunc("POST /v1/inbox/ack", s.participant(s.handleAck))
	mux.HandleFunc("GET /v1/accounts", s.participant(s.handleAccounts))
	mux.HandleFunc("GET /v1/payments/{uetr}", s.anyone(s.handleTrack))
	mux.HandleFunc("POST /v1/participants", s.operator(s.handleRegister))
	mux.HandleFunc("POST /v1/accounts/fund", s.operator(s.handleFund))
	mux.HandleFunc("POST /v1/participants/{bic}/revoke", s.operator(s.handleRevoke))
	mux.HandleFunc("POST /v1/operators/revoke", s.operator(s.handleRevokeOperator))
	mux.HandleFunc("POST /v1/participants/{bic}/suspend", s.operator(s.handleSuspend(true)))
	mux.HandleFunc("POST /v1/participants/{bic}/resume", s.operator(s.handleSuspend(false)))
	mux.HandleFunc("POST /v1/screening/lists", s.operator(s.handleLoadList))
	mux.HandleFunc("GET /v1/screening/lists", s.operator(s.handleLists))
	mux.HandleFunc("GET /v1/compliance/holds", s.operator(s.handleHolds))
	mux.HandleFunc("POST /v1/compliance/holds/{uetr}/release", s.operator(s.handleDecide(true)))
	mux.HandleFunc("POST /v1/compliance/holds/{uetr}/reject", s.operator(s.handleDecide(false)))
	mux.HandleFunc("GET /v1/relationships", s.participant(s.handleGetRelationships))
	mux.HandleFunc("PUT /v1/relationships", s.participant(s.handlePutRelationships))
	mux.HandleFunc("GET /v1/positions", s.participant(s.handlePositions))
	mux.HandleFunc("GET /v1/queue", s.anyone(s.handleQueue))
	mux.HandleFunc("POST /v1/queue/{uetr}/move", s.operator(s.handleMove))
	mux.HandleFunc("POST /v1/payments/{uetr}/cancel", s.anyone(s.handleCancel))
	mux.HandleFunc("POST /v1/settlement/resolve", s.operator(s.handleResolve))
	mux.HandleFunc("POST /v1/settlement/cutoff", s.operator(s.handleCutoff))
	mux.HandleFunc("GET /v1/days", s.operator(s.handleDays))
	mux.HandleFunc("POST /v1/days/{currency}/{phase}", s.operator(s.handleDay))
	mux.HandleFunc("POST /v1/settlement/cycles/close", s.operator(s.handleCloseCycle))
	mux.HandleFunc("GET /v1/fx/rates", s.anyone(s.handleRates))
	mux.HandleFunc("POST /v1/fx/rates", s.operator(s.handlePublishRate))
	mux.HandleFunc("POST /v1/fx/quotes", s.participant(s.handleQuote))
	mux.HandleFunc("POST /v1/fx/offers", s.participant(s.handlePublishOffer))
	mux.HandleFunc("GET /v1/fx/offers", s.anyone(s.handleOffers))
	mux.HandleFunc("GET /v1/hub/accounts", s.operator(s.handleHubAccounts))
	mux.HandleFunc("GET /v1/statements", s.anyone(s.handleStatement))
	mux.HandleFunc("GET /v1/reports/intraday", s.anyone(s.handleReport))
	mux.HandleFunc("PUT /v1/notifications", s.participant(s.handlePutNotifications))
	mux.HandleFunc("GET /v1/notifications", s.participant(s.handleGetNotifications))
	mux.HandleFunc("PUT /v1/limits", s.participant(s.handlePutLimits))
}

// authenticate reads the caller from the verified client certificate. The TLS
// handshake already refused a connection without one.
func (s *Server) authenticate(r *http.Request) (corridor.Identity, error) {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || len(r.TLS.PeerCertificates) == 0 {
		return corridor.Identity{}, fmt.Errorf("no verified client certificate: %w", corridor.ErrUnauthorized)
	}
	id, err := pki.IdentityOf(r.TLS.PeerCertificates[0])
	if err != nil {
		return corridor.Identity{}, err
	}
	serial := pki.Serial(r.TLS.PeerCertificates[0])
	if id.Role == corridor.RoleOperator && s.Hub.OperatorRevoked(serial) {
		return corridor.Identity{}, fmt.Errorf("operator certificate %s is revoked: %w", serial, corridor.ErrUnauthorized)
	}
	if id.Role == corridor.RoleParticipant {
		if err := s.inGoodStanding(r, id.BIC, serial); err != nil {
			return corridor.Identity{}, err
		}
	}
	return id, nil
}

// inGoodStanding checks, at every request, that the caller is registered,
// not suspended, and presents a certificate the hub has not revoked: a
// revocation cuts off an open connection at its next request.
func (s *Server) inGoodStanding(r *http.Request, bic corridor.BIC, serial string) error {
	m, err := s.Hub.Membership(r.Context(), bic)
	if errors.Is(err, corridor.ErrNotFound) {
		return fmt.Errorf("%s is not a registered participant: %w", bic, corridor.ErrUnauthorized)
	}
	if err != nil {
		return err
	}
	if !m.HasCertificate(serial) {
		return fmt.Errorf("certificate %s of %s is revoked or was not issued by this hub: %w", serial, bic, corridor.ErrUnauthorized)
	}
	if m.Suspended {
		return fmt.Errorf("participant %s is suspended: %w", bic, corridor.ErrUnauthorized)
	}
	return nil
}

type handler func(w http.ResponseWriter, r *http.Request, id corridor.Identity)

func (s *Server) withRole(role corridor.Role, h handler) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		w := &recorder{ResponseWriter: rw}
		var id corridor.Identity
		defer func(start time.Time) { s.logRequest(r, w, id, start) }(s.Now())
		id, err := s.authenticate(r)
		if err == nil && role != "" && id.Role != role {
			err = fmt.Errorf("this endpoint is for the %s role: %w", role, corridor.ErrUnauthorized)
		}
		if err == nil {
			err = checkQuery(r.URL.RawQuery)
		}
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if id.Role == corridor.RoleParticipant {
			if err := s.limits.acquire(id.BIC, s.Now()); err != nil {
				s.writeError(w, r, err)
				return
			}
			defer s.limits.release(id.BIC)
		}
		h(w, r.WithContext(corridor.NewContextWithIdentity(r.Context(), id)), id)
	}
}

func (s *Server) participant(h handler) http.HandlerFunc {
	return s.withRole(corridor.RoleParticipant, h)
}
func (s *Server) operator(h handler) http.HandlerFunc { return s.withRole(corridor.RoleOperator, h) }
func (s *Server) anyone(h handler) http.HandlerFunc   { return s.withRole("", h) }

// checkQuery refuses a query that does not parse or names a parameter
// twice: url.Values.Get reads the first of several and drops what does not
// parse, so a proxy or log reading the query otherwise would see another
// request than the one the hub serves.
func checkQuery(raw string) error {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return corridor.Reject(corridor.ReasonInvalidFormat, "the query does not parse: "+err.Error())
	}
	for name, values := range q {
		if len(values) > 1 {
			return corridor.Reject(corridor.ReasonInvalidFormat, fmt.Sprintf("query parameter %.20q given twice", name))
		}
	}
	return nil
}
