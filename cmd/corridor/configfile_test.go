package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/configuration.md from the settings table")

// envOf is a lookup of the environment env.
func envOf(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// mustWriteConfig writes a configuration file and returns its path.
func mustWriteConfig(tb testing.TB, text string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "corridor.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestConfigPrecedence checks defaults < file < environment < flags, and
// that a later source replaces a list rather than extending it.
func TestConfigPrecedence(t *testing.T) {
	path := mustWriteConfig(t, `data = "/file"
addr = "127.0.0.1:1"
bic = "FILEINBBXXX"
rate-limit = 7
net-currency = ["INR"]
`)
	env := map[string]string{"CORRIDOR_ADDR": "127.0.0.1:2", "CORRIDOR_BIC": "ENVRINBBXXX", "CORRIDOR_NET_CURRENCY": "RUB,EUR"}
	c, _, err := loadHubConfig([]string{"--config", path, "--bic", "FLAGINBBXXX", "--net-currency", "USD"}, envOf(env), os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	want := hubDefaults()
	want.DataDir, want.RateLimit = "/file", 7 // The file's.
	want.Addr = "127.0.0.1:2"                 // The environment's over the file's.
	want.BIC = "FLAGINBBXXX"                  // The flag's over both.
	want.NetCurrencies = []string{"USD"}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("config = %+v\nwant %+v", c, want)
	}
}

// TestConfigUnknownKey checks that a key that is no setting is refused with
// its name and line, exit status 2.
func TestConfigUnknownKey(t *testing.T) {
	path := mustWriteConfig(t, "data = \"/d\"\n\nrate-limt = 5\n")
	_, _, err := loadHubConfig([]string{"--config", path}, envOf(nil), os.Stdout)
	if want := path + `:3: unknown key "rate-limt"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v; want it to say %s", err, want)
	}
	if exitStatus(err) != exitUsage {
		t.Errorf("exit status %d; want %d", exitStatus(err), exitUsage)
	}
}

// TestConfigProblemsTogether checks that bad values from the file, the
// environment and the flags are reported in one error.
func TestConfigProblemsTogether(t *testing.T) {
	path := mustWriteConfig(t, "rate-limit = \"fast\"\nbic = \"nope\"\nnosuch = 1\n")
	env := map[string]string{"CORRIDOR_QUOTE_LIFE": "soon"}
	_, _, err := loadHubConfig([]string{"--config", path, "--max-body-bytes", "1", "--log-format", "xml"}, envOf(env), os.Stdout)
	if exitStatus(err) != exitUsage {
		t.Fatalf("err = %v, exit status %d; want %d", err, exitStatus(err), exitUsage)
	}
	for _, want := range []string{"rate-limit: want an integer, not a string", "--bic", `unknown key "nosuch"`,
		"CORRIDOR_QUOTE_LIFE", "--max-body-bytes", "--log-format", "--data is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err does not say %q:\n%v", want, err)
		}
	}
}

// TestPrintConfigRoundTrip prints a configuration with every kind of
// setting changed, reads it back, and wants the same Config.
func TestPrintConfigRoundTrip(t *testing.T) {
	args := []string{"--data", "/d", "--addr", "0.0.0.0:8443", "--ops-addr", "", "--log-format", "json", "--four-eyes",
		"--rate-limit", "9", "--screening-threshold", "0.5", "--net-currency", "RUB", "--net-currency", "INR",
		"--quote-life", "90s", "--cycle-every", "0", "--calendar", "calendars/inr-rbi.cal", "--day-open", "08:30", "--print-config"}
	c, print, err := loadHubConfig(args, envOf(nil), os.Stdout)
	if err != nil || !print {
		t.Fatalf("print %v, err %v", print, err)
	}
	var out bytes.Buffer
	if err := writeConfig(&out, c); err != nil {
		t.Fatal(err)
	}
	back, _, err := loadHubConfig([]string{"--config", mustWriteConfig(t, out.String())}, envOf(nil), os.Stdout)
	if err != nil {
		t.Fatalf("read back:\n%s\n%v", out.String(), err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("read back %+v\nwant %+v\nfrom:\n%s", back, c, out.String())
	}
}

// TestConfigReference fails when docs/configuration.md is not what the
// settings table generates; -update rewrites it.
func TestConfigReference(t *testing.T) {
	const path = "../../docs/configuration.md"
	want := configReference()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not what the settings table generates: go test ./cmd/corridor -run TestConfigReference -update", path)
	}
}
