package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// TailRecheckInterval is how long Wait waits for a notification before it
// reads the journal's last seq again. Notifications are the fast path; the
// recheck is a safety net that costs one cheap query per interval.
const TailRecheckInterval = 5 * time.Second

// tailApplicationName names Wait's connections in pg_stat_activity, where
// an operator sees the standbys that follow the journal.
const tailApplicationName = "corridor-tail"

// Wait blocks until the journal holds an entry after seq after, and returns
// the last seq committed then; the caller reads the entries with Replay. It
// returns at once when there is one already, and otherwise listens on its
// own connection for the notification each append transaction sends as it
// commits, with a recheck every TailRecheckInterval. It returns ctx's error
// when ctx ends first. A standby calls it in a loop, as the package comment
// shows.
func (j *Journal) Wait(ctx context.Context, after uint64) (uint64, error) {
	last, err := lastSeq(ctx, j.db.pool)
	if err != nil || last > after {
		return last, err
	}
	cc := j.db.pool.Config().ConnConfig // A copy.
	// Waiting for a notification runs no statement: a context that ends
	// needs no cancel request, only the read to stop.
	cc.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	cc.RuntimeParams["application_name"] = tailApplicationName
	conn, err := pgx.ConnectConfig(ctx, cc)
	if err != nil {
		return 0, fmt.Errorf("wait for journal entry %d: connect: %w", after+1, err)
	}
	// A listening connection is never shared: it is closed, with what it
	// buffered, when Wait returns.
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }() // Read only: closing cannot lose data.
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return 0, fmt.Errorf("wait for journal entry %d: listen: %w", after+1, err)
	}
	for {
		// Read after LISTEN: what commits later is notified, what committed
		// before is read here.
		last, err := lastSeq(ctx, conn)
		if err != nil || last > after {
			return last, err
		}
		if err := waitNotification(ctx, conn, after); err != nil {
			return 0, fmt.Errorf("wait for journal entry %d: %w", after+1, err)
		}
	}
}

// waitNotification returns once conn receives a notification of a seq after
// after, or TailRecheckInterval has passed, or with ctx's error.
func waitNotification(ctx context.Context, conn *pgx.Conn, after uint64) error {
	wctx, cancel := context.WithTimeout(ctx, TailRecheckInterval)
	defer cancel()
	for {
		n, err := conn.WaitForNotification(wctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil // Time to recheck.
		}
		if err != nil {
			return err
		}
		if seq, perr := strconv.ParseUint(n.Payload, 10, 64); perr != nil || seq > after {
			return nil // A payload we did not write is read as "go and look".
		}
	}
}

// lastSeq returns the journal's last seq, 0 when it is empty.
func lastSeq(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (uint64, error) {
	var seq int64
	if err := q.QueryRow(ctx, lastSeqSQL).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read last journal seq: %w", err)
	}
	return uint64(seq), nil
}
