package hub

// The snapshot's bytes:
//
//	"CRDRSNAP"            8 bytes, what the bytes are
//	version               2 bytes, big-endian: snapshotVersion
//	SHA-256 of the body  32 bytes
//	body                  the image in the wire form (snapshot_wire.go)
//
// The body is a binary form written by reflection over the image's types,
// not encoding/json: both write every exported field with no codec per type
// to keep in step, but JSON scans every byte of its text on decode, and a
// snapshot is mostly message bodies (base64 in JSON); decoding JSON took
// about as long as replaying the journal it stands for, the binary form a
// fraction of that. It is deterministic: struct fields in declaration
// order, map keys sorted, and the state's maps with struct keys written as
// slices that image.sort orders. It keeps nil apart from empty, as the
// state does (a nil map is one nothing was ever written to). It is bounded
// on decode (see snapshot_wire.go), and the whole snapshot is at most
// MaxSnapshotBytes (the one run-length form, the ledger's applied
// transfers, has its own bound).
//
// A change to the state (a new field, a field that means something else)
// is a new snapshotVersion: a hub refuses a snapshot of another version and
// replays the journal instead, so old snapshots need no migration.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/corridor-network/corridor"
)

// snapshotVersion is the format of the snapshots this hub writes and reads.
const snapshotVersion = 7

// MaxSnapshotBytes bounds a snapshot: a state whose snapshot would be
// larger is not snapshotted, and a stored one that is larger is not read.
// It is below SQLite's largest value (a billion bytes).
const MaxSnapshotBytes = 900 << 20

const (
	snapshotMagic  = "CRDRSNAP"
	snapshotHeader = len(snapshotMagic) + 2 + sha256.Size
)

// ErrSnapshotTooLarge is returned by Snapshot for a state whose snapshot
// would pass MaxSnapshotBytes.
var ErrSnapshotTooLarge = fmt.Errorf("hub: the state's snapshot passes %d bytes", MaxSnapshotBytes)

// snapshotYieldBytes is how much of its image a running hub's snapshot
// writes between two yields to the goroutines waiting to run: about a
// millisecond of encoding.
const snapshotYieldBytes = 64 << 10

// encodeImage writes im, sorted, as a snapshot, into a buffer of sizeHint
// bytes to start with (the size of the last one: a snapshot grows little
// from one to the next). With yieldEvery above 0 it rests each time it has
// written that many bytes, for as long as writing them took: a running
// hub's snapshot takes a core for a second or more, and taken at once on
// a busy machine that second was a queue in front of the sequencer and
// the p99 of every payment in it. Giving way to the waiting goroutines
// (runtime.Gosched) was not enough on two cores shared with other
// processes, the encoder taking a whole core whenever one was free; at
// half a core it leaves the hub's own work the other half. A start
// (loadSnapshot) encodes with 0, at full speed.
func encodeImage(im *image, sizeHint, yieldEvery int) ([]byte, error) {
	im.sort(yieldEvery > 0)
	e := wireEncoder{buf: make([]byte, snapshotHeader, min(max(sizeHint+sizeHint/8, 64<<10), MaxSnapshotBytes)), yieldEvery: yieldEvery, since: time.Now()}
	if err := e.encode(reflect.ValueOf(im).Elem()); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	b := e.buf
	if len(b) > MaxSnapshotBytes {
		return nil, fmt.Errorf("%w: %d", ErrSnapshotTooLarge, len(b))
	}
	copy(b, snapshotMagic)
	binary.BigEndian.PutUint16(b[len(snapshotMagic):], snapshotVersion)
	sum := sha256.Sum256(b[snapshotHeader:])
	copy(b[len(snapshotMagic)+2:], sum[:])
	return b, nil
}

// imageHash is the state hash of a snapshot: the SHA-256 of the image it
// holds, which its header carries too. A state restored from the snapshot
// must write the same image again (loadSnapshot checks it): this proves
// that decoding and restoring lost and changed nothing the image holds.
func imageHash(snapshot []byte) [32]byte {
	return [32]byte(snapshot[len(snapshotMagic)+2 : snapshotHeader])
}

// errCorrupt starts the errors of bytes that are not an intact snapshot.
var errCorrupt = errors.New("snapshot corrupt")

// decodeSnapshot reads a snapshot into a new state of the hub hubBIC.
func decodeSnapshot(data []byte, hubBIC corridor.BIC) (*state, error) {
	im, err := decodeImage(data)
	if err != nil {
		return nil, err
	}
	return im.restore(hubBIC)
}

// decodeImage checks a snapshot's header and checksum and decodes its body.
func decodeImage(data []byte) (*image, error) {
	switch {
	case len(data) < snapshotHeader:
		return nil, fmt.Errorf("%w: %d bytes, shorter than the header", errCorrupt, len(data))
	case len(data) > MaxSnapshotBytes:
		return nil, fmt.Errorf("%w: %d bytes, more than %d", errCorrupt, len(data), MaxSnapshotBytes)
	case string(data[:len(snapshotMagic)]) != snapshotMagic:
		return nil, fmt.Errorf("%w: it does not start %q", errCorrupt, snapshotMagic)
	}
	if v := binary.BigEndian.Uint16(data[len(snapshotMagic):]); v != snapshotVersion {
		return nil, fmt.Errorf("snapshot format version %d: this hub reads version %d", v, snapshotVersion)
	}
	sum := sha256.Sum256(data[snapshotHeader:])
	if !bytes.Equal(sum[:], data[len(snapshotMagic)+2:snapshotHeader]) {
		return nil, fmt.Errorf("%w: its SHA-256 does not match its contents (a changed or truncated snapshot)", errCorrupt)
	}
	var im image
	d := wireDecoder{buf: data[snapshotHeader:]}
	if err := d.decode(reflect.ValueOf(&im).Elem()); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	if len(d.buf) > 0 {
		return nil, fmt.Errorf("%w: %d bytes after the state", errCorrupt, len(d.buf))
	}
	return &im, nil
}
