package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// benchMemoryEvery is how often the bench reads its child hub's memory.
const benchMemoryEvery = 5 * time.Second

// benchMemoryReport is what the bench saw of its child hub's resident
// memory (--child), and whether the submit→202 p99 held: the p99 of the
// first and of the last tenth of the answers, in the order they came.
type benchMemoryReport struct {
	FirstMB  float64 `json:"firstMB"` // The first reading, benchMemoryEvery into the run.
	LastMB   float64 `json:"lastMB"`
	MaxMB    float64 `json:"maxMB"`
	Readings int     `json:"readings"`

	SubmitP99FirstTenth int64   `json:"submitP99FirstTenthMicros"`
	SubmitP99LastTenth  int64   `json:"submitP99LastTenthMicros"`
	SubmitP99ByTenth    []int64 `json:"submitP99ByTenthMicros"` // Every tenth's, first to last.
}

// setTenths records the submit→202 p99 of each tenth of the answers.
func (m *benchMemoryReport) setTenths(p99s []int64) {
	m.SubmitP99ByTenth = p99s
	if len(p99s) > 0 {
		m.SubmitP99FirstTenth, m.SubmitP99LastTenth = p99s[0], p99s[len(p99s)-1]
	}
}

func (m *benchMemoryReport) write(w io.Writer) {
	fmt.Fprintf(w, "hub resident memory: %.1f MB first (after %s), %.1f MB last, %.1f MB at most, over %d readings\n",
		m.FirstMB, benchMemoryEvery, m.LastMB, m.MaxMB, m.Readings)
	fmt.Fprintf(w, "submit→202 p99: %s in the first tenth of the run, %s in the last; by tenth:",
		time.Duration(m.SubmitP99FirstTenth)*time.Microsecond, time.Duration(m.SubmitP99LastTenth)*time.Microsecond)
	for _, p99 := range m.SubmitP99ByTenth {
		fmt.Fprintf(w, " %s", (time.Duration(p99) * time.Microsecond).Round(100*time.Microsecond))
	}
	fmt.Fprintln(w)
}

// benchMemory reads a child hub's resident memory every benchMemoryEvery
// until stopped.
type benchMemory struct {
	pid  int
	stop chan struct{}
	done sync.WaitGroup
	r    benchMemoryReport
}

func startBenchMemory(pid int) *benchMemory {
	m := &benchMemory{pid: pid, stop: make(chan struct{})}
	m.done.Go(m.run)
	return m
}

func (m *benchMemory) run() {
	t := time.NewTicker(benchMemoryEvery)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		mb, err := residentMB(m.pid)
		if err != nil {
			continue // The child is stopping; the readings so far stand.
		}
		if m.r.Readings == 0 {
			m.r.FirstMB = mb
		}
		m.r.LastMB, m.r.MaxMB, m.r.Readings = mb, max(m.r.MaxMB, mb), m.r.Readings+1
	}
}

// report stops the readings and returns them.
func (m *benchMemory) report() *benchMemoryReport {
	close(m.stop)
	m.done.Wait()
	return &m.r
}

// residentMB is the resident memory of process pid (VmRSS of
// /proc/PID/status), in MiB.
func residentMB(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// writeHeapProfile writes the heap's profile after a collection to file,
// unless file is "".
func writeHeapProfile(file string) error {
	if file == "" {
		return nil
	}
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	runtime.GC()
	return errors.Join(pprof.WriteHeapProfile(f), f.Close())
}

// tenths is the submit→202 p99 of each tenth of the answers, in the order
// they came.
func (tr *benchTracker) tenths() []int64 {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tenthsP99(tr.submitLat)
}

// tenthsP99 is the p99 of each tenth of d, in the order given, in
// microseconds; none when d has fewer than ten. The last tenth takes what
// the division leaves over.
func tenthsP99(d []time.Duration) []int64 {
	n := len(d) / 10
	if n == 0 {
		return nil
	}
	p99s := make([]int64, 10)
	for i := range p99s {
		part := d[i*n : (i+1)*n]
		if i == 9 {
			part = d[i*n:]
		}
		p99s[i] = latencyOf(slices.Clone(part)).P99
	}
	return p99s
}
