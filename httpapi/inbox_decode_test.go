package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corridor-network/corridor"
	"github.com/corridor-network/corridor/httpapi"
	"github.com/corridor-network/corridor/iso20022"
)

// hashHex is a Merkle hash in JSON: 64 times the hex digit c.
func hashHex(c string) string { return `"` + strings.Repeat(c, 64) + `"` }

// reusedPage leaves an InboxResponse as a client's next read finds it when
// it reuses one: lists shorter than their arrays, which still hold the
// elements they had (json.Unmarshal exposes them again), a message with a
// batch and one without.
var reusedPage = `{"messages":[{"seq":1,"msgDefId":"pacs.008.001.08","uetr":"u1","body":"<a/>","signature":"s",` +
	`"time":"2026-03-02T09:30:00Z","possibleDuplicate":true,"batch":{"index":0,"count":3,"path":[` +
	hashHex("1") + `,` + hashHex("2") + `,` + hashHex("3") + `]}},{"seq":2,"reference":"r2"},{"seq":3,"uetr":"u3"}],` +
	`"messages":[{"batch":{"path":[` + hashHex("4") + `]}},{"seq":5}]}`

// decodedAs is a fresh InboxResponse, or, for a page, one json.Unmarshal
// decoded the page into.
func decodedAs(tb testing.TB, page string) httpapi.InboxResponse {
	tb.Helper()
	var r httpapi.InboxResponse
	if page != "" {
		if err := json.Unmarshal([]byte(page), &r); err != nil {
			tb.Fatalf("json.Unmarshal of the page to decode into: %v", err)
		}
	}
	return r
}

// checkDecodesAsJSON fails tb unless DecodeInboxResponse and json.Unmarshal
// agree on data, into a fresh InboxResponse and into one that reusedPage
// left: both refuse it, DecodeInboxResponse saying where, or both accept it
// and decode the same. It reports whether they accept it.
func checkDecodesAsJSON(tb testing.TB, data []byte) (accepted bool) {
	tb.Helper()
	for _, before := range []string{"", reusedPage} {
		got, want := decodedAs(tb, before), decodedAs(tb, before)
		errGot, errWant := httpapi.DecodeInboxResponse(data, &got), json.Unmarshal(data, &want)
		switch {
		case errGot == nil && errWant == nil:
			if !reflect.DeepEqual(got, want) {
				tb.Errorf("DecodeInboxResponse(%.300q) into %.20q differs from json.Unmarshal (-want +got):\n%s",
					data, before, cmp.Diff(want, got))
			}
		case errGot == nil:
			tb.Errorf("DecodeInboxResponse(%.300q) accepts what json.Unmarshal refuses: %v", data, errWant)
		case errWant == nil:
			tb.Errorf("DecodeInboxResponse(%.300q) = %v; json.Unmarshal accepts it", data, errGot)
		case !strings.HasPrefix(errGot.Error(), "inbox page, byte "):
			tb.Errorf("DecodeInboxResponse(%.300q) = %v; want it to say where", data, errGot)
		}
		accepted = errWant == nil
	}
	return accepted
}

// nested is a value nested n arrays and objects deep.
func nested(n int) string {
	var open, closing []string
	for i := range n {
		if i%3 == 1 {
			open, closing = append(open, `{"k":`), append(closing, "}")
		} else {
			open, closing = append(open, "["), append(closing, "]")
		}
	}
	slices.Reverse(closing)
	return strings.Join(open, "") + "1" + strings.Join(closing, "")
}

// inboxCorners are pages that exercise what json.Unmarshal does for the
// types of an inbox page, and whether it accepts each.
var inboxCorners = []struct {
	name string
	page string
	ok   bool
}{
	// The page itself.
	{"Empty", ``, false}, {"Space", " \t\r\n", false}, {"Null", `null`, true}, {"NullSpace", " null \n", true},
	{"Object", `{}`, true}, {"Array", `[]`, false}, {"String", `"x"`, false}, {"Number", `1`, false}, {"True", `true`, false},
	{"Nul", `nul`, false}, {"Nullx", `nullx`, false}, {"Trailing", `{}x`, false}, {"TwoValues", `{} {}`, false},
	{"ExtraBrace", `{}}`, false}, {"BOM", "\ufeff{}", false}, {"TrailingNUL", "{}\x00", false},
	{"AllSpace", " \t\n\r{ \t\n\r\"messages\" \t\n\r: \t\n\r[ \t\n\r{ \t\n\r\"seq\" \t\n\r: \t\n\r1 \t\n\r} \t\n\r] \t\n\r} \t\n\r", true},
	{"VerticalTab", "{\v}", false}, {"FormFeed", "{\f}", false},
	// Syntax.
	{"TrailingComma", `{"messages":[],}`, false}, {"ElementTrailingComma", `{"messages":[{},]}`, false},
	{"LeadingComma", `{,"messages":[]}`, false}, {"NoColon", `{"messages" []}`, false}, {"NoComma", `{"a":1 "b":2}`, false},
	{"KeyNotString", `{messages:[]}`, false}, {"NumberKey", `{1:2}`, false}, {"Unclosed", `{"messages":[`, false},
	{"UnclosedObject", `{"messages":[]`, false}, {"Mismatched", `{"messages":[}`, false}, {"Mismatched2", `{"x":[1}}`, false},
	{"Truncated", `{"messages":[{"seq":1`, false}, {"TruncatedKey", `{"mess`, false}, {"OnlyBrace", `{`, false},
	// Messages.
	{"MessagesNull", `{"messages":null}`, true}, {"MessagesEmpty", `{"messages":[]}`, true},
	{"MessageNull", `{"messages":[null,{"seq":2},null]}`, true}, {"MessagesObject", `{"messages":{}}`, false},
	{"MessagesString", `{"messages":"x"}`, false}, {"MessageArray", `{"messages":[[]]}`, false},
	{"MessageNumber", `{"messages":[1]}`, false}, {"MessageString", `{"messages":["x"]}`, false},
	{"MessagesTwice", `{"messages":[{"seq":1,"uetr":"a"},{"seq":2}],"messages":[{"seq":3}]}`, true},
	{"MessagesThenNull", `{"messages":[{"seq":1}],"messages":null}`, true},
	{"MessagesThenEmpty", `{"messages":[{"seq":1}],"messages":[]}`, true},
	{"Many", `{"messages":[` + strings.TrimSuffix(strings.Repeat(`{"seq":7},`, 300), ",") + `]}`, true},
	// Field names: case folded as encoding/json folds it.
	{"FieldsAnyOrder", `{"messages":[{"body":"b","batch":{"path":[],"count":1,"index":0},"seq":3,"uetr":"u","msgDefId":"m"}]}`, true},
	{"UpperCase", `{"MESSAGES":[{"SEQ":1,"MSGDEFID":"m","UETR":"u","REFERENCE":"r","TIME":"2026-03-02T09:30:00Z","POSSIBLEDUPLICATE":true,"BODY":"b","SIGNATURE":"s","BATCH":{"INDEX":1,"COUNT":2,"PATH":[]}}]}`, true},
	{"MixedCase", `{"Messages":[{"Seq":1,"msgdefid":"m","MsgDefID":"n","possibleduplicate":true,"bAtCh":{"Path":null}}]}`, true},
	{"LongS", `{"meſſages":[{"ſeq":4,"poſſibleDuplicate":true,"ſignature":"s"}]}`, true},
	{"KelvinUnknown", `{"messages":[{"\u212aey":1,"seq":1}]}`, true},
	{"DottedI", `{"messages":[{"\u0130ndex":1,"batch":{"\u0130NDEX":3,"ındex":4}}]}`, true},
	{"EscapedKey", `{"m\u0065ssages":[{"\u0073eq":5,"b\u006fdy":"x"}]}`, true},
	{"EscapedLongS", `{"messages":[{"\u017feq":6}]}`, true},
	{"KeyWithNUL", `{"messages":[{"seq\u0000":1}]}`, true}, {"EmptyKey", `{"":1,"messages":[{"":2}]}`, true},
	{"InvalidUTF8Key", "{\"messages\xff\":[1]}", true}, {"LongKey", `{"` + strings.Repeat("messages", 20) + `":1}`, true},
	{"DuplicateField", `{"messages":[{"seq":1,"seq":2,"body":"a","BODY":"b"}]}`, true},
	{"DuplicateBatch", `{"messages":[{"batch":{"index":1,"path":[` + hashHex("a") + `]},"batch":{"count":2}}]}`, true},
	{"BatchThenNull", `{"messages":[{"batch":{"index":1},"batch":null}]}`, true},
	// Unknown fields: any JSON, checked.
	{"Unknown", `{"x":1,"messages":[{"y":[1,{"z":null}],"seq":1,"batch":{"w":{"v":[true,false]},"index":1}}],"z":"s"}`, true},
	{"UnknownEmpty", `{"x":{},"y":[],"messages":[{"z":{},"w":[]}]}`, true},
	{"UnknownNested", `{"x":[[[{"a":[{"b":{"c":[1,2,"3",null,true,{}]}}]}]]]}`, true},
	{"UnknownBad", `{"x":[1,]}`, false}, {"UnknownBadString", `{"x":"\q"}`, false}, {"UnknownBadNumber", `{"x":01}`, false},
	{"UnknownBadLiteral", `{"x":nul}`, false}, {"UnknownUnclosed", `{"x":[{"a":1}`, false}, {"UnknownNoValue", `{"x":}`, false},
	{"UnknownObjectNoColon", `{"x":{"a"}}`, false}, {"UnknownObjectNumberKey", `{"x":{1:1}}`, false},
	{"UnknownMismatched", `{"x":{"a":[}]}`, false}, {"UnknownBatch", `{"messages":[{"batch":{"x":[}}]}`, false},
	// Nesting: the page counts; encoding/json allows 10000.
	{"Depth10000", `{"x":` + nested(9999) + `}`, true}, {"Depth10001", `{"x":` + nested(10000) + `}`, false},
	{"MessageDepth10000", `{"messages":[{"x":` + nested(9997) + `}]}`, true},
	{"MessageDepth10001", `{"messages":[{"x":` + nested(9998) + `}]}`, false},
	{"BatchDepth10001", `{"messages":[{"batch":{"x":` + nested(9997) + `}}]}`, false},
	{"TimeDepth10001", `{"messages":[{"time":` + nested(9998) + `}]}`, false},
	{"DeepUnclosed", `{"x":` + strings.Repeat("[", 20000), false},
	// Strings.
	{"Escapes", `{"messages":[{"body":"\"\\\/\b\f\n\r\t\u00e9\u20ac\ud83d\ude00 <a b=\"c\"/>"}]}`, true},
	{"LoneHigh", `{"messages":[{"body":"a\ud800b"}]}`, true}, {"LoneLow", `{"messages":[{"body":"\udc00"}]}`, true},
	{"HighThenLetter", `{"messages":[{"body":"\ud800\u0041"}]}`, true},
	{"HighHighLow", `{"messages":[{"body":"\ud800\ud800\udc00"}]}`, true},
	{"LowHigh", `{"messages":[{"body":"\udc00\ud800"}]}`, true}, {"HighAtEnd", `{"messages":[{"body":"\ud83d"}]}`, true},
	{"HighThenBadEscape", `{"messages":[{"body":"\ud83d\uZZZZ"}]}`, false},
	{"HighThenShortEscape", `{"messages":[{"body":"\ud83d\u12"}]}`, false},
	{"InvalidUTF8", "{\"messages\":[{\"body\":\"a\xffb\xfe\"}]}", true},
	{"EncodedSurrogate", "{\"messages\":[{\"body\":\"\xed\xa0\x80\"}]}", true},
	{"TruncatedUTF8", "{\"messages\":[{\"body\":\"\xe2\x82\"}]}", true},
	{"UTF8", `{"messages":[{"body":"ООО Нефтеэкспорт €😀"}]}`, true}, {"DEL", "{\"messages\":[{\"body\":\"\x7f\"}]}", true},
	{"ReplacementChar", `{"messages":[{"body":"\ufffd` + "\ufffd" + `"}]}`, true},
	{"NUL", `{"messages":[{"body":"\u0000"}]}`, true}, {"ControlRaw", "{\"messages\":[{\"body\":\"a\x01b\"}]}", false},
	{"TabRaw", "{\"messages\":[{\"body\":\"a\tb\"}]}", false}, {"NewlineRaw", "{\"messages\":[{\"body\":\"a\nb\"}]}", false},
	{"ApostropheEscape", `{"messages":[{"body":"\'"}]}`, false}, {"XEscape", `{"messages":[{"body":"\x41"}]}`, false},
	{"ShortU", `{"messages":[{"body":"\u00"}]}`, false}, {"UpperU", `{"messages":[{"body":"\U0041"}]}`, false},
	{"UpperHex", `{"messages":[{"body":"\u00E9\u00e9"}]}`, true}, {"Unterminated", `{"messages":[{"body":"abc`, false},
	{"BackslashAtEnd", `{"messages":[{"body":"abc\`, false}, {"EscapedQuoteAtEnd", `{"messages":[{"body":"abc\"`, false},
	{"LongPlain", `{"messages":[{"body":"` + strings.Repeat("abcdefgh", 500) + `"}]}`, true},
	{"LongEscaped", `{"messages":[{"body":"` + strings.Repeat(`<a b=\"c\">`, 500) + `"}]}`, true},
	{"LongInvalid", "{\"messages\":[{\"body\":\"" + strings.Repeat("\xff", 3000) + "\"}]}", true},
	{"EscapeEachOffset", `{"messages":[{"body":"a\"","uetr":"ab\"","reference":"abc\"","msgDefId":"abcdefg\"","signature":"abcdefgh\""}]}`, true},
	{"StringNull", `{"messages":[{"body":null,"uetr":null,"reference":null,"msgDefId":null,"signature":null}]}`, true},
	{"StringNumber", `{"messages":[{"body":1}]}`, false}, {"StringTrue", `{"messages":[{"uetr":true}]}`, false},
	{"StringArray", `{"messages":[{"signature":[]}]}`, false}, {"StringObject", `{"messages":[{"reference":{}}]}`, false},
	{"StringBadLiteral", `{"messages":[{"body":nope}]}`, false},
	{"SameSignatures", `{"messages":[{"signature":"s1","msgDefId":"a"},{"signature":"s1","msgDefId":"b"},{"signature":"s2","msgDefId":"a"},{"signature":"s1"},{"signature":""},{"signature":"s\u0031"}]}`, true},
	// seq: uint64.
	{"SeqZero", `{"messages":[{"seq":0}]}`, true}, {"SeqMax", `{"messages":[{"seq":18446744073709551615}]}`, true},
	{"SeqOverflow", `{"messages":[{"seq":18446744073709551616}]}`, false},
	{"SeqHuge", `{"messages":[{"seq":` + strings.Repeat("9", 400) + `}]}`, false},
	{"SeqNegative", `{"messages":[{"seq":-1}]}`, false}, {"SeqMinusZero", `{"messages":[{"seq":-0}]}`, false},
	{"SeqFraction", `{"messages":[{"seq":1.0}]}`, false}, {"SeqExponent", `{"messages":[{"seq":1e2}]}`, false},
	{"SeqLeadingZero", `{"messages":[{"seq":01}]}`, false}, {"SeqPlus", `{"messages":[{"seq":+1}]}`, false},
	{"SeqString", `{"messages":[{"seq":"1"}]}`, false}, {"SeqTrue", `{"messages":[{"seq":true}]}`, false},
	{"SeqNull", `{"messages":[{"seq":null}]}`, true}, {"SeqArray", `{"messages":[{"seq":[1]}]}`, false},
	{"SeqMinus", `{"messages":[{"seq":-}]}`, false}, {"SeqDot", `{"messages":[{"seq":1.}]}`, false},
	{"SeqHex", `{"messages":[{"seq":0x10}]}`, false}, {"SeqExponentNoDigits", `{"messages":[{"seq":1e}]}`, false},
	// index and count: int.
	{"IntMin", `{"messages":[{"batch":{"index":-9223372036854775808,"count":9223372036854775807}}]}`, true},
	{"IntUnderflow", `{"messages":[{"batch":{"index":-9223372036854775809}}]}`, false},
	{"IntOverflow", `{"messages":[{"batch":{"count":9223372036854775808}}]}`, false},
	{"IntMinusZero", `{"messages":[{"batch":{"index":-0}}]}`, true}, {"IntNegative", `{"messages":[{"batch":{"index":-12}}]}`, true},
	{"IntFraction", `{"messages":[{"batch":{"index":1.5}}]}`, false}, {"IntExponent", `{"messages":[{"batch":{"count":1E+2}}]}`, false},
	{"IntNegativeExponent", `{"messages":[{"batch":{"count":-1e-2}}]}`, false},
	{"IntString", `{"messages":[{"batch":{"index":"1"}}]}`, false}, {"IntNull", `{"messages":[{"batch":{"index":null,"count":null}}]}`, true},
	{"IntFalse", `{"messages":[{"batch":{"count":false}}]}`, false},
	// time: as time.Time.UnmarshalJSON takes it.
	{"Time", `{"messages":[{"time":"2026-03-02T09:30:00Z"}]}`, true},
	{"TimeOffset", `{"messages":[{"time":"2026-03-02T09:30:00.123456789+05:30"}]}`, true},
	{"TimeNegativeOffset", `{"messages":[{"time":"2026-03-02T09:30:00-00:00"}]}`, true},
	{"TimeLowerCase", `{"messages":[{"time":"2026-03-02t09:30:00z"}]}`, false},
	{"TimeNull", `{"messages":[{"time":null}]}`, true}, {"TimeDate", `{"messages":[{"time":"2026-03-02"}]}`, false},
	{"TimeNumber", `{"messages":[{"time":1772443800}]}`, false}, {"TimeTrue", `{"messages":[{"time":true}]}`, false},
	{"TimeArray", `{"messages":[{"time":["2026-03-02T09:30:00Z"]}]}`, false}, {"TimeObject", `{"messages":[{"time":{}}]}`, false},
	{"TimeEscaped", `{"messages":[{"time":"\u0032026-03-02T09:30:00Z"}]}`, false},
	{"TimeBadString", `{"messages":[{"time":"2026-03-02T09:30:00Z\q"}]}`, false},
	{"TimeHour24", `{"messages":[{"time":"2026-03-02T24:00:00Z"}]}`, false},
	{"TimeOffsetSeconds", `{"messages":[{"time":"2026-03-02T09:30:00+05:30:00"}]}`, false},
	{"TimeYear10000", `{"messages":[{"time":"10000-01-01T00:00:00Z"}]}`, false},
	{"TimeComma", `{"messages":[{"time":"2026-03-02T09:30:00,5Z"}]}`, true},
	{"TimeSpace", `{"messages":[{"time":" 2026-03-02T09:30:00Z"}]}`, false},
	// possibleDuplicate: bool.
	{"BoolTrue", `{"messages":[{"possibleDuplicate":true}]}`, true}, {"BoolFalse", `{"messages":[{"possibleDuplicate":true,"possibleDuplicate":false}]}`, true},
	{"BoolNull", `{"messages":[{"possibleDuplicate":null}]}`, true}, {"BoolString", `{"messages":[{"possibleDuplicate":"true"}]}`, false},
	{"BoolNumber", `{"messages":[{"possibleDuplicate":1}]}`, false}, {"BoolTru", `{"messages":[{"possibleDuplicate":tru}]}`, false},
	{"BoolTrueX", `{"messages":[{"possibleDuplicate":truex}]}`, false},
	// batch and its path.
	{"BatchNull", `{"messages":[{"batch":null}]}`, true}, {"BatchEmpty", `{"messages":[{"batch":{}}]}`, true},
	{"BatchArray", `{"messages":[{"batch":[]}]}`, false}, {"BatchString", `{"messages":[{"batch":"x"}]}`, false},
	{"BatchNumber", `{"messages":[{"batch":0}]}`, false},
	{"Path", `{"messages":[{"batch":{"index":1,"count":2,"path":[` + hashHex("0") + `,` + hashHex("f") + `]}}]}`, true},
	{"PathNull", `{"messages":[{"batch":{"path":null}}]}`, true}, {"PathEmpty", `{"messages":[{"batch":{"path":[]}}]}`, true},
	{"PathElementNull", `{"messages":[{"batch":{"path":[null,` + hashHex("9") + `,null]}}]}`, true},
	{"PathLong", `{"messages":[{"batch":{"path":[` + strings.TrimSuffix(strings.Repeat(hashHex("c")+",", 20), ",") + `]}}]}`, true},
	{"PathUpperHex", `{"messages":[{"batch":{"path":[` + hashHex("A") + `]}}]}`, false},
	{"PathShort", `{"messages":[{"batch":{"path":["` + strings.Repeat("a", 63) + `"]}}]}`, false},
	{"PathLongHash", `{"messages":[{"batch":{"path":["` + strings.Repeat("a", 66) + `"]}}]}`, false},
	{"PathNotHex", `{"messages":[{"batch":{"path":[` + hashHex("g") + `]}}]}`, false},
	{"PathEscapedHex", `{"messages":[{"batch":{"path":["\u0061` + strings.Repeat("a", 63) + `"]}}]}`, true},
	{"PathNumber", `{"messages":[{"batch":{"path":[1]}}]}`, false}, {"PathTrue", `{"messages":[{"batch":{"path":[true]}}]}`, false},
	{"PathArray", `{"messages":[{"batch":{"path":[[]]}}]}`, false}, {"PathObject", `{"messages":[{"batch":{"path":[{}]}}]}`, false},
	{"PathString", `{"messages":[{"batch":{"path":"` + strings.Repeat("a", 64) + `"}}]}`, false},
	{"PathObjectValue", `{"messages":[{"batch":{"path":{}}}]}`, false},
	{"PathTwice", `{"messages":[{"batch":{"path":[` + hashHex("1") + `,` + hashHex("2") + `],"path":[null]}}]}`, true},
}

// TestDecodeInboxResponse checks that DecodeInboxResponse decodes each of
// inboxCorners as json.Unmarshal does, which accepts those that say so.
func TestDecodeInboxResponse(t *testing.T) {
	for _, tt := range inboxCorners {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkDecodesAsJSON(t, []byte(tt.page)); got != tt.ok {
				t.Errorf("json.Unmarshal accepts %.200q: %t; the case says %t", tt.page, got, tt.ok)
			}
		})
	}
}

// TestDecodeInboxResponseErrors checks that a refusal says what is wrong
// and at which byte.
func TestDecodeInboxResponseErrors(t *testing.T) {
	for _, tt := range []struct{ page, want string }{
		{``, "byte 0: the page ends where its JSON needs a value"},
		{`[]`, "byte 0: the page must be an object or null"},
		{`{} x`, "byte 3: data after the page"},
		{`{"messages":[{"seq":1.5}]}`, "byte 20: seq: 1.5 is not an unsigned 64-bit integer"},
		{`{"messages":[{"seq":1},{"body":7}]}`, "byte 31: body must be a string or null"},
		{`{"messages":[{"body":"a` + "\x01" + `"}]}`, `byte 23: control character '\x01' in a string`},
		{`{"messages":[{"body":"a\q"}]}`, "byte 23: invalid escape in a string"},
		{`{"messages":[{"time":"2026"}]}`, `byte 21: time: parsing time "2026"`},
		{`{"messages":[{"batch":{"path":["ab"]}}]}`, "byte 31: path: merkle hash of 2 characters"},
		{`{"messages":[{"batch":{"count":1e3}}]}`, "byte 31: count: 1e3 is not an integer of 64 bits"},
		{`{"messages":[{"seq":1]}`, `byte 21: invalid character ']' where the JSON needs a comma or '}'`},
		{`{"x":` + nested(10000) + `}`, "byte 23336: nested deeper than 10000"},
	} {
		var resp httpapi.InboxResponse
		err := httpapi.DecodeInboxResponse([]byte(tt.page), &resp)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DecodeInboxResponse(%.80q) = %v; want an error with %q", tt.page, err, tt.want)
		}
	}
}

// TestDecodeInboxResponseEveryField decodes a page whose messages set every
// field, as the hub's encoder writes them: a field the decoder knows by
// another name than its JSON tag would be missing.
func TestDecodeInboxResponseEveryField(t *testing.T) {
	var path []corridor.MerkleHash
	for i := range corridor.MaxBatchPath + 1 {
		path = append(path, corridor.MerkleLeaf([]byte{byte(i)}))
	}
	want := httpapi.InboxResponse{Messages: []httpapi.InboxMessageBody{{Seq: 1<<64 - 1, MsgDefID: iso20022.MsgDefStatusReport,
		UETR: "3f1c7a52-9b4e-4c1d-8a2f-000000000001", Reference: "CRDR-1", Time: businessDay.Add(time.Nanosecond),
		PossibleDuplicate: true, Body: `<Document xmlns="urn:iso">é</Document>`, Signature: "eyJh..x",
		Batch: &httpapi.BatchProofBody{Index: 3, Count: 1 << 40, Path: path}}, {Seq: 2}}}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var got httpapi.InboxResponse
	if err := httpapi.DecodeInboxResponse(data, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" || !reflect.DeepEqual(want, got) {
		t.Errorf("DecodeInboxResponse(%s) (-want +got):\n%s", data, diff)
	}
}

// TestDecodeInboxResponseAllocs counts what decoding a message costs: one
// allocation for a string without escapes, as for the string itself; a
// signature or message type already read, none.
func TestDecodeInboxResponseAllocs(t *testing.T) {
	body := `<Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'>` + strings.Repeat("<Nm>ООО Нефтеэкспорт</Nm>", 80) + `</Document>`
	for _, tt := range []struct {
		name   string
		page   string
		allocs float64
	}{
		{"Body", `{"messages":[{"body":"` + body + `"}]}`, 1},
		{"EscapedBody", `{"messages":[{"body":"` + strings.ReplaceAll(body, "'", `\"`) + `"}]}`, 2}, // The string, and the decoder's buffer once a page.
		{"SameSignature", `{"messages":[{"signature":"sig","msgDefId":"pacs.008.001.08"},{"signature":"sig","msgDefId":"pacs.008.001.08"}]}`, 2},
		{"Path", `{"messages":[{"batch":{"path":[` + hashHex("a") + `,` + hashHex("b") + `]}}]}`, 2}, // The batch and its path.
	} {
		t.Run(tt.name, func(t *testing.T) {
			var resp httpapi.InboxResponse
			if err := httpapi.DecodeInboxResponse([]byte(tt.page), &resp); err != nil {
				t.Fatal(err)
			}
			page := []byte(tt.page)
			got := testing.AllocsPerRun(100, func() {
				msgs := resp.Messages // Decoded into again, without the batch.
				for i := range msgs {
					msgs[i] = httpapi.InboxMessageBody{}
				}
				if err := httpapi.DecodeInboxResponse(page, &resp); err != nil {
					t.Fatal(err)
				}
			})
			if got != tt.allocs {
				t.Errorf("DecodeInboxResponse(%.60q) into the messages it had: %v allocations; want %v", tt.page, got, tt.allocs)
			}
		})
	}
}

// bankD is the bank whose inbox the tests of pages read: it pays A and A
// pays it, so that its inbox holds pacs.008s and pacs.002s.
const bankD corridor.BIC = "DEMOINDDXXX"

// mustInboxPages starts a hub and returns two readings of bankD's inbox as
// the hub writes them, of n messages: half pacs.008s paid to it by A, half
// pacs.002s on its own payments to A. The first is read with sign=batch,
// the second with a signature per message (and so marked possible
// duplicates).
func mustInboxPages(tb testing.TB, n int) (batch, each []byte) {
	tb.Helper()
	f := mustFixture(tb)
	d := mustRawBank(tb, f, bankD, "Demo Bank D of India", "INR")
	mustFund(tb, f.op, bankD, "INR", "1000.00")
	for i := range n {
		if i%2 == 0 {
			mustSubmit(tb, f.a, mustEncode(tb, rupees(1000+i, bankA, bankD, corridor.Amount(100_00+i))))
		} else {
			mustSubmit(tb, d.client, mustEncode(tb, rupees(2000+i, bankD, bankA, corridor.Amount(1_00+i))))
		}
	}
	read := func(query string) []byte {
		a := d.send(f, http.MethodGet, "/v1/inbox?"+query, nil, "")
		if a.status != http.StatusOK {
			tb.Fatalf("GET /v1/inbox?%s = %s", query, a)
		}
		return []byte(a.body)
	}
	return read("sign=batch"), read("sign=message")
}

// TestDecodeInboxResponseHubPage decodes pages the hub wrote as
// json.Unmarshal does, and the client reads and verifies them with it.
func TestDecodeInboxResponseHubPage(t *testing.T) {
	batch, each := mustInboxPages(t, 6)
	for _, page := range [][]byte{batch, each} {
		if !checkDecodesAsJSON(t, page) {
			t.Fatalf("json.Unmarshal refuses the hub's page %.200q", page)
		}
		var resp httpapi.InboxResponse
		if err := httpapi.DecodeInboxResponse(page, &resp); err != nil {
			t.Fatal(err)
		}
		types := map[string]int{}
		for _, m := range resp.Messages {
			types[m.MsgDefID]++
		}
		if want := map[string]int{iso20022.MsgDefCustomerCreditTransfer: 3, iso20022.MsgDefStatusReport: 3}; !reflect.DeepEqual(types, want) {
			t.Errorf("the page holds %v; want %v", types, want)
		}
	}
}

// TestInboxDecodes reads a page through the client, which decodes it with
// DecodeInboxResponse and verifies the hub's signatures on it.
func TestInboxDecodes(t *testing.T) {
	f := mustFixture(t)
	for i := range 3 {
		mustSubmit(t, f.a, mustEncode(t, rupees(i, bankA, bankB, 1_00)))
	}
	got := mustInbox(t, f.b, 0)
	if len(got) != 3 || got[0].Batch == nil || got[0].Body == "" || got[2].Seq != 3 {
		t.Fatalf("Inbox = %+v; want 3 messages signed as a page", got)
	}
}

// FuzzDecodeInboxResponse checks that DecodeInboxResponse decodes what
// json.Unmarshal decodes and refuses what it refuses, seeded with the
// hub's own pages and inboxCorners.
func FuzzDecodeInboxResponse(f *testing.F) {
	batch, each := mustInboxPages(f, 3)
	f.Add(batch)
	f.Add(each)
	f.Add([]byte(reusedPage))
	for _, tt := range inboxCorners {
		if len(tt.page) <= 4096 {
			f.Add([]byte(tt.page))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return // A page of MaxInboxRead messages of 10 KiB each.
		}
		checkDecodesAsJSON(t, data)
	})
}

// BenchmarkDecodeInboxPage decodes a page of 64 messages as the hub writes
// it for sign=batch, half pacs.008s and half pacs.002s, with json.Unmarshal
// (old) and DecodeInboxResponse (new).
func BenchmarkDecodeInboxPage(b *testing.B) {
	page, _ := mustInboxPages(b, 64)
	var resp httpapi.InboxResponse
	if err := json.Unmarshal(page, &resp); err != nil || len(resp.Messages) != 64 {
		b.Fatalf("the page of %d bytes: %d messages, %v; want 64", len(page), len(resp.Messages), err)
	}
	b.Logf("a page of %d bytes: %s", len(page), pageSizes(resp))
	for _, impl := range []struct {
		name   string
		decode func([]byte, *httpapi.InboxResponse) error
	}{{"old", func(data []byte, r *httpapi.InboxResponse) error { return json.Unmarshal(data, r) }}, {"new", httpapi.DecodeInboxResponse}} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				var resp httpapi.InboxResponse
				if err := impl.decode(page, &resp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// pageSizes says how large the page's bodies are, by message type.
func pageSizes(resp httpapi.InboxResponse) string {
	bytes, count := map[string]int{}, map[string]int{}
	for _, m := range resp.Messages {
		bytes[m.MsgDefID] += len(m.Body)
		count[m.MsgDefID]++
	}
	var s []string
	for t, n := range count {
		s = append(s, fmt.Sprintf("%d %s of %d bytes on average", n, t, bytes[t]/n))
	}
	return strings.Join(s, ", ")
}
