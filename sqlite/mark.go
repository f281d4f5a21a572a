package sqlite

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
)

// The acknowledgement mark: after every durable append, before the hub
// answers anyone, the journal writes the seq and hash of its last entry to
// PATH-mark, a small file beside the store, and fsyncs it. A journal whose
// tail was cut or deleted (a truncated write-ahead log, rows deleted, an
// older copy put in its place) then no longer reaches its mark, and Open
// refuses it, naming what is missing, instead of starting without payments
// that were acknowledged. The mark has two slots, written in turn, so that a
// write torn by a power loss leaves the other one whole.

// markSuffix names the mark file beside the store.
const markSuffix = "-mark"

// markSlot is the size and the stride of a slot: one per disk sector.
const markSlot = 512

// markMagic opens a slot.
var markMagic = []byte("corridor journal mark v1")

// mark is one slot's content: how far the journal was acknowledged.
type mark struct {
	Seq  uint64
	Hash [32]byte
}

// markFile is the open mark of a journal.
type markFile struct {
	f    *os.File
	next int64 // The slot the next write goes to: 0 or 1.
}

// markPath is the mark file of the store at path.
func markPath(path string) string { return path + markSuffix }

// openMark opens (creating it if needed) the mark of the store at path and
// returns it with the highest whole mark it holds; ok is false when it holds
// none (a new store, or one from before marks).
func openMark(path string) (*markFile, mark, bool, error) {
	p := markPath(path)
	_, statErr := os.Stat(p)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, mark{}, false, fmt.Errorf("open journal mark: %w", err)
	}
	if errors.Is(statErr, os.ErrNotExist) {
		if err := syncDir(filepath.Dir(p)); err != nil { // The new file's name must survive a crash too.
			return nil, mark{}, false, errors.Join(err, f.Close())
		}
	}
	mf := &markFile{f: f}
	m, slot, ok, err := readMark(f)
	if err != nil {
		return nil, mark{}, false, errors.Join(fmt.Errorf("read journal mark %s: %w", p, err), f.Close())
	}
	if ok {
		mf.next = 1 - slot
	}
	return mf, m, ok, nil
}

// readMark returns the highest whole mark of f and its slot.
func readMark(f *os.File) (mark, int64, bool, error) {
	var best mark
	bestSlot, found := int64(0), false
	buf := make([]byte, markSlot)
	for slot := range int64(2) {
		n, err := f.ReadAt(buf, slot*markSlot)
		if err != nil && !errors.Is(err, io.EOF) {
			return mark{}, 0, false, err
		}
		m, ok := decodeMark(buf[:n])
		if ok && (!found || m.Seq > best.Seq) {
			best, bestSlot, found = m, slot, true
		}
	}
	return best, bestSlot, found, nil
}

// encodeMark writes m as a slot: magic, seq, hash and a CRC-32 of them.
func encodeMark(m mark) []byte {
	b := make([]byte, 0, markSlot)
	b = append(b, markMagic...)
	b = binary.BigEndian.AppendUint64(b, m.Seq)
	b = append(b, m.Hash[:]...)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	return append(b, make([]byte, markSlot-len(b))...)
}

// decodeMark reads a slot; ok is false for a slot that is empty or torn.
func decodeMark(b []byte) (mark, bool) {
	n := len(markMagic) + 8 + 32
	if len(b) < n+4 || !bytes.Equal(b[:len(markMagic)], markMagic) ||
		binary.BigEndian.Uint32(b[n:]) != crc32.ChecksumIEEE(b[:n]) {
		return mark{}, false
	}
	var m mark
	m.Seq = binary.BigEndian.Uint64(b[len(markMagic):])
	copy(m.Hash[:], b[len(markMagic)+8:n])
	return m, true
}

// writeMark records m in the mark: in the open file, or, while the store is
// released (Release keeps no file open), in the file opened for this write.
func (db *DB) writeMark(m mark) error {
	if db.mark != nil {
		return db.mark.write(m)
	}
	mf, _, _, err := openMark(db.path)
	if err != nil {
		return err
	}
	return errors.Join(mf.write(m), mf.close())
}

// write records m in the next slot and fsyncs it.
func (mf *markFile) write(m mark) error {
	if _, err := mf.f.WriteAt(encodeMark(m), mf.next*markSlot); err != nil {
		return fmt.Errorf("write journal mark: %w", err)
	}
	if err := mf.f.Sync(); err != nil {
		return fmt.Errorf("sync journal mark: %w", err)
	}
	mf.next = 1 - mf.next
	return nil
}

func (mf *markFile) close() error {
	if mf == nil {
		return nil
	}
	return mf.f.Close()
}

// closeMark closes the mark until Reopen opens it again; an Append
// meanwhile opens it for its own write.
func (db *DB) closeMark() error {
	err := db.mark.close()
	db.mark = nil
	return err
}

// checkMark refuses a journal that does not reach its mark m, or holds
// another entry where the mark says: acknowledged history was lost or
// altered.
func (db *DB) checkMark(ctx context.Context, m mark) error {
	if m.Seq == 0 {
		return nil
	}
	last := db.journal.lastSeq
	if m.Seq > last {
		return fmt.Errorf("%w: the journal ends at entry %d, but entries up to %d were acknowledged (%s): acknowledged history is missing",
			ErrCorrupt, last, m.Seq, markPath(db.path))
	}
	hash, err := db.entryHash(ctx, m.Seq)
	if err != nil {
		return err
	}
	if hash != m.Hash {
		return fmt.Errorf("%w: entry %d is not the entry that was acknowledged (%s): the journal was altered", ErrCorrupt, m.Seq, markPath(db.path))
	}
	return nil
}

// RemoveMark removes the mark of the store at path, for a restore that
// deliberately puts an older journal in place.
func RemoveMark(path string) error {
	if err := removeIfExists(markPath(path)); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}
