package main

import (
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestBenchAddrOutsideEphemeral: the address a child hub is restarted on
// is free and never one Linux would give a client's connection.
func TestBenchAddrOutsideEphemeral(t *testing.T) {
	addr, err := benchAddr()
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(p)
	b, err := os.ReadFile(ephemeralRangeFile)
	if err != nil {
		t.Fatalf("read %s: %v (this test runs on Linux)", ephemeralRangeFile, err)
	}
	f := strings.Fields(string(b))
	first, _ := strconv.Atoi(f[0])
	last, _ := strconv.Atoi(f[1])
	if port >= first && port <= last {
		t.Errorf("benchAddr = %s: port %d is in the ephemeral range %d-%d", addr, port, first, last)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v; want it free", addr, err)
	}
	_ = l.Close()
}
