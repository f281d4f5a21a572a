package main

import (
	"context"
	"fmt"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/pki"
)

// CheckpointInterval is how often the hub signs the head of its journal.
const CheckpointInterval = 10 * time.Second

// checkpointer signs the journal's head with the hub's key whenever it has
// moved since the last checkpoint.
type checkpointer struct {
	journal checkpointJournal
	signer  *pki.Signer
	last    uint64 // Seq of the last checkpoint written; owned by the goroutine, then by Close.
	data    string // The data directory, where the head file goes; "" for none (PostgreSQL: the head lives with the database).
}

// checkpointJournal is what the checkpointer needs of a journal store.
type checkpointJournal interface {
	LastSeq() (uint64, [32]byte)
	AppendCheckpoint(ctx context.Context, cp corridor.Checkpoint) error
}

// write signs the journal's head, unless it was signed already. Main runs it
// every CheckpointInterval and once more at close.
func (c *checkpointer) write(ctx context.Context) error {
	seq, hash := c.journal.LastSeq()
	if seq == 0 || seq == c.last {
		return nil
	}
	sig, err := c.signer.Sign(corridor.CheckpointMessage(seq, hash))
	if err != nil {
		return err
	}
	cp := corridor.Checkpoint{Seq: seq, Hash: hash, Signature: sig, Time: time.Now().UTC()}
	if err := c.journal.AppendCheckpoint(ctx, cp); err != nil {
		return fmt.Errorf("checkpoint %d: %w", seq, err)
	}
	if c.data == "" {
		c.last = seq
		return nil
	}
	if err := writeHead(c.data, cp); err != nil { // Outside the journal: what a lost tail cannot take with it.
		return err
	}
	c.last = seq
	return nil
}
