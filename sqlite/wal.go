package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	modernc "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The WAL's checkpoints. SQLite's own (wal_autocheckpoint) run inside the
// commit that crosses their bound, on the appender's time: the copy of the
// WAL's pages into the file and the file's fsync. The store turns them off
// and checkpoints from a goroutine of its own, on a connection of its own,
// woken by Append once the WAL has grown by CheckpointPages: a PASSIVE
// checkpoint, which waits for no reader and no writer, so that Append goes
// on meanwhile. A checkpoint copies only what is committed, and fsynced
// already, and SQLite keeps a WAL frame until it is copied and the file
// fsynced: it never makes a commit less durable.
//
// A passive checkpoint that Append overtakes cannot start the WAL over
// from the beginning of its file (SQLite does that only at a write
// transaction that begins once every frame is copied), so under a steady
// stream of appends the WAL file grows. An Append that finds it longer
// than MaxWALPages checkpoints it itself, before it begins: with no write
// in flight the checkpoint copies what is left, and the Append's own
// transaction then starts the WAL over, unless a reader still holds an old
// snapshot of it (the next Append tries again). journal_size_limit cuts a
// file grown past the bound back to it then, so that the file is longer
// than the bound only while the WAL is.

// CheckpointPages is how many pages written to the WAL wake the store's
// checkpointer: SQLite's default wal_autocheckpoint.
const CheckpointPages = 1000

// MaxWALPages bounds the WAL: an Append that finds the WAL file longer
// than this many pages checkpoints it itself before it writes.
const MaxWALPages = 16 * CheckpointPages

// walFrameBytes is a page in the WAL: a page of SQLite's default page_size,
// which the store keeps, after its frame header. walHeaderBytes opens the
// file.
const (
	walFrameBytes  = 4096 + 24
	walHeaderBytes = 32
)

// walSizeLimitBytes is the store's journal_size_limit: the size SQLite cuts
// the WAL file back to when it starts the WAL over, that of MaxWALPages.
// The file keeps what it grew to below that, for the next pages to
// overwrite: a write past a file's end costs its fsync the file system's
// own journal (the new blocks, the size), and cutting it back costs as
// much again.
const walSizeLimitBytes = walHeaderBytes + MaxWALPages*walFrameBytes

// walBytes is the size of a WAL file of pages pages.
func walBytes(pages int) int64 { return walHeaderBytes + int64(pages)*walFrameBytes }

// walCheckpointSQL answers busy (1 when it could not copy every frame),
// log (the WAL's frames) and checkpointed (the frames copied).
const walCheckpointSQL = `PRAGMA wal_checkpoint(PASSIVE)`

// walCheckpointer checkpoints the WAL of one store. Journal.appendMu orders
// before runMu and mu.
type walCheckpointer struct {
	walPath string        // PATH-wal.
	sql     *sql.DB       // Its own connection, with the writer's PRAGMAs.
	wake    chan struct{} // Capacity 1: Append's signal that the WAL grew by wakePages.

	mu sync.Mutex // Held for each checkpoint: the goroutine's, or an Append's.

	pages     atomic.Int64 // Pages written to the WAL since the last wake.
	wakePages int64        // CheckpointPages; a test lowers it before the first write.
	maxBytes  int64        // The WAL file's size past which Append checkpoints itself: walBytes(MaxWALPages); likewise.

	runMu  sync.Mutex         // Guards cancel and done.
	cancel context.CancelFunc // Stops the goroutine; nil while none runs.
	done   chan struct{}      // Closed when the last goroutine started has returned.

	errMu sync.Mutex // Guards err.
	err   error      // The last checkpoint's error; nil after one that worked.

	background, inline atomic.Int64 // Checkpoints run, by the goroutine and by Append.
}

// newWALCheckpointer returns the checkpointer of the store at path, on its
// connection ckpt, stopped.
func newWALCheckpointer(path string, ckpt *sql.DB) *walCheckpointer {
	done := make(chan struct{})
	close(done) // None runs.
	return &walCheckpointer{walPath: path + "-wal", sql: ckpt, wake: make(chan struct{}, 1),
		wakePages: CheckpointPages, maxBytes: walBytes(MaxWALPages), done: done}
}

// start starts the goroutine unless it runs already. It outlives ctx's
// cancellation (Open's and Reopen's callers may cancel theirs once they
// return): stop ends it.
func (w *walCheckpointer) start(ctx context.Context) {
	w.runMu.Lock()
	defer w.runMu.Unlock()
	if w.cancel != nil {
		return
	}
	w.sql.SetMaxIdleConns(1)
	ctx, w.cancel = context.WithCancel(context.WithoutCancel(ctx))
	w.done = make(chan struct{})
	go w.run(ctx, w.done)
}

// stop stops the goroutine, interrupting a checkpoint in flight (SQLite
// leaves the WAL whole: what is not copied is copied by the next), waits
// for it to return and closes its connection until start. A nil w is a
// store opened to audit, which has none.
func (w *walCheckpointer) stop() {
	if w == nil {
		return
	}
	w.runMu.Lock()
	defer w.runMu.Unlock()
	if w.cancel == nil {
		return
	}
	w.cancel()
	<-w.done
	w.cancel = nil
	w.sql.SetMaxIdleConns(0) // Closes its connection: a released store holds no file open.
}

// close closes the checkpointer's connection for good; stop it first.
func (w *walCheckpointer) close() error {
	if w == nil {
		return nil
	}
	return w.sql.Close()
}

// run checkpoints the WAL at every wake until ctx is done.
func (w *walCheckpointer) run(ctx context.Context, done chan struct{}) {
	defer close(done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		}
		_ = w.checkpoint(ctx, w.sql, &w.background) // Kept for the next Append (takeErr).
	}
}

// wrote counts pages written to the WAL by a commit (an Append's, a
// snapshot chunk's) and wakes the goroutine, without waiting, once they
// reach wakePages.
func (w *walCheckpointer) wrote(pages int) {
	n := w.pages.Add(int64(pages))
	if n < w.wakePages {
		return
	}
	w.pages.Add(-n) // Pages counted meanwhile stay counted.
	select {
	case w.wake <- struct{}{}:
	default: // A wake is pending already.
	}
}

// checkpoint runs one PASSIVE checkpoint on the connection of on, counts it
// in n and keeps its outcome for takeErr; an interrupted one (ctx done)
// keeps none.
func (w *walCheckpointer) checkpoint(ctx context.Context, on *sql.DB, n *atomic.Int64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	n.Add(1)
	var busy, log, copied int64
	err := on.QueryRowContext(ctx, walCheckpointSQL).Scan(&busy, &log, &copied)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	w.errMu.Lock()
	w.err = err
	w.errMu.Unlock()
	return err
}

// walPagesWritten returns how many pages conn wrote to the WAL since it
// was last asked (SQLITE_DBSTATUS_CACHE_WRITE, which counts WAL frames in
// WAL mode), and starts the count again.
func walPagesWritten(conn *sql.Conn) int {
	var pages int
	_ = conn.Raw(func(dc any) error { // The function returns no error of its own.
		if s, ok := dc.(modernc.DBStatus); ok {
			pages, _, _ = s.Status(modernc.DBStatusCacheWrite, true) // It fails only for an unknown op.
		}
		return nil
	})
	return pages
}

// tooLong reports whether the WAL file is longer than maxBytes. A WAL that
// cannot be looked at is left to the Append to meet.
func (w *walCheckpointer) tooLong() bool {
	fi, err := os.Stat(w.walPath)
	return err == nil && fi.Size() > w.maxBytes
}

// takeErr returns the last checkpoint's error if it says that the file is
// corrupt or the disk full, once; any other error is left for the next
// checkpoint to try again.
func (w *walCheckpointer) takeErr() error {
	w.errMu.Lock()
	defer w.errMu.Unlock()
	err := w.err
	if err == nil || !checkpointFailed(err) {
		return nil
	}
	w.err = nil
	return err
}

// checkpointFailed reports whether a checkpoint's error says that the store
// is in trouble the appends must hear of: the file corrupt or not a
// database, or the disk full. Any SQLite error carries its result code.
func checkpointFailed(err error) bool {
	var coded interface{ Code() int }
	if !errors.As(err, &coded) {
		return false
	}
	switch coded.Code() & 0xff { // The primary code of an extended one.
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FULL:
		return true
	}
	return false
}

// beforeAppend bounds the WAL before an Append writes: it checkpoints a WAL
// grown past maxBytes on the writer's connection. It returns the last
// checkpoint's error if takeErr reports it. Call it with Journal.appendMu
// held.
func (db *DB) beforeAppend(ctx context.Context) error {
	if db.wal.tooLong() {
		_ = db.wal.checkpoint(ctx, db.sql, &db.wal.inline) // Its error is kept, for takeErr below.
	}
	if err := db.wal.takeErr(); err != nil {
		return fmt.Errorf("checkpoint the WAL: %w", err)
	}
	return nil
}
