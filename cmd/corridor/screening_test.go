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

const sanctionsTestdata = "../../screening/testdata/"

func runScreeningForTest(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(context.Background(), append([]string{"screening"}, args...), &out, &errs)
	return out.String() + errs.String(), err
}

func TestScreeningCheck(t *testing.T) {
	own := filepath.Join(t.TempDir(), "own.csv")
	if err := os.WriteFile(own, []byte("id,kind,name,aliases,country\nR1,entity,ООО «Ромашка»,Romashka LLC,RU\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runScreeningForTest(t, "check",
		"--list", "un="+sanctionsTestdata+"un/UN_consolidated.xml",
		"--list", "ofac="+sanctionsTestdata+"ofac-csv-2021-slice",
		"--list", "ofac-xml="+sanctionsTestdata+"ofac-xml/sdn.xml",
		"--list", "own="+own,
		"Игорь Сечин", "Romashka OOO", "--country", "IN", "--", "Ravi Sharma")
	if got := exitStatus(err); got != exitHeld {
		t.Fatalf("check: %v, exit status %d; want %d (a party would be held)\n%s", err, got, exitHeld, out)
	}
	for _, want := range []string{
		"list un version 2026-02-27T00:00:09.554Z: 110 entries",
		"list ofac-xml version 10/29/2020: 2 entries",
		"threshold 0.88",
		"\"Игорь Сечин\": HOLD", "ofac 16692  individual  \"SECHIN, Igor\"", "igor=igor 1.00",
		"\"Romashka OOO\": HOLD", "own R1",
		"\"Ravi Sharma\": pass", "no candidate",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestScreeningCheckJSON(t *testing.T) {
	out, err := runScreeningForTest(t, "check", "--json", "--threshold", "0.97",
		"--list", "ofac-csv="+sanctionsTestdata+"ofac-csv-2021-slice", "Igor Sechim")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	var got screeningJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if got.Threshold != 0.97 || len(got.Lists) != 1 || got.Lists[0].Entries != 380 || len(got.Results) != 1 {
		t.Fatalf("got %+v", got)
	}
	r := got.Results[0]
	if r.Hold || len(r.Hits) == 0 || r.Hits[0].EntryID != "16692" || r.Hits[0].Score >= 0.97 {
		t.Errorf("a typo at threshold 0.97: %+v", r)
	}
}

func TestScreeningCheckErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"NoSubcommand", nil, "check or load?"},
		{"Unknown", []string{"frobnicate"}, "unknown subcommand"},
		{"NoList", []string{"check", "X"}, "at least one --list"},
		{"BadList", []string{"check", "--list", "un", "X"}, "NAME=FILE"},
		{"Missing", []string{"check", "--list", "un=/nonexistent.xml", "X"}, "no such file"},
		{"Unrecognised", []string{"check", "--list", "x=" + sanctionsTestdata + "ofac-csv-small/sdn_comments.csv.missing", "X"}, "no such file"},
		{"NotADir", []string{"check", "--list", "ofac-csv=" + sanctionsTestdata + "ofac-xml/sdn.xml", "X"}, "not a directory"},
		{"WrongFormat", []string{"check", "--list", "un=" + sanctionsTestdata + "ofac-xml/sdn.xml", "X"}, "CONSOLIDATED_LIST"},
		{"BadThreshold", []string{"check", "--threshold", "2", "--list", "un=" + sanctionsTestdata + "un/UN_consolidated.xml", "X"}, "threshold"},
		{"BadBIC", []string{"check", "--bic", "nope", "--list", "un=" + sanctionsTestdata + "un/UN_consolidated.xml", "X"}, "--bic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runScreeningForTest(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("screening %q: err %v; want one containing %q\n%s", tt.args, err, tt.want, out)
			}
		})
	}
}
