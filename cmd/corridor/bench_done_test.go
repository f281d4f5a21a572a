package main

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/google/go-cmp/cmp"
)

// TestBenchDoneHoldsNoPointer checks that a record is what the collector
// need not scan: no field of it, however deep, holds a pointer.
func TestBenchDoneHoldsNoPointer(t *testing.T) {
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		switch typ.Kind() {
		case reflect.Struct:
			for i := range typ.NumField() {
				walk(typ.Field(i).Type, path+"."+typ.Field(i).Name)
			}
		case reflect.Array:
			walk(typ.Elem(), path+"[]")
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		default:
			t.Errorf("%s is a %s", path, typ.Kind())
		}
	}
	walk(reflect.TypeFor[benchDone](), "benchDone")
	walk(reflect.TypeFor[benchDoneKey](), "benchDoneKey")
}

func benchDoneBanks() []*demoBank {
	return []*demoBank{{BIC: "BANKINBBXXX"}, {BIC: "BANKRUMMXXX"}}
}

// TestBenchDoneRecord checks that a finished payment comes back from its
// record as it went in.
func TestBenchDoneRecord(t *testing.T) {
	banks := benchDoneBanks()
	tr := newBenchTracker(1, banks)
	k := msgKey{banks[1].BIC, "RTN0123456789abcdef01"}
	p := &benchPayment{kind: kindFX, uetr: "8a562c67-ca16-48ba-b074-65581be6f011", from: banks[1], start: time.Unix(0, 1_733_000_000_123_456_789),
		acked: true, answered: "PDNG", reports: 1, settled: 1, reported: corridor.StatusSettled,
		effects: []benchEffect{{banks[1].BIC, "INR", -1250}, {banks[0].BIC, "RUB", 1071}},
		legs:    1, status: "ACSC", wait: "queue", reason: "AM04"}
	d, ok := tr.record(k, p)
	if !ok {
		t.Fatal("the payment does not fit a record")
	}
	gotK, got := tr.payment(&d)
	if gotK != k {
		t.Errorf("key %v, want %v", gotK, k)
	}
	if diff := cmp.Diff(p, got, cmp.AllowUnexported(benchPayment{}, benchEffect{}), cmp.Comparer(func(a, b *demoBank) bool { return a == b })); diff != "" {
		t.Errorf("the payment changed in its record (-want +got):\n%s", diff)
	}
	long := *p
	long.effects = slices.Repeat(p.effects, 2)
	if _, ok := tr.record(k, &long); ok {
		t.Error("four effects fit a record of two")
	}
	if _, ok := tr.record(msgKey{k.bic, strings.Repeat("M", benchMaxMsgID+1)}, p); ok {
		t.Error("a message reference longer than Max35Text fits a record")
	}
}

// TestBenchTrackerRetires follows a payment into its record at its final
// pacs.002, and back into the map when a second one comes, where the final
// check names it.
func TestBenchTrackerRetires(t *testing.T) {
	banks := benchDoneBanks()
	tr := newBenchTracker(1, banks)
	op := benchOp{kind: kindGross, from: banks[0], key: msgKey{banks[0].BIC, "DEMO01234567ab"}, uetr: "8a562c67-ca16-48ba-b074-65581be6f011",
		effects: []benchEffect{{banks[0].BIC, "INR", -100}, {banks[1].BIC, "INR", 100}}}
	now := time.Now()
	tr.begin(op, now)
	tr.report(op.key, corridor.StatusSettled, false, now) // The pacs.002 before the 202: not finished yet.
	if len(tr.payments) != 1 || len(tr.doneAt) != 0 {
		t.Fatalf("before the 202: %d in the map, %d records; want 1, 0", len(tr.payments), len(tr.doneAt))
	}
	tr.answer(op, httpapi.SubmitResponse{Status: "ACSC"}, nil, now)
	if len(tr.payments) != 0 || len(tr.doneAt) != 1 {
		t.Fatalf("finished: %d in the map, %d records; want 0, 1", len(tr.payments), len(tr.doneAt))
	}
	tr.report(op.key, corridor.StatusSettled, true, now) // Redelivered after a crash, and marked so.
	if d, _ := tr.retired(op.key); d == nil || d.reports != 1 {
		t.Fatalf("a redelivery marked as such was counted: %+v", d)
	}
	tr.report(op.key, corridor.StatusSettled, false, now)
	d, ok := tr.retired(op.key)
	if !ok || d.reports != 2 || len(tr.payments) != 0 || tr.done.len() != 2 {
		t.Fatalf("a second pacs.002: record %+v, %d in the map, %d slots; want 2 reports in a new record", d, len(tr.payments), tr.done.len())
	}
	d.legs, d.status = 1, [benchMaxCode]byte{'A', 'C', 'S', 'C'}
	problems := tr.checkPayments(true)
	if len(problems) != 1 || !strings.Contains(problems[0], "received 2 pacs.002s") {
		t.Errorf("problems %q, want the two pacs.002s", problems)
	}
}

// TestBenchDoneList checks that records keep their index across blocks.
func TestBenchDoneList(t *testing.T) {
	var l benchDoneList
	n := 2*benchDoneChunk + 1
	for i := range n {
		if got := l.add(benchDone{start: int64(i)}); got != i {
			t.Fatalf("record %d added at %d", i, got)
		}
	}
	for _, i := range []int{0, benchDoneChunk - 1, benchDoneChunk, n - 1} {
		if got := l.at(i).start; got != int64(i) {
			t.Errorf("record %d holds %d", i, got)
		}
	}
	if l.len() != n || len(l.blocks) != 3 {
		t.Errorf("%d records in %d blocks, want %d in 3", l.len(), len(l.blocks), n)
	}
}
