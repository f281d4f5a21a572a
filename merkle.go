package corridor

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// A batch is up to MaxBatchMessages messages a bank sends in one request
// under one signature: it signs BatchStatement, which names the count of
// messages and the root of a binary Merkle tree over them, and never the
// messages one by one. Each message keeps its place in the tree (a
// BatchProof), so that one message, its proof and the batch signature prove
// what the bank sent without the other messages. The hub answers a batch the
// same way: one signature over BatchReceiptStatement, a tree over the
// receipts.
//
// The tree is RFC 6962's (§2.1): a leaf is SHA-256(0x00 || data), a node
// SHA-256(0x01 || left || right), so that no leaf can pass for a node; the
// nodes of a level are paired from the left and the last of an odd number
// is promoted to the next level unchanged, which builds the same tree as the
// RFC's split at the largest power of two (TestMerkle checks it).

// Bounds of a batch.
const (
	MaxBatchMessages = 256 // Messages (or receipts) in one batch.
	MaxBatchPath     = 8   // Sibling hashes on the path of one leaf of MaxBatchMessages: log2(256).
)

// Compile-time check: MaxBatchPath levels hold MaxBatchMessages leaves.
const _ uint = 1<<MaxBatchPath - MaxBatchMessages

// MerkleHash is a leaf or node of a batch's Merkle tree. It is written as 64
// lower-case hex digits in JSON, in the journal and the API alike.
type MerkleHash [sha256.Size]byte

// MarshalText writes h as lower-case hex.
func (h MerkleHash) MarshalText() ([]byte, error) {
	return []byte(hex.EncodeToString(h[:])), nil
}

// UnmarshalText reads 64 lower-case hex digits, and nothing else.
func (h *MerkleHash) UnmarshalText(b []byte) error {
	if len(b) != 2*len(h) {
		return fmt.Errorf("merkle hash of %d characters; want %d hex digits", len(b), 2*len(h))
	}
	for _, c := range b {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return errors.New("merkle hash holds a character that is not a lower-case hex digit")
		}
	}
	_, err := hex.Decode(h[:], b)
	return err
}

// MerkleLeaf is the leaf of data: SHA-256(0x00 || data).
func MerkleLeaf(data []byte) MerkleHash {
	h := sha256.New()
	h.Write([]byte{0})
	h.Write(data)
	var out MerkleHash
	h.Sum(out[:0])
	return out
}

// MerkleLeafString is MerkleLeaf of the bytes of data, hashed through a
// buffer on the stack rather than copied whole into a []byte: a client
// holds each inbox body it decodes as a string, of kilobytes.
func MerkleLeafString(data string) MerkleHash {
	h := sha256.New()
	var buf [512]byte
	n := 1 // buf[0], the leaf's 0x00, before the first bytes of data.
	for {
		c := copy(buf[n:], data)
		h.Write(buf[:n+c])
		if data = data[c:]; data == "" {
			break
		}
		n = 0
	}
	var out MerkleHash
	h.Sum(out[:0])
	return out
}

// merkleNode is SHA-256(0x01 || left || right).
func merkleNode(left, right MerkleHash) MerkleHash {
	var b [1 + 2*sha256.Size]byte
	b[0] = 1
	copy(b[1:], left[:])
	copy(b[1+sha256.Size:], right[:])
	return sha256.Sum256(b[:])
}

// MerkleTree is the tree over a batch's leaves, built once: its root and
// the path of every leaf without hashing again.
type MerkleTree struct {
	levels [][]MerkleHash // levels[0] the leaves, the last the root alone.
}

// NewMerkleTree builds the tree over leaves, which must number 1 to
// MaxBatchMessages (the caller checks; a tree of none has the zero root).
// Its levels share one array, of the size they add up to.
func NewMerkleTree(leaves []MerkleHash) *MerkleTree {
	total, depth := len(leaves), 1
	for n := len(leaves); n > 1; n = (n + 1) / 2 {
		total, depth = total+(n+1)/2, depth+1
	}
	nodes := make([]MerkleHash, total)
	t := &MerkleTree{levels: make([][]MerkleHash, 0, depth)}
	level, nodes := nodes[:len(leaves):len(leaves)], nodes[len(leaves):] // Full slices: no level runs into the next.
	copy(level, leaves)
	for {
		t.levels = append(t.levels, level)
		if len(level) <= 1 {
			return t
		}
		half := (len(level) + 1) / 2
		next := nodes[:half:half]
		nodes = nodes[half:]
		for i := range next {
			if 2*i+1 == len(level) {
				next[i] = level[2*i] // Odd: promoted unchanged.
			} else {
				next[i] = merkleNode(level[2*i], level[2*i+1])
			}
		}
		level = next
	}
}

// Root is the tree's root.
func (t *MerkleTree) Root() MerkleHash {
	top := t.levels[len(t.levels)-1]
	if len(top) == 0 {
		return MerkleHash{}
	}
	return top[0]
}

// Path is the path of leaf index, which must be within the leaves: the
// sibling of each level from the leaf up, none for a level where the node
// is promoted. It is never nil.
func (t *MerkleTree) Path(index int) []MerkleHash {
	return t.AppendPath([]MerkleHash{}, index)
}

// Paths returns the path of every leaf, in order, each as Path returns it,
// all in one array: a batch's messages keep theirs with the journal.
func (t *MerkleTree) Paths() [][]MerkleHash {
	leaves := len(t.levels[0])
	all := make([]MerkleHash, 0, leaves*(len(t.levels)-1))
	paths := make([][]MerkleHash, leaves)
	for i := range paths {
		start := len(all)
		all = t.AppendPath(all, i)
		paths[i] = all[start:len(all):len(all)] // Full: one path appended to never runs into the next.
	}
	return paths
}

// AppendPath appends the path of leaf index to dst, as Path returns it: into
// an array of MaxBatchPath on the caller's stack, the path of every leaf of
// a page costs no allocation.
func (t *MerkleTree) AppendPath(dst []MerkleHash, index int) []MerkleHash {
	for _, level := range t.levels[:len(t.levels)-1] {
		if sib := index ^ 1; sib < len(level) {
			dst = append(dst, level[sib])
		}
		index /= 2
	}
	return dst
}

// MerkleRoot is the root of the tree over leaves.
func MerkleRoot(leaves []MerkleHash) MerkleHash { return NewMerkleTree(leaves).Root() }

// MerklePath is the path of leaf index in the tree over leaves.
func MerklePath(leaves []MerkleHash, index int) []MerkleHash {
	return NewMerkleTree(leaves).Path(index)
}

// ErrMerkleProof marks a proof that does not fit its tree: a count or an
// index out of range, or a path of the wrong length.
var ErrMerkleProof = errors.New("corridor: merkle proof malformed")

// MerkleRootOf is the root that leaf, at index of a tree of count leaves with
// path, proves. It refuses a count outside 1..MaxBatchMessages, an index
// outside the count, and a path longer or shorter than the tree's shape
// asks: every hash of the path is used, exactly once.
func MerkleRootOf(leaf MerkleHash, index, count int, path []MerkleHash) (MerkleHash, error) {
	switch {
	case count < 1 || count > MaxBatchMessages:
		return MerkleHash{}, fmt.Errorf("%w: count %d is not within 1..%d", ErrMerkleProof, count, MaxBatchMessages)
	case index < 0 || index >= count:
		return MerkleHash{}, fmt.Errorf("%w: index %d is not within a batch of %d", ErrMerkleProof, index, count)
	case len(path) > MaxBatchPath:
		return MerkleHash{}, fmt.Errorf("%w: path of %d hashes; at most %d", ErrMerkleProof, len(path), MaxBatchPath)
	}
	node, used := leaf, 0
	for n := count; n > 1; n, index = (n+1)/2, index/2 {
		if index^1 >= n { // The last of an odd level: promoted.
			continue
		}
		if used == len(path) {
			return MerkleHash{}, fmt.Errorf("%w: path of %d hashes is too short for index %d of %d", ErrMerkleProof, len(path), index, count)
		}
		if index%2 == 0 {
			node = merkleNode(node, path[used])
		} else {
			node = merkleNode(path[used], node)
		}
		used++
	}
	if used != len(path) {
		return MerkleHash{}, fmt.Errorf("%w: path of %d hashes; the tree of %d asks %d", ErrMerkleProof, len(path), count, used)
	}
	return node, nil
}

// BatchProof places one message (or receipt) in its batch: its index, the
// number in the batch and its Merkle path. With the leaf it proves the root
// that the batch's one signature covers.
type BatchProof struct {
	Index int          // From 0, in the order of the batch.
	Count int          // 1..MaxBatchMessages.
	Path  []MerkleHash // At most MaxBatchPath.
}

// Root is the root p proves for data, the message or receipt it places.
func (p BatchProof) Root(data []byte) (MerkleHash, error) {
	return MerkleRootOf(MerkleLeaf(data), p.Index, p.Count, p.Path)
}

// BatchStatement is what a bank signs for a batch of count messages whose
// tree has root: "corridor batch v1\n", count as 4 bytes big-endian, root.
func BatchStatement(count int, root MerkleHash) []byte {
	return statement("corridor batch v1\n", count, root)
}

// BatchReceiptStatement is what the hub signs for the receipts of a batch:
// "corridor batch receipt v1\n", count as 4 bytes big-endian, and the root of
// the tree over ReceiptMessage of each receipt, in the batch's order.
func BatchReceiptStatement(count int, root MerkleHash) []byte {
	return statement("corridor batch receipt v1\n", count, root)
}

// InboxStatement is what the hub signs, once, for an inbox page read with
// sign=batch: "corridor inbox v1\n", count as 4 bytes big-endian, and the
// root of the tree over the page's message bodies, in the page's order.
func InboxStatement(count int, root MerkleHash) []byte {
	return statement("corridor inbox v1\n", count, root)
}

func statement(label string, count int, root MerkleHash) []byte {
	b := make([]byte, 0, len(label)+4+len(root))
	b = append(b, label...)
	b = binary.BigEndian.AppendUint32(b, uint32(count))
	return append(b, root[:]...)
}

// SignedBytes is what m's signature covers: the body itself for a message
// sent alone; for one of a batch, BatchStatement over the root its proof
// gives for the body. A proof that does not fit is ErrMerkleProof.
func (m SignedMessage) SignedBytes() ([]byte, error) {
	if m.Batch == nil {
		return m.Body, nil
	}
	root, err := m.Batch.Root(m.Body)
	if err != nil {
		return nil, err
	}
	return BatchStatement(m.Batch.Count, root), nil
}
