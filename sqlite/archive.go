package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/corridor-network/corridor"
)

const (
	insertArchivedSQL = `INSERT INTO archived_payment (seq, uetr, keys, record, archived_at) VALUES (?, ?, ?, ?, ?)`
	// A key archived already keeps its payment: the later one is stored,
	// but the key does not point to it.
	insertKeySQL      = `INSERT INTO archived_key (key, seq) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`
	archivedKeySQL    = `SELECT seq FROM archived_key WHERE key = ?`
	archivedColumns   = `seq, uetr, keys, record`
	archivedSQL       = `SELECT ` + archivedColumns + ` FROM archived_payment WHERE seq = ?`
	archivedByUETRSQL = `SELECT ` + archivedColumns + ` FROM archived_payment WHERE uetr = ? ORDER BY seq LIMIT ?`
)

var _ corridor.Archive = (*Journal)(nil)

// A key's length is written in two bytes (encodeKeys).
const _ uint16 = corridor.MaxArchivedKeyBytes

// writeArchived writes the payments entries archive, and their keys, in
// tx. It binds the statements to tx at the first payment, so that a batch
// without any costs nothing more.
func (db *DB) writeArchived(ctx context.Context, tx *sql.Tx, entries []corridor.JournalEntry) error {
	var payment, key *sql.Stmt // Closed with tx.
	for i := range entries {
		e := &entries[i]
		for k := range e.Archived {
			if payment == nil {
				payment, key = tx.StmtContext(ctx, db.insertArchived), tx.StmtContext(ctx, db.insertKey)
			}
			a := &e.Archived[k]
			_, err := payment.ExecContext(ctx, int64(a.Seq), string(a.UETR), encodeKeys(a.Keys), a.Record, int64(e.Seq))
			if err != nil {
				return fmt.Errorf("entry %d: insert archived payment %d: %w", e.Seq, a.Seq, err)
			}
			for _, k := range a.Keys {
				db.keys.add(k) // Before it can be in the file: the filter may say "perhaps" in vain, never "not" wrongly.
				// A key is bound as a BLOB, here and in ArchivedKey: a TEXT
				// would never equal it.
				if _, err := key.ExecContext(ctx, []byte(k), int64(a.Seq)); err != nil {
					return fmt.Errorf("entry %d: insert a key of archived payment %d: %w", e.Seq, a.Seq, err)
				}
			}
		}
	}
	return nil
}

// The archive's reads share the store's one connection with Append, as
// Replay and the snapshots do: a read waits for an append in flight, and
// while the store is released each read opens the file afresh.

// ArchivedKey returns the seq of the archived payment that archived key k
// first. A key that no payment can have (empty, or longer than
// MaxArchivedKeyBytes) is not found.
func (j *Journal) ArchivedKey(ctx context.Context, k string) (uint64, bool, error) {
	if k == "" || len(k) > corridor.MaxArchivedKeyBytes {
		return 0, false, nil
	}
	j.db.beginKeyScan()
	if !j.db.keys.mayHold(k) {
		return 0, false, nil
	}
	var seq int64
	err := j.db.archivedKey.QueryRowContext(ctx, []byte(k)).Scan(&seq)
	switch {
	case errors.Is(err, sql.ErrNoRows):
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
	a, err := scanArchived(j.db.sql.QueryRowContext(ctx, archivedSQL, int64(seq)))
	switch {
	case errors.Is(err, sql.ErrNoRows):
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
	rows, err := j.db.sql.QueryContext(ctx, archivedByUETRSQL, string(uetr), corridor.MaxArchivedPerUETR)
	if err != nil {
		return nil, fmt.Errorf("query archived payments of a UETR: %w", err)
	}
	defer func() { _ = rows.Close() }() // rows.Err below reports what matters.
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
// before writing it. sql.ErrNoRows passes through unwrapped.
func scanArchived(row interface{ Scan(...any) error }) (corridor.ArchivedPayment, error) {
	var (
		seq          int64
		uetr         string
		keys, record []byte
	)
	if err := row.Scan(&seq, &uetr, &keys, &record); err != nil {
		return corridor.ArchivedPayment{}, err
	}
	ks, err := decodeKeys(keys)
	if err != nil {
		return corridor.ArchivedPayment{}, fmt.Errorf("%w: archived payment %d: %v", ErrCorrupt, seq, err)
	}
	a := corridor.ArchivedPayment{Seq: uint64(seq), UETR: corridor.UETR(uetr), Keys: ks, Record: record}
	if err := a.Check(); err != nil {
		return corridor.ArchivedPayment{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return a, nil
}

// encodeKeys is a payment's keys as its keys column: each key's length in
// two bytes, big-endian, then the key.
func encodeKeys(keys []string) []byte {
	n := 0
	for _, k := range keys {
		n += 2 + len(k)
	}
	b := make([]byte, 0, n)
	for _, k := range keys {
		b = binary.BigEndian.AppendUint16(b, uint16(len(k)))
		b = append(b, k...)
	}
	return b
}

// decodeKeys reads a keys column, at most MaxArchivedKeys keys of it.
func decodeKeys(b []byte) ([]string, error) {
	var keys []string
	for len(b) > 0 {
		if len(keys) == corridor.MaxArchivedKeys {
			return nil, fmt.Errorf("keys: more than %d", corridor.MaxArchivedKeys)
		}
		if len(b) < 2 {
			return nil, fmt.Errorf("keys: a length cut short")
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b)-2 < n {
			return nil, fmt.Errorf("keys: a key of %d bytes with %d left", n, len(b)-2)
		}
		keys = append(keys, string(b[2:2+n]))
		b = b[2+n:]
	}
	return keys, nil
}
