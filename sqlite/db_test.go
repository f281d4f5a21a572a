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

func TestTamper(t *testing.T) {
	tests := []struct {
		name     string
		sql      []string
		want     string
		wantSeen int // Entries Replay hands fn before it finds the damage.
	}{
		{"Payload", []string{`UPDATE journal SET payload = x'00' WHERE seq = 5`},
			"entry 5: hash does not match its contents", 4},
		{"PayloadAndHash", []string{`UPDATE journal SET payload = x'00', hash = zeroblob(32) WHERE seq = 5`},
			"entry 5: hash does not match its contents", 4},
		{"Time", []string{`UPDATE journal SET time_ns = time_ns + 1 WHERE seq = 7`},
			"entry 7: hash does not match its contents", 6},
		{"PrevHash", []string{`UPDATE journal SET prev_hash = zeroblob(32) WHERE seq = 6`},
			"entry 6: prev_hash is not entry 5's hash", 5},
		{"Deleted", []string{`DELETE FROM journal WHERE seq = 5`},
			"entry 5 is missing, the next is entry 6", 4},
		{"Swapped", []string{`UPDATE journal SET seq = seq + 100 WHERE seq IN (5, 6)`, `UPDATE journal SET seq = 111 - seq WHERE seq > 100`},
			"entry 5: prev_hash is not entry 4's hash", 4},
		{"ShortHash", []string{`PRAGMA ignore_check_constraints = ON`, `UPDATE journal SET hash = x'00' WHERE seq = 5`},
			"entry 5: hash is 1 bytes", 0}, // The page fails as it is read.
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "corridor.db")
			db := MustOpen(t, path)
			MustAppend(t, db.Journal(), 10, 200)
			if err := db.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			mustExec(t, path, append([]string{dropTriggers}, tt.sql...)...)

			db = MustOpen(t, path)
			seen, err := replayAll(t, db.Journal(), 0)
			if !errors.Is(err, sqlite.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Replay(0) = %v; want ErrCorrupt with %q", err, tt.want)
			}
			if len(seen) != tt.wantSeen {
				t.Errorf("Replay(0) handed fn %d entries; want %d", len(seen), tt.wantSeen)
			}
		})
	}
}

func TestTamperLastEntry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	MustAppend(t, db.Journal(), 10, 200)
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	mustExec(t, path, dropTriggers, `UPDATE journal SET payload = x'00' WHERE seq = 10`)
	_, err := sqlite.Open(context.Background(), path)
	if !errors.Is(err, sqlite.ErrCorrupt) || !strings.Contains(err.Error(), "entry 10") {
		t.Errorf("Open(altered last entry) = %v; want ErrCorrupt naming entry 10", err)
	}
}

func TestAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corridor.db")
	db := MustOpen(t, path)
	MustAppend(t, db.Journal(), 3, 16)
	raw := mustOpenRaw(t, path)
	for _, s := range []string{`UPDATE journal SET payload = x'00' WHERE seq = 2`, `DELETE FROM journal WHERE seq = 3`} {
		if _, err := raw.Exec(s); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s = %v; want the append-only trigger's error", s, err)
		}
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
