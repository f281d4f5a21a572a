package hub

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"
)

// notInSum is every field of state that Sum leaves out, and why. A new field
// must be hashed or listed here; TestSumCoversState fails otherwise.
var notInSum = map[string]string{
	"hubBIC":           "configuration of the running hub, not of the journal",
	"byMsgID":          "an index of payments, which are hashed",
	"byUETR":           "an index of payments, which are hashed",
	"woken":            "scratch of the batch being committed",
	"republish":        "scratch of the batch being committed",
	"operatorsChanged": "scratch of the batch being committed",
	"touched":          "scratch of the command being applied",
	"check":            "scratch of the command being applied",
	"letGone":          "scratch of the command being applied",
	"recent":           "the sequencer's memory of what it let go of, for duplicates; not journaled",
	"recentLetGo":      "the sequencer's memory of what it let go of, for duplicates; not journaled",
	"staged":           "scratch of the command being applied",
}

// TestSumCoversState replays the fixture journals and, after each entry,
// zeroes in a copy of the state each field that is not zero yet unchecked:
// the hash must change (or Sum must fail to read the zeroed field). Every
// field not in notInSum must be shown covered by the end of the journal. A
// new field that no entry sets needs a command in driveEveryCommand
// (journal_compat_test.go) that sets it, and -update-current-journal.
func TestSumCoversState(t *testing.T) {
	s := newState("CRDRINBBXXX")
	fields := reflect.TypeFor[state]().NumField()
	covered := map[string]bool{}
	entries := slices.Concat(mustFixtureEntries(t, "testdata/journal-v0.jsonl"), mustFixtureEntries(t, "testdata/journal-current.jsonl"))
	for i, e := range entries {
		if e.Seq == 1 && i > 0 {
			s = newState("CRDRINBBXXX") // The next journal.
		}
		c, err := decodeCommand(e.Kind, e.Payload)
		if err != nil {
			t.Fatalf("entry %d: %v", e.Seq, err)
		}
		if r := s.execute(c, e.Seq, time.Unix(0, e.TimeNS).UTC()); !r.changed {
			t.Fatalf("entry %d (%s) changed nothing", e.Seq, e.Kind)
		}
		sum := s.Sum()
		for i := range fields {
			name := reflect.TypeFor[state]().Field(i).Name
			if covered[name] || notInSum[name] != "" || reflect.ValueOf(s).Elem().Field(i).IsZero() {
				continue
			}
			covered[name] = sumWithout(s, i) != sum
		}
	}
	for i := range fields {
		name := reflect.TypeFor[state]().Field(i).Name
		_, exempt := notInSum[name]
		switch {
		case exempt && covered[name]:
			t.Errorf("state.%s is listed in notInSum but the hash covers it", name)
		case !exempt && !covered[name]:
			t.Errorf("state.%s is not covered by Sum: hash it, or say in notInSum why it is not state", name)
		}
	}
}

// sumWithout is the hash of a shallow copy of s with field i zeroed; a
// field Sum cannot do without (it panics on the zero value) gives a zero
// hash, which differs from any real one.
func sumWithout(s *state, i int) (sum [32]byte) {
	cp := *s
	f := reflect.ValueOf(&cp).Elem().Field(i)
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().SetZero()
	defer func() {
		if recover() != nil {
			sum = [32]byte{}
		}
	}()
	return cp.Sum()
}

// fixtureEntry is one line of testdata/journal-v0.jsonl.
type fixtureEntry struct {
	Seq     uint64 `json:"seq"`
	TimeNS  int64  `json:"timeNs"`
	Kind    string `json:"kind"`
	Payload []byte `json:"payload"`
}

func mustFixtureEntries(tb testing.TB, path string) []fixtureEntry {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []fixtureEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var e fixtureEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			tb.Fatalf("fixture line %d: %v", len(out)+1, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
