// Package hub is the sequencer: the one goroutine that owns the hub's state.
// Commands arrive through a bounded queue; the sequencer takes a batch,
// executes each command against the state, appends the ones that changed it to
// the journal in one durable transaction (group commit), and only then answers
// every caller. On start it replays the journal to rebuild the state.
package hub

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/screening"
	"github.com/corridor-network/corridor/settlement"
)

// Bounds of the sequencer.
const (
	QueueDepth    = 4096 // Requests waiting for the sequencer.
	MaxBatch      = 256  // Requests the sequencer takes into one journal transaction.
	MaxInboxRead  = 256  // Messages one inbox read returns: a page signed as one (sign=batch) is one Merkle tree, corridor.MaxBatchMessages at most.
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

	NetCurrencies []corridor.Currency // Payments in these settle in deferred net cycles; the rest gross (RTGS).
	PublishedRate bool                // A conversion without an FX quote may use the published rate.
	QuoteLife     time.Duration       // How long an FX quote stays live; DefaultQuoteLife if 0.

	ScreeningThreshold float64 // Screening score at or above which a payment is held; screening's default if 0.
	FourEyes           bool    // A compliance release needs two different operators.
	// MessageRules are the rules of the messages the hub writes; 0 keeps what
	// the journal recorded, and gives a new journal MessagesCurrent.
	MessageRules int

	// Retention is how long a final payment stays in memory before the hub
	// archives it in the store (configCmd.Retention); 0 keeps every payment.
	// A journal that is not a corridor.Archive keeps every payment whatever
	// it says.
	Retention time.Duration

	// Calendars are the business-day calendars: a currency with one settles
	// on the business days the operator (or cmd/corridor's scheduler) opens,
	// cuts off and closes; one without on the UTC date of Now.
	Calendars []settlement.Calendar

	// OnWait, when set, is called each time an inbox read finds nothing and
	// starts to wait, on the reader's goroutine: for gauges and for tests
	// that must act while a long poll waits. It must not block.
	OnWait func(corridor.BIC)

	Observer Observer // Told of batches and screenings, for metrics; nil for none.

	// CommitInterval is the longest a batch waits for company before its
	// append while the CPU is saturated, counted from the start of the
	// append before it (see DefaultCommitInterval); 0 for the default,
	// negative never to wait.
	CommitInterval time.Duration

	// Standby opens the hub as a warm standby of a journal another node
	// writes: Open replays it without journaling anything, CatchUp follows
	// it, and TakeOver, once the node holds the journal's lease, makes it
	// the active hub before Run.
	Standby bool
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

	// While the journal cannot be written (see recovery.go): down is the
	// sequencer's own record, journalDown its flag for the callers, refused
	// the commands refused since the hub started, and rebuilt where the
	// recovery hands the sequencer the state it replayed.
	down        *outage
	journalDown atomic.Bool
	refused     atomic.Uint64
	rebuilt     chan rebuilt
	lastProbe   atomic.Pointer[probeFailure] // Why the store could not be written last; nil while it can.

	// The registry lets the API authenticate a caller without a trip through
	// the sequencer. The sequencer publishes to it after each durable commit.
	mu               sync.RWMutex // guards registry, standing and revokedOperators
	registry         map[corridor.BIC]corridor.Membership
	standing         map[corridor.BIC]uint64 // Memberships published per participant: a long poll ends when it moves.
	revokedOperators map[string]bool

	// screener is the sanctions screener in force, published by the sequencer
	// after each commit that changed it, so that callers screen their payments
	// on their own goroutines.
	screener atomic.Pointer[screening.Screener]

	// snapshotBytes is the size of the last snapshot taken, which the next
	// one's buffer starts at: a snapshot of tens of megabytes grown from
	// nothing would copy itself a dozen times and leave as much garbage.
	snapshotBytes atomic.Int64
}

// request is one caller's command or query and where to send the answer.
type request struct {
	cmd   command      // A command, or nil for a query.
	check archiveCheck // What the archive said of cmd (retention.go).
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
	if cfg.CommitInterval == 0 {
		cfg.CommitInterval = DefaultCommitInterval
	}
	if cfg.QuoteLife == 0 {
		cfg.QuoteLife = DefaultQuoteLife
	}
	if cfg.QuoteLife < 0 || cfg.QuoteLife > MaxQuoteLife {
		return nil, fmt.Errorf("hub quote life %s is not within (0, %s]", cfg.QuoteLife, MaxQuoteLife)
	}
	for _, c := range cfg.NetCurrencies {
		if !c.Valid() {
			return nil, fmt.Errorf("hub net currency %q is not processable", c)
		}
	}
	if err := checkCalendars(cfg.Calendars); err != nil {
		return nil, err
	}
	h := &Hub{cfg: cfg, log: cfg.Logger.With(corridor.LogKeyComponent, "hub"), requests: make(chan request, QueueDepth),
		stopped: make(chan struct{}), state: newState(cfg.BIC), wakers: make(map[corridor.BIC]chan struct{}), rebuilt: make(chan rebuilt),
		registry: make(map[corridor.BIC]corridor.Membership), standing: make(map[corridor.BIC]uint64)}
	if err := h.replay(ctx); err != nil {
		return nil, err
	}
	if !cfg.Standby {
		h.configure()
	}
	return h, nil
}

// configure has the sequencer journal the settlement configuration as its
// first command when it differs from the one the journal last recorded, so
// that a replay settles each payment as it was settled.
func (h *Hub) configure() {
	if c, ok := h.configCommand(); ok {
		h.requests <- request{cmd: c, reply: make(chan result, 1)} // The queue is empty: Run has not started.
	}
}

// reconfigure runs, on the sequencer, the configuration command that a
// state rebuilt from the journal needs: the failed batch may have held the
// one configure queued.
func (h *Hub) reconfigure(ctx context.Context, wg *sync.WaitGroup) error {
	c, ok := h.configCommand()
	if !ok {
		return nil
	}
	if err := h.processNow(ctx, []request{{cmd: c, reply: make(chan result, 1)}}); err != nil && !h.degrade(ctx, wg, err) {
		return err
	}
	return nil
}

// configCommand is the settlement configuration of h.cfg, and whether it
// differs from the one the state holds and must be journaled.
func (h *Hub) configCommand() (configCmd, bool) {
	c := configCmd{NetCurrencies: slices.Clone(h.cfg.NetCurrencies), PublishedRate: h.cfg.PublishedRate,
		ScreeningThreshold: h.cfg.ScreeningThreshold, Calendars: slices.Clone(h.cfg.Calendars), FourEyes: h.cfg.FourEyes, Messages: h.cfg.MessageRules,
		Retention: h.retention()}
	slices.SortFunc(c.Calendars, func(a, b settlement.Calendar) int { return cmp.Compare(a.Currency, b.Currency) })
	if c.Messages == 0 {
		c.Messages = h.state.config.Messages // An existing journal keeps its rules…
		if h.state.lastSeq == 0 {
			c.Messages = MessagesCurrent // …and a new one starts with today's.
		}
	}
	slices.Sort(c.NetCurrencies)
	return c, !sameConfig(c, h.state.config)
}
