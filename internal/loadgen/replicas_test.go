package loadgen

import (
	"context"
	"os"
	"sync"
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
