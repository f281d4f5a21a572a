package sqlite

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A snapshot file holds a snapshot's bytes and nothing else: its row in
// snapshot_file says which entry it stands for, how long it is and its
// SHA-256, so that a file cut short, altered or gone is told apart from a
// whole one before the hub decodes anything of it.

const (
	snapshotDirSuffix = "-snapshots" // The directory beside the store.
	snapshotExt       = ".snap"      // A snapshot's file: its seq, 20 digits, and this.
	snapshotTemp      = ".writing-"  // A file being written starts so.
)

// SnapshotWriteBytes is the most of a snapshot written in one write call,
// and snapshotSyncBytes how much is written between two fsyncs: a save
// hands the disk its tens of megabytes a few at a time, pausing after each
// fsync for as long as it took (giveWay), instead of in one flush that the
// journal's own fsyncs would queue behind.
const (
	SnapshotWriteBytes = 256 << 10
	snapshotSyncBytes  = 4 << 20
)

// maxGiveWay bounds one pause of a save: a write held up by the disk does
// not stop the save for as long.
const maxGiveWay = 50 * time.Millisecond

// giveWay waits as long as a write took, at most maxGiveWay, or until ctx
// is done.
func giveWay(ctx context.Context, took time.Duration) {
	t := time.NewTimer(min(took, maxGiveWay))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// snapshotDir is the directory of the snapshot files of the store at path.
func snapshotDir(path string) string { return path + snapshotDirSuffix }

// snapshotFileName is the name of snapshot seq's file in its directory.
func snapshotFileName(seq uint64) string { return fmt.Sprintf("%020d%s", seq, snapshotExt) }

// writeSnapshotFile writes data as snapshot seq's file in dir, made if
// needed: under a temporary name (writeTemp), then renamed into place and
// the directory fsynced, so that the name is there only for the whole
// file. It returns the file's SHA-256. A file renamed whose directory then
// failed to sync is no row's, and the next save deletes it.
func writeSnapshotFile(ctx context.Context, dir string, seq uint64, data []byte) ([32]byte, error) {
	if err := makeDir(dir); err != nil {
		return [32]byte{}, err
	}
	tmp, sum, err := writeTemp(ctx, dir, data)
	if err != nil {
		return [32]byte{}, err
	}
	if err := os.Rename(tmp, filepath.Join(dir, snapshotFileName(seq))); err != nil {
		return [32]byte{}, errors.Join(fmt.Errorf("name snapshot file: %w", err), os.Remove(tmp))
	}
	return sum, syncDir(dir)
}

// writeTemp writes data, fsynced (writeSynced), to a new temporary file in
// dir and returns its name and SHA-256; on an error it removes the file.
func writeTemp(ctx context.Context, dir string, data []byte) (string, [32]byte, error) {
	f, err := os.CreateTemp(dir, snapshotTemp+"*") // Mode 0600: the state names banks and parties.
	if err != nil {
		return "", [32]byte{}, fmt.Errorf("create snapshot file: %w", err)
	}
	sum, err := writeSynced(ctx, f, data)
	if err = errors.Join(err, f.Close()); err != nil {
		return "", [32]byte{}, errors.Join(fmt.Errorf("write snapshot file %s: %w", f.Name(), err), os.Remove(f.Name()))
	}
	return f.Name(), sum, nil
}

// writeSynced writes data to f in SnapshotWriteBytes pieces, fsyncing
// every snapshotSyncBytes and at the end and giving way after each fsync,
// and returns its SHA-256.
func writeSynced(ctx context.Context, f *os.File, data []byte) ([32]byte, error) {
	h := sha256.New()
	unsynced := 0
	for piece := range slices.Chunk(data, SnapshotWriteBytes) {
		if err := ctx.Err(); err != nil {
			return [32]byte{}, err
		}
		if _, err := f.Write(piece); err != nil {
			return [32]byte{}, err
		}
		h.Write(piece) // A hash.Hash never returns an error.
		if unsynced += len(piece); unsynced < snapshotSyncBytes {
			continue
		}
		start := time.Now()
		if err := f.Sync(); err != nil {
			return [32]byte{}, err
		}
		unsynced = 0
		giveWay(ctx, time.Since(start))
	}
	if err := f.Sync(); err != nil {
		return [32]byte{}, err
	}
	return [32]byte(h.Sum(nil)), nil
}

// makeDir makes dir, mode 0700, if it is not there yet, and fsyncs its
// parent so that the new name survives a crash.
func makeDir(dir string) error {
	switch err := os.Mkdir(dir, 0o700); {
	case errors.Is(err, os.ErrExist):
		return nil
	case err != nil:
		return fmt.Errorf("make snapshot directory: %w", err)
	}
	return syncDir(filepath.Dir(dir))
}

// readSnapshotFile reads snapshot seq's file in dir and checks it against
// its row: size bytes, at most maxBytes (refused before reading), and
// SHA-256 sum. Each refusal names the file and what is wrong with it.
func readSnapshotFile(dir string, seq uint64, size int64, sum [32]byte, maxBytes int) ([]byte, error) {
	name := filepath.Join(dir, snapshotFileName(seq))
	if size <= 0 || size > int64(maxBytes) {
		return nil, fmt.Errorf("snapshot %d: %d bytes by its row, not within 1 to %d", seq, size, maxBytes)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: its file is missing or unreadable: %w", seq, err)
	}
	defer func() { _ = f.Close() }() // Read only.
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", seq, err)
	}
	if st.Size() != size {
		return nil, fmt.Errorf("snapshot %d: file %s is %d bytes, its row says %d: cut short or altered", seq, name, st.Size(), size)
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("snapshot %d: read %s: %w", seq, name, err)
	}
	if sha256.Sum256(data) != sum {
		return nil, fmt.Errorf("snapshot %d: file %s does not have the SHA-256 its row says: altered", seq, name)
	}
	return data, nil
}

// deleteUnnamedFiles deletes from dir the snapshot files whose seq is not
// in named and the files of saves that stopped half-way; it leaves any
// other file alone. A directory not made yet holds none.
func deleteUnnamedFiles(dir string, named map[uint64]bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("list snapshot files: %w", err)
	}
	for _, e := range entries {
		seq, isSnapshot := snapshotFileSeq(e.Name())
		if named[seq] || !isSnapshot && !strings.HasPrefix(e.Name(), snapshotTemp) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("delete snapshot file: %w", err)
		}
	}
	return nil
}

// snapshotFileSeq is the seq a snapshot file's name says, and whether the
// name is one.
func snapshotFileSeq(name string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, snapshotExt)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	seq, err := strconv.ParseUint(digits, 10, 64)
	return seq, err == nil && seq > 0
}
