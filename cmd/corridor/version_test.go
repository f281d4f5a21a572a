package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"version"}, &out, &errOut); err != nil {
		t.Fatalf("corridor version: %v (%s)", err, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "corridor ") {
		t.Errorf("corridor version printed %q; want a line starting \"corridor \"", out.String())
	}
	if err := run(t.Context(), []string{"version", "extra"}, &out, &errOut); err == nil {
		t.Error("corridor version extra: no error")
	}
}

func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.9.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "3392d54"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	want := "corridor v0.9.0 (revision 3392d54, modified, committed 2026-12-01T10:00:00Z, go1.26.8)"
	if got := versionLine(info); got != want {
		t.Errorf("versionLine = %q; want %q", got, want)
	}
}
