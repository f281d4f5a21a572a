package hub

import (
	"crypto/sha256"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// snapshotFields is, for each type of the state that capture copies field
// by field, every field it has, as capture and restore know them. A field
// added to one of these types fails TestSnapshotImage until it has its
// place in the image (snapshot_image.go, snapshot_restore.go), is listed
// here, and snapshotVersion is raised. Types the image holds as they are
// are checked by the wire form itself: it writes every field.
var snapshotFields = map[reflect.Type][]string{
	reflect.TypeFor[state](): {"hubBIC", "participants", "ledger", "payments", "byMsgID", "byUETR", "inboxes",
		"woken", "republish", "revokedOperators", "operatorsChanged", "lastSeq", "bySeq", "queue", "cycle", "cycles",
		"rates", "quotes", "offers", "rounding", "config", "transfers", "screening", "books", "booked", "touched",
		"camt054", "gate", "defunds", "days", "warehouse", "caseMsgs", "finals", "check", "letGone", "recent", "recentLetGo", "staged"},
	reflect.TypeFor[payment](): {"seq", "ref", "cmd", "msgDef", "status", "wait", "reason", "detail", "events",
		"screening", "orig", "returnReason", "returnFX", "returning", "returned", "cancel", "message", "caseKeys"},
	reflect.TypeFor[paymentCmd]():     {"Sender", "Payment", "InstrID", "Message", "Signature", "Batch", "Screening", "legacyFX", "digest"},
	reflect.TypeFor[inbox]():          {"next", "messages"},
	reflect.TypeFor[inboxMsg]():       {"InboxMessage", "sender", "reads", "later"},
	reflect.TypeFor[screeningState](): {"lists", "screener", "whitelist", "holds", "approvals", "changed"},
}

// TestSnapshotImage checks that the types capture copies field by field
// have the fields it knows, that paymentCmdImage is paymentCmd exported,
// and that the wire form can write every type the image holds.
func TestSnapshotImage(t *testing.T) {
	for typ, want := range snapshotFields {
		var got []string
		for f := range typ.Fields() {
			got = append(got, f.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s has fields %v; the snapshot knows %v: give a new field its place in the snapshot image, "+
				"raise snapshotVersion and list it in snapshotFields", typ, got, want)
		}
	}
	var cmdFields, imageFields []string
	for f := range reflect.TypeFor[paymentCmd]().Fields() {
		cmdFields = append(cmdFields, strings.ToLower(f.Name))
	}
	for f := range reflect.TypeFor[paymentCmdImage]().Fields() {
		imageFields = append(imageFields, strings.ToLower(f.Name))
	}
	if !slices.Equal(cmdFields, imageFields) {
		t.Errorf("paymentCmdImage has fields %v, paymentCmd %v", imageFields, cmdFields)
	}
	mustWireType(t, reflect.TypeFor[image](), map[reflect.Type]bool{})
}

// mustWireType fails for a type the wire form cannot write, however deep.
func mustWireType(t *testing.T, typ reflect.Type, seen map[reflect.Type]bool) {
	if seen[typ] || typ == timeType {
		return
	}
	seen[typ] = true
	switch typ.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float64, reflect.String:
	case reflect.Array, reflect.Slice, reflect.Pointer:
		mustWireType(t, typ.Elem(), seen)
	case reflect.Map:
		if typ.Key().Kind() != reflect.String {
			t.Errorf("the image holds %s, whose keys are not strings", typ)
		}
		mustWireType(t, typ.Elem(), seen)
	case reflect.Struct:
		if typ.NumField() == 0 {
			t.Errorf("the image holds %s, which has no fields", typ)
		}
		for f := range typ.Fields() {
			if !f.IsExported() {
				t.Errorf("the image holds %s, whose field %s is unexported: the wire form cannot write it", typ, f.Name)
			}
			mustWireType(t, f.Type, seen)
		}
	default:
		t.Errorf("the image holds %s, which the wire form cannot write", typ)
	}
}

// FuzzDecodeSnapshot decodes arbitrary snapshot bodies (the header and
// checksum made for them, or every input would stop at the checksum): a
// body that decodes must hash without a panic, and encode again to bytes
// that decode to the same state and encode to the same bytes.
func FuzzDecodeSnapshot(f *testing.F) {
	for _, journal := range []string{"testdata/journal-v0.jsonl", "testdata/journal-current.jsonl"} {
		s := newState(testHubBIC)
		for i, e := range mustJournalEntries(f, journal) {
			if err := applyEntry(s, e); err != nil {
				f.Fatal(err)
			}
			if i%10 == 0 {
				f.Add(mustEncode(f, s.capture().finish())[snapshotHeader:])
			}
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 1<<20 {
			return
		}
		s, err := decodeSnapshot(withHeader(body), testHubBIC)
		if err != nil {
			return
		}
		sum := s.Sum()
		b, err := encodeImage(s.capture().finish(), 0, 0)
		if err != nil {
			t.Fatalf("a decoded state does not encode: %v", err)
		}
		again, err := decodeSnapshot(b, testHubBIC)
		if err != nil {
			t.Fatalf("a decoded state's snapshot does not decode: %v", err)
		}
		if again.Sum() != sum {
			t.Fatal("a decoded state's snapshot decodes to another state")
		}
		if b2 := mustEncode(t, again.capture().finish()); string(b2) != string(b) {
			t.Fatal("the same state encodes to other bytes")
		}
	})
}

// withHeader is body with the snapshot header a hub would write.
func withHeader(body []byte) []byte {
	b := make([]byte, snapshotHeader, snapshotHeader+len(body))
	copy(b, snapshotMagic)
	b[len(snapshotMagic)+1] = snapshotVersion
	sum := sha256.Sum256(body)
	copy(b[len(snapshotMagic)+2:], sum[:])
	return append(b, body...)
}
