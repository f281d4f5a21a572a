package corridor

import "fmt"

// SnapshotChunks assembles a hub state snapshot a store keeps as numbered
// chunks, checking them against the snapshot's row: exactly chunks pieces,
// numbered from 0 in order, size bytes in all. It is the one check of both
// stores' snapshot reads.
type SnapshotChunks struct {
	seq          uint64
	size, chunks int64
	next         int64
	data         []byte
}

// NewSnapshotChunks starts reading snapshot seq, of size bytes in chunks
// pieces by its row, refusing before any is read one over maxBytes.
func NewSnapshotChunks(seq uint64, size, chunks int64, maxBytes int) (*SnapshotChunks, error) {
	if size <= 0 || chunks <= 0 || size > int64(maxBytes) || chunks > size {
		return nil, fmt.Errorf("snapshot %d: %d bytes in %d chunks, not within 1 to %d bytes", seq, size, chunks, maxBytes)
	}
	return &SnapshotChunks{seq: seq, size: size, chunks: chunks, data: make([]byte, 0, size)}, nil
}

// Add appends chunk i, which must be the next one and not pass size.
func (c *SnapshotChunks) Add(i int64, chunk []byte) error {
	if i != c.next || int64(len(c.data)+len(chunk)) > c.size {
		return fmt.Errorf("snapshot %d: chunk %d found as chunk %d, or past %d bytes", c.seq, i, c.next, c.size)
	}
	c.data = append(c.data, chunk...)
	c.next++
	return nil
}

// Data is the snapshot, once every chunk the row promised was added.
func (c *SnapshotChunks) Data() ([]byte, error) {
	if c.next != c.chunks || int64(len(c.data)) != c.size {
		return nil, fmt.Errorf("snapshot %d: %d chunks of %d bytes, its row says %d of %d", c.seq, c.next, len(c.data), c.chunks, c.size)
	}
	return c.data, nil
}
