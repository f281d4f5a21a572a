package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/corridor-network/corridor/sqlite"
)

// mustOpenRaw opens the store's file with database/sql directly, as the
// sqlite3 shell or an attacker would, and closes it when the test ends.
func mustOpenRaw(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite", path+"?_busy_timeout=5000")
	if err != nil {
		tb.Fatalf("sql.Open(%q): %v", path, err)
	}
	tb.Cleanup(func() { _ = raw.Close() }) // Closing a read handle cannot lose data.
	return raw
}

// mustExec runs statements on the file at path, with the store closed.
func mustExec(tb testing.TB, path string, statements ...string) {
	tb.Helper()
	raw := mustOpenRaw(tb, path)
	for _, s := range statements {
		if _, err := raw.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
	if err := raw.Close(); err != nil {
		tb.Fatalf("close raw: %v", err)
	}
}

const dropTriggers = `DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete`

// TestTamperShortHash alters a hash past its CHECK constraint, which only
// SQLite lets a client switch off; the contract suite covers the tampering
// both stores share.
func TestTamperShortHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	MustAppend(t, db.Journal(), 10, 200)
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	mustExec(t, path, dropTriggers, `PRAGMA ignore_check_constraints = ON`, `UPDATE journal SET hash = x'00' WHERE seq = 5`)

	db = MustOpen(t, path)
	seen, err := replayAll(t, db.Journal(), 0)
	if !errors.Is(err, sqlite.ErrCorrupt) || !strings.Contains(err.Error(), "entry 5: hash is 1 bytes") {
		t.Fatalf("Replay(0) = %v; want ErrCorrupt with %q", err, "entry 5: hash is 1 bytes")
	}
	if len(seen) != 0 { // The page fails as it is read.
		t.Errorf("Replay(0) handed fn %d entries; want 0", len(seen))
	}
}

func TestDurability(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
	MustAppend(t, db.Journal(), 3, 16)
	want := map[string]string{
		"journal_mode": "wal",
		"synchronous":  "2", // FULL: the WAL is fsynced at every commit.
		"foreign_keys": "1",
		"busy_timeout": "5000",
		"user_version": strconv.Itoa(sqlite.SchemaVersion),
		"cache_size":   strconv.Itoa(-sqlite.PageCacheBytes >> 10), // Negative: KiB, not pages.
	}
	for name, w := range want {
		got, err := sqlite.Pragma(ctx, db, name)
		if err != nil || got != w {
			t.Errorf("PRAGMA %s = %q, %v; want %q", name, got, err, w)
		}
	}
	// The PRAGMAs above ran on the only connection, the one Append used.
	if s := sqlite.Stats(db); s.MaxOpenConnections != 1 || s.OpenConnections != 1 {
		t.Errorf("connections: max %d, open %d; want 1 and 1", s.MaxOpenConnections, s.OpenConnections)
	}
}

func TestSchema(t *testing.T) {
	ctx := context.Background()

	t.Run("Reopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "corridor.db")
		db := MustOpen(t, path)
		want := MustAppend(t, db.Journal(), 3, 16)
		if err := db.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		db = MustOpen(t, path) // Migrations already applied: nothing to do, nothing lost.
		if v, err := sqlite.Pragma(ctx, db, "user_version"); err != nil || v != strconv.Itoa(sqlite.SchemaVersion) {
			t.Errorf("user_version = %q, %v; want %d", v, err, sqlite.SchemaVersion)
		}
		if seq, _ := db.Journal().LastSeq(); seq != want[len(want)-1].Seq {
			t.Errorf("LastSeq() = %d; want %d", seq, want[len(want)-1].Seq)
		}
	})

	t.Run("ErrNewerVersion", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "corridor.db")
		mustExec(t, path, `PRAGMA user_version = 99`)
		if _, err := sqlite.Open(ctx, path); err == nil || !strings.Contains(err.Error(), "schema version 99") {
			t.Errorf("Open(version 99) = %v; want an error naming version 99", err)
		}
	})

	t.Run("ErrPath", func(t *testing.T) {
		for _, path := range []string{"", filepath.Join(t.TempDir(), "a?b.db"), "file:corridor.db"} {
			if db, err := sqlite.Open(ctx, path); err == nil {
				_ = db.Close() // The test fails anyway.
				t.Errorf("Open(%q) = nil error; want one", path)
			}
		}
	})
}
