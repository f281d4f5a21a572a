package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/sqlite"
)

func TestReopen(t *testing.T) {
	ctx := context.Background()

	t.Run("FindsWhatReachedTheFile", func(t *testing.T) {
		// The first entry of a failed batch is in the file (another writer
		// put it there, as a commit that failed after its write would):
		// Reopen learns it, and the journal continues after it.
		path := filepath.Join(t.TempDir(), "corridor.db")
		db := MustOpen(t, path)
		j := db.Journal()
		MustAppend(t, j, 2, 16)
		seq, hash := j.LastSeq()
		batch := storetest.Chain(seq, hash, 3, 16)
		e := batch[0]
		if _, err := mustOpenRaw(t, path).Exec(`INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)`,
			int64(e.Seq), e.Time.UnixNano(), e.Kind, e.Payload, e.PrevHash[:], e.Hash[:]); err != nil {
			t.Fatalf("raw insert: %v", err)
		}
		if err := j.Append(ctx, batch); err == nil {
			t.Fatal("Append over a taken seq = nil; want an error")
		}
		if err := j.Reopen(ctx); err != nil {
			t.Fatalf("Reopen() = %v", err)
		}
		if gotSeq, gotHash := j.LastSeq(); gotSeq != e.Seq || gotHash != e.Hash {
			t.Fatalf("LastSeq() after Reopen = %d, %x; want %d, %x", gotSeq, gotHash[:4], e.Seq, e.Hash[:4])
		}
		if err := j.Append(ctx, batch[1:]); err != nil {
			t.Errorf("Append(rest of the batch) after Reopen = %v", err)
		}
	})

	t.Run("ProbeAndRelease", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		j := db.Journal()
		MustAppend(t, j, 3, 16)
		for i := range 2 { // The probe replaces its one row.
			if err := j.Probe(ctx); err != nil {
				t.Fatalf("Probe() #%d = %v", i+1, err)
			}
		}
		if err := j.Release(ctx); err != nil {
			t.Fatalf("Release() = %v", err)
		}
		if open := sqlite.Stats(db).OpenConnections; open != 0 {
			t.Errorf("%d connections open after Release; want 0", open)
		}
		MustAppend(t, j, 1, 16) // A statement after Release opens the file for itself.
		if open := sqlite.Stats(db).OpenConnections; open != 0 {
			t.Errorf("%d connections open after an Append while released; want 0", open)
		}
		if err := j.Reopen(ctx); err != nil {
			t.Fatalf("Reopen() = %v", err)
		}
		MustAppend(t, j, 1, 16)
		if open := sqlite.Stats(db).OpenConnections; open != 1 {
			t.Errorf("%d connections open after Reopen; want 1, kept", open)
		}
		if got, err := replayAll(t, j, 0); err != nil || len(got) != 5 {
			t.Errorf("replay after Reopen: %d entries, %v; want 5", len(got), err)
		}
	})

	t.Run("ErrLostEntries", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "corridor.db")
		db := MustOpen(t, path)
		j := db.Journal()
		MustAppend(t, j, 3, 16)
		raw := mustOpenRaw(t, path)
		for _, s := range []string{dropTriggers, `DELETE FROM journal WHERE seq = 3`} {
			if _, err := raw.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		err := j.Reopen(ctx)
		if !errors.Is(err, sqlite.ErrCorrupt) || !strings.Contains(err.Error(), "ends at entry 2, but entry 3 was durable") {
			t.Errorf("Reopen() after a lost entry = %v; want ErrCorrupt naming entries 2 and 3", err)
		}
	})
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := sqlite.CheckWritable(filepath.Join(dir, "corridor.db")); err != nil {
		t.Errorf("CheckWritable(new store in a temp dir) = %v; want nil", err)
	}
	missing := filepath.Join(dir, "missing", "corridor.db")
	err := sqlite.CheckWritable(missing)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("CheckWritable(%s) = %v; want an error naming it", missing, err)
	}
	if _, err := sqlite.Open(context.Background(), missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open(%s) = %v; want the same refusal", missing, err)
	}
}
