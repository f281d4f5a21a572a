package hub

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
)

func sampleEntries() []entry {
	day := corridor.Date{Year: 2026, Month: time.November, Day: 26}
	at := time.Date(2026, 11, 26, 9, 30, 0, 123456789, time.UTC)
	return []entry{
		{Time: at, Transfer: 1, Debit: true, Amount: 50_000, Balance: -50_000, Ref: "CRDR000000000001", UETR: "00000001-0000-4000-8000-000000000001",
			MsgID: "MSG-1", EndToEndID: "E2E-1", Code: codePayment, Day: &day},
		{Time: at.Add(time.Second), Transfer: 1 << 40, Amount: corridor.MaxAmount, Balance: 1 << 62, Ref: "CRDN000007", Code: codeNet},
		{Time: time.Unix(0, 0).UTC(), Transfer: 7, Amount: 1, Balance: 1, Code: codeRounding, Info: strings.Repeat("é", 100)},
	}
}

// TestEntryRecordRoundTrip writes entries as the store keeps them and reads
// them back whole.
func TestEntryRecordRoundTrip(t *testing.T) {
	for i, e := range sampleEntries() {
		rec := appendEntryRecord(nil, &e)
		if len(rec) > corridor.MaxBookRecord {
			t.Fatalf("entry %d: a record of %d bytes", i, len(rec))
		}
		got, err := decodeEntryRecord(rec)
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if diff := cmp.Diff(e, got); diff != "" {
			t.Errorf("entry %d read back differs (-wrote +read):\n%s", i, diff)
		}
	}
}

// TestEntryRecordRefusesDamage cuts and alters a record: each is an error,
// never an entry.
func TestEntryRecordRefusesDamage(t *testing.T) {
	e := sampleEntries()[0]
	rec := appendEntryRecord(nil, &e)
	for n := range rec {
		if _, err := decodeEntryRecord(rec[:n]); err == nil {
			t.Errorf("a record cut to %d of %d bytes was read", n, len(rec))
		}
	}
	for name, bad := range map[string][]byte{
		"version":     append([]byte{9}, rec[1:]...),
		"trailing":    append(bytes.Clone(rec), 0),
		"zero amount": appendEntryRecord(nil, &entry{Time: e.Time, Amount: 0}),
		"bad day":     appendEntryRecord(nil, &entry{Time: e.Time, Amount: 1, Day: &corridor.Date{Year: 2026, Month: 2, Day: 30}}),
	} {
		if _, err := decodeEntryRecord(bad); err == nil {
			t.Errorf("%s: read", name)
		}
	}
}

func FuzzDecodeEntryRecord(f *testing.F) {
	for _, e := range sampleEntries() {
		f.Add(appendEntryRecord(nil, &e))
	}
	f.Fuzz(func(t *testing.T, rec []byte) {
		e, err := decodeEntryRecord(rec)
		if err != nil {
			return
		}
		again, err := decodeEntryRecord(appendEntryRecord(nil, &e))
		if err != nil {
			t.Fatalf("an entry read from %x does not read back: %v", rec, err)
		}
		if diff := cmp.Diff(e, again); diff != "" {
			t.Fatalf("an entry read from %x reads back otherwise:\n%s", rec, diff)
		}
	})
}

// TestBookNumbers posts entries in and out of memory over three days and
// checks what the book finds of each day, and its numbers.
func TestBookNumbers(t *testing.T) {
	b := &book{}
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	post := func(days, stored bool) {
		e := entry{Time: at, Amount: 10, Balance: b.Balance + 10}
		if days {
			at = at.Add(24 * time.Hour)
			e.Time = at
		}
		b.Balance += 10
		b.add(e, stored)
	}
	post(false, false)
	post(false, false)
	post(true, true) // Day two: stored, then kept again.
	post(false, false)
	post(true, true) // Day three.
	if err := b.checkNumbers(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]numRun{{1, 2}, {4, 1}}, b.Kept); diff != "" {
		t.Errorf("kept numbers (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		day              int
		opening, closing int64
		runs             []dayRun
	}{
		{25, 0, 0, nil},
		{26, 0, 20, []dayRun{{First: 1, Count: 2, Opening: 0, Closing: 20}}},
		{27, 20, 40, []dayRun{{First: 3, Count: 2, Opening: 20, Closing: 40}}},
		{28, 40, 50, []dayRun{{First: 5, Count: 1, Opening: 40, Closing: 50}}},
		{29, 50, 50, nil},
	} {
		date := corridor.Date{Year: 2026, Month: time.November, Day: tt.day}
		opening, closing, runs, ok := b.dayOf(date)
		for i := range runs {
			runs[i].Date = corridor.Date{}
		}
		if !ok || opening != tt.opening || closing != tt.closing || !cmp.Equal(runs, tt.runs) {
			t.Errorf("%s: %d %d %v %v; want %d %d %v", date, opening, closing, runs, ok, tt.opening, tt.closing, tt.runs)
		}
	}
	parts := b.parts(nil, numRun{First: 3, Count: 2})
	if len(parts) != 2 || parts[1].First != 4 || len(parts[1].Entries) != 1 || &parts[1].Entries[0] != &b.Entries[2] {
		t.Errorf("entry 4: parts %+v; want it kept, at Entries[2]", parts)
	}
	if len(parts) < 1 || parts[0].First != 3 || parts[0].Count != 1 || parts[0].Entries != nil {
		t.Errorf("stored entry 3 is kept: parts %+v", parts)
	}
}

// TestPageNumbers splits runs into pages.
func TestPageNumbers(t *testing.T) {
	runs := []dayRun{{First: 1, Count: 3}, {First: 10, Count: 4}}
	for _, tt := range []struct {
		skip, limit uint64
		want        []numRun
	}{
		{0, 10, []numRun{{1, 3}, {10, 4}}},
		{2, 2, []numRun{{3, 1}, {10, 1}}},
		{3, 2, []numRun{{10, 2}}},
		{7, 2, nil},
	} {
		if got := pageNumbers(runs, tt.skip, tt.limit); !cmp.Equal(got, tt.want) {
			t.Errorf("skip %d limit %d: %v; want %v", tt.skip, tt.limit, got, tt.want)
		}
	}
}
