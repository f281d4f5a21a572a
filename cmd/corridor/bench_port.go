package main

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// ephemeralRangeFile holds the range Linux picks the local ports of
// outgoing connections from.
const ephemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range"

// The ports benchAddr picks from when the ephemeral range cannot be read:
// IANA's dynamic range starts above them.
const lowPort, highPort = 20000, 32767

// Below the ephemeral range benchAddr picks from firstBelow up, when that
// leaves at least minBelow ports.
const firstBelow, minBelow = 10000, 1000

// benchAddr is a free loopback address for a child hub that is restarted
// on it after every kill. Its port lies outside the ephemeral range: a port
// from it (what 127.0.0.1:0 gives) may be taken, while the hub is down, as
// the local port of a client's connection, or of a client's connection to
// itself (a TCP self-connect, when a client retries the port nothing
// listens on), and the restarted hub could not listen ("address already
// in use").
func benchAddr() (string, error) {
	lo, hi := portsOutsideEphemeral()
	for range 64 {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(lo+rand.IntN(hi-lo+1)))
		l, err := net.Listen("tcp", addr)
		if err != nil {
			continue // Taken: try another.
		}
		if err := l.Close(); err != nil {
			return "", fmt.Errorf("bench: free port %s: %w", addr, err)
		}
		return addr, nil
	}
	return "", fmt.Errorf("bench: no free port from %d to %d", lo, hi)
}

// portsOutsideEphemeral is a range of ports below Linux's ephemeral range,
// or lowPort..highPort when that range cannot be read or leaves too little
// below it.
func portsOutsideEphemeral() (lo, hi int) {
	b, err := os.ReadFile(ephemeralRangeFile)
	if err != nil {
		return lowPort, highPort
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return lowPort, highPort
	}
	first, err := strconv.Atoi(f[0])
	if err != nil || first-firstBelow < minBelow {
		return lowPort, highPort
	}
	return firstBelow, first - 1
}
