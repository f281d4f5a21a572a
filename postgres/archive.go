package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/jackc/pgx/v5"

	"github.com/corridor-network/corridor"
)

const (
	// COPY cannot skip a row that conflicts, so the keys go in with one
	// INSERT from arrays, in order: a key archived already, by an earlier
	// batch or earlier in this one, keeps its payment.
	insertKeysSQL = `INSERT INTO archived_key (key, seq)
		SELECT k, s FROM unnest($1::bytea[], $2::bigint[]) WITH ORDINALITY AS a (k, s, n) ORDER BY n
		ON CONFLICT (key) DO NOTHING`
	archivedKeySQL    = `SELECT seq FROM archived_key WHERE key = $1`
	archivedColumns   = `seq, uetr, keys, record`
	archivedSQL       = `SELECT ` + archivedColumns + ` FROM archived_payment WHERE seq = $1`
	archivedByUETRSQL = `SELECT ` + archivedColumns + ` FROM archived_payment WHERE uetr = $1 ORDER BY seq LIMIT $2`
)

// archivedCopyColumns are archived_payment's columns in the order
// archivedRows gives them.
var archivedCopyColumns = []string{"seq", "uetr", "keys", "record", "archived_at"}

var _ corridor.Archive = (*Journal)(nil)

// writeArchived writes the payments entries archive in tx: a binary COPY of
// the payments, then their keys. A batch without any costs nothing more.
func writeArchived(ctx context.Context, tx pgx.Tx, entries []corridor.JournalEntry) error {
	payments, keys, seqs := archivedRows(entries)
	if len(payments) == 0 {
		return nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"archived_payment"}, archivedCopyColumns, pgx.CopyFromRows(payments)); err != nil {
		return fmt.Errorf("copy archived payments: %w", err)
	}
	if _, err := tx.Exec(ctx, insertKeysSQL, keys, seqs); err != nil {
		return fmt.Errorf("insert archived keys: %w", err)
	}
	return nil
}

// archivedRows returns the archived_payment rows of the payments entries
// archive, in archivedCopyColumns' order, and all their keys in order, each
// with its payment's seq.
func archivedRows(entries []corridor.JournalEntry) (payments [][]any, keys [][]byte, seqs []int64) {
	for i := range entries {
		e := &entries[i]
		for k := range e.Archived {
			a := &e.Archived[k]
			own := make([][]byte, len(a.Keys))
			for n, key := range a.Keys {
				own[n] = []byte(key) // BYTEA: a key is any bytes, which TEXT would refuse.
				keys, seqs = append(keys, own[n]), append(seqs, int64(a.Seq))
			}
			payments = append(payments, []any{int64(a.Seq), string(a.UETR), own, a.Record, int64(e.Seq)})
		}
	}
	return payments, keys, seqs
}

// ArchivedKey returns the seq of the archived payment that archived key k
// first. A key that no payment can have (empty, or longer than
// MaxArchivedKeyBytes) is not found.
func (j *Journal) ArchivedKey(ctx context.Context, k string) (uint64, bool, error) {
	if k == "" || len(k) > corridor.MaxArchivedKeyBytes {
		return 0, false, nil
	}
	var seq int64
	err := j.db.pool.QueryRow(ctx, archivedKeySQL, []byte(k)).Scan(&seq)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("read archived key: %w", err)
	case seq <= 0:
		return 0, false, fmt.Errorf("%w: an archived key names payment %d", ErrCorrupt, seq)
	}
	return uint64(seq), true, nil
}

// ArchivedPayment returns the archived payment accepted by entry seq. It
// returns an error wrapping ErrCorrupt if the stored row is not one that
// Append could have written.
func (j *Journal) ArchivedPayment(ctx context.Context, seq uint64) (corridor.ArchivedPayment, bool, error) {
	if seq == 0 || seq > math.MaxInt64 {
		return corridor.ArchivedPayment{}, false, nil
	}
	a, err := scanArchived(j.db.pool.QueryRow(ctx, archivedSQL, int64(seq)))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return corridor.ArchivedPayment{}, false, nil
	case err != nil:
		return corridor.ArchivedPayment{}, false, fmt.Errorf("read archived payment %d: %w", seq, err)
	}
	return a, true, nil
}

// ArchivedByUETR returns the archived payments of uetr, by seq: the first
// MaxArchivedPerUETR of them. It returns an error wrapping ErrCorrupt if a
// stored row is not one that Append could have written.
func (j *Journal) ArchivedByUETR(ctx context.Context, uetr corridor.UETR) ([]corridor.ArchivedPayment, error) {
	rows, err := j.db.pool.Query(ctx, archivedByUETRSQL, string(uetr), corridor.MaxArchivedPerUETR)
	if err != nil {
		return nil, fmt.Errorf("query archived payments of a UETR: %w", err)
	}
	defer rows.Close()
	var out []corridor.ArchivedPayment
	for rows.Next() {
		a, err := scanArchived(rows)
		if err != nil {
			return nil, fmt.Errorf("read archived payments of a UETR: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read archived payments of a UETR: %w", err)
	}
	return out, nil
}

// scanArchived reads one archived_payment row and checks it as Append did
// before writing it. pgx.ErrNoRows passes through unwrapped.
func scanArchived(row pgx.Row) (corridor.ArchivedPayment, error) {
	var (
		seq    int64
		uetr   string
		keys   [][]byte
		record []byte
	)
	if err := row.Scan(&seq, &uetr, &keys, &record); err != nil {
		return corridor.ArchivedPayment{}, err
	}
	a := corridor.ArchivedPayment{Seq: uint64(seq), UETR: corridor.UETR(uetr), Keys: make([]string, len(keys)), Record: record}
	for i, k := range keys {
		a.Keys[i] = string(k)
	}
	if err := a.Check(); err != nil {
		return corridor.ArchivedPayment{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return a, nil
}
