package httpapi_test

import (
	"context"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/corridor-network/corridor/httpapi"
)

// openAPIFile is the API's OpenAPI 3.1 description.
var openAPIFile = filepath.Join("..", "docs", "openapi.yaml")

// wireSchemas are the schemas of docs/openapi.yaml that describe a body of
// wire.go, by the Go type they describe; strict says the server decodes the
// type strictly (decodeStrict), so the schema refuses unknown properties.
var wireSchemas = map[string]struct {
	typ    any
	strict bool
}{
	"ErrorBody": {httpapi.ErrorBody{}, false}, "ProblemBody": {httpapi.ProblemBody{}, false},
	"SubmitResponse": {httpapi.SubmitResponse{}, false}, "InboxResponse": {httpapi.InboxResponse{}, false},
	"InboxMessageBody": {httpapi.InboxMessageBody{}, false}, "AckRequest": {httpapi.AckRequest{}, true},
	"AccountsResponse": {httpapi.AccountsResponse{}, false}, "BalanceBody": {httpapi.BalanceBody{}, false},
	"TrackResponse": {httpapi.TrackResponse{}, false}, "LegBody": {httpapi.LegBody{}, false},
	"EventBody": {httpapi.EventBody{}, false}, "RegisterRequest": {httpapi.RegisterRequest{}, true},
	"RevokeRequest": {httpapi.RevokeRequest{}, true}, "RelationshipsBody": {httpapi.RelationshipsBody{}, true},
	"RelationshipBody": {httpapi.RelationshipBody{}, true}, "RegisterResponse": {httpapi.RegisterResponse{}, false},
	"FundRequest": {httpapi.FundRequest{}, true}, "SettlementReportBody": {httpapi.SettlementReportBody{}, false},
	"CycleBody": {httpapi.CycleBody{}, false}, "MovementBody": {httpapi.MovementBody{}, false},
	"QueueResponse": {httpapi.QueueResponse{}, false}, "QueuedBody": {httpapi.QueuedBody{}, false},
	"DayBody": {httpapi.DayBody{}, false}, "MoveRequest": {httpapi.MoveRequest{}, true},
	"PositionsResponse": {httpapi.PositionsResponse{}, false}, "PositionBody": {httpapi.PositionBody{}, false},
	"RateBody": {httpapi.RateBody{}, true}, "RatesResponse": {httpapi.RatesResponse{}, false},
	"QuoteRequest": {httpapi.QuoteRequest{}, true}, "QuoteBody": {httpapi.QuoteBody{}, false},
	"ListRequest": {httpapi.ListRequest{}, false}, "ListBody": {httpapi.ListBody{}, false},
	"HoldBody": {httpapi.HoldBody{}, false}, "HitBody": {httpapi.HitBody{}, false},
	"DecisionRequest": {httpapi.DecisionRequest{}, true}, "OfferRequest": {httpapi.OfferRequest{}, true},
	"OfferBody": {httpapi.OfferBody{}, false}, "OffersResponse": {httpapi.OffersResponse{}, false},
	"HubAccountBody": {httpapi.HubAccountBody{}, false}, "HubAccountsResponse": {httpapi.HubAccountsResponse{}, false},
	"RoundingAccrualBody": {httpapi.RoundingAccrualBody{}, false}, "ReceiptBody": {httpapi.ReceiptBody{}, false},
	"LimitsBody": {httpapi.LimitsBody{}, true}, "MessageBody": {httpapi.MessageBody{}, false},
	"NotificationsBody": {httpapi.NotificationsBody{}, true}, "BatchRequest": {httpapi.BatchRequest{}, true},
	"BatchResponse": {httpapi.BatchResponse{}, false}, "BatchResult": {httpapi.BatchResult{}, false},
	"BatchProofBody": {httpapi.BatchProofBody{}, false},
}

// scalarSchemas are the schemas of docs/openapi.yaml that describe a value
// inside a body rather than a body.
var scalarSchemas = []string{"Amount", "BIC", "Currency", "Reason", "Status", "UETR"}

// TestOpenAPI loads docs/openapi.yaml with kin-openapi and validates it,
// every example in it included, as OpenAPI 3.1.
func TestOpenAPI(t *testing.T) {
	doc := mustLoadOpenAPI(t)
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("docs/openapi.yaml is OpenAPI %s; want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation(), openapi3.EnableSchemaPatternValidation()); err != nil {
		t.Fatalf("docs/openapi.yaml does not validate: %v", err)
	}
}

// TestOpenAPIRoutes checks that docs/openapi.yaml describes every route the
// server registers and nothing else.
func TestOpenAPIRoutes(t *testing.T) {
	doc := mustLoadOpenAPI(t)
	var described []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described = append(described, method+" "+path)
		}
	}
	registered := httpapi.Routes()
	for _, r := range registered {
		if !slices.Contains(described, r) {
			t.Errorf("route %q is registered but not in docs/openapi.yaml", r)
		}
	}
	for _, d := range described {
		if !slices.Contains(registered, d) {
			t.Errorf("docs/openapi.yaml describes %q, which the server does not register", d)
		}
	}
	if len(registered) == 0 {
		t.Fatal("httpapi.Routes() is empty")
	}
}

// TestOpenAPISchemas checks each body schema against its Go type: the same
// properties, required exactly when the field has no omitempty (the strict
// decoder requires it, and the server always writes it), and unknown
// properties refused where the server refuses them.
func TestOpenAPISchemas(t *testing.T) {
	doc := mustLoadOpenAPI(t)
	want := slices.Sorted(slices.Values(append(slices.Collect(maps.Keys(wireSchemas)), scalarSchemas...)))
	if got := slices.Sorted(maps.Keys(doc.Components.Schemas)); !slices.Equal(got, want) {
		t.Errorf("docs/openapi.yaml schemas = %v; want %v", got, want)
	}
	for name, w := range wireSchemas {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			continue
		}
		checkSchema(t, name, ref.Value, reflect.TypeOf(w.typ), w.strict)
	}
}

func checkSchema(t *testing.T, name string, s *openapi3.Schema, typ reflect.Type, strict bool) {
	t.Helper()
	props, required := jsonFields(typ)
	if got := slices.Sorted(maps.Keys(s.Properties)); !slices.Equal(got, props) {
		t.Errorf("schema %s has properties %v; %s has %v", name, got, typ, props)
	}
	if got := slices.Sorted(slices.Values(s.Required)); !slices.Equal(got, required) {
		t.Errorf("schema %s requires %v; %s always has %v", name, got, typ, required)
	}
	refuses := s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
	if refuses != strict {
		t.Errorf("schema %s: additionalProperties false is %v; the server decodes %s strictly: %v", name, refuses, typ, strict)
	}
}

// jsonFields are the JSON names of typ's fields, embedded structs
// flattened as encoding/json does, and those without omitempty, sorted.
func jsonFields(typ reflect.Type) (all, required []string) {
	for f := range typ.Fields() {
		if f.Anonymous {
			a, r := jsonFields(f.Type)
			all, required = append(all, a...), append(required, r...)
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			required = append(required, name)
		}
	}
	slices.Sort(all)
	slices.Sort(required)
	return all, required
}

// TestOpenAPIExamples validates every example of every request and response
// body against its schema with JSON Schema 2020-12, as a second check that
// doc.Validate does, and checks that the validator refuses a body with an
// unknown field, so that a validator that accepted everything would fail.
func TestOpenAPIExamples(t *testing.T) {
	doc := mustLoadOpenAPI(t)
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for where, mt := range mediaTypes(op) {
				for ename, ex := range mt.Examples {
					n++
					if err := mt.Schema.Value.VisitJSON(ex.Value.Value, openapi3.EnableJSONSchema2020()); err != nil {
						t.Errorf("%s %s %s example %s: %v", method, path, where, ename, err)
					}
				}
			}
		}
	}
	if n < 40 {
		t.Errorf("docs/openapi.yaml has %d examples of bodies; want at least 40", n)
	}
	ack := doc.Components.Schemas["AckRequest"].Value
	if err := ack.VisitJSON(map[string]any{"through": 1.0, "Through": 2.0}, openapi3.EnableJSONSchema2020()); err == nil {
		t.Error("AckRequest accepts an unknown field")
	}
}

// mediaTypes are the JSON bodies of op, by where they are.
func mediaTypes(op *openapi3.Operation) map[string]*openapi3.MediaType {
	out := map[string]*openapi3.MediaType{}
	if op.RequestBody != nil {
		if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil {
			out["request"] = mt
		}
	}
	for code, resp := range op.Responses.Map() {
		if mt := resp.Value.Content.Get("application/json"); mt != nil {
			out["response "+code] = mt
		}
	}
	return out
}

func mustLoadOpenAPI(tb testing.TB) *openapi3.T {
	tb.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(openAPIFile)
	if err != nil {
		tb.Fatalf("load %s: %v", openAPIFile, err)
	}
	return doc
}
