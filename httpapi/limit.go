package httpapi

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/corridor-network/corridor"
)

// Default per-participant limits. A bank past them gets 429 with
// Retry-After; the operator is not limited.
const (
	DefaultRatePerSecond = 500  // Sustained requests per second.
	DefaultRateBurst     = 1000 // Requests allowed at once above the rate.
	DefaultMaxInFlight   = 128  // Requests of one participant being served at once.
	DefaultMaxInboxReads = 8    // Inbox reads (long polls) of one participant being served at once.
)

// A participant's inbox reads leave it in-flight slots for its payments.
const _ uint = DefaultMaxInFlight - DefaultMaxInboxReads - 1

// errRateLimited is a request over its participant's rate or concurrency.
var errRateLimited = errors.New("httpapi: too many requests")

// limitError says when to try again.
type limitError struct {
	retryAfter time.Duration
	why        string
}

func (e *limitError) Error() string { return e.why }
func (e *limitError) Unwrap() error { return errRateLimited }

// limiter holds one token bucket and one in-flight count per participant.
// Buckets exist only for authenticated participants, so the map is bounded
// by the hub's participants.
type limiter struct {
	refill      float64 // Tokens added per second (requests, not money).
	burst       float64
	maxInFlight int
	maxReads    int // Inbox reads in flight per participant, within maxInFlight.

	mu      sync.Mutex // guards buckets
	buckets map[corridor.BIC]*bucket
}

type bucket struct {
	tokens   float64
	last     time.Time
	inFlight int
	reads    int // Inbox reads among inFlight.
}

func newLimiter(perSecond, burst, maxInFlight, maxReads int) *limiter {
	return &limiter{refill: float64(perSecond), burst: float64(burst), maxInFlight: maxInFlight, maxReads: maxReads,
		buckets: make(map[corridor.BIC]*bucket)}
}

// acquire takes a token and an in-flight slot for bic, or says how long to
// wait. A successful acquire must be followed by release.
func (l *limiter) acquire(bic corridor.BIC, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[bic]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[bic] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.refill)
	b.last = now
	if b.inFlight >= l.maxInFlight {
		return &limitError{retryAfter: time.Second, why: fmt.Sprintf("%s has %d requests in flight; at most %d", bic, b.inFlight, l.maxInFlight)}
	}
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) / l.refill * float64(time.Second))
		return &limitError{retryAfter: wait, why: fmt.Sprintf("%s is over %g requests per second", bic, l.refill)}
	}
	b.tokens--
	b.inFlight++
	return nil
}

// acquireRead takes one of bic's inbox read slots, within a request that
// acquire admitted: one bank's many long polls then cannot take all its
// in-flight slots, nor flood the sequencer with re-reads each time its
// inbox wakes them, to the cost of the other banks. A successful acquireRead
// must be followed by releaseRead.
func (l *limiter) acquireRead(bic corridor.BIC) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[bic] // acquire made it.
	if b.reads >= l.maxReads {
		return &limitError{retryAfter: time.Second, why: fmt.Sprintf("%s has %d inbox reads in flight; at most %d", bic, b.reads, l.maxReads)}
	}
	b.reads++
	return nil
}

func (l *limiter) releaseRead(bic corridor.BIC) {
	l.mu.Lock()
	l.buckets[bic].reads--
	l.mu.Unlock()
}

func (l *limiter) release(bic corridor.BIC) {
	l.mu.Lock()
	l.buckets[bic].inFlight--
	l.mu.Unlock()
}

// retryAfterSeconds is the Retry-After header value: whole seconds, at least 1.
func retryAfterSeconds(d time.Duration) string {
	return fmt.Sprint(max(1, int(math.Ceil(d.Seconds()))))
}
