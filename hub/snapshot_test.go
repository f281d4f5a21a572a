package hub

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/screening"
	"github.com/google/go-cmp/cmp"
)

const testHubBIC corridor.BIC = "CRDRINBBXXX"

// TestSnapshotEveryPrefix takes a snapshot of the state after every entry
// of both fixture journals and checks that it decodes to the same state
// (the same hash, and field by field) that writes the same image again (as
// a hub starting from it checks), that the same state gives the same bytes, and that decoding it and applying the rest of the journal ends
// where applying the whole journal ends: the same hash, the same state and
// the same answers to the views. A field the snapshot forgets but the
// state needs later differs by the journal's end at the latest.
func TestSnapshotEveryPrefix(t *testing.T) {
	for _, journal := range []string{"testdata/journal-v0.jsonl", "testdata/journal-current.jsonl"} {
		t.Run(journal, func(t *testing.T) {
			entries := mustJournalEntries(t, journal)
			full := newState(testHubBIC)
			var snaps [][]byte
			var images []*captured
			for _, e := range entries {
				if err := applyEntry(full, e); err != nil {
					t.Fatal(err)
				}
				im := full.capture()
				b := mustEncode(t, full.capture().finish())
				decoded := mustDecode(t, b)
				mustSameState(t, full, decoded, e.Seq)
				if again := mustEncode(t, decoded.capture().finish()); imageHash(again) != imageHash(b) {
					t.Fatalf("the state decoded from the snapshot after entry %d writes another image: a hub would not start from it", e.Seq)
				}
				snaps, images = append(snaps, b), append(images, im)
			}
			markReplayed(full)
			for i, b := range snaps {
				if again := mustEncode(t, images[i].finish()); !bytes.Equal(again, b) {
					t.Fatalf("the image captured after entry %d changed when the state went on: capture shares what the sequencer changes", entries[i].Seq)
				}
				s := mustDecode(t, b)
				for _, e := range entries[i+1:] {
					if err := applyEntry(s, e); err != nil {
						t.Fatal(err)
					}
				}
				markReplayed(s)
				mustSameState(t, full, s, entries[len(entries)-1].Seq)
				if diff := cmp.Diff(views(full), views(s), cmp.Comparer(bytes.Equal)); diff != "" {
					t.Fatalf("from the snapshot after entry %d, the views at the end differ (-full +snapshot):\n%s", entries[i].Seq, diff)
				}
			}
		})
	}
}

func mustJournalEntries(tb testing.TB, path string) []corridor.JournalEntry {
	tb.Helper()
	var out []corridor.JournalEntry
	for _, fe := range mustFixtureEntries(tb, path) {
		out = append(out, corridor.JournalEntry{Seq: fe.Seq, Time: time.Unix(0, fe.TimeNS).UTC(), Kind: fe.Kind, Payload: fe.Payload})
	}
	return out
}

func mustEncode(tb testing.TB, im *image) []byte {
	tb.Helper()
	b, err := encodeImage(im, 0, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func mustDecode(tb testing.TB, b []byte) *state {
	tb.Helper()
	s, err := decodeSnapshot(b, testHubBIC)
	if err != nil {
		tb.Fatalf("decode snapshot: %v", err)
	}
	again := mustEncode(tb, s.capture().finish())
	if !bytes.Equal(again, b) {
		tb.Fatalf("the decoded state encodes to other bytes (%d, were %d)", len(again), len(b))
	}
	return s
}

// mustSameState fails unless got is want: the same hash, every field equal
// but the scratch ones, and every index pointing at the payments bySeq holds.
func mustSameState(tb testing.TB, want, got *state, seq uint64) {
	tb.Helper()
	if got.Sum() != want.Sum() {
		tb.Fatalf("after entry %d: the snapshot's state hashes %x, the state %x", seq, got.Sum(), want.Sum())
	}
	if diff := cmp.Diff(want, got, stateOptions...); diff != "" {
		tb.Fatalf("after entry %d the snapshot's state differs (-state +snapshot):\n%s", seq, diff)
	}
	mustShare(tb, want)
	mustShare(tb, got)
}

// stateOptions compare two states field by field: unexported fields too, a
// screener by the lists and threshold it was built from (its cache of
// results is not state), nil and empty slices alike (maps are not: a nil
// one cannot be written), and the scratch fields not at all.
var stateOptions = []cmp.Option{
	cmp.Exporter(func(reflect.Type) bool { return true }),
	cmp.Comparer(func(a, b *screening.Screener) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.ID() == b.ID()
	}),
	cmp.Comparer(bytes.Equal),
	cmp.Comparer(func(a, b *screening.List) bool { return reflect.DeepEqual(a, b) }), // Exported fields only, and large.
	cmp.FilterPath(func(p cmp.Path) bool {
		vx, vy := p.Last().Values()
		return vx.IsValid() && vy.IsValid() && vx.Kind() == reflect.Slice && vx.Len() == 0 && vy.Len() == 0
	}, cmp.Ignore()),
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		if !ok {
			return false
		}
		switch p.Index(-2).Type() {
		case reflect.TypeFor[state]():
			_, scratch := notInSum[sf.Name()]
			return scratch && sf.Name() != "hubBIC" && sf.Name() != "byMsgID" && sf.Name() != "byUETR"
		case reflect.TypeFor[screeningState]():
			return sf.Name() == "changed"
		case reflect.TypeFor[inboxMsg]():
			return sf.Name() == "reads"
		}
		return false
	}, cmp.Ignore()),
}

// mustShare fails unless every index of s points at the payment bySeq
// holds under the same seq: a payment is one value, whichever map finds it.
func mustShare(tb testing.TB, s *state) {
	tb.Helper()
	check := func(what string, p *payment) {
		if s.bySeq[p.seq] != p {
			tb.Fatalf("%s holds a payment %s that is not bySeq's", what, p.ref)
		}
	}
	for _, p := range s.payments {
		check("payments", p)
	}
	for _, p := range s.byMsgID {
		check("byMsgID", p)
	}
	for _, ps := range s.byUETR {
		for _, p := range ps {
			check("byUETR", p)
		}
	}
	for _, p := range s.caseMsgs {
		check("caseMsgs", p)
	}
	for _, p := range s.screening.holds {
		check("holds", p)
	}
	for _, p := range s.bySeq {
		if p.orig != nil {
			check("a return's orig", p.orig)
		}
	}
}

// stateViews are the answers of the hub's views of a state.
type stateViews struct {
	Balances  map[corridor.BIC][]Balance
	Liquidity map[corridor.BIC][]Liquidity
	Inboxes   map[corridor.BIC][]InboxMessage
	Tracks    map[corridor.UETR][]PaymentTrack
	Queue     []QueuedPayment
	Holds     []ComplianceHold
	Lists     []ListInfo
	Days      []DayView
	Rates     []FXRate
	Accounts  []HubAccount
	Stats     Stats
	Quotes    []FXQuote
}

func views(s *state) stateViews {
	v := stateViews{Balances: map[corridor.BIC][]Balance{}, Liquidity: map[corridor.BIC][]Liquidity{},
		Inboxes: map[corridor.BIC][]InboxMessage{}, Tracks: map[corridor.UETR][]PaymentTrack{},
		Queue: s.queueView(corridor.Identity{Role: corridor.RoleOperator}), Holds: s.holds(), Lists: s.listInfos(),
		Days: s.daysView(), Rates: s.ratesView(), Accounts: s.hubAccounts(), Stats: s.stats()}
	for bic := range s.participants {
		v.Balances[bic], _ = s.balances(bic)
		v.Liquidity[bic], _ = s.liquidity(bic)
		v.Inboxes[bic], _ = s.inboxes[bic].read(0, MaxInboxMessages+inboxOverflow)
	}
	for u, ps := range s.byUETR {
		for _, p := range ps {
			v.Tracks[u] = append(v.Tracks[u], p.track())
		}
	}
	for _, q := range s.quotes.All() {
		v.Quotes = append(v.Quotes, quoteView(q))
	}
	return v
}

// TestSnapshotDeterministic checks that two states reached by the same
// journal, whose maps were filled in other orders, give the same bytes.
func TestSnapshotDeterministic(t *testing.T) {
	entries := mustJournalEntries(t, "testdata/journal-current.jsonl")
	var got [][]byte
	for range 3 {
		s := newState(testHubBIC)
		for _, e := range entries {
			if err := applyEntry(s, e); err != nil {
				t.Fatal(err)
			}
		}
		got = append(got, mustEncode(t, s.capture().finish()))
	}
	if !bytes.Equal(got[0], got[1]) || !bytes.Equal(got[0], got[2]) {
		t.Fatal("the same journal gave snapshots of different bytes")
	}
}

// TestSnapshotRefusesCorruption checks that decoding refuses, with an error
// and without a panic, a snapshot with any one bit flipped, or cut short.
func TestSnapshotRefusesCorruption(t *testing.T) {
	s := newState(testHubBIC)
	for _, e := range mustJournalEntries(t, "testdata/journal-current.jsonl") {
		if err := applyEntry(s, e); err != nil {
			t.Fatal(err)
		}
	}
	b := mustEncode(t, s.capture().finish())
	for i := 0; i < len(b); i += 1 + len(b)/4000 {
		bad := slices.Clone(b)
		bad[i] ^= 1 << (i % 8)
		if _, err := decodeSnapshot(bad, testHubBIC); err == nil {
			t.Fatalf("a snapshot with byte %d changed decoded", i)
		}
	}
	for _, n := range []int{0, 7, snapshotHeader - 1, snapshotHeader, len(b) / 2, len(b) - 1} {
		if _, err := decodeSnapshot(b[:n], testHubBIC); err == nil {
			t.Fatalf("a snapshot cut to %d of %d bytes decoded", n, len(b))
		}
	}
}
