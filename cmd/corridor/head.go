package main

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// MaxHeadBytes bounds the journal head file.
const MaxHeadBytes = 1 << 10

// headFile is where the hub keeps, beside its journal and outside it, the
// last journal head it signed: evidence of how far it had gone that a lost
// journal tail, a deleted WAL or a missing store cannot take with them.
func headFile(data string) string { return filepath.Join(data, "journal.head") }

// signedHead is a checkpoint as the head file keeps it.
type signedHead struct {
	Seq  uint64
	Hash [32]byte
	Sig  []byte
}

// writeHead replaces the head file with cp, atomically: a new file, synced,
// renamed over the old one, and the directory synced.
func writeHead(data string, cp corridor.Checkpoint) error {
	text := fmt.Sprintf("seq %d\nhash %x\nsig %s\n", cp.Seq, cp.Hash, base64.StdEncoding.EncodeToString(cp.Signature))
	tmp := headFile(data) + ".new"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write journal head: %w", err)
	}
	_, err = f.WriteString(text)
	err = errors.Join(err, f.Sync(), f.Close())
	if err == nil {
		err = os.Rename(tmp, headFile(data))
	}
	if err == nil {
		err = syncDir(data)
	}
	if err != nil {
		return fmt.Errorf("write journal head: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// readHead reads the head file; ok is false when there is none.
func readHead(data string) (h signedHead, ok bool, err error) {
	f, err := os.Open(headFile(data))
	if errors.Is(err, fs.ErrNotExist) {
		return h, false, nil
	}
	var b []byte
	if err == nil {
		b, err = io.ReadAll(io.LimitReader(f, MaxHeadBytes+1)) // Never more than the bound into memory.
		err = errors.Join(err, f.Close())
	}
	if err != nil || len(b) > MaxHeadBytes {
		return h, false, fmt.Errorf("read journal head %s: %v (at most %d bytes)", headFile(data), err, MaxHeadBytes)
	}
	var hash, sig string
	if _, err := fmt.Sscanf(string(b), "seq %d\nhash %s\nsig %s\n", &h.Seq, &hash, &sig); err != nil {
		return h, false, fmt.Errorf("journal head %s is not readable: %v", headFile(data), err)
	}
	hb, err := hex.DecodeString(hash)
	if err != nil || len(hb) != 32 {
		return h, false, fmt.Errorf("journal head %s: hash is not 32 bytes of hex", headFile(data))
	}
	copy(h.Hash[:], hb)
	if h.Sig, err = base64.StdEncoding.DecodeString(sig); err != nil {
		return h, false, fmt.Errorf("journal head %s: signature is not base64", headFile(data))
	}
	return h, true, nil
}

// checkStoreAgainstHead refuses to start on a store that is missing or empty
// while the head file says the hub had a journal, before anything opens it:
// the hub must never start afresh beside the history it signed.
func checkStoreAgainstHead(data string, head signedHead) error {
	st, err := os.Stat(dbPath(data))
	if errors.Is(err, fs.ErrNotExist) || (err == nil && st.Size() == 0) {
		return fmt.Errorf("the journal %s is missing or empty, but %s says the hub signed its journal up to entry %d: "+
			"restore the journal from a backup (corridor restore); the hub will not start a new, empty one beside it",
			dbPath(data), headFile(data), head.Seq)
	}
	return err
}

// checkAgainstHead compares a journal with the head the hub last signed:
// the signature must be the hub's (verify), the journal (ending at last)
// must reach that entry, and that entry (hashAt) must be the one signed. A
// journal that ends earlier lost acknowledged entries; one whose entry
// differs was altered. The hub checks at start and `audit verify` checks.
func checkAgainstHead(head signedHead, last uint64, hashAt func(uint64) ([32]byte, error), verify func(corridor.Checkpoint) error) error {
	if err := verify(corridor.Checkpoint{Seq: head.Seq, Hash: head.Hash, Signature: head.Sig}); err != nil {
		return fmt.Errorf("the journal head file is not signed by this hub: %w", err)
	}
	if last < head.Seq {
		return fmt.Errorf("the journal ends at entry %d, but the hub signed it up to entry %d: entries %d to %d are missing "+
			"(a lost tail or WAL?); restore the journal from a backup", last, head.Seq, last+1, head.Seq)
	}
	hash, err := hashAt(head.Seq)
	if err != nil {
		return err
	}
	if hash != head.Hash {
		return fmt.Errorf("journal entry %d is not the one the hub signed: the journal was altered", head.Seq)
	}
	return nil
}

// verifyWith checks a checkpoint's signature with the hub certificate.
func verifyWith(hubCert *x509.Certificate) func(corridor.Checkpoint) error {
	return func(cp corridor.Checkpoint) error {
		return pki.Verify(hubCert, corridor.CheckpointMessage(cp.Seq, cp.Hash), cp.Signature)
	}
}
