package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations are the schema's versions in order: migration i brings the
// database to version i+1, and the schema_migration table records each one
// applied. Only ever append a step: a released step is already in somebody's
// database.
var migrations = [...]string{
	// 1: the journal. Rows are never updated or deleted, and the trigger makes
	// that hold for psql too. token is the fencing token of the lease under
	// which the row was written: which leader wrote what.
	`CREATE TABLE journal (
		seq       BIGINT PRIMARY KEY CHECK (seq > 0),
		time_ns   BIGINT NOT NULL,
		kind      TEXT   NOT NULL,
		payload   BYTEA  NOT NULL,
		prev_hash BYTEA  NOT NULL CHECK (octet_length(prev_hash) = 32),
		hash      BYTEA  NOT NULL CHECK (octet_length(hash) = 32),
		token     BIGINT NOT NULL CHECK (token > 0)
	);
	CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
	END $$;
	CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON journal
		FOR EACH STATEMENT EXECUTE FUNCTION append_only();`,
	// 2: signed checkpoints, as in the sqlite store.
	`CREATE TABLE checkpoint (
		seq       BIGINT PRIMARY KEY REFERENCES journal (seq),
		hash      BYTEA  NOT NULL CHECK (octet_length(hash) = 32),
		signature BYTEA  NOT NULL,
		time_ns   BIGINT NOT NULL
	);
	CREATE TRIGGER checkpoint_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON checkpoint
		FOR EACH STATEMENT EXECUTE FUNCTION append_only();`,
	// 3: the writer's lease: one row, and the fence every write calls in its
	// own transaction. The fence locks the row FOR SHARE, so a node taking
	// the lease (an UPDATE of the row) waits for a write in flight to commit
	// or roll back, and a write after the takeover sees the new token.
	`CREATE TABLE lease (
		id          SMALLINT    PRIMARY KEY CHECK (id = 1),
		node        TEXT        NOT NULL,
		addr        TEXT        NOT NULL,
		token       BIGINT      NOT NULL CHECK (token >= 0),
		expires_at  TIMESTAMPTZ NOT NULL,
		acquired_at TIMESTAMPTZ NOT NULL
	);
	INSERT INTO lease VALUES (1, '', '', 0, 'epoch', 'epoch');
	CREATE FUNCTION lease_fence(t BIGINT) RETURNS void LANGUAGE plpgsql AS $$
	BEGIN
		PERFORM 1 FROM lease WHERE id = 1 AND token = t AND expires_at > clock_timestamp() FOR SHARE;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'lease token % is not current or has expired', t USING ERRCODE = '` + fencedSQLState + `';
		END IF;
	END $$;`,
	// 4: state snapshots, for a node to start from (hub.Snapshots): the
	// data in chunks, each written in its own transaction, and the row
	// last, so that a row always stands for a whole snapshot. Any node may
	// write one: a snapshot is checked against the journal before use.
	`CREATE TABLE snapshot (
		seq        BIGINT PRIMARY KEY REFERENCES journal (seq),
		entry_hash BYTEA  NOT NULL CHECK (octet_length(entry_hash) = 32),
		state_hash BYTEA  NOT NULL CHECK (octet_length(state_hash) = 32),
		bytes      BIGINT NOT NULL CHECK (bytes > 0),
		chunks     BIGINT NOT NULL CHECK (chunks > 0),
		time_ns    BIGINT NOT NULL
	);
	CREATE TABLE snapshot_chunk (
		seq  BIGINT NOT NULL,
		n    BIGINT NOT NULL CHECK (n >= 0),
		data BYTEA  NOT NULL,
		PRIMARY KEY (seq, n)
	);`,
	// 5: the archive, as in the sqlite store: payments the hub let go of
	// from memory, each written in the append transaction of the entry
	// that let it go (archived_at), under that transaction's fence. keys
	// holds the payment's own keys; archived_key is the index of them,
	// where a key keeps the payment that archived it first.
	`CREATE TABLE archived_payment (
		seq         BIGINT  PRIMARY KEY CHECK (seq > 0),
		uetr        TEXT    NOT NULL,
		keys        BYTEA[] NOT NULL CHECK (cardinality(keys) > 0),
		record      BYTEA   NOT NULL CHECK (octet_length(record) > 0),
		archived_at BIGINT  NOT NULL REFERENCES journal (seq)
	);
	CREATE INDEX archived_payment_uetr ON archived_payment (uetr, seq);
	CREATE TABLE archived_key (
		key BYTEA  PRIMARY KEY,
		seq BIGINT NOT NULL REFERENCES archived_payment (seq)
	);
	CREATE TRIGGER archived_payment_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON archived_payment
		FOR EACH STATEMENT EXECUTE FUNCTION append_only();
	CREATE TRIGGER archived_key_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON archived_key
		FOR EACH STATEMENT EXECUTE FUNCTION append_only();`,
	// 6: the books, as in the sqlite store: entries posted on settlement
	// accounts, written in the append transaction of the entries that
	// posted them, under that transaction's fence, and read by account from
	// a number on. A row is a run: the entries of one append on one account
	// with consecutive numbers first_n to last_n, their records in order in
	// records, each after its length (two bytes, big-endian), and seq the
	// journal entry that posted entry last_n. Runs are found through the
	// primary key, by the last number. book_run_disjoint keeps an
	// account's runs apart, so that an account's number is written once:
	// the run a new one would overlap is the first that ends at or after
	// the new one's first number. It sees what is committed and what its
	// own transaction wrote; the fence keeps appends to one writer at a
	// time.
	`CREATE TABLE book_run (
		account TEXT   NOT NULL CHECK (account <> ''),
		first_n BIGINT NOT NULL CHECK (first_n > 0),
		last_n  BIGINT NOT NULL CHECK (last_n >= first_n),
		seq     BIGINT NOT NULL REFERENCES journal (seq),
		records BYTEA  NOT NULL CHECK (octet_length(records) > 0),
		PRIMARY KEY (account, last_n)
	);
	CREATE FUNCTION book_run_disjoint() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE
		stored_first BIGINT;
		stored_last  BIGINT;
	BEGIN
		SELECT first_n, last_n INTO stored_first, stored_last FROM book_run
			WHERE account = NEW.account AND last_n >= NEW.first_n ORDER BY last_n LIMIT 1;
		IF stored_first <= NEW.last_n THEN
			RAISE EXCEPTION 'book entries % to % of % stored already',
				greatest(NEW.first_n, stored_first), least(NEW.last_n, stored_last), NEW.account
				USING ERRCODE = 'unique_violation',
					DETAIL = format('The run %s to %s of %s holds them.', stored_first, stored_last, NEW.account);
		END IF;
		RETURN NEW;
	END $$;
	CREATE TRIGGER book_run_disjoint BEFORE INSERT ON book_run
		FOR EACH ROW EXECUTE FUNCTION book_run_disjoint();
	CREATE TRIGGER book_run_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON book_run
		FOR EACH STATEMENT EXECUTE FUNCTION append_only();`,
}

// fencedSQLState is the SQLSTATE lease_fence raises; Append translates it to
// ErrFenced.
const fencedSQLState = "CR001"

// SchemaVersion is the schema version this build writes.
const SchemaVersion = len(migrations)

// migrationLockKey is the advisory lock under which migrations run: the
// ASCII of "corridor" as a bigint.
const migrationLockKey = 0x636f727269646f72

const createMigrationTableSQL = `CREATE TABLE IF NOT EXISTS schema_migration (
	version    INTEGER     PRIMARY KEY CHECK (version > 0),
	applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`

// migrate brings the schema up to SchemaVersion, one migration per
// transaction, each under the migration advisory lock: nodes starting at
// once wait for each other, and each migration is applied once. A crash
// mid-way leaves the versions before it intact. It refuses a database
// written by a newer build.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	for {
		done, err := migrateStep(ctx, pool)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next migration in its own transaction, or reports
// that there is none left.
func migrateStep(ctx context.Context, pool *pgxpool.Pool) (done bool, err error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("begin schema migration: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // After Commit it is a no-op; before, the cause is already returned.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLockKey)); err != nil {
		return false, fmt.Errorf("lock schema migration: %w", err)
	}
	if _, err := tx.Exec(ctx, createMigrationTableSQL); err != nil {
		return false, fmt.Errorf("create schema_migration: %w", err)
	}
	version, err := schemaVersion(ctx, tx)
	if err != nil {
		return false, err
	}
	if version > SchemaVersion {
		return false, fmt.Errorf("schema version %d is newer than this build's %d", version, SchemaVersion)
	}
	if version < SchemaVersion {
		if _, err := tx.Exec(ctx, migrations[version]); err != nil {
			return false, fmt.Errorf("migrate schema to version %d: %w", version+1, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO schema_migration (version) VALUES ($1)", version+1); err != nil {
			return false, fmt.Errorf("record schema version %d: %w", version+1, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("commit schema version %d: %w", version+1, err)
	}
	return version == SchemaVersion, nil
}

// schemaVersion returns the newest version in schema_migration, 0 if none.
func schemaVersion(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, error) {
	var version int
	if err := q.QueryRow(ctx, "SELECT COALESCE(max(version), 0) FROM schema_migration").Scan(&version); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return version, nil
}

// errNotStore reports a database without the schema.
var errNotStore = errors.New("not a corridor store")
