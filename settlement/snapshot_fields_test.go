package settlement

import (
	"reflect"
	"slices"
	"testing"
)

// snapshotFields is every field of the types with private state that a
// Snapshot writes and a Restore rebuilds (or derives). A new field fails
// TestSnapshotFields until the snapshot form holds it and it is listed
// here; the hub's snapshot version goes up with it.
var snapshotFields = map[reflect.Type][]string{
	reflect.TypeFor[Queue]():    {"byID", "lanes", "totals", "back", "front", "res"},     // lanes, totals derived; res set by the hub.
	reflect.TypeFor[Cycle]():    {"id", "opened", "payments", "ids", "totals", "closed"}, // ids, totals derived.
	reflect.TypeFor[Gate]():     {"limits", "used", "waiting", "entered", "carry"},
	reflect.TypeFor[Rates]():    {"byPair"},
	reflect.TypeFor[Quotes]():   {"byID"},
	reflect.TypeFor[Offers]():   {"byID"},
	reflect.TypeFor[Rounding](): {"accrued"},
	reflect.TypeFor[Rate]():     {"mantissa", "scale"},
}

func TestSnapshotFields(t *testing.T) {
	for typ, want := range snapshotFields {
		var got []string
		for f := range typ.Fields() {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s has fields %v; its snapshot knows %v", typ, got, want)
		}
	}
}
