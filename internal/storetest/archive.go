package storetest

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
)

// BenchRecordBytes is the size of a benchmark's archived record, about that
// of a payment's status as the hub answers it.
const BenchRecordBytes = 600

// UETROf is the suite's UETR number n.
func UETROf(n uint64) corridor.UETR {
	return corridor.UETR(fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n))
}

// Archived is an archived payment accepted by entry seq, of uetr, with
// keys and a record that names it.
func Archived(seq uint64, uetr corridor.UETR, keys ...string) corridor.ArchivedPayment {
	return corridor.ArchivedPayment{Seq: seq, UETR: uetr, Keys: keys, Record: fmt.Appendf(nil, "record of payment %d", seq)}
}

// ArchiveEach gives each of entries one archived payment, accepted by the
// entry itself, with two keys and a record of recordBytes: about what the
// hub archives per entry once its memory is full.
func ArchiveEach(entries []corridor.JournalEntry, recordBytes int) {
	record := []byte(strings.Repeat("r", recordBytes))
	for i := range entries {
		seq := entries[i].Seq
		entries[i].Archived = []corridor.ArchivedPayment{{
			Seq:    seq,
			UETR:   UETROf(seq),
			Keys:   []string{fmt.Sprintf("msg:BANKDEFFXXX:MSG-%d", seq), fmt.Sprintf("e2e:BANKDEFFXXX:E2E-%d", seq)},
			Record: record,
		}}
	}
}

func testArchive(t *testing.T, h Harness) {
	t.Run("ReadBack", func(t *testing.T) { testArchiveReadBack(t, h) })
	t.Run("AtTheBounds", func(t *testing.T) { testArchiveAtTheBounds(t, h) })
	t.Run("ByUETRFirstOnes", func(t *testing.T) { testArchiveByUETRFirstOnes(t, h) })
	t.Run("KeyKeepsFirst", func(t *testing.T) { testArchiveKeyKeepsFirst(t, h) })
	t.Run("NotFound", func(t *testing.T) { testArchiveNotFound(t, h) })
	t.Run("ErrInvalid", func(t *testing.T) { testArchiveErrInvalid(t, h) })
	t.Run("ErrAppend", func(t *testing.T) { testArchiveErrAppend(t, h) })
	t.Run("AppendOnly", func(t *testing.T) { testArchiveAppendOnly(t, h) })
}

// appendArchived appends n entries continuing j's chain, archive setting
// the payments they archive, and returns them.
func appendArchived(tb testing.TB, j Journal, n int, archive func(batch []corridor.JournalEntry)) []corridor.JournalEntry {
	tb.Helper()
	seq, hash := j.LastSeq()
	batch := Chain(seq, hash, n, 16)
	archive(batch)
	if err := j.Append(context.Background(), batch); err != nil {
		tb.Fatalf("Append(%d..%d) with archived payments: %v", seq+1, seq+uint64(n), err)
	}
	return batch
}

// checkArchive fails tb unless j holds exactly the archived payments want
// (by seq, each key pointing to it) and, of each UETR in them, gives them
// by seq.
func checkArchive(tb testing.TB, j Journal, want []corridor.ArchivedPayment) {
	tb.Helper()
	ctx := context.Background()
	byUETR := map[corridor.UETR][]corridor.ArchivedPayment{}
	for _, w := range want {
		got, ok, err := j.ArchivedPayment(ctx, w.Seq)
		if err != nil || !ok {
			tb.Errorf("ArchivedPayment(%d) = %t, %v; want it found", w.Seq, ok, err)
		} else if diff := cmp.Diff(w, got); diff != "" {
			tb.Errorf("ArchivedPayment(%d) mismatch (-want +got):\n%s", w.Seq, diff)
		}
		for _, k := range w.Keys {
			if seq, ok, err := j.ArchivedKey(ctx, k); err != nil || !ok || seq != w.Seq {
				tb.Errorf("ArchivedKey(%q) = %d, %t, %v; want %d", k, seq, ok, err, w.Seq)
			}
		}
		byUETR[w.UETR] = append(byUETR[w.UETR], w)
	}
	for uetr, w := range byUETR {
		slices.SortFunc(w, bySeq)
		got, err := j.ArchivedByUETR(ctx, uetr)
		if err != nil {
			tb.Errorf("ArchivedByUETR(%s) = %v", uetr, err)
		} else if diff := cmp.Diff(w, got); diff != "" {
			tb.Errorf("ArchivedByUETR(%s) mismatch (-want +got):\n%s", uetr, diff)
		}
	}
}

// bySeq orders archived payments by seq.
func bySeq(a, b corridor.ArchivedPayment) int {
	switch {
	case a.Seq < b.Seq:
		return -1
	case a.Seq > b.Seq:
		return 1
	}
	return 0
}

// checkNotArchived fails tb if j holds any archived payment of seqs or any
// of keys.
func checkNotArchived(tb testing.TB, j Journal, seqs []uint64, keys ...string) {
	tb.Helper()
	ctx := context.Background()
	for _, seq := range seqs {
		if a, ok, err := j.ArchivedPayment(ctx, seq); err != nil || ok {
			tb.Errorf("ArchivedPayment(%d) = %+v, %t, %v; want none", seq, a, ok, err)
		}
	}
	for _, k := range keys {
		if seq, ok, err := j.ArchivedKey(ctx, k); err != nil || ok {
			tb.Errorf("ArchivedKey(%q) = %d, %t, %v; want none", k, seq, ok, err)
		}
	}
}

// checkReplay fails tb unless j replays exactly want, none with Archived
// or Booked.
func checkReplay(tb testing.TB, j Journal, want []corridor.JournalEntry) {
	tb.Helper()
	got, err := ReplayAll(tb, j, 0)
	if err != nil {
		tb.Fatalf("Replay(0): %v", err)
	}
	if diff := DiffEntries(want, got); diff != "" { // sameEntry leaves Archived and Booked out.
		tb.Errorf("Replay(0) mismatch (-want +got):\n%s", diff)
	}
	for _, e := range got {
		if e.Archived != nil {
			tb.Errorf("Replay(0) gave entry %d with %d archived payments; want none", e.Seq, len(e.Archived))
		}
		if e.Booked != nil {
			tb.Errorf("Replay(0) gave entry %d with %d book entries; want none", e.Seq, len(e.Booked))
		}
	}
}

func testArchiveReadBack(t *testing.T, h Harness) {
	s := h.Fresh(t)
	j := MustOpen(t, s)
	u1, u2 := UETROf(1), UETROf(2)
	// Payments of u1 are archived out of seq order (2, 5, 3), by entries
	// of two batches; entries 4 and 6 archive nothing.
	want := []corridor.ArchivedPayment{
		Archived(2, u1, "msg 2", "e2e 2"), Archived(1, u2, "msg 1"),
		Archived(5, u1, "msg 5"), Archived(3, u1, "msg 3", "e2e 3", "instr 3"),
	}
	entries := appendArchived(t, j, 5, func(b []corridor.JournalEntry) {
		b[2].Archived = want[:2]
	})
	entries = append(entries, appendArchived(t, j, 3, func(b []corridor.JournalEntry) {
		b[1].Archived = want[2:3]
		b[2].Archived = want[3:]
	})...)
	checkArchive(t, j, want)
	checkNotArchived(t, j, []uint64{4, 6, 7, 8})
	checkReplay(t, j, entries)
	// An entry without archived payments is written as it was before.
	MustAppend(t, j, 2, 16)
	mustClose(t, j)

	j = MustOpen(t, s)
	checkArchive(t, j, want)
	got, err := ReplayAll(t, j, 0)
	if err != nil || len(got) != 10 {
		t.Errorf("Replay(0) after reopening = %d entries, %v; want 10", len(got), err)
	}
}

func testArchiveAtTheBounds(t *testing.T, h Harness) {
	j := MustOpen(t, h.Fresh(t))
	long := strings.Repeat("k", corridor.MaxArchivedKeyBytes)
	keys := []string{long, "\x00binary\xff"} // A key is any bytes.
	for len(keys) < corridor.MaxArchivedKeys {
		keys = append(keys, fmt.Sprintf("key %d", len(keys)))
	}
	a := corridor.ArchivedPayment{Seq: 3, UETR: UETROf(3), Keys: keys, Record: make([]byte, corridor.MaxArchivedRecord)}
	a.Record[0] = 1
	// Accepted by the very entry that archives it: not after it.
	appendArchived(t, j, 3, func(b []corridor.JournalEntry) { b[2].Archived = []corridor.ArchivedPayment{a} })
	checkArchive(t, j, []corridor.ArchivedPayment{a})
}

func testArchiveByUETRFirstOnes(t *testing.T, h Harness) {
	ctx := context.Background()
	j := MustOpen(t, h.Fresh(t))
	n := corridor.MaxArchivedPerUETR + 3
	u, other := UETROf(7), UETROf(8)
	var all []corridor.ArchivedPayment
	appendArchived(t, j, n+2, func(b []corridor.JournalEntry) {
		for seq := uint64(n); seq >= 1; seq-- { // The last ones first.
			all = append(all, Archived(seq, u, fmt.Sprintf("key %d", seq)))
		}
		b[n].Archived = all
		b[n+1].Archived = []corridor.ArchivedPayment{Archived(uint64(n+1), other, "other")}
	})
	got, err := j.ArchivedByUETR(ctx, u)
	if err != nil {
		t.Fatalf("ArchivedByUETR: %v", err)
	}
	if len(got) != corridor.MaxArchivedPerUETR {
		t.Fatalf("ArchivedByUETR gave %d payments; want MaxArchivedPerUETR, %d", len(got), corridor.MaxArchivedPerUETR)
	}
	for i, a := range got {
		if a.Seq != uint64(i+1) || a.UETR != u {
			t.Errorf("ArchivedByUETR()[%d] = payment %d of %s; want payment %d of %s", i, a.Seq, a.UETR, i+1, u)
		}
	}
	if got, err := j.ArchivedByUETR(ctx, other); err != nil || len(got) != 1 || got[0].Seq != uint64(n+1) {
		t.Errorf("ArchivedByUETR(other) = %d payments, %v; want payment %d", len(got), err, n+1)
	}
}

func testArchiveKeyKeepsFirst(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.Fresh(t)
	j := MustOpen(t, s)
	u := UETROf(1)
	first, second := Archived(1, u, "shared", "a 1"), Archived(2, u, "shared", "b 2")
	appendArchived(t, j, 3, func(b []corridor.JournalEntry) { // In one entry: the first of them keeps it.
		b[2].Archived = []corridor.ArchivedPayment{first, second}
	})
	later, twice := Archived(4, u, "c 4", "a 1"), Archived(3, u, "d 3", "d 3")
	appendArchived(t, j, 2, func(b []corridor.JournalEntry) { // In a later batch.
		b[1].Archived = []corridor.ArchivedPayment{later, twice}
	})
	mustClose(t, j)

	j = MustOpen(t, s)
	want := map[string]uint64{"shared": 1, "a 1": 1, "b 2": 2, "c 4": 4, "d 3": 3}
	for k, w := range want {
		if seq, ok, err := j.ArchivedKey(ctx, k); err != nil || !ok || seq != w {
			t.Errorf("ArchivedKey(%q) = %d, %t, %v; want %d", k, seq, ok, err, w)
		}
	}
	// Each payment keeps its own keys, those it lost to an earlier one too.
	for _, w := range []corridor.ArchivedPayment{first, second, later, twice} {
		if got, ok, err := j.ArchivedPayment(ctx, w.Seq); err != nil || !ok || !slices.Equal(got.Keys, w.Keys) {
			t.Errorf("ArchivedPayment(%d) = keys %q, %t, %v; want keys %q", w.Seq, got.Keys, ok, err, w.Keys)
		}
	}
}

func testArchiveNotFound(t *testing.T, h Harness) {
	ctx := context.Background()
	j := MustOpen(t, h.Fresh(t))
	appendArchived(t, j, 2, func(b []corridor.JournalEntry) {
		b[1].Archived = []corridor.ArchivedPayment{Archived(1, UETROf(1), "k")}
	})
	for _, k := range []string{"", "K", "k ", strings.Repeat("k", corridor.MaxArchivedKeyBytes+1)} {
		if seq, ok, err := j.ArchivedKey(ctx, k); err != nil || ok {
			t.Errorf("ArchivedKey(%.10q) = %d, %t, %v; want none", k, seq, ok, err)
		}
	}
	for _, seq := range []uint64{0, 2, math.MaxInt64, math.MaxInt64 + 1, math.MaxUint64} {
		if a, ok, err := j.ArchivedPayment(ctx, seq); err != nil || ok {
			t.Errorf("ArchivedPayment(%d) = %+v, %t, %v; want none", seq, a, ok, err)
		}
	}
	for _, u := range []corridor.UETR{"", UETROf(2), UETROf(1)[1:]} {
		if got, err := j.ArchivedByUETR(ctx, u); err != nil || len(got) != 0 {
			t.Errorf("ArchivedByUETR(%q) = %d payments, %v; want none", u, len(got), err)
		}
	}
}

func testArchiveErrInvalid(t *testing.T, h Harness) {
	tests := []struct {
		name   string
		modify func(a *corridor.ArchivedPayment)
		want   string
	}{
		{"Seq0", func(a *corridor.ArchivedPayment) { a.Seq = 0 }, "archived payment: seq 0"},
		{"AfterItsEntry", func(a *corridor.ArchivedPayment) { a.Seq = 6 }, "entry 5: archived payment 6: accepted after the entry that archives it"},
		{"NoKeys", func(a *corridor.ArchivedPayment) { a.Keys = nil }, "archived payment 4: 0 keys"},
		{"TooManyKeys", func(a *corridor.ArchivedPayment) { a.Keys = keysOf(corridor.MaxArchivedKeys+1, 1) },
			fmt.Sprintf("archived payment 4: %d keys", corridor.MaxArchivedKeys+1)},
		{"EmptyKey", func(a *corridor.ArchivedPayment) { a.Keys = append(keysOf(1, 1), "") }, "archived payment 4: a key of 0 bytes"},
		{"LongKey", func(a *corridor.ArchivedPayment) { a.Keys = keysOf(1, corridor.MaxArchivedKeyBytes+1) },
			fmt.Sprintf("archived payment 4: a key of %d bytes", corridor.MaxArchivedKeyBytes+1)},
		{"NoRecord", func(a *corridor.ArchivedPayment) { a.Record = nil }, "archived payment 4: a record of 0 bytes"},
		{"LongRecord", func(a *corridor.ArchivedPayment) { a.Record = make([]byte, corridor.MaxArchivedRecord+1) },
			fmt.Sprintf("archived payment 4: a record of %d bytes", corridor.MaxArchivedRecord+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := MustOpen(t, h.Fresh(t))
			before := MustAppend(t, j, 2, 16)
			seq, hash := j.LastSeq()
			batch := Chain(seq, hash, 3, 16)
			good, bad := Archived(1, UETROf(1), "good"), Archived(4, UETROf(1), "bad")
			tt.modify(&bad)
			batch[0].Archived = []corridor.ArchivedPayment{good}
			batch[2].Archived = []corridor.ArchivedPayment{bad}
			err := j.Append(context.Background(), batch)
			if err == nil || !strings.Contains(err.Error(), "append journal batch 3..5: ") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Append = %v; want an error naming batch 3..5 and %q", err, tt.want)
			}
			if gotSeq, _ := j.LastSeq(); gotSeq != seq {
				t.Errorf("LastSeq() after failed Append = %d; want %d", gotSeq, seq)
			}
			checkNotArchived(t, j, []uint64{1, 4}, "good", "bad")
			checkReplay(t, j, before)
			// Nothing is left locked or written: the batch goes in without the bad one.
			batch[2].Archived = nil
			if err := j.Append(context.Background(), batch); err != nil {
				t.Fatalf("Append without the bad payment: %v", err)
			}
			checkArchive(t, j, []corridor.ArchivedPayment{good})
		})
	}
}

// keysOf is n distinct keys of size bytes each.
func keysOf(n, size int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strings.Repeat(string(rune('a'+i%26)), size)
	}
	return keys
}

// testArchiveErrAppend checks that an Append that fails for a reason other
// than its archived payments' bounds writes none of them either.
func testArchiveErrAppend(t *testing.T, h Harness) {
	ctx := context.Background()
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name    string
		modify  func(b []corridor.JournalEntry) // Of a batch of entries 3..5 whose entry 3 archives payment 2.
		ctx     context.Context
		panics  string // What Append panics with, if it does.
		errText string // What its error says, if it returns one.
	}{
		{"SeqArchivedBefore", func(b []corridor.JournalEntry) {
			b[2].Archived = []corridor.ArchivedPayment{Archived(1, UETROf(1), "again 1")}
		}, ctx, "", "archived payment"},
		{"SeqTwiceInBatch", func(b []corridor.JournalEntry) {
			b[2].Archived = []corridor.ArchivedPayment{Archived(2, UETROf(1), "again 2")}
		}, ctx, "", "archived payment"},
		{"Canceled", func([]corridor.JournalEntry) {}, canceled, "", "context canceled"},
		{"Gap", func(b []corridor.JournalEntry) { b[2] = rechain(b[2], 1, b[1].Hash) }, ctx,
			"entry 5 is missing, the next is entry 6", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := MustOpen(t, h.Fresh(t))
			first := appendArchived(t, j, 2, func(b []corridor.JournalEntry) {
				b[1].Archived = []corridor.ArchivedPayment{Archived(1, UETROf(1), "first 1")}
			})
			seq, hash := j.LastSeq()
			batch := Chain(seq, hash, 3, 16)
			batch[0].Archived = []corridor.ArchivedPayment{Archived(2, UETROf(1), "second 2")}
			tt.modify(batch)
			if tt.panics != "" {
				if got := appendPanic(j, batch); !strings.Contains(got, tt.panics) {
					t.Fatalf("Append panicked with %q; want %q", got, tt.panics)
				}
			} else if err := j.Append(tt.ctx, batch); err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Fatalf("Append = %v; want an error with %q", err, tt.errText)
			}
			if gotSeq, _ := j.LastSeq(); gotSeq != seq {
				t.Errorf("LastSeq() after failed Append = %d; want %d", gotSeq, seq)
			}
			checkNotArchived(t, j, []uint64{2}, "second 2", "again 1", "again 2")
			checkArchive(t, j, first[1].Archived)
			checkReplay(t, j, first)
		})
	}
}

func testArchiveAppendOnly(t *testing.T, h Harness) {
	s := h.Fresh(t)
	j := MustOpen(t, s)
	a := Archived(1, UETROf(1), "k 1")
	appendArchived(t, j, 2, func(b []corridor.JournalEntry) { b[1].Archived = []corridor.ArchivedPayment{a} })
	for _, stmt := range []string{
		`UPDATE archived_payment SET record = record`,
		`DELETE FROM archived_payment`,
		`UPDATE archived_key SET seq = seq`,
		`DELETE FROM archived_key`,
	} {
		if err := s.Exec(t, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s = %v; want the append-only guard's error", stmt, err)
		}
	}
	checkArchive(t, j, []corridor.ArchivedPayment{a})
}
