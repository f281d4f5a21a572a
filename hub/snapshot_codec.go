package hub

// The snapshot's bytes:
//
//	"CRDRSNAP"            8 bytes, what the bytes are
//	version               2 bytes, big-endian: snapshotVersion
//	SHA-256 of the body  32 bytes
//	body                  the image in JSON
//
// The body is JSON (encoding/json), not a binary form of our own, because
// every value the state holds already has a JSON form that the journal
// payloads and the state hash use and test (payments, screening records,
// certificates, times, amounts); a binary form would be a second encoding of
// all of them to keep in step, for a start that is already dominated by
// the size of the message bodies. It is deterministic: struct fields in
// declaration order, map keys sorted by encoding/json, and the state's maps
// with struct keys written as slices that image.sort orders. It keeps nil
// apart from empty, as the state does (a nil map is one nothing was ever
// written to). It is bounded on decode: nothing in it is a length the
// decoder trusts, so what decoding allocates is in proportion to the bytes,
// which are at most MaxSnapshotBytes (the one run-length form, the ledger's
// applied transfers, has its own bound).
//
// A change to the state (a new field, a field that means something else)
// is a new snapshotVersion: a hub refuses a snapshot of another version and
// replays the journal instead, so old snapshots need no migration.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/corridor-network/corridor"
)

// snapshotVersion is the format of the snapshots this hub writes and reads.
const snapshotVersion = 1

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

// encodeImage writes im, sorted, as a snapshot.
func encodeImage(im *image) ([]byte, error) {
	im.sort()
	var buf bytes.Buffer
	buf.Write(make([]byte, snapshotHeader))
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(im); err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	b := buf.Bytes()
	if len(b) > MaxSnapshotBytes {
		return nil, fmt.Errorf("%w: %d", ErrSnapshotTooLarge, len(b))
	}
	copy(b, snapshotMagic)
	binary.BigEndian.PutUint16(b[len(snapshotMagic):], snapshotVersion)
	sum := sha256.Sum256(b[snapshotHeader:])
	copy(b[len(snapshotMagic)+2:], sum[:])
	return b, nil
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
	if err := decodeStrict(data[snapshotHeader:], &im); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	return &im, nil
}
