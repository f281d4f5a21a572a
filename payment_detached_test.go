package corridor

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestDetached checks that Detached copies every string of a payment cut
// from a bigger one, and changes no value: a new string field that
// Detached misses fails here.
func TestDetached(t *testing.T) {
	doc := strings.Repeat("x", 64)
	p := Payment{}
	v := reflect.ValueOf(&p).Elem()
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		for i := range v.NumField() {
			switch f := v.Field(i); f.Kind() {
			case reflect.String:
				f.SetString(doc[i : i+3]) // A substring of doc, as a decoded message's are.
			case reflect.Struct:
				fill(f)
			}
		}
	}
	fill(v)
	d := p.Detached()
	if d != p {
		t.Fatalf("Detached changed a value: %+v, was %+v", d, p)
	}
	var check func(v reflect.Value, path string)
	check = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			switch f := v.Field(i); f.Kind() {
			case reflect.String:
				s := f.String()
				if start := uintptr(unsafe.Pointer(unsafe.StringData(doc))); uintptr(unsafe.Pointer(unsafe.StringData(s)))-start < uintptr(len(doc)) {
					t.Errorf("%s%s still points into the message", path, v.Type().Field(i).Name)
				}
			case reflect.Struct:
				check(f, path+v.Type().Field(i).Name+".")
			}
		}
	}
	check(reflect.ValueOf(d), "")
}
