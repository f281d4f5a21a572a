// Package pgtest gives each test its own fresh PostgreSQL database.
//
// When CORRIDOR_TEST_POSTGRES is set, it is the URL of a server where the
// tests may CREATE DATABASE (.ci/run starts one and sets it). Otherwise the
// first New of a test binary starts a temporary cluster with initdb and
// pg_ctl (from PATH or /usr/lib/postgresql/*/bin) in a temporary directory,
// on a free loopback port, fsync and synchronous_commit on; as root it runs
// the cluster as the postgres user through runuser. Main stops the cluster
// and removes its directory when the binary's tests are done, so a package
// that calls New has a TestMain that calls Main.
package pgtest

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable of a server to use instead of a
// cluster of our own.
const EnvURL = "CORRIDOR_TEST_POSTGRES"

// startTimeout bounds initdb and the cluster's start and stop.
const startTimeout = 2 * time.Minute

// install is what a failure to find or start PostgreSQL tells the reader.
const install = "install PostgreSQL (apt-get install postgresql) or set " + EnvURL +
	" to the URL of a server where the tests may CREATE DATABASE"

// server is the one server of the test binary: the package's only state,
// because a cluster per test would cost seconds each.
var server struct {
	mu      sync.Mutex // Guards the fields below.
	inMain  bool       // Main is running the tests.
	started bool       // start ran, successfully or not.
	admin   string     // URL of the server's postgres database, where New creates databases.
	err     error      // Why the server could not be had.
	stop    func() error
}

// Main runs m's tests and then stops the cluster New started, if any; a
// package that uses New calls it from TestMain.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main for a TestMain with more to do before it exits: it returns
// the exit code instead of exiting.
func Run(m *testing.M) int {
	server.mu.Lock()
	server.inMain = true
	server.mu.Unlock()
	code := m.Run()
	server.mu.Lock()
	stop := server.stop
	server.mu.Unlock()
	if stop != nil {
		if err := stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stop cluster: %v\n", err)
			code = cmp.Or(code, 1)
		}
	}
	return code
}

// New creates a fresh, empty database for tb, drops it when tb ends, and
// returns its URL.
func New(tb testing.TB) string {
	tb.Helper()
	admin, err := adminURL()
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("pgtest: connect to the test server: %v", err)
	}
	defer func() { _ = conn.Close(ctx) }() // The database is made; closing loses nothing.
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	name := "corridor_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() { drop(tb, admin, name) })
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("pgtest: %s: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String()
}

// drop drops database name, closing whatever connections are left to it.
func drop(tb testing.TB, admin, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err == nil {
		_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		err = errors.Join(err, conn.Close(ctx))
	}
	if err != nil {
		tb.Errorf("pgtest: drop database %s: %v", name, err)
	}
}

// adminURL returns the URL of the test server, starting a cluster the first
// time if CORRIDOR_TEST_POSTGRES is not set.
func adminURL() (string, error) {
	server.mu.Lock()
	defer server.mu.Unlock()
	if env := os.Getenv(EnvURL); env != "" {
		return env, nil
	}
	if !server.inMain {
		return "", errors.New("the package's TestMain must call pgtest.Main, which stops the cluster New starts")
	}
	if !server.started {
		server.started = true
		server.admin, server.stop, server.err = start()
	}
	return server.admin, server.err
}

// cluster is a temporary PostgreSQL cluster.
type cluster struct {
	bin  string // The directory of initdb and pg_ctl.
	dir  string // The temporary directory: data/ and the socket.
	user string // Whom to run the binaries as through runuser; "" for ourselves.
}

// start starts a temporary cluster and returns its admin URL and how to stop it.
func start() (string, func() error, error) {
	bin, err := findBin()
	if err != nil {
		return "", nil, err
	}
	c := &cluster{bin: bin}
	tmp := os.TempDir()
	if os.Geteuid() == 0 {
		// PostgreSQL refuses to run as root: run it as postgres, in a
		// directory postgres owns, under a parent it can reach.
		c.user, tmp = "postgres", "/tmp"
	}
	if c.dir, err = os.MkdirTemp(tmp, "corridor-pgtest-"); err != nil {
		return "", nil, fmt.Errorf("cluster directory: %w", err)
	}
	if err := c.chown(); err != nil {
		return "", nil, errors.Join(err, os.RemoveAll(c.dir))
	}
	if err := c.init(); err != nil {
		return "", nil, errors.Join(err, c.stop())
	}
	// The port was free when freePort looked; if someone took it since, the
	// server does not start, and another port is tried.
	const attempts = 3
	for range attempts {
		var port int
		if port, err = freePort(); err == nil {
			if err = c.start(port); err == nil {
				return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), c.stop, nil
			}
		}
	}
	return "", nil, errors.Join(err, c.stop())
}

// chown gives the cluster's directory to c.user, if set.
func (c *cluster) chown() error {
	if c.user == "" {
		return nil
	}
	u, err := user.Lookup(c.user)
	if err != nil {
		return fmt.Errorf("running as root, the cluster runs as user %s: %w; create it or set %s", c.user, err, EnvURL)
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("user %s: %w", c.user, err)
	}
	if err := os.Chown(c.dir, uid, gid); err != nil {
		return fmt.Errorf("cluster directory: %w", err)
	}
	return nil
}

// init creates the cluster, its superuser postgres trusted on loopback.
func (c *cluster) init() error {
	// --no-sync: the initial files of a throwaway cluster need no fsync;
	// the server itself runs with fsync on.
	return c.run("initdb", "-D", filepath.Join(c.dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
}

// start starts the cluster on 127.0.0.1:port.
func (c *cluster) start(port int) error {
	data := filepath.Join(c.dir, "data")
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c fsync=on -c synchronous_commit=on -c max_connections=200",
		port, c.dir)
	return c.run("pg_ctl", "-D", data, "-l", filepath.Join(c.dir, "server.log"), "-w", "-t",
		strconv.Itoa(int(startTimeout.Seconds())), "-o", opts, "start")
}

// stop stops the cluster if it runs and removes its directory.
func (c *cluster) stop() error {
	data := filepath.Join(c.dir, "data")
	var err error
	if _, serr := os.Stat(filepath.Join(data, "postmaster.pid")); serr == nil {
		err = c.run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
	}
	return errors.Join(err, os.RemoveAll(c.dir))
}

// run runs one of the cluster's binaries, as c.user if set.
func (c *cluster) run(name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if c.user != "" {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", c.user, "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "server.log")) // Only to explain the failure.
		return fmt.Errorf("%s %s: %w\n%s%s", name, strings.Join(args, " "), err, out, log)
	}
	return nil
}

// findBin returns the directory of initdb and pg_ctl: PATH first, then the
// newest /usr/lib/postgresql/VERSION/bin.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin") // The pattern is well formed.
	slices.SortFunc(dirs, func(a, b string) int { return cmp.Compare(version(a), version(b)) })
	for _, d := range slices.Backward(dirs) {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("PostgreSQL's initdb is neither in PATH nor in /usr/lib/postgresql/*/bin: " + install)
}

// version is the major version in /usr/lib/postgresql/VERSION/bin, 0 if none.
func version(dir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir))) // Not a number sorts first.
	return v
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	return port, l.Close()
}
