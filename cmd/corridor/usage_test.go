package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestExitStatus checks the CLI's habits: help on stdout with status 0, a
// usage error said once on stderr with status 2.
func TestExitStatus(t *testing.T) {
	tests := []struct {
		args       []string
		status     int
		stdoutHas  string
		stderrNone bool // Nothing on stderr: run's error is what main prints, once.
	}{
		{[]string{"--help"}, exitOK, "Exit status: 0 success, 1 failure, 2 usage error", true},
		{[]string{"hub", "--help"}, exitOK, "-ops-addr", true},
		{[]string{"version", "--help"}, exitOK, "Exit status:", true},
		{[]string{"screening", "--help"}, exitOK, "3 at least one would be held", true},
		{[]string{"nosuch"}, exitUsage, "", true},
		{[]string{"hub", "--nosuch"}, exitUsage, "", true},
		{[]string{"version", "extra"}, exitUsage, "", true},
		{[]string{"hub", "--data", t.TempDir(), "--log-format", "xml"}, exitUsage, "", true},
		{[]string{"screening", "check"}, exitUsage, "", true},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tt.args, &stdout, &stderr)
		if got := exitStatus(err); got != tt.status {
			t.Errorf("corridor %s: exit status %d (%v); want %d", strings.Join(tt.args, " "), got, err, tt.status)
		}
		if !strings.Contains(stdout.String(), tt.stdoutHas) {
			t.Errorf("corridor %s: stdout %q; want it to contain %q", strings.Join(tt.args, " "), stdout.String(), tt.stdoutHas)
		}
		if tt.stderrNone && stderr.Len() > 0 {
			t.Errorf("corridor %s: stderr %q; want nothing (the error is said once, by main)", strings.Join(tt.args, " "), stderr.String())
		}
	}
}
