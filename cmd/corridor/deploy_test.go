package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// unitKeys are the settings deploy/corridor.service must have, by section.
var unitKeys = map[string][]string{
	"Unit":    {"Description", "After"},
	"Service": {"ExecStart", "User", "EnvironmentFile", "Restart", "RestartPreventExitStatus", "KillSignal", "StateDirectory"},
	"Install": {"WantedBy"},
}

// mustParseUnit reads a systemd unit into section -> key -> value.
func mustParseUnit(tb testing.TB, path string) map[string]map[string]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	unit, section := map[string]map[string]string{}, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "", strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
			unit[section] = map[string]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				tb.Fatalf("%s: %q is not KEY=VALUE in a section", path, line)
			}
			unit[section][k] = v
		}
	}
	return unit
}

// TestSystemdUnit checks deploy/corridor.service: its required keys, that it
// runs 'corridor hub' with the example configuration's variable, that the
// status it will not restart on is the usage error's, and, where
// systemd-analyze is installed, that systemd accepts it.
func TestSystemdUnit(t *testing.T) {
	const path = "../../deploy/corridor.service"
	unit := mustParseUnit(t, path)
	for section, keys := range unitKeys {
		for _, k := range keys {
			if unit[section][k] == "" {
				t.Errorf("%s: [%s] has no %s", path, section, k)
			}
		}
	}
	if got, want := unit["Service"]["ExecStart"], "/usr/local/bin/corridor hub $CORRIDOR_HUB_FLAGS"; got != want {
		t.Errorf("ExecStart = %q; want %q", got, want)
	}
	if got := unit["Service"]["RestartPreventExitStatus"]; got != strconv.Itoa(exitUsage) {
		t.Errorf("RestartPreventExitStatus = %q; want the usage error's %d", got, exitUsage)
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("no systemd-analyze: checked the keys only")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable() // An executable that exists, for ExecStart.
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), "corridor.service")
	if err := os.WriteFile(copyPath, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/corridor", self)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestExampleConfig checks that deploy/corridor.env sets the flags the unit
// passes and that 'corridor hub' knows every one of them.
func TestExampleConfig(t *testing.T) {
	b, err := os.ReadFile("../../deploy/corridor.env")
	if err != nil {
		t.Fatal(err)
	}
	var flags string
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "CORRIDOR_HUB_FLAGS="); ok {
			flags = strings.Trim(v, `"`)
		}
	}
	if flags == "" {
		t.Fatal("deploy/corridor.env sets no CORRIDOR_HUB_FLAGS")
	}
	args := append(append([]string{"hub"}, strings.Fields(flags)...), "--help")
	if err := run(context.Background(), args, io.Discard, io.Discard); exitStatus(err) != exitOK {
		t.Errorf("corridor hub %s: %v; want every flag known", flags, err)
	}
}
