package loadgen

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
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

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
)

// Three `kaidian serve` processes on one PostgreSQL database, and the flash
// scenario across all three at once: no oversell, nobody over the limit,
// the ledger balanced, every unpaid order closed exactly once by exactly one
// expiry job, and every background job run once. The processes are the
// real binary, stopped with SIGTERM; each must exit 0 and log no error.
func TestFlashAcrossThreeReplicas(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("replicas share one PostgreSQL (the embedded SQLite file belongs to one process); set " +
			dbtest.EnvURL + " to run this test (.ci/run does)")
	}
	bin := buildKaidian(t)
	dbURL, _ := dbtest.URL(t)
	// One KAIDIAN_DATA_DIR for all, as a shared volume: in sandbox mode it
	// holds the fake WeChat Pay's signing keys, and a notification signed by
	// one replica's sandbox is refused by another that holds other keys.
	env := append(replicaEnv(dbURL), "KAIDIAN_DATA_DIR="+t.TempDir())
	// The demo catalog (and the sandbox keys), made once before the replicas start.
	if err := seedWithEnv(bin, env); err != nil {
		t.Fatal(err)
	}

	var replicas [3]*replica
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() { // together, as a deployment rolls them out
			defer wg.Done()
			replicas[i] = startReplica(t, bin, env, i)
		}()
	}
	wg.Wait()
	var targets []string
	for _, r := range replicas {
		if r == nil {
			t.FailNow() // startReplica reported why
		}
		targets = append(targets, r.url)
	}

	o := Options{Targets: targets, Scenario: "flash", Shoppers: 90, Concurrency: 12, Duration: time.Minute,
		DatabaseURL: dbURL, Flash: FlashOptions{CreateSale: true, Units: 30, Limit: 2, PayWindow: 10 * time.Second,
			StartsIn: time.Second, SoldOutDuration: time.Second, PayFraction: 0.5, WaitExpiry: true}}
	r := run(t, o)
	requirePass(t, r)
	if r.Figures["accepted_orders"] != 30 {
		t.Fatalf("figures %v", r.Figures)
	}
	if c, ok := r.Check("expiry jobs ran once each (River)"); !ok || !c.Pass {
		t.Fatalf("the expiry jobs were not checked: %+v", c)
	}
	// Checkout across the three too: payments notified to whichever replica opened them.
	requirePass(t, run(t, Options{Targets: targets, Scenario: "checkout", Shoppers: 3, Concurrency: 3,
		Requests: 6 * requestsPerLoop, DatabaseURL: dbURL}))

	checkJobsRanOnce(t, dbURL)
	for _, rep := range replicas {
		rep.stop(t)
	}
}

// replica is one running `kaidian serve`.
type replica struct {
	name string
	url  string
	cmd  *exec.Cmd
	log  string // path of its combined output
	done chan error
}

func buildKaidian(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kaidian")
	cmd := exec.Command("go", "build", "-o", bin, "../../cmd/kaidian")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
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
	dir := t.TempDir()
	r := &replica{name: "replica " + string(rune('A'+i)), log: filepath.Join(dir, "out.log"), done: make(chan error, 1)}
	out, err := os.Create(r.log)
	if err != nil {
		t.Error(err)
		return nil
	}
	r.cmd = exec.Command(bin, "serve")
	// A fresh slice: the replicas start together, and appending to the shared
	// env could write the same spare slot from each of them.
	// Each on its own metrics port too: the default 127.0.0.1:9090 fits one process a host.
	r.cmd.Env = slices.Concat(env, []string{"KAIDIAN_ADDR=127.0.0.1:0", "KAIDIAN_METRICS_ADDR=127.0.0.1:0"})
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
		// though it is logged as one (the sandbox's notifier, River's enqueuer).
		if stopping && line["error"] == context.Canceled.Error() {
			t.Logf("%s, tolerated while shutting down: %v", r.name, line)
			continue
		}
		t.Errorf("%s logged an error: %v", r.name, line)
	}
}

// checkJobsRanOnce: no background job of any kind was retried or given up
// on, whichever replica ran it.
func checkJobsRanOnce(t *testing.T, dbURL string) {
	t.Helper()
	db, err := database.Open(context.Background(), dbURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var bad []struct {
		ID      int64
		Kind    string
		State   string
		Attempt int
	}
	err = db.Conn(context.Background()).Raw(`SELECT id, kind, state, attempt FROM river_job
	        WHERE state IN ('retryable', 'discarded', 'cancelled') OR (state = 'completed' AND attempt > 1)`).Scan(&bad).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Fatalf("jobs that did not run exactly once: %+v", bad)
	}
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
