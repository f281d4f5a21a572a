package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// maxLockFileBytes bounds what is read back from a lock file: a PID.
const maxLockFileBytes = 32

// dataLock is the exclusive lock a hub holds on its data directory for as
// long as it runs, so that two hubs never append to one journal. It is a
// flock(2) on DATA/hub.lock, which the kernel releases when the process
// ends, however it ends; the file holds the holder's PID, for the message
// that refuses a second hub. The lock lives here, beside the layout of the
// data directory (config.go), rather than in sqlite: it guards the whole
// directory (the journal, hub.addr, the CA), and only a hub takes it, so
// that read-only tools such as 'corridor audit verify' still open the store.
type dataLock struct {
	f *os.File
}

// lockDataDir takes data's lock without waiting, or says which process holds
// it. Linux is the target; flock is advisory, and every hub takes it.
func lockDataDir(data string) (*dataLock, error) {
	path := lockFile(data)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := lockHolder(f)
		_ = f.Close() // Held by nobody here: the refusal is the error to report.
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("data directory %s is in use by another hub (%s holds %s): stop it first, or give another --data",
				data, holder, path)
		}
		return nil, fmt.Errorf("lock data directory %s: %w", path, err)
	}
	l := &dataLock{f: f}
	if err := l.writePID(); err != nil {
		return nil, errors.Join(fmt.Errorf("lock data directory: write PID into %s: %w", path, err), l.release())
	}
	return l, nil
}

// writePID replaces the lock file's content with this process's PID.
func (l *dataLock) writePID() error {
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

// lockHolder names the process whose PID the lock file holds.
func lockHolder(f *os.File) string {
	b, err := io.ReadAll(io.LimitReader(f, maxLockFileBytes))
	pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || perr != nil || pid <= 0 {
		return "a process that has not written its PID yet"
	}
	return "PID " + strconv.Itoa(pid)
}

// release empties the lock file, so that no stale PID is read back, and
// unlocks it. The file stays: removing it would let a hub that opened it
// just before lock a file no other hub can see.
func (l *dataLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Truncate(0)
	err = errors.Join(err, syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN), l.f.Close())
	l.f = nil
	if err != nil {
		return fmt.Errorf("release data directory lock: %w", err)
	}
	return nil
}

// lockFile is the data directory's lock, held by the hub that runs on it.
func lockFile(data string) string { return filepath.Join(data, "hub.lock") }
