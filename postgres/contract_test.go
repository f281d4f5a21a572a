package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/postgres"
)

// harness runs the contract suite on fresh databases, each store holding
// the lease while it is open.
var harness = storetest.Harness{
	Fresh:       func(tb testing.TB) storetest.Store { return store{url: pgtest.New(tb)} },
	PageEntries: postgres.ReplayPageEntries,
	ErrCorrupt:  postgres.ErrCorrupt,
}

func TestContract(t *testing.T) { storetest.Run(t, harness) }

func BenchmarkAppend(b *testing.B) { storetest.BenchmarkAppend(b, harness, 256, 1024) }

func BenchmarkAppendArchived(b *testing.B) {
	storetest.BenchmarkAppendArchived(b, harness, 256, 1024, storetest.BenchRecordBytes)
}

func BenchmarkAppendBooked(b *testing.B) {
	storetest.BenchmarkAppendBooked(b, harness, 256, 1024, storetest.BenchBookRecordBytes)
}

// BenchmarkBookEntries reads books appended in batches of 256 entries, as
// BenchmarkAppendBooked appends.
func BenchmarkBookEntries(b *testing.B) {
	storetest.BenchmarkBookEntries(b, harness, 256, storetest.BenchBookRecordBytes)
}

// store is one database under the suite.
type store struct{ url string }

// Open opens the store and takes the lease: Close gives it back, so the
// next Open takes it again at once.
func (s store) Open(testing.TB) (storetest.Journal, error) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, s.url)
	if err != nil {
		return nil, err
	}
	if _, err := db.Journal().Acquire(ctx, suiteNode, longTTL); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return db.Journal(), nil
}

// Tamper runs statements in one transaction with the tables' append-only
// triggers disabled, as the tables' owner can.
func (s store) Tamper(tb testing.TB, statements ...string) {
	tb.Helper()
	ctx := context.Background()
	conn := mustConnect(tb, s.url)
	tx, err := conn.Begin(ctx)
	if err != nil {
		tb.Fatalf("begin: %v", err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // After Commit a no-op.
	tables := []string{"journal", "checkpoint", "book_run"}
	var all []string
	for _, table := range tables {
		all = append(all, `ALTER TABLE `+table+` DISABLE TRIGGER USER`)
	}
	all = append(all, statements...)
	for _, table := range tables {
		all = append(all, `ALTER TABLE `+table+` ENABLE TRIGGER USER`)
	}
	for _, stmt := range all {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			tb.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		tb.Fatalf("commit: %v", err)
	}
}

func (s store) Exec(tb testing.TB, statement string) error {
	_, err := mustConnect(tb, s.url).Exec(context.Background(), statement)
	return err
}

func (s store) Audit(ctx context.Context, verify func(corridor.Checkpoint) error) (storetest.AuditReport, error) {
	r, err := postgres.Audit(ctx, s.url, verify)
	return storetest.AuditReport(r), err
}

func (s store) EntryHash(ctx context.Context, seq uint64) ([32]byte, error) {
	return postgres.EntryHash(ctx, s.url, seq)
}
