package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// strictTarget is a type a request body is decoded into.
type strictTarget struct {
	name string
	new  func() any // A pointer to a fresh zero value.
}

// apiTargets are the types readJSON and decodeStrict are called with.
var apiTargets = []strictTarget{
	{"BatchRequest", func() any { return new(BatchRequest) }},
	{"ListRequest", func() any { return new(ListRequest) }},
	{"DecisionRequest", func() any { return new(DecisionRequest) }},
	{"OfferRequest", func() any { return new(OfferRequest) }},
	{"AckRequest", func() any { return new(AckRequest) }},
	{"RegisterRequest", func() any { return new(RegisterRequest) }},
	{"RevokeRequest", func() any { return new(RevokeRequest) }},
	{"FundRequest", func() any { return new(FundRequest) }},
	{"RelationshipsBody", func() any { return new(RelationshipsBody) }},
	{"MoveRequest", func() any { return new(MoveRequest) }},
	{"RateBody", func() any { return new(RateBody) }},
	{"QuoteRequest", func() any { return new(QuoteRequest) }},
	{"LimitsBody", func() any { return new(LimitsBody) }},
	{"NotificationsBody", func() any { return new(NotificationsBody) }},
}

// shapeTargets have the kinds of fields the API's types lack: strictShape
// as a body and in a list; maps; embedded structs and fields that share a
// name.
var shapeTargets = []strictTarget{
	{"strictShape", func() any { return new(strictShape) }},
	{"*strictShape", func() any { return new(*strictShape) }},
	{"[]strictShape", func() any { return new([]strictShape) }},
	{"map[string]map[string]strictInner", func() any { return new(map[string]map[string]strictInner) }},
	{"strictEmbeds", func() any { return new(strictEmbeds) }},
	{"strictTwins", func() any { return reflect.New(strictTwins).Interface() }},
}

// strictTargets are what FuzzDecodeStrictMatchesReference decodes into.
var strictTargets = append(append([]strictTarget(nil), apiTargets...), shapeTargets...)

// strictShape has a field of each kind decodeStrict treats in its own way:
// nested structs by value and by pointer, maps and lists of them, an array
// (left to encoding/json), an interface, a raw message, a recursive field,
// fields JSON skips and one without a name in its tag.
type strictShape struct {
	Name     string                  `json:"name"`
	Note     *string                 `json:"note,omitempty"`
	Inner    strictInner             `json:"inner,omitempty"`
	Ptr      *strictInner            `json:"ptr,omitempty"`
	List     []strictInner           `json:"list,omitempty"`
	Grid     [][]*strictInner        `json:"grid,omitempty"`
	ByKey    map[string]strictInner  `json:"by_key,omitempty"`
	ByNum    map[int]*strictInner    `json:"by_num,omitempty"`
	Pair     [2]strictInner          `json:"pair,omitempty"`
	Any      any                     `json:"any,omitempty"`
	Raw      json.RawMessage         `json:"raw,omitempty"`
	Number   json.Number             `json:"number,omitempty"`
	Bytes    []byte                  `json:"bytes,omitempty"`
	Self     *strictShape            `json:"self,omitempty"`
	Skipped  int                     `json:"-"`
	Untagged map[string]*strictInner `json:",omitempty"`
	Quoted   int64                   `json:"quoted,string,omitempty"`
}

type strictInner struct {
	ID   uint64   `json:"id"`
	Tags []string `json:"tags,omitempty"`
}

// strictEmbeds embeds structs, whose fields encoding/json promotes; the
// check knows an embedded field by its type's name, if exported.
type strictEmbeds struct {
	strictInner
	*StrictExported
	Name string `json:"name,omitempty"`
}

// StrictExported is embedded in strictEmbeds.
type StrictExported struct {
	Note string `json:"note"`
}

// strictTwins has two fields of one JSON name, which the check knows as the
// last of them and encoding/json not at all. It is built, as vet refuses to
// see it written.
var strictTwins = reflect.StructOf([]reflect.StructField{
	{Name: "A", Type: reflect.TypeFor[string](), Tag: `json:"twin,omitempty"`},
	{Name: "B", Type: reflect.TypeFor[[]strictInner](), Tag: `json:"twin,omitempty"`},
	{Name: "C", Type: reflect.TypeFor[int](), Tag: `json:"c"`},
})

// checkMatchesReference fails t unless decodeStrict and refDecodeStrict
// agree on body for every target: both accept it and decode equal values,
// or both refuse it with errBadJSON and a message the reference gives.
func checkMatchesReference(t *testing.T, body []byte) {
	t.Helper()
	for _, target := range strictTargets {
		got, want := target.new(), target.new()
		errGot, errWant := decodeStrict(body, got), refDecodeStrict(body, want)
		switch {
		case errGot == nil && errWant == nil:
			if diff := cmp.Diff(want, got, cmp.Exporter(func(reflect.Type) bool { return true })); diff != "" {
				t.Errorf("%s: decodeStrict(%q) differs from the reference (-want +got):\n%s", target.name, body, diff)
			}
		case errGot == nil:
			t.Errorf("%s: decodeStrict(%q) accepts what the reference refuses: %v", target.name, body, errWant)
		case errWant == nil:
			t.Errorf("%s: decodeStrict(%q) = %v; the reference accepts it", target.name, body, errGot)
		case !errors.Is(errGot, errBadJSON):
			t.Errorf("%s: decodeStrict(%q) = %v, not errBadJSON", target.name, body, errGot)
		case !sameRefusal(body, target, errGot, errWant):
			t.Errorf("%s: decodeStrict(%q) = %v; the reference says %v", target.name, body, errGot, errWant)
		}
	}
}

// sameRefusal reports whether got is a refusal the reference gives for
// body: the same message; or for a body that is not JSON, one from
// encoding/json as well (json.Decoder.Token and the scanner word some
// errors differently); or, since the reference checks fields in the order
// of a map and so names one of several faults at random, the message of
// another of its runs.
func sameRefusal(body []byte, target strictTarget, got, want error) bool {
	if got.Error() == want.Error() {
		return true
	}
	if notJSON(got) && notJSON(want) {
		return true
	}
	for range 200 {
		if err := refDecodeStrict(body, target.new()); err != nil && err.Error() == got.Error() {
			return true
		}
	}
	return false
}

// notJSON reports whether err refuses a body for its syntax, in the words
// of encoding/json: decodeStrict's "not JSON: ...", or the reference's
// errors from json.Decoder.Token, some of which it returned bare.
func notJSON(err error) bool {
	msg, ok := strings.CutPrefix(err.Error(), errBadJSON.Error()+": ")
	if !ok {
		return false
	}
	return strings.HasPrefix(msg, "not JSON: ") || strings.HasPrefix(msg, "invalid character ") ||
		msg == "EOF" || msg == "unexpected EOF"
}

// strictSeeds are the bodies of the API's tests of strict JSON, and
// hostile ones.
var strictSeeds = []string{
	// From security_test.go, security_more_test.go and batch_security_test.go.
	`{"serail":"0a"}`, `{}`, `{"serial":"0a","all":true}`, `{"all":true}`, `through=1`,
	`{"through":1,"through":99999}`, `null`, `{"through":null}`, `{"Through":1}`, `{"through":1,"thru":2}`,
	`{"through":1} {"through":2}`, strings.Repeat("[", 100) + strings.Repeat("]", 100),
	`{"mode":"restricted","allow":[{"counterparty":"DEMOINBB","messages":["pacs.008"],"expires":"never"}]}`,
	`{"mode":"everyone"}`, `{"mode":"restricted","allow":[{"counterparty":"DEMOINBB","messages":["pacs.003"]}]}`,
	`{"bic":"DEMOFRPPXXX","name":"n","currencies":["EUR"],"csr":"x","role":"operator"}`,
	`{"BIC":"DEMOFRPPXXX","name":"n","currencies":["EUR"],"csr":"x"}`,
	`{"bic":"DEMOFRPPXXX","name":"n","currencies":"EUR","csr":"x"}`,
	`{"bic":"DEMOFRPPXXX","name":"n","currencies":["EUR"],"csr":"x","validityDays":"3650"}`,
	`{"bic":"DEMOGB2LXXX","currency":"INR","amount":1000000}`, `{"bic":"DEMOGB2LXXX","currency":"INR","amount":"10.001"}`,
	`{"bic":"DEMOGB2LXXX","currency":"INR","amount":"1.00","amount":"1000000.00"}`,
	`{"bic":"DEMOGB2LXXX","currency":"INR","amount":"1.00"}]`, `{"mode":"restricted","mode":"open"}`,
	`{"mode":"restricted","allow":[{"counterparty":"DEMOINBBXXX","messages":"pacs.008"}]}`,
	`{"camt054":"true"}`, `{"Camt054":true}`, `{"camt054":true}`, `{"currency":"INR","reserve":100}`,
	`{"currency":"INR","multilateral":"5.001"}`, `{"currency":"INR","bilateral":{"DEMOINBBXXX":50}}`,
	`{"currency":"INR","bilateral":{"DEMOINBBXXX":"50.00"}}`, `{"currency":"INR","overdraft":"1000000.00"}`,
	`{"pair":"INR/RUB","rate":1.0823}`, `{"pair":"INR/RUB","Rate":"1.0823"}`, `{"pair":"INR/RUB","rate":"1.0823"}`,
	`{"amount":100,"from":"INR","to":"RUB"}`, `{"amount":"1.001","from":"INR","to":"RUB"}`,
	`{"why":"ok","whitelist":"yes"}`, `{"why":null}`, `{"why":"looks fine"}`, `{"to":"front","to":"back"}`,
	`{"to":"top"}`, `{"to":"front","priority":"urgent"}`, `{"serial":10}`, `{"serial":"0a","serial":"0b"}`,
	`{"NAME":"own","format":"csv","files":["` + base64.StdEncoding.EncodeToString([]byte("name\nIvan Petrov\n")) + `"]}`,
	`{"name":"own","format":"csv","files":["bmFtZQo="]}`,
	`{"pair":"INR/RUB","bid":"1.01","ask":"1.02","size":"1000","life_seconds":60}`,
	`{"messages":[]}`, `{"messages":"PEVudmVsb3BlLz4="}`, `{"messages":["PEVudmVsb3BlLz4=","PEVudmVsb3BlLz4="]}`,
	`{"messages":["PEVudmVsb3Bl-_"]}`, `{"signature":"x","messages":["PEVudmVsb3BlLz4="]}`,
	`{"messages":[],"messages":["PEVudmVsb3BlLz4="]}`,
	// A key twice, the second time escaped; or both times spelled apart but
	// unescaped alike, as invalid UTF-8 and lone surrogates are.
	`{"through":1,"thro\u0075gh":2}`, `{"a\u0062":1,"ab":2}`, `{"\ud800":1,"\udc00":2}`, "{\"\xff\":1,\"\\ufffd\":2}",
	`{"messages":["a"],"\u006d\u0065ssages":["b"]}`, `{"mode":"open","allow":[{"counterparty":"X","messages":[],"counterp\u0061rty":"Y"}]}`,
	`{"\u0074hrough":1}`, `{"through\u0000":1}`, `{"through":1,"":2}`, `{"":1,"":2}`,
	`{"\ud800\u0041":1,"\ufffdA":2}`, `{"\ud83d\ude00":1,"😀":2}`, manyKeys(20, 19), manyKeys(40, 33), manyKeys(40, 2),
	`{"mode":"m","allow":[` + strings.TrimSuffix(manyKeys(30, 29), "}") + `,"counterparty":"x"}]}`,
	// Nesting at and past MaxJSONDepth.
	strings.Repeat("[", 17) + strings.Repeat("]", 17), strings.Repeat("[", 18) + strings.Repeat("]", 18),
	strings.Repeat("[", 16) + "1" + strings.Repeat("]", 16), strings.Repeat("[", 17) + "1" + strings.Repeat("]", 17),
	strings.Repeat(`{"a":`, 16) + "{}" + strings.Repeat("}", 16), strings.Repeat(`{"a":`, 17) + "{}" + strings.Repeat("}", 17),
	strings.Repeat(`{"a":`, 16) + `{"b"}` + strings.Repeat("}", 16), strings.Repeat("[", 16) + "[," + strings.Repeat("]", 17),
	strings.Repeat("[", 16) + "[}" + strings.Repeat("]", 16), `{"through":1,"x":` + strings.Repeat("[", 20),
	`{"name":"n","self":{"name":"n","self":{"name":"n","self":{"name":"n","self":{"name":"n","self":{}}}}}}`,
	// Trailing data, truncation and other syntax.
	`{"a":1}{"b":2}`, `{"through":1}x`, `{"through":1} `, "{\"through\":1}\n\t\r ", `{"through":1}}`, `{"through":1}]`,
	`{"through":1`, `{"through":`, `{"through"`, `{"`, `{`, `[`, ``, ` `, `"`, `{"through":1,}`, `{,}`, `[1,]`, `[1 2]`,
	`{"through" 1}`, `{"through":1 "x":2}`, `{1:2}`, `{]`, `[}`, `[1}`, `{"a":1]`, `1`, `1x`, `-`, `1.`, `01`, `nulll`,
	`tru`, `truex`, `"abc"`, `"abc"x`, `[]`, `{"through":01}`, `{"through":-0}`, `{"through":1.5}`, `{"through":1e2}`,
	`{"through":1E+2}`, `{"through":-}`, `{"through":1.e2}`, `{"through":.5}`, `{"through":+1}`, `{"through":0x10}`,
	// Huge numbers, BOM, invalid UTF-8, control characters and escapes.
	`{"through":` + strings.Repeat("9", 400) + `}`, `{"through":1e400}`, `{"through":18446744073709551616}`,
	`{"through":18446744073709551615}`, `{"through":-1}`, "\ufeff{\"through\":1}", "{\"through\":1}\ufeff",
	"{\"why\":\"\xff\xfe\"}", "{\"why\":\"a\x00b\"}", "{\"why\":\"a\tb\"}", "{\"why\":\"\\ud800\"}",
	`{"why":"\ud83d\ude00"}`, `{"why":"\ud83d\u0041"}`, `{"why":"\udc00\ud800"}`, `{"why":"\u00"}`, `{"why":"\x41"}`,
	`{"why":"\'"}`, `{"why":"\/\b\f\n\r\t\"\\"}`, `{"why":"a\`, `{"why":"a`, "{\"why\u00a0\":\"a\"}",
	"{\"why\":\"ok\"}\x00", "\x00{\"why\":\"ok\"}", "{\"why\" :\t\"ok\" , \"whitelist\" : true }",
	`{"why":true}`, `{"why":"x","whitelist":null}`, `{"why":"x","whitelist":false,"whitelist":true}`,
	// The kinds strictShape has.
	`{"name":"n","inner":{"id":1}}`, `{"name":"n","inner":null}`, `{"name":"n","inner":{}}`, `{"name":"n","inner":[]}`,
	`{"name":"n","ptr":null}`, `{"name":"n","ptr":{"id":1,"tags":null}}`, `{"name":"n","list":[{"id":1},null]}`,
	`{"name":"n","list":[{"id":1},{"id":2,"x":3}]}`, `{"name":"n","grid":[[{"id":1}],[null]]}`, `{"name":"n","grid":[["x"]]}`,
	`{"name":"n","by_key":{"a":{"id":1},"b":{}}}`, `{"name":"n","by_key":{"a":null}}`, `{"name":"n","by_num":{"1":{"id":1},"x":{"id":2}}}`,
	`{"name":"n","by_num":{"1":null}}`, `{"name":"n","pair":[{"id":1},{"ID":2,"Tags":["x"]}]}`, `{"name":"n","pair":[{"id":1,"z":0}]}`,
	`{"name":"n","any":{"a":{"a":1,"b":[{},{"c":null}]}}}`, `{"name":"n","any":{"a":1,"a":2}}`, `{"name":"n","raw":{"x":[1,2]}}`,
	`{"name":"n","number":12.5e3}`, `{"name":"n","number":"12"}`, `{"name":"n","bytes":"AQI="}`, `{"name":"n","bytes":[1,2]}`,
	`{"name":"n","Skipped":1}`, `{"name":"n","-":1}`, `{"name":"n","Untagged":{"k":{"id":1}}}`, `{"name":"n","untagged":{}}`,
	`{"name":"n","quoted":"12"}`, `{"name":"n","quoted":12}`, `{"name":null}`, `{"note":"x"}`,
	`{"name":"n","x":1,"y":2,"inner":{"q":1},"list":[{"r":1}]}`, `{"inner":{"tags":[]},"list":[{}],"by_key":{"k":{}}}`,
	`[{"name":"a"},{"name":"b","list":[{"id":1}]}]`, `{"a":{"b":{"id":1}},"c":{}}`, `{"a":{"b":null}}`, `{"":{"":{}}}`,
	`{"id":1,"note":"x"}`, `{"StrictExported":{"note":"x"}}`, `{"strictInner":{"id":1}}`, `{"name":"n","StrictExported":null}`,
	`{"twin":[{"id":1}],"c":1}`, `{"twin":"x","c":1}`, `{"twin":[{}],"c":1}`, `{"c":1}`,
}

func FuzzDecodeStrictMatchesReference(f *testing.F) {
	for _, s := range strictSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkMatchesReference)
}

// FuzzUnquote checks that unquote reads a JSON string as encoding/json
// does.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`"a\u0062"`, `"\ud83d\ude00"`, `"\ud800"`, `"\udc00\ud800x"`, `"\ud800\ud800\udc00"`,
		`"\ud83d\u0041"`, "\"\xff\xfe\"", "\"\xe2\x82\"", `"\/\b\f\n\r\t\"\\"`, `"\u0000"`, `"é"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, quoted []byte) {
		var want string
		if json.Unmarshal(quoted, &want) != nil || len(quoted) < 2 || quoted[0] != '"' || quoted[len(quoted)-1] != '"' {
			return // Not one JSON string, without space around it.
		}
		s := strictScanner{data: quoted}
		key, err := s.key()
		if err != nil || s.pos != len(quoted) {
			t.Fatalf("key of %q: %q, %v, at %d", quoted, key, err, s.pos)
		}
		if string(key) != want {
			t.Errorf("key of %q = %q; encoding/json reads %q", quoted, key, want)
		}
	})
}
