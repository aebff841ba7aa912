package loadgen

// Helpers shared by the tests that run the built binary as `kaidian serve`
// processes on one PostgreSQL database (the replica test, the crash drill).

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// replica is one running `kaidian serve`.
type replica struct {
	name string
	url  string
	cmd  *exec.Cmd
	log  string // path of its combined output
	done chan error
}

// built is the binary the process tests share, built once per test run
// (linking it is a good part of a test's time) and removed by TestMain.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func buildKaidian(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "kaidian-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "kaidian")
		if out, err := exec.Command("go", "build", "-o", built.bin, "../../cmd/kaidian").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// replicaEnv is the environment of every replica: this test's database,
// sandbox mode, a one-second expiry sweep, no rate limits (the load comes
// from one address), and nothing else of the caller's KAIDIAN_* settings.
func replicaEnv(dbURL string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KAIDIAN_") {
			env = append(env, kv)
		}
	}
	return append(env, "KAIDIAN_DATABASE_URL="+dbURL, "KAIDIAN_EXPIRY_SWEEP=1s", "KAIDIAN_RATE_CLIENT=0", "KAIDIAN_RATE_WEBHOOK=0",
		"KAIDIAN_RATE_SHOPPER=0", "KAIDIAN_LOG_LEVEL=info", "KAIDIAN_SHUTDOWN_TIMEOUT=10s", "KAIDIAN_DEMO=false")
}

func seedWithEnv(bin string, env []string) error {
	cmd := exec.Command(bin, "seed")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return errors.New("kaidian seed: " + err.Error() + "\n" + string(out))
	}
	return nil
}

// startReplica starts one replica on a free loopback port (port 0; the
// address is read from its "kaidian listening" line) and waits for /readyz.
func startReplica(t *testing.T, bin string, env []string, i int) *replica {
	t.Helper()
	return startServe(t, bin, env, "replica "+string(rune('A'+i)), "127.0.0.1:0")
}

// startServe starts `kaidian serve` on addr and waits for /readyz; nil
// means it did not come up (the test has been told why).
func startServe(t *testing.T, bin string, env []string, name, addr string) *replica {
	t.Helper()
	dir := t.TempDir()
	r := &replica{name: name, log: filepath.Join(dir, "out.log"), done: make(chan error, 1)}
	out, err := os.Create(r.log)
	if err != nil {
		t.Error(err)
		return nil
	}
	r.cmd = exec.Command(bin, "serve")
	// A fresh slice: the replicas start together, and appending to the shared
	// env could write the same spare slot from each of them.
	// Each on its own metrics port too: the default 127.0.0.1:9090 fits one process a host.
	r.cmd.Env = slices.Concat(env, []string{"KAIDIAN_ADDR=" + addr, "KAIDIAN_METRICS_ADDR=127.0.0.1:0"})
	r.cmd.Stdout, r.cmd.Stderr = out, out
	if err := r.cmd.Start(); err != nil {
		t.Error(err)
		return nil
	}
	go func() { r.done <- r.cmd.Wait(); out.Close() }()
	t.Cleanup(func() { // if the test ended early
		if r.cmd.ProcessState == nil {
			r.cmd.Process.Kill()
			<-r.done
		}
	})
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-r.done:
			t.Errorf("%s stopped while starting: %v\n%s", r.name, err, readFile(r.log))
			r.done <- err
			return nil
		default:
		}
		if r.url == "" {
			r.url = listeningURL(r.log)
			continue
		}
		if res, err := http.Get(r.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return r
			}
		}
	}
	t.Errorf("%s not ready within 60s\n%s", r.name, readFile(r.log))
	return nil
}

// listeningURL finds the address in the replica's "kaidian listening" log line.
func listeningURL(path string) string {
	for _, line := range logLines(path) {
		if line["msg"] == "kaidian listening" {
			if addr, ok := line["addr"].(string); ok {
				return "http://" + addr
			}
		}
	}
	return ""
}

// stop sends SIGTERM and fails the test unless the replica exits 0 within
// its shutdown timeout, having logged no error.
func (r *replica) stop(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("%s: SIGTERM: %v", r.name, err)
	}
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("%s exited with %v\n%s", r.name, err, readFile(r.log))
		}
	case <-time.After(30 * time.Second):
		r.cmd.Process.Kill()
		t.Errorf("%s did not stop within 30s of SIGTERM", r.name)
	}
	stopping := false
	for _, line := range logLines(r.log) {
		stopping = stopping || line["msg"] == "shutting down"
		if line["level"] != "ERROR" {
			continue
		}
		// A loop cut short by the shutdown it was asked for is not a fault,
		// though it is logged as one (the sandbox's notifier, River's enqueuer;
		// River's client logs the error under "err", e.g. when a job inserted
		// by a request in flight cannot send its insert notification).
		if stopping && (line["error"] == context.Canceled.Error() || line["err"] == context.Canceled.Error()) {
			t.Logf("%s, tolerated while shutting down: %v", r.name, line)
			continue
		}
		t.Errorf("%s logged an error: %v", r.name, line)
	}
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would:
// no shutdown, no deferred work, connections cut mid-request.
func (r *replica) kill(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("%s: SIGKILL: %v", r.name, err)
	}
	<-r.done // the exit status is SIGKILL's; ProcessState is now set
}

// freeAddr is a loopback address no one listens on now, for a process that
// must come back on the same address after a restart (the sandbox's stored
// notify URLs and the load's targets name it).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// logLines parses the JSON log lines of a file (other lines are skipped).
func logLines(path string) []map[string]any {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}
