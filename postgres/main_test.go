package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/corridor-network/corridor/internal/pgtest"
	"github.com/corridor-network/corridor/postgres"
)

// TestMain starts one PostgreSQL cluster for the package's tests, unless
// CORRIDOR_TEST_POSTGRES names a server, and stops it after them.
func TestMain(m *testing.M) { pgtest.Main(m) }

// suiteNode is the node the tests' writers acquire the lease as.
var suiteNode = postgres.Node{Name: "suite", Addr: "127.0.0.1:8443"}

// longTTL outlasts any test: the lease lapses only when a test makes it.
const longTTL = 10 * time.Minute

// mustOpen opens the store at url and closes it when the test ends.
func mustOpen(tb testing.TB, url string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() }) // A test that closes it itself checks the error there.
	return db
}

// mustLead opens the store at url and acquires the lease as node.
func mustLead(tb testing.TB, url string, node postgres.Node, ttl time.Duration) (*postgres.Journal, postgres.Lease) {
	tb.Helper()
	j := mustOpen(tb, url).Journal()
	l, err := j.Acquire(context.Background(), node, ttl)
	if err != nil {
		tb.Fatalf("Acquire(%s): %v", node.Name, err)
	}
	return j, l
}

// mustConnect connects to url as psql would, and closes the connection when
// the test ends.
func mustConnect(tb testing.TB, url string) *pgx.Conn {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(func() { _ = conn.Close(context.Background()) }) // Closing loses nothing.
	return conn
}

// count returns the rows of table.
func count(tb testing.TB, url, table string) int {
	tb.Helper()
	var n int
	if err := mustConnect(tb, url).QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}
