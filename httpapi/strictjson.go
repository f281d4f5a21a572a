package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// MaxJSONDepth bounds the nesting of a JSON request body.
const MaxJSONDepth = 16

// errBadJSON marks a request body that is not exactly the JSON an endpoint
// takes: 400, with the field it names.
var errBadJSON = errors.New("httpapi: request body refused")

// decodeStrict decodes body into v, a pointer to a request struct, and
// refuses what encoding/json would let pass: unknown fields, fields in
// another case, a key given twice, trailing data, and null or no value for
// a field without omitempty. The error names the field.
func decodeStrict(body []byte, v any) error {
	if err := checkSyntax(body); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	if err := checkFields(body, reflect.TypeOf(v).Elem(), ""); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", errBadJSON, err)
	}
	return nil
}

// checkSyntax refuses a body that is not one JSON value, nested at most
// MaxJSONDepth deep, with no key twice in an object.
func checkSyntax(body []byte) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := walkValue(d, "", 0); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// walkValue reads one value from d; path names it in errors.
func walkValue(d *json.Decoder, path string, depth int) error {
	if depth > MaxJSONDepth {
		return fmt.Errorf("nested deeper than %d", MaxJSONDepth)
	}
	tok, err := d.Token()
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	switch tok {
	case json.Delim('{'):
		return walkObject(d, path, depth)
	case json.Delim('['):
		for i := 0; d.More(); i++ {
			if err := walkValue(d, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
		_, err := d.Token() // ']'
		return err
	}
	return nil
}

func walkObject(d *json.Decoder, path string, depth int) error {
	seen := map[string]bool{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return fmt.Errorf("not JSON: %v", err)
		}
		key, _ := tok.(string) // Object keys are strings.
		if seen[key] {
			return fmt.Errorf("field %q given twice", join(path, key))
		}
		seen[key] = true
		if err := walkValue(d, join(path, key), depth+1); err != nil {
			return err
		}
	}
	_, err := d.Token() // '}'
	return err
}

// checkFields checks the object in raw against struct type t: every key is
// one of t's JSON names, spelled exactly, and every field without omitempty
// is there and not null. It descends into nested structs, slices and maps.
func checkFields(raw []byte, t reflect.Type, path string) error {
	switch t.Kind() {
	case reflect.Pointer:
		return checkFields(raw, t.Elem(), path)
	case reflect.Slice:
		return checkElems(raw, t.Elem(), path)
	case reflect.Map:
		return checkMapValues(raw, t.Elem(), path)
	case reflect.Struct:
		return checkStruct(raw, t, path)
	}
	return nil
}

func checkStruct(raw []byte, t reflect.Type, path string) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("%s must be an object, not null", orBody(path))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return fmt.Errorf("%s must be an object", orBody(path))
	}
	fields := jsonFields(t)
	for key, val := range obj {
		f, ok := fields[key]
		if !ok {
			return fmt.Errorf("unknown field %q", join(path, key))
		}
		if err := checkFields(val, f.Type, join(path, key)); err != nil {
			return err
		}
	}
	for name, f := range fields {
		val, ok := obj[name]
		if !f.optional && (!ok || bytes.Equal(bytes.TrimSpace(val), []byte("null"))) {
			return fmt.Errorf("field %q is required", join(path, name))
		}
	}
	return nil
}

func checkElems(raw []byte, elem reflect.Type, path string) error {
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil // Not a list: the decoder names the type error.
	}
	for i, e := range elems {
		if err := checkFields(e, elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkMapValues(raw []byte, elem reflect.Type, path string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil // Not an object: the decoder names the type error.
	}
	for k, v := range m {
		if err := checkFields(v, elem, join(path, k)); err != nil {
			return err
		}
	}
	return nil
}

// jsonField is a struct field as JSON names it.
type jsonField struct {
	reflect.StructField
	optional bool // Tagged omitempty: it may be left out.
}

// jsonFields are t's exported fields by their exact JSON names.
func jsonFields(t reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
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
		out[name] = jsonField{StructField: f, optional: strings.Contains(","+opts+",", ",omitempty,")}
	}
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orBody(path string) string {
	if path == "" {
		return "the body"
	}
	return fmt.Sprintf("field %q", path)
}
