package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/sqlite"
)

// TestWALBounded appends 5,000 entries of 1 KB, one per transaction and
// with no read between, under WAL bounds lowered to 100 pages (the
// checkpointer's wake) and 400 (an Append's own checkpoint): without
// checkpoints the WAL would reach some 6,000 pages. The WAL file never
// grows past the bound and one batch, the checkpoints run mostly on the
// store's goroutine, and every entry is there after a reopen.
func TestWALBounded(t *testing.T) {
	const (
		appends   = 5000
		wakePages = 100
		maxPages  = 400
		slack     = 8 // The pages of the batch that follows the check, and then some.
	)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	if err := sqlite.SetWALPages(ctx, db, wakePages, maxPages); err != nil {
		t.Fatal(err)
	}
	var most int64
	for range appends {
		MustAppend(t, db.Journal(), 1, 1024)
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, fi.Size())
	}
	background, inline := sqlite.Checkpoints(db)
	t.Logf("WAL at most %d bytes (%d pages); %d checkpoints by the goroutine, %d by Appends", most, (most-32)/4120, background, inline)
	if bound := sqlite.WALBytes(maxPages + slack); most > bound {
		t.Errorf("WAL reached %d bytes; want at most %d (%d pages)", most, bound, maxPages+slack)
	}
	if background == 0 || inline > background {
		t.Errorf("%d checkpoints by the goroutine, %d by Appends; want most by the goroutine", background, inline)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	db = MustOpen(t, path)
	if got, err := replayAll(t, db.Journal(), 0); err != nil || len(got) != appends {
		t.Errorf("replay after reopen: %d entries, %v; want %d", len(got), err, appends)
	}
}

// TestCheckpointerStops checks that Close, and Release, stop the
// checkpoint goroutine and wait for it, and that Reopen starts another.
func TestCheckpointerStops(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
	j := db.Journal()
	if isDone(sqlite.CheckpointerDone(db)) {
		t.Fatal("the checkpointer has returned before Close")
	}
	if err := j.Release(ctx); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if !isDone(sqlite.CheckpointerDone(db)) {
		t.Error("the checkpointer still runs after Release")
	}
	if err := j.Reopen(ctx); err != nil {
		t.Fatalf("Reopen: %v", err)
	}
	done := sqlite.CheckpointerDone(db)
	if isDone(done) {
		t.Fatal("no checkpointer runs after Reopen")
	}
	MustAppend(t, j, 3, 16)
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if !isDone(done) {
		t.Error("the checkpointer still runs after Close")
	}
}

func isDone(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// sqliteErr is an error with a SQLite result code, as the driver's are.
type sqliteErr int

func (e sqliteErr) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e sqliteErr) Code() int     { return int(e) }

// TestCheckpointErr checks which checkpoint failures the next Append
// reports: the file corrupt or the disk full, once, before it writes
// anything; others wait for the next checkpoint to try again.
func TestCheckpointErr(t *testing.T) {
	for _, tt := range []struct {
		name   string
		err    error
		report bool
	}{
		{"Corrupt", sqliteErr(11), true},
		{"CorruptVTab", sqliteErr(11 | 1<<8), true}, // SQLITE_CORRUPT_VTAB, an extended code.
		{"NotADatabase", sqliteErr(26), true},
		{"Full", sqliteErr(13), true},
		{"IOErrFsync", sqliteErr(10 | 4<<8), false}, // SQLITE_IOERR_FSYNC: the WAL keeps its frames.
		{"Busy", sqliteErr(5), false},
		{"NotSQLite", errors.New("something else"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
			j := db.Journal()
			MustAppend(t, j, 2, 16)
			sqlite.SetCheckpointErr(db, tt.err)
			seq, hash := j.LastSeq()
			err := j.Append(context.Background(), storetest.Chain(seq, hash, 2, 16))
			if got := err != nil; got != tt.report || (tt.report && !errors.Is(err, tt.err)) {
				t.Fatalf("Append after a checkpoint's %v = %v; want reported %t", tt.err, err, tt.report)
			}
			if tt.report {
				if got, _ := j.LastSeq(); got != seq {
					t.Errorf("LastSeq() after the refused Append = %d; want %d", got, seq)
				}
				MustAppend(t, j, 2, 16) // Reported once: the next Append goes ahead.
			}
			if got, err := replayAll(t, j, 0); err != nil || len(got) != 4 {
				t.Errorf("replay: %d entries, %v; want 4", len(got), err)
			}
		})
	}
}
