// Package storetest is the one contract suite of the journal stores: every
// behaviour that the sqlite and postgres stores share, run against each by
// its own contract test. A store passes it by keeping corridor.Journal's
// promises: a hash chain without gaps, a panic on a caller's bug, storage
// errors wrapped and nothing half written, durability across a reopen, a
// paging replay, checkpoints, refusing entries altered behind its back, the
// archive of payments written with the entries that let them go, and the
// books of settlement accounts written with the entries that posted them.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/corridor-network/corridor"
)

// Journal is what the suite uses of a store's journal: corridor.Journal,
// corridor.Archive, corridor.Books and the methods both stores have.
type Journal interface {
	corridor.Journal
	corridor.Archive
	corridor.Books
	LastSeq() (uint64, [32]byte)
	AppendCheckpoint(ctx context.Context, cp corridor.Checkpoint) error
	LastCheckpoint(ctx context.Context) (uint64, error)
	EntryHash(ctx context.Context, seq uint64) ([32]byte, error)
}

// AuditReport is what a store's Audit reports, in the suite's own type.
type AuditReport struct {
	Entries        uint64
	Head           [32]byte
	Checkpoints    int
	LastCheckpoint uint64
}

// Store is one store under test, empty when Harness.Fresh makes it.
type Store interface {
	// Open opens the store, ready to append (a store with a lease takes
	// it). The suite closes what it opens; Open may be called again after
	// that, to check what survived.
	Open(tb testing.TB) (Journal, error)
	// Tamper runs SQL statements on the closed store as its owner would,
	// with its append-only guard lifted.
	Tamper(tb testing.TB, statements ...string)
	// Exec runs one SQL statement on the store as another client would,
	// with every guard in place, and returns its error.
	Exec(tb testing.TB, statement string) error
	// Audit and EntryHash are the store's functions of the same names,
	// which read a store that is not open.
	Audit(ctx context.Context, verify func(corridor.Checkpoint) error) (AuditReport, error)
	EntryHash(ctx context.Context, seq uint64) ([32]byte, error)
}

// Harness describes a store implementation to the suite.
type Harness struct {
	Fresh       func(tb testing.TB) Store // A new, empty store, removed when tb ends.
	PageEntries int                       // The store's ReplayPageEntries.
	ErrCorrupt  error                     // The store's ErrCorrupt.
}

// Epoch is the fixed clock of the suite's entries.
var Epoch = time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)

// Run runs the contract suite against the stores h makes.
func Run(t *testing.T, h Harness) {
	t.Run("Journal", func(t *testing.T) { testJournal(t, h) })
	t.Run("Replay", func(t *testing.T) { testReplay(t, h) })
	t.Run("AppendCanceled", func(t *testing.T) { testAppendCanceled(t, h) })
	t.Run("AppendPanics", func(t *testing.T) { testAppendPanics(t, h) })
	t.Run("Tamper", func(t *testing.T) { testTamper(t, h) })
	t.Run("TamperLastEntry", func(t *testing.T) { testTamperLastEntry(t, h) })
	t.Run("AppendOnly", func(t *testing.T) { testAppendOnly(t, h) })
	t.Run("Checkpoints", func(t *testing.T) { testCheckpoints(t, h) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, h) })
	t.Run("Archive", func(t *testing.T) { testArchive(t, h) })
	t.Run("Books", func(t *testing.T) { testBooks(t, h) })
}

// MustOpen opens s and closes it when the test ends.
func MustOpen(tb testing.TB, s Store) Journal {
	tb.Helper()
	j, err := s.Open(tb)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { _ = j.Close() }) // A test that closes it itself checks the error there.
	return j
}

// mustClose closes j and fails the test if that fails.
func mustClose(tb testing.TB, j Journal) {
	tb.Helper()
	if err := j.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

// MustAppend appends n entries, each with payloadBytes of payload, continuing
// the journal's chain, and returns them.
func MustAppend(tb testing.TB, j Journal, n, payloadBytes int) []corridor.JournalEntry {
	tb.Helper()
	seq, hash := j.LastSeq()
	entries := Chain(seq, hash, n, payloadBytes)
	if err := j.Append(context.Background(), entries); err != nil {
		tb.Fatalf("Append(%d..%d): %v", seq+1, seq+uint64(n), err)
	}
	return entries
}

// Chain returns n entries that continue the chain ending at seq and hash.
func Chain(seq uint64, hash [32]byte, n, payloadBytes int) []corridor.JournalEntry {
	entries := make([]corridor.JournalEntry, n)
	for i := range entries {
		seq++
		payload := []byte(strings.Repeat(fmt.Sprintf("payment %d;", seq), payloadBytes)[:payloadBytes])
		e := corridor.JournalEntry{
			Seq:      seq,
			Time:     Epoch.Add(time.Duration(seq) * time.Millisecond),
			Kind:     "payment.submit",
			Payload:  payload,
			PrevHash: hash,
		}
		e.Hash = e.ComputeHash()
		entries[i], hash = e, e.Hash
	}
	return entries
}

// ReplayAll returns the entries Replay gives after seq after.
func ReplayAll(tb testing.TB, j Journal, after uint64) ([]corridor.JournalEntry, error) {
	tb.Helper()
	var got []corridor.JournalEntry
	err := j.Replay(context.Background(), after, func(e corridor.JournalEntry) error {
		got = append(got, e)
		return nil
	})
	return got, err
}

// DiffEntries returns cmp.Diff(want, got, opts...), but compares the entries
// field by field first and calls cmp only on a mismatch: under the race
// detector, cmp over thousands of entries takes seconds. sameEntry is at
// least as strict as cmp (it tells a nil payload from an empty one), so it
// never calls a mismatch equal.
func DiffEntries(want, got []corridor.JournalEntry, opts ...cmp.Option) string {
	if (want == nil) == (got == nil) && slices.EqualFunc(want, got, sameEntry) {
		return ""
	}
	return cmp.Diff(want, got, opts...)
}

// entryFields spells out corridor.JournalEntry's fields. The conversion below
// stops compiling when a field is added, so sameEntry cannot miss it.
type entryFields struct {
	Seq      uint64
	Time     time.Time
	Kind     string
	Payload  []byte
	PrevHash [32]byte
	Hash     [32]byte
	Archived []corridor.ArchivedPayment // Written by Append, not returned by Replay: sameEntry leaves it out.
	Booked   []corridor.BookEntry       // The same.
}

var _ = entryFields(corridor.JournalEntry{})

// sameEntry reports whether a and b are equal in every field of entryFields,
// their times as cmp compares them, with Equal.
func sameEntry(a, b corridor.JournalEntry) bool {
	return a.Seq == b.Seq && a.Time.Equal(b.Time) && a.Kind == b.Kind &&
		bytes.Equal(a.Payload, b.Payload) && (a.Payload == nil) == (b.Payload == nil) &&
		a.PrevHash == b.PrevHash && a.Hash == b.Hash
}

func testJournal(t *testing.T, h Harness) {
	ctx := context.Background()

	t.Run("ReopenReplay", func(t *testing.T) {
		s := h.Fresh(t)
		j := MustOpen(t, s)
		var want []corridor.JournalEntry
		for _, n := range []int{3, 1, 64, 5} {
			want = append(want, MustAppend(t, j, n, 200)...)
		}
		mustClose(t, j)

		j = MustOpen(t, s)
		last := want[len(want)-1]
		if seq, hash := j.LastSeq(); seq != last.Seq || hash != last.Hash {
			t.Errorf("LastSeq() = %d, %x; want %d, %x", seq, hash[:4], last.Seq, last.Hash[:4])
		}
		got, err := ReplayAll(t, j, 0)
		if err != nil {
			t.Fatalf("Replay(0): %v", err)
		}
		if diff := DiffEntries(want, got); diff != "" {
			t.Errorf("Replay(0) mismatch (-want +got):\n%s", diff)
		}
		want = append(want, MustAppend(t, j, 2, 200)...)
		got, err = ReplayAll(t, j, 0)
		if err != nil {
			t.Fatalf("Replay(0) after another batch: %v", err)
		}
		if diff := DiffEntries(want, got); diff != "" {
			t.Errorf("Replay(0) after another batch mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("EmptyBatch", func(t *testing.T) {
		j := MustOpen(t, h.Fresh(t))
		MustAppend(t, j, 2, 16)
		seq, hash := j.LastSeq()
		if err := j.Append(ctx, nil); err != nil {
			t.Fatalf("Append(nil): %v", err)
		}
		if gotSeq, gotHash := j.LastSeq(); gotSeq != seq || gotHash != hash {
			t.Errorf("LastSeq() after empty Append = %d; want %d", gotSeq, seq)
		}
	})

	t.Run("EmptyJournal", func(t *testing.T) {
		j := MustOpen(t, h.Fresh(t))
		if seq, hash := j.LastSeq(); seq != 0 || hash != [32]byte{} {
			t.Errorf("LastSeq() = %d, %x; want 0, zero", seq, hash[:4])
		}
		got, err := ReplayAll(t, j, 0)
		if err != nil || len(got) != 0 {
			t.Errorf("Replay(0) = %d entries, %v; want none", len(got), err)
		}
	})

	t.Run("TimeAndPayload", func(t *testing.T) {
		j := MustOpen(t, h.Fresh(t))
		e := corridor.JournalEntry{Seq: 1, Time: Epoch.In(time.FixedZone("MSK", 3*3600)), Kind: "tick"}
		e.Hash = e.ComputeHash()
		if err := j.Append(ctx, []corridor.JournalEntry{e}); err != nil {
			t.Fatalf("Append(nil payload): %v", err)
		}
		got, err := ReplayAll(t, j, 0)
		if err != nil || len(got) != 1 {
			t.Fatalf("Replay(0) = %d entries, %v; want 1", len(got), err)
		}
		if !got[0].Time.Equal(Epoch) || got[0].Time.Location() != time.UTC {
			t.Errorf("Time = %v; want %v in UTC", got[0].Time, Epoch)
		}
		if len(got[0].Payload) != 0 {
			t.Errorf("Payload = %q; want empty", got[0].Payload)
		}
	})
}

func testReplay(t *testing.T, h Harness) {
	ctx := context.Background()

	t.Run("ReplayAfter", func(t *testing.T) {
		j := MustOpen(t, h.Fresh(t))
		// More than two pages, so Replay crosses page boundaries.
		page := uint64(h.PageEntries)
		all := MustAppend(t, j, 2*h.PageEntries+7, 16)
		for _, after := range []uint64{0, 1, 4, page, page + 1, uint64(len(all))} {
			got, err := ReplayAll(t, j, after)
			if err != nil {
				t.Fatalf("Replay(%d): %v", after, err)
			}
			if diff := DiffEntries(all[after:], got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Replay(%d) mismatch (-want +got):\n%s", after, diff)
			}
		}
	})

	t.Run("UseStoreInFn", func(t *testing.T) {
		// Replay holds no connection while fn runs, so fn may read the store.
		j := MustOpen(t, h.Fresh(t))
		all := MustAppend(t, j, h.PageEntries+3, 16)
		var seen int
		err := j.Replay(ctx, 0, func(e corridor.JournalEntry) error {
			seen++
			if e.Seq%97 != 0 {
				return nil
			}
			hash, err := j.EntryHash(ctx, e.Seq)
			if err == nil && hash != e.Hash {
				err = fmt.Errorf("EntryHash(%d) is not the replayed entry's", e.Seq)
			}
			return err
		})
		if err != nil || seen != len(all) {
			t.Errorf("Replay with EntryHash in fn = %v after %d entries; want nil after %d", err, seen, len(all))
		}
	})

	t.Run("ErrReplayPastEnd", func(t *testing.T) {
		j := MustOpen(t, h.Fresh(t))
		MustAppend(t, j, 3, 16)
		_, err := ReplayAll(t, j, 4)
		if err == nil || !strings.Contains(err.Error(), "no journal entry 4") {
			t.Errorf("Replay(4) on 3 entries = %v; want an error naming entry 4", err)
		}
	})

	t.Run("ErrFromFn", func(t *testing.T) {
		j := MustOpen(t, h.Fresh(t))
		MustAppend(t, j, 10, 16)
		errStop := errors.New("stop")
		var calls int
		err := j.Replay(ctx, 0, func(e corridor.JournalEntry) error {
			calls++
			if e.Seq == 4 {
				return errStop
			}
			return nil
		})
		if !errors.Is(err, errStop) || calls != 4 || !strings.Contains(err.Error(), "entry 4") {
			t.Errorf("Replay with fn failing at 4 = %v after %d calls; want errStop naming entry 4 after 4", err, calls)
		}
	})
}

func testAppendCanceled(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.Fresh(t)
	j := MustOpen(t, s)
	MustAppend(t, j, 2, 16)
	seq, hash := j.LastSeq()
	batch := Chain(seq, hash, 3, 16)
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	err := j.Append(canceled, batch)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "append journal batch 3..5") {
		t.Errorf("Append(canceled) = %v; want context.Canceled naming batch 3..5", err)
	}
	if gotSeq, _ := j.LastSeq(); gotSeq != seq {
		t.Errorf("LastSeq() after failed Append = %d; want %d", gotSeq, seq)
	}
	if err := j.Append(ctx, batch); err != nil {
		t.Errorf("Append(retry) = %v; want nil", err)
	}
	mustClose(t, j)
	j = MustOpen(t, s)
	if got, err := ReplayAll(t, j, 0); err != nil || len(got) != 5 {
		t.Errorf("Replay(0) after the retry = %d entries, %v; want 5", len(got), err)
	}
}

func testAppendPanics(t *testing.T, h Harness) {
	tests := []struct {
		name   string
		modify func(batch []corridor.JournalEntry)
		want   string
	}{
		{"Gap", func(b []corridor.JournalEntry) { b[1] = rechain(b[1], 1, b[0].Hash) }, "entry 4 is missing, the next is entry 5"},
		{"GapFirst", func(b []corridor.JournalEntry) { b[0] = rechain(b[0], 1, b[0].PrevHash) }, "entry 3 is missing, the next is entry 4"},
		{"Replayed", func(b []corridor.JournalEntry) { b[0] = rechain(b[0], -1, b[0].PrevHash) }, "entry 2 does not follow entry 2"},
		{"PrevHash", func(b []corridor.JournalEntry) { b[1] = rechain(b[1], 0, [32]byte{1}) }, "entry 4: prev_hash is not entry 3's hash"},
		{"Hash", func(b []corridor.JournalEntry) { b[2].Payload = []byte("altered") }, "entry 5: hash does not match its contents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := MustOpen(t, h.Fresh(t))
			MustAppend(t, j, 2, 16)
			seq, hash := j.LastSeq()
			batch := Chain(seq, hash, 3, 16)
			tt.modify(batch)
			got := appendPanic(j, batch)
			if !strings.Contains(got, "assertion failed: journal batch: journal corrupt: "+tt.want) {
				t.Errorf("Append panicked with %q; want %q", got, tt.want)
			}
			if gotSeq, _ := j.LastSeq(); gotSeq != seq {
				t.Errorf("LastSeq() after panic = %d; want %d", gotSeq, seq)
			}
			// Nothing is left locked or written: the right batch still goes in.
			MustAppend(t, j, 3, 16)
			if got, err := ReplayAll(t, j, 0); err != nil || len(got) != 5 {
				t.Errorf("Replay(0) = %d entries, %v; want 5", len(got), err)
			}
		})
	}
}

// rechain returns e with its seq moved by delta and its prev hash set, and
// its own hash recomputed, so only the chain is wrong.
func rechain(e corridor.JournalEntry, delta int, prev [32]byte) corridor.JournalEntry {
	e.Seq = uint64(int64(e.Seq) + int64(delta))
	e.PrevHash = prev
	e.Hash = e.ComputeHash()
	return e
}

// appendPanic calls Append and returns what it panicked with, or "" if it
// did not panic.
func appendPanic(j Journal, batch []corridor.JournalEntry) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	err := j.Append(context.Background(), batch)
	return fmt.Sprintf("no panic, err %v", err)
}

// The tampering statements are plain SQL that both stores speak: they move
// values between the entry's own columns rather than write literals.
func testTamper(t *testing.T, h Harness) {
	tests := []struct {
		name     string
		sql      []string
		want     string
		wantSeen int // Entries Replay hands fn before it finds the damage.
	}{
		{"Payload", []string{`UPDATE journal SET payload = hash WHERE seq = 5`},
			"entry 5: hash does not match its contents", 4},
		{"PayloadAndHash", []string{`UPDATE journal SET payload = prev_hash, hash = prev_hash WHERE seq = 5`},
			"entry 5: hash does not match its contents", 4},
		{"Time", []string{`UPDATE journal SET time_ns = time_ns + 1 WHERE seq = 7`},
			"entry 7: hash does not match its contents", 6},
		{"PrevHash", []string{`UPDATE journal SET prev_hash = hash WHERE seq = 6`},
			"entry 6: prev_hash is not entry 5's hash", 5},
		{"Deleted", []string{`DELETE FROM journal WHERE seq = 5`},
			"entry 5 is missing, the next is entry 6", 4},
		{"Swapped", []string{`UPDATE journal SET seq = seq + 100 WHERE seq IN (5, 6)`, `UPDATE journal SET seq = 111 - seq WHERE seq > 100`},
			"entry 5: prev_hash is not entry 4's hash", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := h.Fresh(t)
			j := MustOpen(t, s)
			MustAppend(t, j, 10, 200)
			mustClose(t, j)
			s.Tamper(t, tt.sql...)

			j = MustOpen(t, s)
			seen, err := ReplayAll(t, j, 0)
			if !errors.Is(err, h.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Replay(0) = %v; want ErrCorrupt with %q", err, tt.want)
			}
			if len(seen) != tt.wantSeen {
				t.Errorf("Replay(0) handed fn %d entries; want %d", len(seen), tt.wantSeen)
			}
			mustClose(t, j)
			if _, err := s.Audit(context.Background(), nil); !errors.Is(err, h.ErrCorrupt) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Audit = %v; want ErrCorrupt with %q", err, tt.want)
			}
		})
	}
}

func testTamperLastEntry(t *testing.T, h Harness) {
	s := h.Fresh(t)
	j := MustOpen(t, s)
	MustAppend(t, j, 10, 200)
	mustClose(t, j)
	s.Tamper(t, `UPDATE journal SET payload = hash WHERE seq = 10`)
	j, err := s.Open(t)
	if err == nil {
		_ = j.Close() // The test fails anyway.
	}
	if !errors.Is(err, h.ErrCorrupt) || !strings.Contains(err.Error(), "entry 10") {
		t.Errorf("Open(altered last entry) = %v; want ErrCorrupt naming entry 10", err)
	}
}

func testAppendOnly(t *testing.T, h Harness) {
	s := h.Fresh(t)
	j := MustOpen(t, s)
	MustAppend(t, j, 3, 16)
	cp := checkpointOf(t, j, 2)
	if err := j.AppendCheckpoint(context.Background(), cp); err != nil {
		t.Fatalf("AppendCheckpoint: %v", err)
	}
	for _, stmt := range []string{
		`UPDATE journal SET payload = hash WHERE seq = 2`,
		`DELETE FROM journal WHERE seq = 3`,
		`UPDATE checkpoint SET signature = hash WHERE seq = 2`,
		`DELETE FROM checkpoint WHERE seq = 2`,
	} {
		if err := s.Exec(t, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s = %v; want the append-only guard's error", stmt, err)
		}
	}
	if got, err := ReplayAll(t, j, 0); err != nil || len(got) != 3 {
		t.Errorf("Replay(0) = %d entries, %v; want the 3 intact", len(got), err)
	}
}

// checkpointOf returns a checkpoint of entry seq of j, with a signature that
// only the suite's verify accepts.
func checkpointOf(tb testing.TB, j Journal, seq uint64) corridor.Checkpoint {
	tb.Helper()
	hash, err := j.EntryHash(context.Background(), seq)
	if err != nil {
		tb.Fatalf("EntryHash(%d): %v", seq, err)
	}
	return corridor.Checkpoint{Seq: seq, Hash: hash, Signature: signature(seq, hash), Time: Epoch.Add(time.Duration(seq) * time.Second)}
}

// signature stands in for the hub's signature over a checkpoint.
func signature(seq uint64, hash [32]byte) []byte {
	return append([]byte("signed "), corridor.CheckpointMessage(seq, hash)...)
}

// verify accepts exactly the signatures signature makes.
func verify(cp corridor.Checkpoint) error {
	if !bytes.Equal(cp.Signature, signature(cp.Seq, cp.Hash)) {
		return errors.New("bad signature")
	}
	return nil
}

func testCheckpoints(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.Fresh(t)
	j := MustOpen(t, s)
	if last, err := j.LastCheckpoint(ctx); err != nil || last != 0 {
		t.Errorf("LastCheckpoint() on an empty store = %d, %v; want 0", last, err)
	}
	entries := MustAppend(t, j, 5, 16)
	for _, seq := range []uint64{2, 4} {
		if err := j.AppendCheckpoint(ctx, checkpointOf(t, j, seq)); err != nil {
			t.Fatalf("AppendCheckpoint(%d): %v", seq, err)
		}
	}
	bad := []struct {
		name string
		cp   corridor.Checkpoint
	}{
		{"WrongHash", corridor.Checkpoint{Seq: 5, Hash: entries[3].Hash, Signature: []byte("s"), Time: Epoch}},
		{"NoEntry", corridor.Checkpoint{Seq: 6, Hash: entries[4].Hash, Signature: []byte("s"), Time: Epoch}},
		{"NoSignature", corridor.Checkpoint{Seq: 5, Hash: entries[4].Hash, Time: Epoch}},
		{"LongSignature", corridor.Checkpoint{Seq: 5, Hash: entries[4].Hash, Signature: make([]byte, 513), Time: Epoch}},
		{"Twice", checkpointOf(t, j, 4)},
	}
	for _, tt := range bad {
		if err := j.AppendCheckpoint(ctx, tt.cp); err == nil {
			t.Errorf("AppendCheckpoint(%s) = nil; want an error", tt.name)
		}
	}
	if last, err := j.LastCheckpoint(ctx); err != nil || last != 4 {
		t.Errorf("LastCheckpoint() = %d, %v; want 4", last, err)
	}
	mustClose(t, j)

	j = MustOpen(t, s)
	if last, err := j.LastCheckpoint(ctx); err != nil || last != 4 {
		t.Errorf("LastCheckpoint() after reopening = %d, %v; want 4", last, err)
	}
	for i, e := range entries {
		if got, err := j.EntryHash(ctx, e.Seq); err != nil || got != e.Hash {
			t.Errorf("EntryHash(%d) = %x, %v; want entry %d's hash", e.Seq, got[:4], err, i+1)
		}
	}
	if _, err := j.EntryHash(ctx, 6); !errors.Is(err, h.ErrCorrupt) {
		t.Errorf("EntryHash(6) of 5 entries = %v; want ErrCorrupt", err)
	}
}

func testAudit(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.Fresh(t)
	j := MustOpen(t, s)
	entries := MustAppend(t, j, h.PageEntries+5, 16) // Across a page boundary.
	last := entries[len(entries)-1]
	for _, seq := range []uint64{3, last.Seq} {
		if err := j.AppendCheckpoint(ctx, checkpointOf(t, j, seq)); err != nil {
			t.Fatalf("AppendCheckpoint(%d): %v", seq, err)
		}
	}
	mustClose(t, j)

	want := AuditReport{Entries: last.Seq, Head: last.Hash, Checkpoints: 2, LastCheckpoint: last.Seq}
	for _, v := range []func(corridor.Checkpoint) error{verify, nil} {
		if r, err := s.Audit(ctx, v); err != nil || r != want {
			t.Errorf("Audit = %+v, %v; want %+v", r, err, want)
		}
	}
	if got, err := s.EntryHash(ctx, 3); err != nil || got != entries[2].Hash {
		t.Errorf("EntryHash(3) of the closed store = %x, %v; want entry 3's hash", got[:4], err)
	}
	if _, err := s.EntryHash(ctx, last.Seq+1); !errors.Is(err, h.ErrCorrupt) {
		t.Errorf("EntryHash(%d) of the closed store = %v; want ErrCorrupt", last.Seq+1, err)
	}
	reject := func(corridor.Checkpoint) error { return errors.New("not the hub's key") }
	if _, err := s.Audit(ctx, reject); !errors.Is(err, h.ErrCorrupt) || !strings.Contains(err.Error(), "checkpoint at entry 3") {
		t.Errorf("Audit with a verify that refuses = %v; want ErrCorrupt naming checkpoint 3", err)
	}
	s.Tamper(t, fmt.Sprintf(`UPDATE checkpoint SET hash = (SELECT hash FROM journal WHERE seq = 3) WHERE seq = %d`, last.Seq))
	if _, err := s.Audit(ctx, verify); !errors.Is(err, h.ErrCorrupt) || !strings.Contains(err.Error(), fmt.Sprintf("checkpoint at entry %d", last.Seq)) {
		t.Errorf("Audit of a checkpoint moved to another hash = %v; want ErrCorrupt naming the checkpoint", err)
	}
}

// BenchmarkAppend measures Append with batches of batch entries, each of
// payloadBytes, one transaction per batch. An op is one batch; entries/s
// counts entries. Building and hashing the batch is inside the timing, as
// Append rehashes it anyway.
func BenchmarkAppend(b *testing.B, h Harness, batch, payloadBytes int) {
	benchmarkAppend(b, h, batch, payloadBytes, nil)
}

// BenchmarkAppendArchived is BenchmarkAppend with every entry archiving
// one payment (ArchiveEach) with a record of recordBytes.
func BenchmarkAppendArchived(b *testing.B, h Harness, batch, payloadBytes, recordBytes int) {
	benchmarkAppend(b, h, batch, payloadBytes, func(c []corridor.JournalEntry) { ArchiveEach(c, recordBytes) })
}

// BenchmarkAppendBooked is BenchmarkAppend with every entry posting two
// book entries (BookEach) with records of recordBytes, on
// BenchBookAccounts accounts.
func BenchmarkAppendBooked(b *testing.B, h Harness, batch, payloadBytes, recordBytes int) {
	records := BenchBookRecords(BenchBookRecordCount, recordBytes)
	benchmarkAppend(b, h, batch, payloadBytes, func(c []corridor.JournalEntry) { BookEach(c, BenchBookAccounts, records) })
}

// BenchmarkBookEntries measures a read of 100 book entries of one account
// from books of 100,000 entries with records of recordBytes on
// BenchBookAccounts accounts (what 50,000 payments post, BookEach),
// appended in batches of batch entries, in a place that moves with each
// read, in the middle of an account's entries as at its ends. An op is one
// read.
func BenchmarkBookEntries(b *testing.B, h Harness, batch, recordBytes int) {
	const payments, page = 50_000, 100
	j := MustOpen(b, h.Fresh(b))
	ctx := context.Background()
	records := BenchBookRecords(BenchBookRecordCount, recordBytes)
	for left := payments; left > 0; left -= batch {
		seq, hash := j.LastSeq()
		chain := Chain(seq, hash, min(batch, left), 200)
		BookEach(chain, BenchBookAccounts, records)
		if err := j.Append(ctx, chain); err != nil {
			b.Fatalf("Append: %v", err)
		}
	}
	perAccount := 2 * payments / BenchBookAccounts
	var i int
	for b.Loop() {
		account := BookAccount(i % BenchBookAccounts)
		from := uint64(i*37%(perAccount-page) + 1)
		got, err := j.BookEntries(ctx, account, from, page)
		if err != nil || len(got) != page || got[0].N != from {
			b.Fatalf("BookEntries(%s, %d, %d) = %d entries, %v", account, from, page, len(got), err)
		}
		i++
	}
}

// benchmarkAppend is BenchmarkAppend, carry (unless nil) giving each batch
// what its entries write beside themselves.
func benchmarkAppend(b *testing.B, h Harness, batch, payloadBytes int, carry func([]corridor.JournalEntry)) {
	j := MustOpen(b, h.Fresh(b))
	ctx := context.Background()
	b.SetBytes(int64(batch * payloadBytes))
	var entries int
	for b.Loop() {
		seq, hash := j.LastSeq()
		chain := Chain(seq, hash, batch, payloadBytes)
		if carry != nil {
			carry(chain)
		}
		if err := j.Append(ctx, chain); err != nil {
			b.Fatalf("Append: %v", err)
		}
		entries += batch
	}
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}
