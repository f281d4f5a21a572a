package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/sqlite"
)

// epoch is the fixed clock of the test entries.
var epoch = time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)

// MustOpen opens the store at path and closes it when the test ends.
func MustOpen(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	tb.Cleanup(func() { _ = db.Close() }) // A test that closes it itself checks the error there.
	return db
}

// MustAppend appends n entries, each with payloadBytes of payload, continuing
// the journal's chain, and returns them.
func MustAppend(tb testing.TB, j *sqlite.Journal, n, payloadBytes int) []corridor.JournalEntry {
	tb.Helper()
	seq, hash := j.LastSeq()
	entries := chain(seq, hash, n, payloadBytes)
	if err := j.Append(context.Background(), entries); err != nil {
		tb.Fatalf("Append(%d..%d): %v", seq+1, seq+uint64(n), err)
	}
	return entries
}

// chain returns n entries that continue the chain ending at seq and hash.
func chain(seq uint64, hash [32]byte, n, payloadBytes int) []corridor.JournalEntry {
	entries := make([]corridor.JournalEntry, n)
	for i := range entries {
		seq++
		payload := []byte(strings.Repeat(fmt.Sprintf("payment %d;", seq), payloadBytes)[:payloadBytes])
		e := corridor.JournalEntry{
			Seq:      seq,
			Time:     epoch.Add(time.Duration(seq) * time.Millisecond),
			Kind:     "payment.submit",
			Payload:  payload,
			PrevHash: hash,
		}
		e.Hash = e.ComputeHash()
		entries[i], hash = e, e.Hash
	}
	return entries
}

// diffEntries returns cmp.Diff(want, got, opts...), but compares the entries
// field by field first and calls cmp only on a mismatch: under the race
// detector, cmp over thousands of entries takes seconds. sameEntry is at
// least as strict as cmp (it tells a nil payload from an empty one), so it
// never calls a mismatch equal.
func diffEntries(want, got []corridor.JournalEntry, opts ...cmp.Option) string {
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
}

var _ = entryFields(corridor.JournalEntry{})

// sameEntry reports whether a and b are equal in every field of entryFields,
// their times as cmp compares them, with Equal.
func sameEntry(a, b corridor.JournalEntry) bool {
	return a.Seq == b.Seq && a.Time.Equal(b.Time) && a.Kind == b.Kind &&
		bytes.Equal(a.Payload, b.Payload) && (a.Payload == nil) == (b.Payload == nil) &&
		a.PrevHash == b.PrevHash && a.Hash == b.Hash
}

// replayAll returns the entries Replay gives after seq after.
func replayAll(tb testing.TB, j *sqlite.Journal, after uint64) ([]corridor.JournalEntry, error) {
	tb.Helper()
	var got []corridor.JournalEntry
	err := j.Replay(context.Background(), after, func(e corridor.JournalEntry) error {
		got = append(got, e)
		return nil
	})
	return got, err
}

func TestJournal(t *testing.T) {
	ctx := context.Background()

	t.Run("ReopenReplay", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "corridor.db")
		db := MustOpen(t, path)
		var want []corridor.JournalEntry
		for _, n := range []int{3, 1, 64, 5} {
			want = append(want, MustAppend(t, db.Journal(), n, 200)...)
		}
		if err := db.Journal().Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}

		db = MustOpen(t, path)
		last := want[len(want)-1]
		if seq, hash := db.Journal().LastSeq(); seq != last.Seq || hash != last.Hash {
			t.Errorf("LastSeq() = %d, %x; want %d, %x", seq, hash[:4], last.Seq, last.Hash[:4])
		}
		got, err := replayAll(t, db.Journal(), 0)
		if err != nil {
			t.Fatalf("Replay(0): %v", err)
		}
		if diff := diffEntries(want, got); diff != "" {
			t.Errorf("Replay(0) mismatch (-want +got):\n%s", diff)
		}
		want = append(want, MustAppend(t, db.Journal(), 2, 200)...)
		got, err = replayAll(t, db.Journal(), 0)
		if err != nil {
			t.Fatalf("Replay(0) after another batch: %v", err)
		}
		if diff := diffEntries(want, got); diff != "" {
			t.Errorf("Replay(0) after another batch mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("EmptyBatch", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		MustAppend(t, db.Journal(), 2, 16)
		seq, hash := db.Journal().LastSeq()
		if err := db.Journal().Append(ctx, nil); err != nil {
			t.Fatalf("Append(nil): %v", err)
		}
		if gotSeq, gotHash := db.Journal().LastSeq(); gotSeq != seq || gotHash != hash {
			t.Errorf("LastSeq() after empty Append = %d; want %d", gotSeq, seq)
		}
	})

	t.Run("EmptyJournal", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		if seq, hash := db.Journal().LastSeq(); seq != 0 || hash != [32]byte{} {
			t.Errorf("LastSeq() = %d, %x; want 0, zero", seq, hash[:4])
		}
		got, err := replayAll(t, db.Journal(), 0)
		if err != nil || len(got) != 0 {
			t.Errorf("Replay(0) = %d entries, %v; want none", len(got), err)
		}
	})

	t.Run("TimeAndPayload", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		e := corridor.JournalEntry{Seq: 1, Time: epoch.In(time.FixedZone("MSK", 3*3600)), Kind: "tick"}
		e.Hash = e.ComputeHash()
		if err := db.Journal().Append(ctx, []corridor.JournalEntry{e}); err != nil {
			t.Fatalf("Append(nil payload): %v", err)
		}
		got, err := replayAll(t, db.Journal(), 0)
		if err != nil || len(got) != 1 {
			t.Fatalf("Replay(0) = %d entries, %v; want 1", len(got), err)
		}
		if !got[0].Time.Equal(epoch) || got[0].Time.Location() != time.UTC {
			t.Errorf("Time = %v; want %v in UTC", got[0].Time, epoch)
		}
		if len(got[0].Payload) != 0 {
			t.Errorf("Payload = %q; want empty", got[0].Payload)
		}
	})
}

func TestReplay(t *testing.T) {
	ctx := context.Background()

	t.Run("ReplayAfter", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		// More than two pages, so Replay crosses page boundaries.
		all := MustAppend(t, db.Journal(), 2*sqlite.ReplayPageEntries+7, 16)
		for _, after := range []uint64{0, 1, 4, sqlite.ReplayPageEntries, sqlite.ReplayPageEntries + 1, uint64(len(all))} {
			got, err := replayAll(t, db.Journal(), after)
			if err != nil {
				t.Fatalf("Replay(%d): %v", after, err)
			}
			if diff := diffEntries(all[after:], got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Replay(%d) mismatch (-want +got):\n%s", after, diff)
			}
		}
	})

	t.Run("ErrReplayPastEnd", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		MustAppend(t, db.Journal(), 3, 16)
		_, err := replayAll(t, db.Journal(), 4)
		if err == nil || !strings.Contains(err.Error(), "no journal entry 4") {
			t.Errorf("Replay(4) on 3 entries = %v; want an error naming entry 4", err)
		}
	})

	t.Run("ErrFromFn", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		MustAppend(t, db.Journal(), 10, 16)
		errStop := errors.New("stop")
		var calls int
		err := db.Journal().Replay(ctx, 0, func(e corridor.JournalEntry) error {
			calls++
			if e.Seq == 4 {
				return errStop
			}
			return nil
		})
		if !errors.Is(err, errStop) || calls != 4 {
			t.Errorf("Replay with fn failing at 4 = %v after %d calls; want errStop after 4", err, calls)
		}
	})
}

func TestAppendFailure(t *testing.T) {
	ctx := context.Background()

	t.Run("ErrCanceled", func(t *testing.T) {
		db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
		MustAppend(t, db.Journal(), 2, 16)
		seq, hash := db.Journal().LastSeq()
		batch := chain(seq, hash, 3, 16)
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		err := db.Journal().Append(canceled, batch)
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "append journal batch 3..5") {
			t.Errorf("Append(canceled) = %v; want context.Canceled naming batch 3..5", err)
		}
		if gotSeq, _ := db.Journal().LastSeq(); gotSeq != seq {
			t.Errorf("LastSeq() after failed Append = %d; want %d", gotSeq, seq)
		}
		if err := db.Journal().Append(ctx, batch); err != nil {
			t.Errorf("Append(retry) = %v; want nil", err)
		}
	})

	t.Run("ErrSeqTaken", func(t *testing.T) {
		// Another writer takes seq 3 behind the store's back: the primary key
		// refuses the batch, and nothing of it is written.
		path := filepath.Join(t.TempDir(), "corridor.db")
		db := MustOpen(t, path)
		MustAppend(t, db.Journal(), 2, 16)
		seq, hash := db.Journal().LastSeq()
		batch := chain(seq, hash, 3, 16)
		raw := mustOpenRaw(t, path)
		e := batch[0]
		if _, err := raw.Exec(`INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)`,
			int64(e.Seq), e.Time.UnixNano(), e.Kind, e.Payload, e.PrevHash[:], e.Hash[:]); err != nil {
			t.Fatalf("raw insert: %v", err)
		}
		if err := db.Journal().Append(ctx, batch); err == nil {
			t.Fatalf("Append over a taken seq = nil; want an error")
		}
		if gotSeq, _ := db.Journal().LastSeq(); gotSeq != seq {
			t.Errorf("LastSeq() after failed Append = %d; want %d", gotSeq, seq)
		}
		var rows int
		if err := raw.QueryRow(`SELECT count(*) FROM journal`).Scan(&rows); err != nil || rows != 3 {
			t.Errorf("rows after failed Append = %d, %v; want 3", rows, err)
		}
	})
}

func TestAppendPanics(t *testing.T) {
	tests := []struct {
		name   string
		modify func(batch []corridor.JournalEntry)
		want   string
	}{
		{"Gap", func(b []corridor.JournalEntry) { b[1] = rechain(b[1], 1, b[0].Hash) }, "journal entry 5 does not follow entry 3"},
		{"GapFirst", func(b []corridor.JournalEntry) { b[0] = rechain(b[0], 1, b[0].PrevHash) }, "journal entry 4 does not follow entry 2"},
		{"Replayed", func(b []corridor.JournalEntry) { b[0] = rechain(b[0], -1, b[0].PrevHash) }, "journal entry 2 does not follow entry 2"},
		{"PrevHash", func(b []corridor.JournalEntry) { b[1] = rechain(b[1], 0, [32]byte{1}) }, "journal entry 4: prev hash is not entry 3's hash"},
		{"Hash", func(b []corridor.JournalEntry) { b[2].Payload = []byte("altered") }, "journal entry 5: hash does not match its contents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := MustOpen(t, filepath.Join(t.TempDir(), "corridor.db"))
			MustAppend(t, db.Journal(), 2, 16)
			seq, hash := db.Journal().LastSeq()
			batch := chain(seq, hash, 3, 16)
			tt.modify(batch)
			got := appendPanic(db.Journal(), batch)
			if !strings.Contains(got, "assertion failed: "+tt.want) {
				t.Errorf("Append panicked with %q; want %q", got, tt.want)
			}
			if gotSeq, _ := db.Journal().LastSeq(); gotSeq != seq {
				t.Errorf("LastSeq() after panic = %d; want %d", gotSeq, seq)
			}
			// Nothing is left locked or written: the right batch still goes in.
			MustAppend(t, db.Journal(), 3, 16)
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
func appendPanic(j *sqlite.Journal, batch []corridor.JournalEntry) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	err := j.Append(context.Background(), batch)
	return fmt.Sprintf("no panic, err %v", err)
}
