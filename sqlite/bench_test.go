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
func BenchmarkAppend1Booked(b *testing.B)  { benchmarkAppend(b, 1, bookEach) }
func BenchmarkAppend64Booked(b *testing.B) { benchmarkAppend(b, 64, bookEach) }

func archiveEach(c []corridor.JournalEntry) { storetest.ArchiveEach(c, storetest.BenchRecordBytes) }

func bookEach(c []corridor.JournalEntry) {
	storetest.BookEach(c, storetest.BenchBookAccounts, storetest.BenchBookRecordBytes)
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

// BenchmarkBookEntries measures a read of 100 book entries of one account
// from books of 100,000 entries on storetest.BenchBookAccounts accounts
// (what 50,000 payments post), in a place that moves with each read. An op
// is one read.
func BenchmarkBookEntries(b *testing.B) {
	const payments, page = 50_000, 100
	db := MustOpen(b, filepath.Join(b.TempDir(), "corridor.db"))
	j := db.Journal()
	ctx := context.Background()
	for range payments / 1000 {
		seq, hash := j.LastSeq()
		chain := storetest.Chain(seq, hash, 1000, benchPayloadBytes)
		bookEach(chain)
		if err := j.Append(ctx, chain); err != nil {
			b.Fatalf("Append: %v", err)
		}
	}
	perAccount := 2 * payments / storetest.BenchBookAccounts
	var i int
	for b.Loop() {
		account := storetest.BookAccount(i % storetest.BenchBookAccounts)
		from := uint64(i*37%(perAccount-page) + 1)
		got, err := j.BookEntries(ctx, account, from, page)
		if err != nil || len(got) != page {
			b.Fatalf("BookEntries(%s, %d, %d) = %d entries, %v", account, from, page, len(got), err)
		}
		i++
	}
}
