package sqlite_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/corridor-network/corridor/sqlite"
)

// everyByte cuts the WAL at every byte of its tail; by default every byte
// of the last 48 and every 197th before them, which reach every frame's
// header and page: go test ./sqlite -run TestPowerLoss -powerloss.every-byte.
var everyByte = flag.Bool("powerloss.every-byte", false, "TestPowerLoss cuts the WAL at every byte of its last two frames")

// powerLossStride is the step from one cut to the next.
func powerLossStride(cut int64) int64 {
	if *everyByte || cut < 48 {
		return 1
	}
	return 197
}

// acknowledged is how many entries the power-loss tests append, in batches,
// each batch acknowledged (Append returned) before the files are cut.
const acknowledged = 40

// mustCrashedStore appends acknowledged entries in batches of 4 to a new
// store and copies its files as they are on disk, without closing it (as
// after a crash: the write-ahead log not checkpointed), into a directory it
// returns with the store's path.
func mustCrashedStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	for range acknowledged / 4 {
		MustAppend(t, db.Journal(), 4, 200)
	}
	return path
}

// copyStore copies the store at path, with its WAL and mark, to a new
// directory and returns the copy's path.
func copyStore(t *testing.T, path string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "corridor.db")
	for _, suffix := range []string{"", "-wal", "-mark"} {
		b, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

// checkNothingAcknowledgedLost opens the store at path: it must either hold
// every acknowledged entry, chained and whole, or be refused as corrupt.
// It returns whether it was refused.
func checkNothingAcknowledgedLost(t *testing.T, path, what string) bool {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		if !errors.Is(err, sqlite.ErrCorrupt) {
			t.Fatalf("%s: Open = %v; want the journal or ErrCorrupt naming what is missing or altered", what, err)
		}
		return true
	}
	defer db.Close()
	if last, _ := db.Journal().LastSeq(); last < acknowledged {
		t.Fatalf("%s: the store opened with %d entries; %d were acknowledged", what, last, acknowledged)
	}
	if got, err := replayAll(t, db.Journal(), 0); err != nil || len(got) < acknowledged {
		t.Fatalf("%s: replay gave %d entries, %v; want every acknowledged one", what, len(got), err)
	}
	return false
}

// TestPowerLoss cuts the write-ahead log of a crashed store at every byte of
// its last frames, deletes it, deletes the last rows, empties and removes
// the database: each time the store opens with everything acknowledged, or
// is refused naming what is missing — never a silent truncation.
func TestPowerLoss(t *testing.T) {
	path := mustCrashedStore(t)
	wal, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	const tail = 2 * (4096 + 24) // The last two WAL frames (page and header).
	refused, cuts := 0, 0
	for cut := int64(1); cut <= min(tail, wal.Size()); cut += powerLossStride(cut) {
		cuts++
		c := copyStore(t, path)
		if err := os.Truncate(c+"-wal", wal.Size()-cut); err != nil {
			t.Fatal(err)
		}
		if checkNothingAcknowledgedLost(t, c, "WAL cut by "+strconv.FormatInt(cut, 10)) {
			refused++
		}
	}
	t.Logf("%d cuts of the WAL's last %d bytes: %d refused, the rest whole", cuts, tail, refused)
	for name, damage := range map[string]func(c string) error{
		"WAL deleted":      func(c string) error { return os.Remove(c + "-wal") },
		"database emptied": func(c string) error { return errors.Join(os.Truncate(c, 0), os.Remove(c+"-wal")) },
		"database removed": func(c string) error { return errors.Join(os.Remove(c), os.Remove(c+"-wal")) },
		"last rows deleted": func(c string) error {
			mustExec(t, c, `DROP TRIGGER journal_no_delete`, `DELETE FROM journal WHERE seq > 30`)
			return nil
		},
	} {
		c := copyStore(t, path)
		if err := damage(c); err != nil {
			t.Fatal(err)
		}
		if !checkNothingAcknowledgedLost(t, c, name) {
			t.Errorf("%s: the store opened; want it refused", name)
		}
	}
}

// TestUnacknowledgedTail checks that a batch that reached the disk but was
// never acknowledged (the crash came between its commit and its mark) is
// kept: the store opens with it, and nothing is refused.
func TestUnacknowledgedTail(t *testing.T) {
	path := mustCrashedStore(t)
	before, err := os.ReadFile(path + "-mark")
	if err != nil {
		t.Fatal(err)
	}
	more := copyStore(t, path)
	db := MustOpen(t, more)
	MustAppend(t, db.Journal(), 4, 200)
	c := copyStore(t, more)
	if err := os.WriteFile(c+"-mark", before, 0o600); err != nil { // The mark as it was before the last batch.
		t.Fatal(err)
	}
	if checkNothingAcknowledgedLost(t, c, "a tail past the mark") {
		t.Fatal("a journal that goes past its mark was refused")
	}
}
