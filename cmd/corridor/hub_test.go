package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corridor-network/corridor/pki"
)

// mustCA makes a new data directory with its CA.
func mustCA(tb testing.TB) string {
	tb.Helper()
	data := tb.TempDir()
	if err := pki.InitCA(caDir(data), time.Now(), nil); err != nil {
		tb.Fatal(err)
	}
	return data
}

// newTestMain is a hub on data, on a free local port, with its timers off.
func newTestMain(data string) *Main {
	m := NewMain()
	m.Config.DataDir, m.Config.Addr = data, "127.0.0.1:0"
	m.Config.ResolveEvery, m.Config.CycleEvery = 0, 0
	m.Logger = slog.New(slog.DiscardHandler)
	return m
}

// mustRunHub runs a hub in-process on data until the test ends.
func mustRunHub(tb testing.TB, data string) *Main {
	tb.Helper()
	m := newTestMain(data)
	if err := m.Run(context.Background()); err != nil {
		_ = m.Close() // The start's error is the one to report.
		tb.Fatalf("hub on %s: %v", data, err)
	}
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Errorf("close hub: %v", err)
		}
	})
	return m
}

// TestOneHubPerDataDirectory starts a hub, then a second on the same data
// directory, which must be refused at once naming the first's PID, and a
// third once the first has closed.
func TestOneHubPerDataDirectory(t *testing.T) {
	data := mustCA(t)
	first := newTestMain(data)
	if err := first.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	addr, err := os.ReadFile(addrFile(data))
	if err != nil {
		t.Fatal(err)
	}
	pid := fmt.Sprintf("PID %d", os.Getpid())
	t.Run("ErrSecondHub", func(t *testing.T) {
		second := newTestMain(data)
		err := second.Run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "in use by another hub") || !strings.Contains(err.Error(), pid) {
			t.Errorf("a second hub on %s: %v; want a refusal naming %s", data, err, pid)
		}
		if err := second.Close(); err != nil {
			t.Errorf("close the refused hub: %v", err)
		}
		if again, _ := os.ReadFile(addrFile(data)); !bytes.Equal(again, addr) {
			t.Errorf("the refused hub rewrote hub.addr: %q; want %q", again, addr)
		}
	})
	t.Run("ErrSecondHubCommand", func(t *testing.T) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"hub", "--data", data, "--addr", "127.0.0.1:0"}, &out, &out)
		if err == nil || !strings.Contains(err.Error(), pid) || !strings.Contains(err.Error(), lockFile(data)) {
			t.Errorf("corridor hub on a locked directory: %v; want a refusal naming %s and %s", err, pid, lockFile(data))
		}
	})
	if lock, err := os.ReadFile(lockFile(data)); err != nil || strings.TrimSpace(string(lock)) != fmt.Sprint(os.Getpid()) {
		t.Errorf("lock file holds %q, %v; want the hub's PID %d", lock, err, os.Getpid())
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if lock, err := os.ReadFile(lockFile(data)); err != nil || len(lock) != 0 {
		t.Errorf("after close the lock file holds %q, %v; want it empty", lock, err)
	}
	mustRunHub(t, data)
	var out bytes.Buffer // The new hub owns the journal: it journals a command.
	if err := run(context.Background(), []string{"fx", "rate", "--data", data, "--from", "INR", "--to", "RUB", "--rate", "1.0823"}, &out, &out); err != nil {
		t.Errorf("fx rate on the hub started after the first closed: %v\n%s", err, out.String())
	}
}

// TestHubRefusesOpenKeys checks that the hub does not start while the CA's
// or its own key is open to group or others, and says how to fix it.
func TestHubRefusesOpenKeys(t *testing.T) {
	for _, file := range []string{pki.CAKeyFile, pki.HubKeyFile} {
		t.Run(file, func(t *testing.T) {
			data := mustCA(t)
			path := filepath.Join(caDir(data), file)
			if err := os.Chmod(path, 0o640); err != nil {
				t.Fatal(err)
			}
			m := newTestMain(data)
			err := m.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) {
				t.Errorf("hub with %s mode 0640: %v; want a refusal saying chmod 600 %s", file, err, path)
			}
			if err := m.Close(); err != nil {
				t.Errorf("close the refused hub: %v", err)
			}
			if err := os.Chmod(path, 0o600); err != nil {
				t.Fatal(err)
			}
			mustRunHub(t, data)
		})
	}
}

// TestQuietRestart starts a hub on a journal, stops it, and starts and stops
// it again without writing anything: the second stop has nothing to sign
// and must close cleanly (it used to sign the same head again and fail on
// the checkpoint table's key).
func TestQuietRestart(t *testing.T) {
	data := mustCA(t)
	for i := range 3 {
		m := newTestMain(data)
		if err := m.Run(context.Background()); err != nil {
			t.Fatalf("start %d: %v", i+1, err)
		}
		if err := m.Close(); err != nil {
			t.Fatalf("stop %d, after a start that wrote nothing new: %v", i+1, err)
		}
	}
}
