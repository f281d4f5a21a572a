package main

import (
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// runVersion prints the module version and the VCS revision the binary was
// built from, as the Go toolchain recorded them in its build info.
func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("version takes no arguments, got %q", fs.Args())
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("the binary carries no build info")
	}
	fmt.Fprintln(stdout, versionLine(info))
	return nil
}

// versionLine is "corridor VERSION (revision REV[, modified], built TIME,
// GOVERSION)": what an operator quotes in a report.
func versionLine(info *debug.BuildInfo) string {
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	var extra []string
	if rev := settings["vcs.revision"]; rev != "" {
		r := "revision " + rev
		if settings["vcs.modified"] == "true" {
			r += ", modified"
		}
		extra = append(extra, r)
	}
	if t := settings["vcs.time"]; t != "" {
		extra = append(extra, "committed "+t)
	}
	extra = append(extra, info.GoVersion)
	return fmt.Sprintf("corridor %s (%s)", info.Main.Version, strings.Join(extra, ", "))
}

// buildVersion is versionLine of this binary, for the hub's start line.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "corridor (no build info)"
	}
	return versionLine(info)
}
