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

func BenchmarkAppend1(b *testing.B)  { benchmarkAppend(b, 1, 0) }
func BenchmarkAppend64(b *testing.B) { benchmarkAppend(b, 64, 0) }

// The same, each entry archiving one payment (storetest.ArchiveEach).
func BenchmarkAppend1Archived(b *testing.B)  { benchmarkAppend(b, 1, storetest.BenchRecordBytes) }
func BenchmarkAppend64Archived(b *testing.B) { benchmarkAppend(b, 64, storetest.BenchRecordBytes) }

// benchmarkAppend measures Append with batch entries per transaction, each
// transaction fsynced, each entry archiving a payment with a record of
// recordBytes unless that is 0. An op is one batch; entries/s counts
// entries. Building and hashing the batch is inside the timing, as Append
// rehashes it anyway.
func benchmarkAppend(b *testing.B, batch, recordBytes int) {
	db := MustOpen(b, filepath.Join(b.TempDir(), "corridor.db"))
	j := db.Journal()
	ctx := context.Background()
	b.SetBytes(int64(batch * benchPayloadBytes))
	var entries int
	for b.Loop() {
		seq, hash := j.LastSeq()
		chain := storetest.Chain(seq, hash, batch, benchPayloadBytes)
		if recordBytes > 0 {
			storetest.ArchiveEach(chain, recordBytes)
		}
		if err := j.Append(ctx, chain); err != nil {
			b.Fatalf("Append: %v", err)
		}
		entries += batch
	}
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}
