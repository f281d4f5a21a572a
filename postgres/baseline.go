package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The row-locking baseline is the classic SQL ledger `corridor bench
// --baseline postgres-rowlock` compares Corridor with: one transaction per
// transfer that locks both accounts (SELECT … FOR UPDATE, in a fixed order
// so that transfers never deadlock), checks the payer's balance, updates
// both and inserts the transfer, at the server's default durability. It is
// not Corridor's store; it lives here because only this package speaks to
// PostgreSQL.

// BaselineOptions is a run of the baseline.
type BaselineOptions struct {
	Banks      int           // Accounts per currency: one per bank.
	Currencies int           // Currencies: the banks hold one account in each.
	Clients    int           // Concurrent transfers in flight.
	Transfers  int           // How many to make; the run stops at Transfers or Duration, whichever comes first.
	Duration   time.Duration // Zero: no bound but Transfers.
}

// BaselineResult is what a run of the baseline did.
type BaselineResult struct {
	Transfers int64         // Committed.
	Refused   int64         // Rolled back for want of funds.
	Elapsed   time.Duration // From the first transfer to the last commit.
}

// PerSecond is the committed transfers per second.
func (r BaselineResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Transfers) / r.Elapsed.Seconds()
}

const (
	baselineSchema = `
DROP TABLE IF EXISTS baseline_transfer, baseline_account;
CREATE TABLE baseline_account (id integer PRIMARY KEY, currency integer NOT NULL, balance bigint NOT NULL CHECK (balance >= 0));
CREATE TABLE baseline_transfer (id bigserial PRIMARY KEY, debit integer NOT NULL REFERENCES baseline_account,
	credit integer NOT NULL REFERENCES baseline_account, amount bigint NOT NULL CHECK (amount > 0), at timestamptz NOT NULL DEFAULT now())`
	baselineFunding = 1_000_000_000_00 // Each account's opening balance, in minor units: no transfer is short.
	baselineLock    = `SELECT id, balance FROM baseline_account WHERE id = ANY($1) ORDER BY id FOR UPDATE`
	baselineDebit   = `UPDATE baseline_account SET balance = balance - $2 WHERE id = $1`
	baselineCredit  = `UPDATE baseline_account SET balance = balance + $2 WHERE id = $1`
	baselineInsert  = `INSERT INTO baseline_transfer (debit, credit, amount) VALUES ($1, $2, $3)`
)

// RunBaseline sets up the baseline's tables in the database at url
// (dropping earlier ones) and runs o against it.
func RunBaseline(ctx context.Context, url string, o BaselineOptions) (BaselineResult, error) {
	if o.Banks < 2 || o.Currencies < 1 || o.Clients < 1 || o.Transfers < 1 || o.Banks*o.Currencies > 10_000 {
		return BaselineResult{}, fmt.Errorf("baseline: %d banks, %d currencies, %d clients, %d transfers: want at least 2, 1, 1, 1 and at most 10,000 accounts",
			o.Banks, o.Currencies, o.Clients, o.Transfers)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: %w", err)
	}
	cfg.MaxConns = int32(min(o.Clients, 1000))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return BaselineResult{}, fmt.Errorf("baseline: connect: %w", err)
	}
	defer pool.Close()
	if err := setUpBaseline(ctx, pool, o); err != nil {
		return BaselineResult{}, err
	}
	return runBaseline(ctx, pool, o)
}

func setUpBaseline(ctx context.Context, pool *pgxpool.Pool, o BaselineOptions) error {
	if _, err := pool.Exec(ctx, baselineSchema); err != nil {
		return fmt.Errorf("baseline: create tables: %w", err)
	}
	rows := make([][]any, 0, o.Banks*o.Currencies)
	for c := range o.Currencies {
		for b := range o.Banks {
			rows = append(rows, []any{int32(c*o.Banks + b), int32(c), int64(baselineFunding)})
		}
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"baseline_account"}, []string{"id", "currency", "balance"}, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("baseline: fund accounts: %w", err)
	}
	return nil
}

func runBaseline(ctx context.Context, pool *pgxpool.Pool, o BaselineOptions) (BaselineResult, error) {
	var started, committed, refused atomic.Int64
	var firstErr error
	var errOnce sync.Once
	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Duration)
		defer cancel()
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for started.Add(1) <= int64(o.Transfers) && ctx.Err() == nil {
				ok, err := baselineTransfer(ctx, pool, o, r)
				switch {
				case err != nil && ctx.Err() == nil:
					errOnce.Do(func() { firstErr = err })
					return
				case err != nil:
					return
				case ok:
					committed.Add(1)
				default:
					refused.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	res := BaselineResult{Transfers: committed.Load(), Refused: refused.Load(), Elapsed: time.Since(start)}
	return res, firstErr
}

// baselineTransfer makes one transfer between two random accounts of one
// currency: false when the payer was short (rolled back).
func baselineTransfer(ctx context.Context, pool *pgxpool.Pool, o BaselineOptions, r *rand.Rand) (bool, error) {
	c := r.IntN(o.Currencies)
	from := c*o.Banks + r.IntN(o.Banks)
	to := c*o.Banks + (from-c*o.Banks+1+r.IntN(o.Banks-1))%o.Banks
	amount := int64(1 + r.IntN(100_000))
	tx, err := pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("baseline: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // After Commit a no-op; before, the cause is returned.
	rows, err := tx.Query(ctx, baselineLock, []int32{int32(from), int32(to)})
	if err != nil {
		return false, fmt.Errorf("baseline: lock: %w", err)
	}
	var payer int64
	for rows.Next() {
		var id int32
		var bal int64
		if err := rows.Scan(&id, &bal); err != nil {
			rows.Close()
			return false, fmt.Errorf("baseline: lock: %w", err)
		}
		if int(id) == from {
			payer = bal
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("baseline: lock: %w", err)
	}
	if payer < amount {
		return false, nil
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{{baselineDebit, []any{from, amount}}, {baselineCredit, []any{to, amount}}, {baselineInsert, []any{from, to, amount}}} {
		if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
			return false, fmt.Errorf("baseline: transfer: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return false, err
		}
		return false, fmt.Errorf("baseline: commit: %w", err)
	}
	return true, nil
}
