package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/storetest"
)

// benchPayloadBytes is the size of a benchmark entry's payload, about that
// of an encoded payment command.
const benchPayloadBytes = 200

func BenchmarkAppend1(b *testing.B)  { benchmarkAppend(b, 1, nil) }
func BenchmarkAppend64(b *testing.B) { benchmarkAppend(b, 64, nil) }

// The same, each entry archiving one payment (storetest.ArchiveEach).
func BenchmarkAppend1Archived(b *testing.B)  { benchmarkAppend(b, 1, archiveEach) }
func BenchmarkAppend64Archived(b *testing.B) { benchmarkAppend(b, 64, archiveEach) }

// The same, each entry posting two book entries (storetest.BookEach).
func BenchmarkAppend1Booked(b *testing.B)  { benchmarkAppend(b, 1, bookEach()) }
func BenchmarkAppend64Booked(b *testing.B) { benchmarkAppend(b, 64, bookEach()) }

func archiveEach(c []corridor.JournalEntry) { storetest.ArchiveEach(c, storetest.BenchRecordBytes) }

// bookEach returns what gives a batch its book entries, its records made
// once.
func bookEach() func([]corridor.JournalEntry) {
	records := storetest.BenchBookRecords(storetest.BenchBookRecordCount, storetest.BenchBookRecordBytes)
	return func(c []corridor.JournalEntry) { storetest.BookEach(c, storetest.BenchBookAccounts, records) }
}

// benchmarkAppend measures Append with batch entries per transaction, each
// transaction fsynced, carry (unless nil) giving each batch what its
// entries write beside themselves. An op is one batch; entries/s counts
// entries. Building and hashing the batch is inside the timing, as Append
// rehashes it anyway.
func benchmarkAppend(b *testing.B, batch int, carry func([]corridor.JournalEntry)) {
	db := MustOpen(b, filepath.Join(b.TempDir(), "corridor.db"))
	j := db.Journal()
	ctx := context.Background()
	b.SetBytes(int64(batch * benchPayloadBytes))
	var entries int
	for b.Loop() {
		seq, hash := j.LastSeq()
		chain := storetest.Chain(seq, hash, batch, benchPayloadBytes)
		if carry != nil {
			carry(chain)
		}
		if err := j.Append(ctx, chain); err != nil {
			b.Fatalf("Append: %v", err)
		}
		entries += batch
	}
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkBookEntries is storetest.BenchmarkBookEntries, the books
// appended in batches of 64 entries, as BenchmarkAppend64Booked appends.
func BenchmarkBookEntries(b *testing.B) {
	storetest.BenchmarkBookEntries(b, harness, 64, storetest.BenchBookRecordBytes)
}
