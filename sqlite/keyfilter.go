package sqlite

import (
	"context"
	"hash/maphash"
	"sync/atomic"
	"time"
)

// keyFilter answers, for a de-duplication key, "surely not archived" or
// "perhaps": a Bloom filter over every key the archive holds, so that the
// check of a new payment against the archive (two keys a submission) costs
// no read of the store while the filter can tell. SQLite starts a read
// transaction for every statement, and for a point read that is most of its
// cost.
//
// It is sound only because this process is the archive's one writer: every
// key reaches the filter before Append writes it, and the keys already in
// the file reach it by a scan that runs after Open. Until that scan is done,
// and once more keys went in than the filter can tell apart
// (keyFilterCapacity), every answer is "perhaps", and ArchivedKey reads the
// store as it did without one. The bits are allocated at the first key, so
// a store without an archive keeps nothing.
type keyFilter struct {
	seed  maphash.Seed
	bits  atomic.Pointer[keyFilterWords] // Nil until the first key.
	added atomic.Uint64                  // Keys put in (a key put in twice counts twice).
	ready atomic.Bool                    // Every key in the file was put in.
}

type keyFilterWords [keyFilterBits / 64]atomic.Uint64

const (
	// keyFilterBits is the filter's size: 32 MiB, a fixed bound whatever the
	// archive grows to.
	keyFilterBits = 1 << 28
	keyFilterMask = keyFilterBits - 1
	// keyFilterHashes is how many bits each key sets.
	keyFilterHashes = 7
	// keyFilterCapacity is how many keys it holds with 1 in 100 unarchived
	// keys answered "perhaps" (about 9.6 bits a key); past it the filter
	// stops answering and every check reads the store.
	keyFilterCapacity = keyFilterBits / 10
)

func newKeyFilter() *keyFilter { return &keyFilter{seed: maphash.MakeSeed()} }

// add puts k in the filter.
func (f *keyFilter) add(k string) {
	if f.added.Add(1) > keyFilterCapacity {
		return // Saturated: mayHold says "perhaps" from now on.
	}
	words := f.bits.Load()
	if words == nil {
		f.bits.CompareAndSwap(nil, new(keyFilterWords))
		words = f.bits.Load()
	}
	h1, h2 := f.hashes(k)
	for i := uint32(0); i < keyFilterHashes; i++ {
		bit := (h1 + i*h2) & keyFilterMask
		words[bit/64].Or(1 << (bit % 64))
	}
}

// mayHold reports false only when k was surely never put in and every key
// of the file was.
func (f *keyFilter) mayHold(k string) bool {
	if !f.ready.Load() || f.added.Load() > keyFilterCapacity {
		return true
	}
	words := f.bits.Load()
	if words == nil {
		return false // Nothing was ever put in.
	}
	h1, h2 := f.hashes(k)
	for i := uint32(0); i < keyFilterHashes; i++ {
		bit := (h1 + i*h2) & keyFilterMask
		if words[bit/64].Load()&(1<<(bit%64)) == 0 {
			return false
		}
	}
	return true
}

// hashes are the two halves of k's hash, from which double hashing derives
// the key's bits; h2 is odd so that the bits it steps through differ.
func (f *keyFilter) hashes(k string) (h1, h2 uint32) {
	h := maphash.String(f.seed, k)
	return uint32(h), uint32(h>>32) | 1
}

// keyScanPage is how many keys one read of the scan takes: short reads, so
// that an Append waits at most one of them for the store's one connection.
const keyScanPage = 4096

const archivedKeysSQL = `SELECT key FROM archived_key WHERE key > ? ORDER BY key LIMIT ?`

// keyScanRetry is how soon after a scan began another may begin when it
// failed (the disk in trouble, say): the filter answers once one succeeds.
const keyScanRetry = time.Second

// beginKeyScan starts the scan that fills the filter, at a check of a key
// (so that a store opened by a tool that checks none never scans), unless
// the filter answers already, a scan runs, or the last one began less than
// keyScanRetry ago.
func (db *DB) beginKeyScan() {
	if db.keys.ready.Load() {
		return
	}
	db.scanMu.Lock()
	defer db.scanMu.Unlock()
	if db.scanEnd || db.scanning() || time.Since(db.scanLast) < keyScanRetry {
		return
	}
	done := make(chan struct{})
	db.scanDone, db.scanLast = done, time.Now()
	go func() {
		defer close(done)
		db.fillKeyFilter(db.scanCtx)
	}()
}

// scanning reports whether a scan runs; with scanMu held.
func (db *DB) scanning() bool {
	if db.scanDone == nil {
		return false
	}
	select {
	case <-db.scanDone:
		return false
	default:
		return true
	}
}

// endKeyScan stops the scan, if one runs, and waits for it; none begins
// after it.
func (db *DB) endKeyScan() {
	db.scanMu.Lock()
	db.scanEnd = true
	done := db.scanDone
	db.scanMu.Unlock()
	db.stopScan()
	if done != nil {
		<-done
	}
}

// fillKeyFilter puts every key of the file in the filter, a page at a time,
// and then lets it answer. Keys that Append writes meanwhile reach the
// filter from Append, whether or not the scan meets them. If a read fails
// (the store closed, the disk in trouble), the filter does not answer yet:
// every check reads the store, as it would without one, and a later check
// begins the scan again (beginKeyScan).
func (db *DB) fillKeyFilter(ctx context.Context) {
	after := []byte{} // Every BLOB key sorts after the empty one.
	for {
		keys, err := db.archivedKeysAfter(ctx, after)
		if err != nil {
			return
		}
		for _, k := range keys {
			db.keys.add(string(k))
		}
		if len(keys) < keyScanPage {
			db.keys.ready.Store(true)
			return
		}
		after = keys[len(keys)-1]
	}
}

// archivedKeysAfter reads the next page of keys after the key after.
func (db *DB) archivedKeysAfter(ctx context.Context, after []byte) ([][]byte, error) {
	rows, err := db.sql.QueryContext(ctx, archivedKeysSQL, after, keyScanPage)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }() // rows.Err below reports what matters.
	var keys [][]byte
	for rows.Next() {
		var k []byte
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}
