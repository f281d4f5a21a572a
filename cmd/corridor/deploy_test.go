package main

import (
	"bufio"
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
	"Service": {"ExecStart", "User", "Restart", "RestartPreventExitStatus", "KillSignal", "StateDirectory"},
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
// runs 'corridor hub' with the example configuration file, that the
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
	if got, want := unit["Service"]["ExecStart"], "/usr/local/bin/corridor hub --config /etc/corridor/corridor.toml"; got != want {
		t.Errorf("ExecStart = %q; want %q", got, want)
	}
	if got := unit["Service"]["RestartPreventExitStatus"]; got != strconv.Itoa(exitUsage) {
		t.Errorf("RestartPreventExitStatus = %q; want the usage error's %d", got, exitUsage)
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatal("systemd-analyze not found; install it with apt-get install systemd (.ci/run does): the unit must pass systemd-analyze verify")
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

// TestExampleConfig checks that deploy/corridor.toml, the file the unit
// names, is a valid configuration: known keys, good values.
func TestExampleConfig(t *testing.T) {
	args := []string{"--config", "../../deploy/corridor.toml", "--print-config"}
	c, _, err := loadHubConfig(args, envOf(nil), io.Discard)
	if err != nil {
		t.Fatalf("deploy/corridor.toml: %v", err)
	}
	if c.DataDir != "/var/lib/corridor" {
		t.Errorf("data = %q; want the unit's StateDirectory, /var/lib/corridor", c.DataDir)
	}
}
