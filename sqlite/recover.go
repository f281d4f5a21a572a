package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ProbeBytes is the size of the row Probe writes: a little room on the disk,
// not a journal batch's worth, so that a probe says "writes work again"
// without claiming that every batch will fit.
const ProbeBytes = 16 << 10

const probeSQL = `INSERT INTO probe (id, time_ns, filler) VALUES (1, ?, zeroblob(?))
	ON CONFLICT (id) DO UPDATE SET time_ns = excluded.time_ns, filler = excluded.filler`

// CheckWritable returns an error naming path unless the store at path can
// be written: its directory (where SQLite creates the -wal and -shm files)
// and each of the store's files that exist. A store on a read-only file
// system, or a read-only file, is refused here rather than after a replay
// that could never be followed by an append. It opens no database and, as
// root, cannot see a file's mode bits: root may write a 0444 file.
func CheckWritable(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".corridor-writable-*")
	if err != nil {
		return fmt.Errorf("store %s cannot be written: its directory %s: %w", path, dir, errors.Unwrap(err))
	}
	name := f.Name()
	err = errors.Join(f.Close(), os.Remove(name))
	if err != nil {
		return fmt.Errorf("store %s: remove the write check %s: %w", path, name, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store %s cannot be written: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("store %s: %w", path, err)
		}
	}
	return nil
}

// Reopen closes the store's connection and opens a new one on the same
// file, then reads the journal's last entry again. After a failed Append
// this is how the caller learns what the file durably holds: SQLite
// recovers the WAL when it opens it, so a batch whose commit failed but
// reached the file is found, and one that did not is gone. LastSeq and
// Replay then answer from the file. It returns an error wrapping ErrCorrupt
// if the journal now ends before an entry Append had made durable.
func (j *Journal) Reopen(ctx context.Context) error {
	j.appendMu.Lock()
	defer j.appendMu.Unlock()
	db := j.db
	if err := db.dropConn(ctx); err != nil {
		return fmt.Errorf("reopen store %s: %w", db.path, err)
	}
	db.sql.SetMaxIdleConns(1)
	if err := checkDurability(ctx, db.sql); err != nil {
		return fmt.Errorf("reopen store %s: %w", db.path, err)
	}
	last, err := readLast(ctx, db.sql)
	if err != nil {
		return fmt.Errorf("reopen store %s: %w", db.path, err)
	}
	if db.mark == nil { // Released: the mark was closed with the connection.
		mf, m, _, err := openMark(db.path)
		if err != nil {
			return fmt.Errorf("reopen store %s: %w", db.path, err)
		}
		db.mark = mf
		if m.Seq > last.Seq {
			return fmt.Errorf("reopen store %s: %w: the journal ends at entry %d, but entries up to %d were acknowledged", db.path, ErrCorrupt, last.Seq, m.Seq)
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if last.Seq < j.lastSeq {
		return fmt.Errorf("reopen store %s: %w: the journal ends at entry %d, but entry %d was durable", db.path, ErrCorrupt, last.Seq, j.lastSeq)
	}
	j.lastSeq, j.lastHash = last.Seq, last.Hash
	return nil
}

// Probe makes one real durable write that is not a journal entry: it
// replaces the single row of the probe table, ProbeBytes long, in one
// fsynced transaction. It returns the error that the write met, such as a
// full disk or a read-only file system.
func (j *Journal) Probe(ctx context.Context) error {
	j.appendMu.Lock()
	defer j.appendMu.Unlock()
	if err := CheckWritable(j.db.path); err != nil {
		return err
	}
	if _, err := j.db.sql.ExecContext(ctx, probeSQL, time.Now().UnixNano(), ProbeBytes); err != nil {
		return fmt.Errorf("probe store %s: %w", j.db.path, err)
	}
	return nil
}

// Release closes the store's connection and keeps none open between
// statements until the next Reopen, so that while the disk is in trouble
// the process holds none of the store's files open for writing (Linux
// refuses to remount a file system read-only under an open file) and each
// statement meets the file as it is.
func (j *Journal) Release(ctx context.Context) error {
	j.appendMu.Lock()
	defer j.appendMu.Unlock()
	j.db.sql.SetMaxIdleConns(0)
	return errors.Join(j.db.dropConn(ctx), j.db.closeMark())
}

// dropConn closes the store's one connection, so that the next statement
// opens the file afresh. A connection whose COMMIT failed may still hold
// its transaction open; closing it rolls that back.
func (db *DB) dropConn(ctx context.Context) error {
	c, err := db.sql.Conn(ctx) // Waits for the connection if a statement holds it.
	if err != nil {
		return fmt.Errorf("take the connection: %w", err)
	}
	// Raw returning ErrBadConn makes database/sql close the driver's
	// connection instead of keeping it for the next statement.
	_ = c.Raw(func(any) error { return driver.ErrBadConn }) // It returns the ErrBadConn we asked for.
	return nil
}
