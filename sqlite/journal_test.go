package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/sqlite"
)

// MustOpen opens the store at path and closes it when the test ends.
func MustOpen(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	tb.Cleanup(func() { _ = db.Close() }) // A test that closes it itself checks the error there.
	return db
}

// MustAppend appends n entries, each with payloadBytes of payload, continuing
// the journal's chain, and returns them.
func MustAppend(tb testing.TB, j *sqlite.Journal, n, payloadBytes int) []corridor.JournalEntry {
	tb.Helper()
	seq, hash := j.LastSeq()
	entries := storetest.Chain(seq, hash, n, payloadBytes)
	if err := j.Append(context.Background(), entries); err != nil {
		tb.Fatalf("Append(%d..%d): %v", seq+1, seq+uint64(n), err)
	}
	return entries
}

// replayAll returns the entries Replay gives after seq after.
func replayAll(tb testing.TB, j *sqlite.Journal, after uint64) ([]corridor.JournalEntry, error) {
	tb.Helper()
	var got []corridor.JournalEntry
	err := j.Replay(context.Background(), after, func(e corridor.JournalEntry) error {
		got = append(got, e)
		return nil
	})
	return got, err
}

func TestAppendFailure(t *testing.T) {
	ctx := context.Background()

	t.Run("ErrSeqTaken", func(t *testing.T) {
		// Another writer takes seq 3 behind the store's back: the primary key
		// refuses the batch, and nothing of it is written.
		path := filepath.Join(t.TempDir(), "corridor.db")
		db := MustOpen(t, path)
		MustAppend(t, db.Journal(), 2, 16)
		seq, hash := db.Journal().LastSeq()
		batch := storetest.Chain(seq, hash, 3, 16)
		raw := mustOpenRaw(t, path)
		e := batch[0]
		if _, err := raw.Exec(`INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)`,
			int64(e.Seq), e.Time.UnixNano(), e.Kind, e.Payload, e.PrevHash[:], e.Hash[:]); err != nil {
			t.Fatalf("raw insert: %v", err)
		}
		if err := db.Journal().Append(ctx, batch); err == nil {
			t.Fatalf("Append over a taken seq = nil; want an error")
		}
		if gotSeq, _ := db.Journal().LastSeq(); gotSeq != seq {
			t.Errorf("LastSeq() after failed Append = %d; want %d", gotSeq, seq)
		}
		var rows int
		if err := raw.QueryRow(`SELECT count(*) FROM journal`).Scan(&rows); err != nil || rows != 3 {
			t.Errorf("rows after failed Append = %d, %v; want 3", rows, err)
		}
	})
}
