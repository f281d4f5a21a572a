package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor/internal/storetest"
)

// benchPayloadBytes is the size of a benchmark entry's payload, about that
// of an encoded payment command.
const benchPayloadBytes = 200

func BenchmarkAppend1(b *testing.B)  { benchmarkAppend(b, 1) }
func BenchmarkAppend64(b *testing.B) { benchmarkAppend(b, 64) }

// benchmarkAppend measures Append with batch entries per transaction, each
// transaction fsynced. An op is one batch; entries/s counts entries. Building
// and hashing the batch is inside the timing, as Append rehashes it anyway.
func benchmarkAppend(b *testing.B, batch int) {
	db := MustOpen(b, filepath.Join(b.TempDir(), "corridor.db"))
	j := db.Journal()
	ctx := context.Background()
	b.SetBytes(int64(batch * benchPayloadBytes))
	var entries int
	for b.Loop() {
		seq, hash := j.LastSeq()
		if err := j.Append(ctx, storetest.Chain(seq, hash, batch, benchPayloadBytes)); err != nil {
			b.Fatalf("Append: %v", err)
		}
		entries += batch
	}
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}
