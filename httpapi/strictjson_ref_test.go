package httpapi

// The strict decoder of request bodies as strictjson.go had it at 25b040d,
// before it checked a body in one pass: a walk of json.Decoder.Token for the
// syntax, then json.RawMessage per nesting level for the fields. It is kept
// here unchanged but for its names, as the reference that
// FuzzDecodeStrictMatchesReference and BenchmarkDecodeStrictBatch compare
// decodeStrict with.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// refDecodeStrict decodes body into v, a pointer to a request struct, and
// refuses what encoding/json would let pass: unknown fields, fields in
// another case, a key given twice, trailing data, and null or no value for
// a field without omitempty. The error names the field.
func refDecodeStrict(body []byte, v any) error {
	if err := refCheckSyntax(body); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	if err := refCheckFields(body, reflect.TypeOf(v).Elem(), ""); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	return nil
}

// refCheckSyntax refuses a body that is not one JSON value, nested at most
// MaxJSONDepth deep, with no key twice in an object.
func refCheckSyntax(body []byte) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := refWalkValue(d, "", 0); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// refWalkValue reads one value from d; path names it in errors.
func refWalkValue(d *json.Decoder, path string, depth int) error {
	if depth > MaxJSONDepth {
		return fmt.Errorf("nested deeper than %d", MaxJSONDepth)
	}
	tok, err := d.Token()
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	switch tok {
	case json.Delim('{'):
		return refWalkObject(d, path, depth)
	case json.Delim('['):
		for i := 0; d.More(); i++ {
			if err := refWalkValue(d, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		_, err := d.Token() // ']'
		return err
	}
	return nil
}

func refWalkObject(d *json.Decoder, path string, depth int) error {
	seen := map[string]bool{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("not JSON: %v", err)
		}
		key, _ := tok.(string) // Object keys are strings.
		if seen[key] {
			return fmt.Errorf("field %q given twice", refJoin(path, key))
		}
		seen[key] = true
		if err := refWalkValue(d, refJoin(path, key), depth+1); err != nil {
			return err
		}
	}
	_, err := d.Token() // '}'
	return err
}

// refCheckFields checks the object in raw against struct type t: every key is
// one of t's JSON names, spelled exactly, and every field without omitempty
// is there and not null. It descends into nested structs, slices and maps.
func refCheckFields(raw []byte, t reflect.Type, path string) error {
	switch t.Kind() {
	case reflect.Pointer:
		return refCheckFields(raw, t.Elem(), path)
	case reflect.Slice:
		return refCheckElems(raw, t.Elem(), path)
	case reflect.Map:
		return refCheckMapValues(raw, t.Elem(), path)
	case reflect.Struct:
		return refCheckStruct(raw, t, path)
	}
	return nil
}

func refCheckStruct(raw []byte, t reflect.Type, path string) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("%s must be an object, not null", refOrBody(path))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return fmt.Errorf("%s must be an object", refOrBody(path))
	}
	fields := refJSONFields(t)
	for key, val := range obj {
		f, ok := fields[key]
		if !ok {
			return fmt.Errorf("unknown field %q", refJoin(path, key))
		}
		if err := refCheckFields(val, f.Type, refJoin(path, key)); err != nil {
			return err
		}
	}
	for name, f := range fields {
		val, ok := obj[name]
		if !f.optional && (!ok || bytes.Equal(bytes.TrimSpace(val), []byte("null"))) {
			return fmt.Errorf("field %q is required", refJoin(path, name))
		}
	}
	return nil
}

func refCheckElems(raw []byte, elem reflect.Type, path string) error {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil // Not a list: the decoder names the type error.
	}
	for i, e := range elems {
		if err := refCheckFields(e, elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func refCheckMapValues(raw []byte, elem reflect.Type, path string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil // Not an object: the decoder names the type error.
	}
	for k, v := range m {
		if err := refCheckFields(v, elem, refJoin(path, k)); err != nil {
			return err
		}
	}
	return nil
}

// refJSONField is a struct field as JSON names it.
type refJSONField struct {
	reflect.StructField
	optional bool // Tagged omitempty: it may be left out.
}

// refJSONFields are t's exported fields by their exact JSON names.
func refJSONFields(t reflect.Type) map[string]refJSONField {
	out := map[string]refJSONField{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		out[name] = refJSONField{StructField: f, optional: strings.Contains(","+opts+",", ",omitempty,")}
	}
	return out
}

func refJoin(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func refOrBody(path string) string {
	if path == "" {
		return "the body"
	}
	return fmt.Sprintf("field %q", path)
}
