package main

import (
	"context"
	"errors"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/hub"
	"github.com/corridor-network/corridor/postgres"
	"github.com/corridor-network/corridor/sqlite"
)

// The hub starts from its store's latest snapshot: see hub.Snapshots.
var (
	_ hub.Snapshots   = (*sqlite.Journal)(nil)
	_ hub.Snapshots   = (*postgres.Journal)(nil)
	_ snapshotJournal = (*sqlite.Journal)(nil)
	_ snapshotJournal = (*postgres.Journal)(nil)
)

// snapshotJournal is what the snapshotter needs of a store.
type snapshotJournal interface {
	LastSeq() (uint64, [32]byte)
	LatestSnapshotSeq(ctx context.Context) (uint64, error)
	SaveSnapshot(ctx context.Context, seq uint64, entryHash, stateHash [32]byte, data []byte) error
}

// snapshotStore is the store the snapshots go to: the journal's.
func (m *Main) snapshotStore() snapshotJournal {
	if m.PG != nil {
		return m.PG.Journal()
	}
	return m.DB.Journal()
}

// Bounds of the periodic snapshots.
const (
	DefaultSnapshotEvery = 100_000         // Journal entries between snapshots, unless --snapshot-every says otherwise.
	DefaultRetention     = 24 * time.Hour  // How long final payments stay in memory, unless --retention says otherwise.
	maxSnapshotEvery     = 1_000_000_000   // The most --snapshot-every takes.
	snapshotPoll         = time.Second     // How often the snapshotter looks at the journal's length.
	snapshotRetryWait    = 5 * time.Minute // After a snapshot failed, the wait before the next try.
)

// runSnapshots takes and saves a snapshot of the hub's state whenever the
// journal has grown by --snapshot-every entries since the last one, until
// ctx is done; 0 is off. It runs beside the sequencer, which it holds only
// while Hub.Snapshot copies the state; encoding and saving happen here. A
// failure is logged at WARN and tried again after snapshotRetryWait.
func (m *Main) runSnapshots(ctx context.Context) {
	every := uint64(m.Config.SnapshotEvery)
	if every == 0 {
		return
	}
	j := m.snapshotStore()
	last, err := j.LatestSnapshotSeq(ctx)
	if err != nil {
		m.Logger.Warn("latest state snapshot not read; the next is taken at once", "error", err)
	}
	t := time.NewTicker(snapshotPoll)
	defer t.Stop()
	var retry time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if seq, _ := j.LastSeq(); seq < last+every || time.Now().Before(retry) {
			continue
		}
		seq, err := m.saveSnapshot(ctx, j)
		switch {
		case err == nil:
			last = seq
		case ctx.Err() == nil:
			retry = time.Now().Add(snapshotRetryWait)
			m.Logger.Warn("state snapshot not taken", "retry", snapshotRetryWait, "error", err)
		}
	}
}

// saveSnapshot takes a snapshot and saves it, and logs it with its size
// and how long the sequencer was held.
func (m *Main) saveSnapshot(ctx context.Context, j snapshotJournal) (uint64, error) {
	snap, err := m.Hub.Snapshot(ctx)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	switch err := j.SaveSnapshot(ctx, snap.Seq, snap.EntryHash, snap.StateHash, snap.Data); {
	case errors.Is(err, sqlite.ErrSnapshotsLeft): // Saved all the same.
		m.Logger.Warn("older snapshots not all deleted; the next save deletes them", "error", err)
	case err != nil:
		return 0, err
	}
	m.Logger.Info("state snapshot saved", corridor.LogKeySeq, snap.Seq, "bytes", len(snap.Data),
		"held", snap.Held.Round(time.Microsecond), "encode", snap.Encode.Round(time.Millisecond),
		"save", time.Since(start).Round(time.Millisecond))
	return snap.Seq, nil
}
