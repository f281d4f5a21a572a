package postgres_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/internal/storetest"
	"github.com/corridor-network/corridor/postgres"
)

// TestMigrateConcurrently starts several nodes on one empty database at
// once: the advisory lock lets each migration run once, and every node opens.
func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	u := pgtest.New(t)
	const nodes = 4
	dbs := make([]*postgres.DB, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() { dbs[i], errs[i] = postgres.Open(ctx, u) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open #%d: %v", i, err)
			continue
		}
		t.Cleanup(func() { _ = dbs[i].Close() }) // Nothing written.
	}
	rows, err := mustConnect(t, u).Query(ctx, "SELECT version FROM schema_migration ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	var versions []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(versions) != postgres.SchemaVersion || versions[0] != 1 || versions[len(versions)-1] != postgres.SchemaVersion {
		t.Errorf("schema_migration = %v; want each of 1..%d once", versions, postgres.SchemaVersion)
	}
}

func TestSchema(t *testing.T) {
	ctx := context.Background()

	t.Run("Reopen", func(t *testing.T) {
		u := pgtest.New(t)
		j, _ := mustLead(t, u, nodeA, longTTL)
		want := storetest.MustAppend(t, j, 3, 16)
		if err := j.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		db := mustOpen(t, u) // Migrations already applied: nothing to do, nothing lost.
		if seq, _ := db.Journal().LastSeq(); seq != want[len(want)-1].Seq {
			t.Errorf("LastSeq() = %d; want %d", seq, want[len(want)-1].Seq)
		}
		if n := count(t, u, "schema_migration"); n != postgres.SchemaVersion {
			t.Errorf("schema_migration rows after reopening = %d; want %d", n, postgres.SchemaVersion)
		}
	})

	t.Run("ErrNewerVersion", func(t *testing.T) {
		u := pgtest.New(t)
		if err := mustOpen(t, u).Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := mustConnect(t, u).Exec(ctx, "INSERT INTO schema_migration (version) VALUES (99)"); err != nil {
			t.Fatal(err)
		}
		if db, err := postgres.Open(ctx, u); err == nil || !strings.Contains(err.Error(), "schema version 99") {
			if err == nil {
				_ = db.Close() // The test fails anyway.
			}
			t.Errorf("Open(version 99) = %v; want an error naming version 99", err)
		}
		if _, err := postgres.Audit(ctx, u, nil); err == nil || !strings.Contains(err.Error(), "schema version 99") {
			t.Errorf("Audit(version 99) = %v; want an error naming version 99", err)
		}
	})

	t.Run("AuditNotAStore", func(t *testing.T) {
		u := pgtest.New(t)
		if _, err := postgres.Audit(ctx, u, nil); err == nil || !strings.Contains(err.Error(), "not a corridor store") {
			t.Errorf("Audit(empty database) = %v; want not a corridor store", err)
		}
		if n := count(t, u, "pg_tables WHERE schemaname = 'public'"); n != 0 {
			t.Errorf("Audit created %d tables; want none", n)
		}
	})

	t.Run("ErrURL", func(t *testing.T) {
		for _, bad := range []string{"postgres://corridor:s3cret@[::1", "port=notanumber password=s3cret"} {
			db, err := postgres.Open(ctx, bad)
			if err == nil {
				_ = db.Close() // The test fails anyway.
			}
			if err == nil || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("Open(%q) = %v; want an error that does not show the password", bad, err)
			}
		}
	})
}

// TestDurability refuses a session that would let the server acknowledge a
// commit it has not flushed, wherever the setting comes from.
func TestDurability(t *testing.T) {
	ctx := context.Background()

	t.Run("URL", func(t *testing.T) {
		u, err := url.Parse(pgtest.New(t))
		if err != nil {
			t.Fatal(err)
		}
		// %20, not +: libpq's URLs, and pgx's, read a + as itself.
		u.RawQuery = strings.TrimPrefix(u.RawQuery+"&options=-c%20synchronous_commit%3Doff", "&")
		if db, err := postgres.Open(ctx, u.String()); err == nil || !strings.Contains(err.Error(), "synchronous_commit is off") {
			if err == nil {
				_ = db.Close() // The test fails anyway.
			}
			t.Errorf("Open(synchronous_commit=off) = %v; want a refusal naming synchronous_commit", err)
		}
	})

	t.Run("Database", func(t *testing.T) {
		u := pgtest.New(t)
		name := strings.TrimPrefix(must(url.Parse(u)).Path, "/")
		if _, err := mustConnect(t, u).Exec(ctx, "ALTER DATABASE "+name+" SET synchronous_commit = off"); err != nil {
			t.Fatal(err)
		}
		if db, err := postgres.Open(ctx, u); err == nil || !strings.Contains(err.Error(), "synchronous_commit is off") {
			if err == nil {
				_ = db.Close() // The test fails anyway.
			}
			t.Errorf("Open(database with synchronous_commit=off) = %v; want a refusal naming synchronous_commit", err)
		}
	})

	t.Run("Settings", func(t *testing.T) {
		db := mustOpen(t, pgtest.New(t))
		for name, want := range map[string]string{"synchronous_commit": "on", "fsync": "on", "TimeZone": "UTC"} {
			got, err := postgres.Setting(ctx, db, name)
			if err != nil || got != want {
				t.Errorf("%s = %q, %v; want %q", name, got, err, want)
			}
		}
	})

	t.Run("Fsync", func(t *testing.T) {
		// fsync is the server's alone; the test cannot turn it off for one
		// database, so it checks the rule Open applies.
		if err := postgres.Durable("fsync", "off"); err == nil || !strings.Contains(err.Error(), "fsync is off") {
			t.Errorf("Durable(fsync, off) = %v; want a refusal naming fsync", err)
		}
		for _, v := range []string{"on", "local", "remote_write", "remote_apply"} {
			if err := postgres.Durable("synchronous_commit", v); err != nil {
				t.Errorf("Durable(synchronous_commit, %s) = %v; want nil", v, err)
			}
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(errors.Join(errors.New("test setup"), err))
	}
	return v
}
