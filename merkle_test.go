package corridor_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/corridor-network/corridor"
)

// rfc6962Root is the Merkle tree hash of RFC 6962 §2.1, written from the
// RFC's recursive definition (split at the largest power of two below n):
// an oracle independent of MerkleRoot's level-by-level pairing.
func rfc6962Root(data [][]byte) [32]byte {
	if len(data) == 1 {
		return sha256.Sum256(append([]byte{0}, data[0]...))
	}
	k := 1
	for k*2 < len(data) {
		k *= 2
	}
	l, r := rfc6962Root(data[:k]), rfc6962Root(data[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

func batchData(n int) ([][]byte, []corridor.MerkleHash) {
	data := make([][]byte, n)
	leaves := make([]corridor.MerkleHash, n)
	for i := range data {
		data[i] = fmt.Appendf(nil, "message %d", i)
		leaves[i] = corridor.MerkleLeaf(data[i])
	}
	return data, leaves
}

// TestMerkle checks, for every batch size up to MaxBatchMessages, that the
// root is RFC 6962's, that every leaf's path proves it and is at most
// MaxBatchPath long, and that a changed leaf, sibling, index or count does
// not.
func TestMerkle(t *testing.T) {
	for n := 1; n <= corridor.MaxBatchMessages; n++ {
		data, leaves := batchData(n)
		root := corridor.MerkleRoot(leaves)
		if want := rfc6962Root(data); root != want {
			t.Fatalf("MerkleRoot of %d leaves = %x; RFC 6962 gives %x", n, root, want)
		}
		for i := range n {
			path := corridor.MerklePath(leaves, i)
			if len(path) > corridor.MaxBatchPath {
				t.Fatalf("path of leaf %d of %d has %d hashes; at most %d", i, n, len(path), corridor.MaxBatchPath)
			}
			got, err := corridor.MerkleRootOf(leaves[i], i, n, path)
			if err != nil || got != root {
				t.Fatalf("MerkleRootOf(leaf %d of %d) = %x, %v; want %x", i, n, got, err, root)
			}
			if got, _ := corridor.MerkleRootOf(corridor.MerkleLeaf(append(data[i], '!')), i, n, path); got == root {
				t.Fatalf("leaf %d of %d changed still proves the root", i, n)
			}
			for j := range path {
				bad := append([]corridor.MerkleHash(nil), path...)
				bad[j][0] ^= 1
				if got, _ := corridor.MerkleRootOf(leaves[i], i, n, bad); got == root {
					t.Fatalf("leaf %d of %d with sibling %d changed still proves the root", i, n, j)
				}
			}
			if n > 1 {
				other := (i + 1) % n
				if got, _ := corridor.MerkleRootOf(leaves[i], other, n, path); got == root && !bytes.Equal(data[other], data[i]) {
					t.Fatalf("leaf %d of %d proves the root at index %d", i, n, other)
				}
			}
		}
	}
}

func TestMerkleRootOfRefuses(t *testing.T) {
	_, leaves := batchData(5)
	path := corridor.MerklePath(leaves, 2)
	tests := []struct {
		name         string
		index, count int
		path         []corridor.MerkleHash
	}{
		{"CountZero", 0, 0, nil},
		{"CountOverMax", 0, corridor.MaxBatchMessages + 1, path},
		{"IndexNegative", -1, 5, path},
		{"IndexAtCount", 5, 5, path},
		{"PathShort", 2, 5, path[:1]},
		{"PathLong", 2, 5, append(path, path[0])},
		{"PathOverMax", 2, 5, make([]corridor.MerkleHash, corridor.MaxBatchPath+1)},
		{"OneLeafWithPath", 0, 1, path[:1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := corridor.MerkleRootOf(leaves[2], tt.index, tt.count, tt.path)
			if !errors.Is(err, corridor.ErrMerkleProof) {
				t.Errorf("MerkleRootOf(index %d, count %d, path of %d) = %x, %v; want ErrMerkleProof", tt.index, tt.count, len(tt.path), got, err)
			}
		})
	}
}

// TestBatchStatement pins the bytes a bank and the hub sign.
func TestBatchStatement(t *testing.T) {
	var root corridor.MerkleHash
	root[0], root[31] = 0xab, 0xcd
	want := append(append([]byte("corridor batch v1\n"), 0, 0, 1, 0), root[:]...)
	if got := corridor.BatchStatement(256, root); !bytes.Equal(got, want) {
		t.Errorf("BatchStatement(256) = %q; want %q", got, want)
	}
	want = append(append([]byte("corridor batch receipt v1\n"), 0, 0, 0, 3), root[:]...)
	if got := corridor.BatchReceiptStatement(3, root); !bytes.Equal(got, want) {
		t.Errorf("BatchReceiptStatement(3) = %q; want %q", got, want)
	}
}

// TestSignedBytes checks what the signature of a message covers: its body
// alone, or the statement of its batch.
func TestSignedBytes(t *testing.T) {
	data, leaves := batchData(3)
	alone := corridor.SignedMessage{Body: data[1]}
	if got, err := alone.SignedBytes(); err != nil || !bytes.Equal(got, data[1]) {
		t.Errorf("SignedBytes of a message alone = %q, %v; want its body", got, err)
	}
	batched := corridor.SignedMessage{Body: data[1], Batch: &corridor.BatchProof{Index: 1, Count: 3, Path: corridor.MerklePath(leaves, 1)}}
	want := corridor.BatchStatement(3, corridor.MerkleRoot(leaves))
	if got, err := batched.SignedBytes(); err != nil || !bytes.Equal(got, want) {
		t.Errorf("SignedBytes of message 1 of 3 = %q, %v; want %q", got, err, want)
	}
	batched.Batch.Count = 300
	if _, err := batched.SignedBytes(); !errors.Is(err, corridor.ErrMerkleProof) {
		t.Errorf("SignedBytes with count 300 = %v; want ErrMerkleProof", err)
	}
}

// TestBatchProofJSON checks that a proof's hashes travel as hex and that
// anything but 64 lower-case hex digits is refused.
func TestBatchProofJSON(t *testing.T) {
	_, leaves := batchData(2)
	p := corridor.BatchProof{Index: 1, Count: 2, Path: corridor.MerklePath(leaves, 1)}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back corridor.BatchProof
	if err := json.Unmarshal(b, &back); err != nil || back.Path[0] != p.Path[0] {
		t.Fatalf("round trip of %s = %+v, %v", b, back, err)
	}
	for _, bad := range []string{`"AB"`, `"` + string(bytes.Repeat([]byte("A"), 64)) + `"`, `"` + string(bytes.Repeat([]byte("0"), 66)) + `"`} {
		var h corridor.MerkleHash
		if err := json.Unmarshal([]byte(bad), &h); err == nil {
			t.Errorf("MerkleHash from %s: no error", bad)
		}
	}
}

// FuzzMerkleRootOf feeds the proof verifier any leaf, index, count and path:
// it never panics, refuses what does not fit the tree's shape, and, for the
// honest path of a tree built from the input, gives that tree's root; with
// a byte of the path changed, it does not.
func FuzzMerkleRootOf(f *testing.F) {
	f.Add([]byte("leaf"), uint16(2), uint16(5), []byte{}, uint16(0))
	f.Add([]byte{}, uint16(0), uint16(1), []byte{}, uint16(0))
	f.Add([]byte("x"), uint16(255), uint16(256), make([]byte, 8*32), uint16(7))
	f.Fuzz(func(t *testing.T, leafData []byte, index, count uint16, rawPath []byte, flip uint16) {
		if len(rawPath) > (corridor.MaxBatchPath+1)*32 || len(leafData) > 1024 {
			return
		}
		leaf := corridor.MerkleLeaf(leafData)
		var path []corridor.MerkleHash
		for i := 0; i+32 <= len(rawPath); i += 32 {
			path = append(path, corridor.MerkleHash(rawPath[i:i+32]))
		}
		_, err := corridor.MerkleRootOf(leaf, int(index), int(count), path)
		if err != nil && !errors.Is(err, corridor.ErrMerkleProof) {
			t.Fatalf("MerkleRootOf error %v is not ErrMerkleProof", err)
		}
		n := int(count)%corridor.MaxBatchMessages + 1
		i := int(index) % n
		leaves := make([]corridor.MerkleHash, n)
		for j := range leaves {
			leaves[j] = corridor.MerkleLeaf(binary.BigEndian.AppendUint32(append([]byte(nil), leafData...), uint32(j)))
		}
		honest := corridor.MerklePath(leaves, i)
		root := corridor.MerkleRoot(leaves)
		if got, err := corridor.MerkleRootOf(leaves[i], i, n, honest); err != nil || got != root {
			t.Fatalf("honest proof of %d of %d = %x, %v; want %x", i, n, got, err, root)
		}
		if len(honest) > 0 {
			bad := append([]corridor.MerkleHash(nil), honest...)
			k := int(flip) % (len(bad) * 32)
			bad[k/32][k%32] ^= 1 << (flip % 8)
			if got, _ := corridor.MerkleRootOf(leaves[i], i, n, bad); got == root {
				t.Fatalf("proof of %d of %d with byte %d changed still proves the root", i, n, k)
			}
		}
	})
}

// TestMerkleLeafString checks that MerkleLeafString hashes a string as
// MerkleLeaf hashes its bytes, at the lengths around its buffer's.
func TestMerkleLeafString(t *testing.T) {
	for _, n := range []int{0, 1, 2, 510, 511, 512, 513, 1023, 1024, 1025, 4096, 10_000} {
		data := bytes.Repeat([]byte("<Nm>ООО</Nm>"), n)[:n]
		if got, want := corridor.MerkleLeafString(string(data)), corridor.MerkleLeaf(data); got != want {
			t.Errorf("MerkleLeafString of %d bytes = %x; MerkleLeaf gives %x", n, got, want)
		}
	}
	data := string(bytes.Repeat([]byte("x"), 4096))
	if n := testing.AllocsPerRun(10, func() { corridor.MerkleLeafString(data) }); n != 0 {
		t.Errorf("MerkleLeafString of 4 KB: %v allocations; want none", n)
	}
}

// levelPath is the path of leaf index as the tree was first built, one
// slice per level grown by append, each sibling copied into a new path:
// the reference for the tree of one array and AppendPath.
func levelPath(leaves []corridor.MerkleHash, index int) []corridor.MerkleHash {
	node := func(l, r corridor.MerkleHash) corridor.MerkleHash {
		return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
	}
	path := []corridor.MerkleHash{}
	for level := leaves; len(level) > 1; index /= 2 {
		if sib := index ^ 1; sib < len(level) {
			path = append(path, level[sib])
		}
		var next []corridor.MerkleHash
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
			} else {
				next = append(next, node(level[i], level[i+1]))
			}
		}
		level = next
	}
	return path
}

// TestMerklePathAsBuilt checks, for every batch size up to
// MaxBatchMessages, that Path and AppendPath give each leaf the path the
// tree built level by level gives it, and that AppendPath into an array of
// MaxBatchPath allocates nothing.
func TestMerklePathAsBuilt(t *testing.T) {
	for n := 1; n <= corridor.MaxBatchMessages; n++ {
		_, leaves := batchData(n)
		tree := corridor.NewMerkleTree(leaves)
		paths := tree.Paths()
		for i := range n {
			want := levelPath(leaves, i)
			if got := paths[i]; !slices.Equal(got, want) || got == nil || cap(got) != len(got) {
				t.Fatalf("Paths()[%d] of %d leaves = %x (cap %d); want %x, full", i, n, got, cap(got), want)
			}
			if got := tree.Path(i); !slices.Equal(got, want) || got == nil {
				t.Fatalf("Path(%d) of %d leaves = %x; want %x", i, n, got, want)
			}
			var buf [corridor.MaxBatchPath]corridor.MerkleHash
			if got := tree.AppendPath(buf[:0], i); !slices.Equal(got, want) {
				t.Fatalf("AppendPath(%d) of %d leaves = %x; want %x", i, n, got, want)
			}
		}
	}
	tree := corridor.NewMerkleTree(make([]corridor.MerkleHash, corridor.MaxBatchMessages))
	if n := testing.AllocsPerRun(10, func() {
		var buf [corridor.MaxBatchPath]corridor.MerkleHash
		tree.AppendPath(buf[:0], 77)
	}); n != 0 {
		t.Errorf("AppendPath into an array: %v allocations; want none", n)
	}
}
