// Package hub is the sequencer: the one goroutine that owns the hub's state.
// Commands arrive through a bounded queue; the sequencer takes a batch,
// executes each command against the state, appends the ones that changed it to
// the journal in one durable transaction (group commit), and only then answers
// every caller. On start it replays the journal to rebuild the state.
package hub

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"corridor"
)

// Bounds of the sequencer.
const (
	QueueDepth    = 4096 // Requests waiting for the sequencer.
	MaxBatch      = 256  // Requests the sequencer takes into one journal transaction.
	MaxInboxRead  = 100  // Messages one inbox read returns.
	replayLogStep = 100_000
)

// The queue holds at least a full batch.
const _ uint = QueueDepth - MaxBatch

// Config is what a hub needs to run.
type Config struct {
	BIC     corridor.BIC     // The hub's own BIC: the sender of the messages it writes.
	Journal corridor.Journal // Where accepted commands are made durable.
	Now     func() time.Time // The clock; time.Now unless a test fixes it.
	Logger  *slog.Logger
}

// Hub is the sequencer and the state it owns.
type Hub struct {
	cfg      Config
	log      *slog.Logger
	requests chan request
	stopped  chan struct{} // Closed when Run returns.
	state    *state        // Owned by Run once it starts; by Open before.
	lastHash [32]byte      // Hash of the last journal entry.
	wakers   map[corridor.BIC]chan struct{}

	// The registry lets the API authenticate a caller without a trip through
	// the sequencer. The sequencer publishes to it after each durable commit.
	mu       sync.RWMutex // guards registry
	registry map[corridor.BIC]corridor.Membership
}

// request is one caller's command or query and where to send the answer.
type request struct {
	cmd   command      // A command, or nil for a query.
	query func(*state) // Runs on the sequencer after the batch is durable.
	reply chan result  // Buffered: the sequencer never blocks on it.
}

// Open replays the journal into a new hub. Call Run to start the sequencer.
func Open(ctx context.Context, cfg Config) (*Hub, error) {
	if _, err := corridor.ParseBIC(string(cfg.BIC)); err != nil {
		return nil, fmt.Errorf("hub BIC: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	h := &Hub{cfg: cfg, log: cfg.Logger.With(corridor.LogKeyComponent, "hub"), requests: make(chan request, QueueDepth),
		stopped: make(chan struct{}), state: newState(cfg.BIC), wakers: make(map[corridor.BIC]chan struct{}),
		registry: make(map[corridor.BIC]corridor.Membership)}
	if err := h.replay(ctx); err != nil {
		return nil, err
	}
	return h, nil
}
