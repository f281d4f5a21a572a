package httpapi

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeStrictRefuses checks what decodeStrict says of each body it
// refuses: the fault first in the body, the field named by its path.
func TestDecodeStrictRefuses(t *testing.T) {
	deep := func(n int, inner string) string { return strings.Repeat("[", n) + inner + strings.Repeat("]", n) }
	tests := []struct {
		name   string
		target func() any
		body   string
		want   string // After "httpapi: request body refused: ".
	}{
		{"Unknown", newAck, `{"through":1,"thru":2}`, `unknown field "thru"`},
		{"OtherCase", newAck, `{"Through":1}`, `unknown field "Through"`},
		{"FirstUnknown", newRegister, `{"a":1,"b":2}`, `unknown field "a"`},
		{"UnknownBeforeRequired", newRegister, `{"bic":"B","x":1}`, `unknown field "x"`},
		{"Required", newRegister, `{"bic":"B","currencies":[],"csr":"c"}`, `field "name" is required`},
		{"FirstRequired", newRegister, `{}`, `field "bic" is required`},
		{"RequiredNull", newAck, `{"through":null}`, `field "through" is required`},
		{"OptionalNull", newAck, `{"through":1}`, ""},
		{"Twice", newAck, `{"through":1,"through":2}`, `field "through" given twice`},
		{"TwiceEscaped", newAck, `{"through":1,"thro\u0075gh":2}`, `field "through" given twice`},
		{"TwiceSurrogates", newAck, `{"\ud800":1,"\udc00":2}`, "field \"\ufffd\" given twice"},
		{"TwiceInvalidUTF8", newAck, "{\"\xff\":1,\"\\ufffd\":2}", "field \"\ufffd\" given twice"},
		{"TwiceNested", newRelationships, `{"mode":"m","allow":[{},{"messages":[],"messages":[]}]}`, `field "allow[1].messages" given twice`},
		{"TwiceManyKeys", newAck, manyKeys(40, 33), `field "k33" given twice`},
		{"TwiceInUnknown", newAck, `{"x":{"y":1,"y":2}}`, `field "x.y" given twice`},
		{"TwiceBeforeUnknown", newAck, `{"x":1,"through":1,"through":2}`, `field "through" given twice`},
		{"EscapedKnown", newAck, `{"\u0074hrough":7}`, ""},
		{"NestedUnknown", newRelationships, `{"mode":"m","allow":[{"counterparty":"C","messages":[],"expires":"never"}]}`, `unknown field "allow[0].expires"`},
		{"NestedRequired", newRelationships, `{"mode":"m","allow":[{"counterparty":"C","messages":[]},{"counterparty":"C"}]}`, `field "allow[1].messages" is required`},
		{"NestedNull", newRelationships, `{"mode":"m","allow":[null]}`, `field "allow[0]" must be an object, not null`},
		{"NestedNotObject", newRelationships, `{"mode":"m","allow":["x"]}`, `field "allow[0]" must be an object`},
		{"NestedBeforeRequired", newRelationships, `{"allow":[{"x":1}]}`, `unknown field "allow[0].x"`},
		{"NotAList", newRelationships, `{"mode":"m","allow":{"counterparty":"C"}}`, "json: cannot unmarshal object into Go struct field RelationshipsBody.allow of type []httpapi.RelationshipBody"},
		{"BodyNull", newAck, `null`, "the body must be an object, not null"},
		{"BodyList", newAck, `[]`, "the body must be an object"},
		{"BodyString", newAck, ` "x" `, "the body must be an object"},
		{"MapValue", newShape, `{"name":"n","by_key":{"a":{"id":1},"b":{"id":2,"x":0}}}`, `unknown field "by_key.b.x"`},
		{"MapValueNull", newShape, `{"name":"n","by_key":{"a":null}}`, `field "by_key.a" must be an object, not null`},
		{"MapValueRequired", newShape, `{"name":"n","by_num":{"7":{}}}`, `field "by_num.7.id" is required`},
		{"Grid", newShape, `{"name":"n","grid":[[{"id":1}],[{"id":1},{}]]}`, `field "grid[1][1].id" is required`},
		{"PointerNull", newShape, `{"name":"n","ptr":null}`, `field "ptr" must be an object, not null`},
		{"Recursive", newShape, `{"name":"n","self":{"name":"m","self":{"self":{}}}}`, `field "self.self.self.name" is required`},
		{"ArrayLeftToJSON", newShape, `{"name":"n","pair":[{"id":1,"x":2}]}`, `json: unknown field "x"`},
		{"ListOfBodies", newList, `[{"name":"n"},{"name":"n","x":1}]`, `unknown field "[1].x"`},
		{"MapBody", newMap, `{"":null}`, "the body must be an object, not null"},
		{"MapBodyNested", newMapOfMaps, `{"":{"":null}}`, "the body must be an object, not null"}, // As the reference says: a path of empty keys reads as the body.,
		{"Type", newAck, `{"through":"1"}`, "json: cannot unmarshal string into Go struct field AckRequest.through of type uint64"},
		{"Huge", newAck, `{"through":1e400}`, "json: cannot unmarshal number 1e400 into Go struct field AckRequest.through of type uint64"},
		{"Trailing", newAck, `{"through":1} {"through":2}`, "data after the JSON value"},
		{"TrailingObject", newAck, `{"a":1}{"b":2}`, "data after the JSON value"},
		{"TrailingBrace", newAck, `{"through":1}}`, "data after the JSON value"},
		{"TrailingAfterFieldFault", newAck, `{"x":1}]`, "data after the JSON value"},
		{"TrailingBOM", newAck, "{\"through\":1}\ufeff", "data after the JSON value"},
		{"TrailingSpace", newAck, "\t{\"through\":1}\r\n ", ""},
		{"Deep", newAck, deep(100, ""), "nested deeper than 16"},
		{"DeepestEmpty", newAck, deep(17, ""), "the body must be an object"},
		{"DeepestScalar", newAck, deep(16, "1"), "the body must be an object"},
		{"DeepScalar", newAck, deep(17, "1"), "nested deeper than 16"},
		{"DeepObject", newAck, strings.Repeat(`{"a":`, 17) + "{}" + strings.Repeat("}", 17), "nested deeper than 16"},
		{"DeepBeforeColon", newAck, deep(16, `{"a"}`), "nested deeper than 16"},
		{"DeepAfterUnknown", newAck, `{"x":` + deep(20, "") + `}`, "nested deeper than 16"},
		{"Syntax", newAck, `through=1`, "not JSON: invalid character 'h' in literal true (expecting 'r')"},
		{"SyntaxAfterUnknown", newAck, `{"x":1,}`, "not JSON: invalid character '}' looking for beginning of object key string"},
		{"ElementComma", newAck, `[1,]`, "not JSON: invalid character ']' looking for beginning of value"},
		{"MissingColon", newAck, `{"through" 1}`, "not JSON: invalid character '1' after object key"},
		{"LeadingZero", newAck, `{"through":01}`, "not JSON: invalid character '1' after object key:value pair"},
		{"Plus", newAck, `{"through":+1}`, "not JSON: invalid character '+' looking for beginning of value"},
		{"Control", newDecision, "{\"why\":\"a\x00b\"}", `not JSON: invalid character '\x00' in string literal`},
		{"Escape", newDecision, `{"why":"\x41"}`, "not JSON: invalid character 'x' in string escape code"},
		{"ShortUnicode", newDecision, `{"why":"\u00"}`, "not JSON: invalid character '\"' in \\u hexadecimal character escape"},
		{"BOM", newAck, "\ufeff{\"through\":1}", "not JSON: invalid character 'ï' looking for beginning of value"},
		{"Empty", newAck, ``, "not JSON: EOF"},
		{"Spaces", newAck, " \n", "not JSON: EOF"},
		{"Truncated", newAck, `{"through":1`, "not JSON: unexpected EOF"},
		{"TruncatedLiteral", newDecision, `{"why":"x","whitelist":tru`, "not JSON: unexpected EOF"},
		{"TruncatedString", newDecision, `{"why":"x`, "not JSON: unexpected EOF"},
		{"LoneSurrogateValue", newDecision, `{"why":"\ud800"}`, ""},
		{"InvalidUTF8Value", newDecision, "{\"why\":\"\xff\"}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := decodeStrict([]byte(tt.body), tt.target())
			got := ""
			if err != nil {
				got = strings.TrimPrefix(err.Error(), errBadJSON.Error()+": ")
			}
			if got != tt.want || err != nil && !errors.Is(err, errBadJSON) {
				t.Errorf("decodeStrict(%q) = %v; want %q", tt.body, err, tt.want)
			}
			checkMatchesReference(t, []byte(tt.body))
		})
	}
}

// TestDecodeStrictPlans checks that every request type of the API is
// decoded with json.Unmarshal after the check, and that types the check
// does not see through are decoded with DisallowUnknownFields.
func TestDecodeStrictPlans(t *testing.T) {
	for _, target := range apiTargets {
		if typ := reflect.TypeOf(target.new()).Elem(); !planOf(typ).checked {
			t.Errorf("planOf(%s).checked = false; want true", typ)
		}
	}
	type embedded struct{ A int }
	for _, typ := range []reflect.Type{
		reflect.TypeFor[strictShape](), // Through its array and its interface.
		reflect.TypeFor[strictEmbeds](),
		strictTwins,
		reflect.TypeFor[struct{ embedded }](),
		reflect.StructOf([]reflect.StructField{ // A name encoding/json takes for invalid, built as linters refuse it.
			{Name: "A", Type: reflect.TypeFor[int](), Tag: `json:"a\\"`},
		}),
		reflect.TypeFor[struct{ A [1]AckRequest }](),
		reflect.TypeFor[map[string]any](),
		reflect.TypeFor[*[]map[string]struct{ A []any }](),
	} {
		if planOf(typ).checked {
			t.Errorf("planOf(%s).checked = true; want false", typ)
		}
	}
}

func newAck() any           { return new(AckRequest) }
func newRegister() any      { return new(RegisterRequest) }
func newRelationships() any { return new(RelationshipsBody) }
func newDecision() any      { return new(DecisionRequest) }
func newShape() any         { return new(strictShape) }
func newList() any          { return new([]strictShape) }
func newMap() any           { return new(map[string]strictInner) }
func newMapOfMaps() any     { return new(map[string]map[string]strictInner) }

// manyKeys is an object of the keys k0 to k(n-1), then k(twice) again.
func manyKeys(n, twice int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, `"k%d":0,`, i)
	}
	fmt.Fprintf(&b, `"k%d":0}`, twice)
	return b.String()
}
