package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// MustWriteFile writes data to a file name in a temporary folder and returns its path.
func MustWriteFile(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func mustGolden(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("../../iso20022/testdata/pacs002_acsc.xml")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestValidate(t *testing.T) {
	good := MustWriteFile(t, "good.xml", mustGolden(t))
	bad := MustWriteFile(t, "bad.xml", bytes.Replace(mustGolden(t), []byte("<MsgId>HUB-STS-000001</MsgId>"), nil, 1))
	missing := filepath.Join(t.TempDir(), "missing.xml")

	t.Run("OK", func(t *testing.T) {
		var out, errs bytes.Buffer
		if err := run(context.Background(), []string{"validate", good}, &out, &errs); err != nil {
			t.Fatalf("validate %s = %v\n%s", good, err, errs.String())
		}
		if want := good + ": valid\n"; out.String() != want {
			t.Errorf("validate printed %q; want %q", out.String(), want)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		var out, errs bytes.Buffer
		err := run(context.Background(), []string{"validate", good, bad, missing}, &out, &errs)
		if err == nil || !strings.Contains(err.Error(), "2 of 3 files invalid") {
			t.Fatalf("validate = %v; want 2 of 3 files invalid", err)
		}
		want := bad + ": Document/FIToFIPmtStsRpt/GrpHdr/MsgId: "
		if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "(FF01)") {
			t.Errorf("validate printed\n%s\nwant a line starting %q with (FF01)", out.String(), want)
		}
		if !strings.Contains(out.String(), missing+": ") {
			t.Errorf("validate printed\n%s\nwant a line for %s", out.String(), missing)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		var out, errs bytes.Buffer
		if err := run(context.Background(), []string{"validate", "--json", good, bad}, &out, &errs); err == nil {
			t.Fatal("validate --json with an invalid file returned nil")
		}
		var got []fileVerdict
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("validate --json printed %q: %v", out.String(), err)
		}
		if len(got) != 2 || !got[0].Valid || len(got[0].Problems) != 0 || got[1].Valid || len(got[1].Problems) == 0 {
			t.Fatalf("validate --json = %+v; want the first valid, the second with problems", got)
		}
		if p := got[1].Problems[0]; p.Path == "" || p.Rule == "" || p.Reason != "FF01" {
			t.Errorf("first problem %+v; want a path, a rule and FF01", p)
		}
	})
	t.Run("ErrNoFile", func(t *testing.T) {
		var out, errs bytes.Buffer
		if err := run(context.Background(), []string{"validate"}, &out, &errs); err == nil {
			t.Fatal("validate without files returned nil")
		}
	})
}
