package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/sqlite"
)

// harness runs the contract suite on stores in files of a temp dir.
var harness = storetest.Harness{
	Fresh: func(tb testing.TB) storetest.Store {
		return store{path: filepath.Join(tb.TempDir(), "corridor.db")}
	},
	PageEntries: sqlite.ReplayPageEntries,
	ErrCorrupt:  sqlite.ErrCorrupt,
}

func TestContract(t *testing.T) { storetest.Run(t, harness) }

func BenchmarkAppend(b *testing.B) { storetest.BenchmarkAppend(b, harness, 256, 1024) }

func BenchmarkAppendArchived(b *testing.B) {
	storetest.BenchmarkAppendArchived(b, harness, 256, 1024, storetest.BenchRecordBytes)
}

func BenchmarkAppendBooked(b *testing.B) {
	storetest.BenchmarkAppendBooked(b, harness, 256, 1024, storetest.BenchBookRecordBytes)
}

// store is one SQLite file under the suite.
type store struct{ path string }

func (s store) Open(testing.TB) (storetest.Journal, error) {
	db, err := sqlite.Open(context.Background(), s.path)
	if err != nil {
		return nil, err
	}
	return db.Journal(), nil
}

// Tamper drops the append-only triggers for good: the suite reopens a
// tampered store only to read it.
func (s store) Tamper(tb testing.TB, statements ...string) {
	tb.Helper()
	drop := []string{dropTriggers, `DROP TRIGGER checkpoint_no_update; DROP TRIGGER checkpoint_no_delete`,
		`DROP TRIGGER book_run_no_update; DROP TRIGGER book_run_no_delete; DROP TRIGGER book_run_disjoint`}
	mustExec(tb, s.path, append(drop, statements...)...)
}

func (s store) Exec(tb testing.TB, statement string) error {
	_, err := mustOpenRaw(tb, s.path).Exec(statement)
	return err
}

func (s store) Audit(ctx context.Context, verify func(corridor.Checkpoint) error) (storetest.AuditReport, error) {
	r, err := sqlite.Audit(ctx, s.path, verify)
	return storetest.AuditReport(r), err
}

func (s store) EntryHash(ctx context.Context, seq uint64) ([32]byte, error) {
	return sqlite.EntryHash(ctx, s.path, seq)
}
