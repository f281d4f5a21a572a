package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// The lease's bounds.
const (
	MinLeaseTTL  = 100 * time.Millisecond
	MaxLeaseTTL  = time.Hour
	MaxNodeBytes = 128 // Node.Name.
	MaxAddrBytes = 256 // Node.Addr.
)

var (
	// ErrFenced reports a write refused because the Journal does not hold
	// the lease: it never acquired it, or another node has taken it since,
	// or it expired by the database's clock. Nothing of the write is in the
	// database. A deposed leader must stop sequencing.
	ErrFenced = errors.New("postgres: not the lease holder")
	// ErrLeaseHeld reports that Acquire found the lease held, unexpired, by
	// a node (possibly this one).
	ErrLeaseHeld = errors.New("postgres: lease held")
)

// Node names a hub node for the lease.
type Node struct {
	Name string // Unique among the nodes; 1 to MaxNodeBytes bytes of UTF-8.
	Addr string // Where clients reach the node while it leads, as the operator writes it; at most MaxAddrBytes.
}

// Lease is the state of the writer's lease, as the database has it.
type Lease struct {
	Node    Node
	Token   uint64    // Increases by one at every Acquire; 0 before the first.
	Expires time.Time // By the database's clock; the Unix epoch once released, or before the first Acquire.
}

const (
	acquireSQL = `UPDATE lease
		SET node = $1, addr = $2, token = token + 1,
			expires_at = clock_timestamp() + $3 * interval '1 microsecond', acquired_at = clock_timestamp()
		WHERE id = 1 AND expires_at <= clock_timestamp()
		RETURNING token, expires_at`
	renewSQL = `UPDATE lease SET expires_at = clock_timestamp() + $2 * interval '1 microsecond'
		WHERE id = 1 AND token = $1
		RETURNING node, addr, token, expires_at`
	releaseSQL = `UPDATE lease SET node = '', addr = '', expires_at = 'epoch'
		WHERE id = 1 AND token = $1`
	leaderSQL = `SELECT node, addr, token, expires_at, expires_at > clock_timestamp() FROM lease WHERE id = 1`
)

// Acquire takes the lease for node for ttl, if it is free (released) or has
// expired by the database's clock, and gives this Journal the new fencing
// token, one more than the last. It then reloads LastSeq from the database:
// no other node can append from here on, so the caller replays from where it
// is to LastSeq and then sequences. While another node holds the lease it
// returns an error wrapping ErrLeaseHeld that names the holder. A write of
// the previous holder still in flight finishes (commits or rolls back)
// before Acquire can take the lease.
func (j *Journal) Acquire(ctx context.Context, node Node, ttl time.Duration) (Lease, error) {
	if err := checkLease(node, ttl); err != nil {
		return Lease{}, err
	}
	j.appendMu.Lock() // No Append of ours runs while the head is reloaded.
	defer j.appendMu.Unlock()
	var token int64
	var expires time.Time
	err := j.db.pool.QueryRow(ctx, acquireSQL, node.Name, node.Addr, ttl.Microseconds()).Scan(&token, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		held, _, lerr := j.Leader(ctx)
		if lerr != nil {
			return Lease{}, fmt.Errorf("acquire lease for %s: %w", node.Name, errors.Join(ErrLeaseHeld, lerr))
		}
		return Lease{}, fmt.Errorf("acquire lease for %s: %w by %s (token %d) until %s",
			node.Name, ErrLeaseHeld, held.Node.Name, held.Token, held.Expires.Format(time.RFC3339Nano))
	}
	if err != nil {
		return Lease{}, fmt.Errorf("acquire lease for %s: %w", node.Name, err)
	}
	last, err := j.db.readLast(ctx)
	j.mu.Lock()
	j.token = uint64(token) // Ours now, even if reading the head failed: Close releases it.
	if err == nil {
		j.lastSeq, j.lastHash = last.Seq, last.Hash
	}
	j.mu.Unlock()
	if err != nil {
		return Lease{}, fmt.Errorf("acquire lease for %s: %w", node.Name, err)
	}
	return Lease{Node: node, Token: uint64(token), Expires: expires.UTC()}, nil
}

// Renew extends the lease this Journal holds to ttl from now, by the
// database's clock. It succeeds after expiry too, as long as no other node
// has acquired the lease since: then no one else has written either. Once
// another node has it, Renew returns an error wrapping ErrFenced.
func (j *Journal) Renew(ctx context.Context, ttl time.Duration) (Lease, error) {
	if ttl < MinLeaseTTL || ttl > MaxLeaseTTL {
		return Lease{}, fmt.Errorf("renew lease: ttl %s is outside [%s, %s]", ttl, MinLeaseTTL, MaxLeaseTTL)
	}
	token := j.Token()
	if token == 0 {
		return Lease{}, fmt.Errorf("renew lease: %w: this journal never acquired it", ErrFenced)
	}
	var l Lease
	var got int64
	err := j.db.pool.QueryRow(ctx, renewSQL, int64(token), ttl.Microseconds()).Scan(&l.Node.Name, &l.Node.Addr, &got, &l.Expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return Lease{}, fmt.Errorf("renew lease: %w: token %d was superseded", ErrFenced, token)
	}
	if err != nil {
		return Lease{}, fmt.Errorf("renew lease: %w", err)
	}
	l.Token, l.Expires = uint64(got), l.Expires.UTC()
	return l, nil
}

// Release gives the lease up, so that a standby can take it at once rather
// than when it expires. It returns an error wrapping ErrFenced if another
// node has taken it already. After Release this Journal appends no more.
func (j *Journal) Release(ctx context.Context) error {
	token := j.Token()
	if token == 0 {
		return fmt.Errorf("release lease: %w: this journal never acquired it", ErrFenced)
	}
	tag, err := j.db.pool.Exec(ctx, releaseSQL, int64(token))
	if err != nil {
		return fmt.Errorf("release lease: %w", err)
	}
	j.mu.Lock()
	j.token = 0
	j.mu.Unlock()
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("release lease: %w: token %d was superseded", ErrFenced, token)
	}
	return nil
}

// Leader returns the lease as the database has it, and whether it is held:
// not released and not expired by the database's clock. A standby sends
// clients to Node.Addr of a held lease.
func (j *Journal) Leader(ctx context.Context) (Lease, bool, error) {
	var l Lease
	var token int64
	var held bool
	err := j.db.pool.QueryRow(ctx, leaderSQL).Scan(&l.Node.Name, &l.Node.Addr, &token, &l.Expires, &held)
	if err != nil {
		return Lease{}, false, fmt.Errorf("read lease: %w", err)
	}
	l.Token, l.Expires = uint64(token), l.Expires.UTC()
	return l, held, nil
}

// checkLease returns an error naming what is wrong with node or ttl.
func checkLease(node Node, ttl time.Duration) error {
	var problems []error
	if node.Name == "" || len(node.Name) > MaxNodeBytes || !utf8.ValidString(node.Name) {
		problems = append(problems, fmt.Errorf("node name must be 1 to %d bytes of UTF-8, not %d", MaxNodeBytes, len(node.Name)))
	}
	if len(node.Addr) > MaxAddrBytes || !utf8.ValidString(node.Addr) {
		problems = append(problems, fmt.Errorf("node address must be at most %d bytes of UTF-8, not %d", MaxAddrBytes, len(node.Addr)))
	}
	if ttl < MinLeaseTTL || ttl > MaxLeaseTTL {
		problems = append(problems, fmt.Errorf("ttl %s is outside [%s, %s]", ttl, MinLeaseTTL, MaxLeaseTTL))
	}
	if len(problems) > 0 {
		return fmt.Errorf("acquire lease: %w", errors.Join(problems...))
	}
	return nil
}
