package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
)

// crashSeedEnv overrides the crash drill's random seed, to replay a failure.
const crashSeedEnv = "KAIDIAN_CRASH_SEED"

// The crash drill: the built binary serving `kaidian load`'s checkout, killed
// with SIGKILL at random moments and restarted on the same address, then a
// flash-sale stampede killed once in the middle. Whatever was cut short, once
// the last process has settled: every payment the sandbox took is applied
// to its order exactly once and nothing else is paid, every SKU's stock,
// reserved and sold agree with its ledger and its orders, every answered
// flash order exists and the sale's units balance. A failure names its seed;
// KAIDIAN_CRASH_SEED=<seed> replays the same kill moments.
func TestCrashDrill(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("the crash drill restarts `kaidian serve` processes on one PostgreSQL (the embedded SQLite file " +
			"belongs to the test process); set " + dbtest.EnvURL + " to run it (.ci/run does)")
	}
	seed := crashSeed(t)
	d := &drill{t: t, rng: rand.New(rand.NewPCG(seed, seed)), bin: buildKaidian(t), addr: freeAddr(t)}
	dbURL, _ := dbtest.URL(t)
	d.env = append(replicaEnv(dbURL), "KAIDIAN_DATA_DIR="+t.TempDir(),
		// The sandbox's retries resume from the database after each restart;
		// scaled so its 15 s first retry is 15 ms, and WeChat is asked about
		// a payment whose notification did not come after a second.
		"KAIDIAN_SANDBOX_RETRY_SCALE=0.001", "KAIDIAN_PAY_POLL_AFTER=1s")
	if err := seedWithEnv(d.bin, d.env); err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(context.Background(), dbURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d.db = db
	d.start()

	d.checkoutUnderKills(dbURL, 5)
	d.settlePayments()
	d.requireInvariants("after the checkout kills")

	d.flashUnderKill(dbURL)
	d.settlePayments()
	d.requireInvariants("after the flash kill")

	d.logJobs()
	d.srv.stop(t)
	t.Logf("seed %d: %d kills, drill took %s", seed, d.kills, time.Since(d.began).Round(100*time.Millisecond))
}

// crashSeed is KAIDIAN_CRASH_SEED or a fresh one, logged either way.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv(crashSeedEnv); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", crashSeedEnv, s, err)
		}
		t.Logf("crash drill seed %d (from %s)", seed, crashSeedEnv)
		return seed
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("crash drill seed %d (replay with %s=%d)", seed, crashSeedEnv, seed)
	return seed
}

// drill is the one `kaidian serve` the drill kills and restarts.
type drill struct {
	t     *testing.T
	rng   *rand.Rand
	bin   string
	env   []string
	addr  string // fixed: the load's targets and the sandbox's notify URLs name it
	db    *database.DB
	srv   *replica
	kills int
	began time.Time
}

func (d *drill) start() {
	d.t.Helper()
	if d.began.IsZero() {
		d.began = time.Now()
	}
	d.srv = startServe(d.t, d.bin, d.env, "kaidian "+strconv.Itoa(d.kills+1), d.addr)
	if d.srv == nil {
		d.t.FailNow() // startServe said why
	}
}

// crash kills the process with SIGKILL and starts a new one in its place.
func (d *drill) crash(why string) {
	d.t.Helper()
	d.srv.kill(d.t)
	d.kills++
	d.t.Logf("kill %d (%s)", d.kills, why)
	d.start()
}

// count runs a COUNT query; the drill's waits poll with it.
func (d *drill) count(query string, args ...any) int64 {
	d.t.Helper()
	var n int64
	if err := d.db.Conn(context.Background()).Raw(query, args...).Scan(&n).Error; err != nil {
		d.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// waitUntil polls cond every pause until it holds, failing the test after
// bound with what it was waiting for.
func (d *drill) waitUntil(what string, bound, pause time.Duration, cond func() bool) {
	d.t.Helper()
	for deadline := time.Now().Add(bound); !cond(); time.Sleep(pause) {
		if time.Now().After(deadline) {
			d.t.Fatalf("not within %s: %s", bound, what)
		}
	}
}

// checkoutUnderKills runs the checkout scenario and, once orders are being
// placed, kills the server `kills` times, 1–4 s apart, at moments the seed
// picks; the load keeps going through each restart (its loops fail while
// the server is down, which is expected) until a second after the last.
func (d *drill) checkoutUnderKills(dbURL string, kills int) {
	d.t.Helper()
	stop := make(chan struct{})
	wait := d.background("checkout", Options{Scenario: "checkout",
		Shoppers: 12, Concurrency: 6, Duration: 3 * time.Minute, Stop: stop, DatabaseURL: dbURL, Restock: 2000})
	d.waitUntil("the checkout load places its first order", time.Minute, 20*time.Millisecond,
		func() bool { return d.count("SELECT COUNT(*) FROM orders") > 0 })
	for range kills {
		gap := time.Second + time.Duration(d.rng.Int64N(int64(3*time.Second)))
		time.Sleep(gap)
		orders := d.count("SELECT COUNT(*) FROM orders")
		paid := d.count("SELECT COUNT(*) FROM orders WHERE status = 'paid'")
		d.crash(fmt.Sprintf("checkout, %s after the last: %d orders so far, %d paid", gap.Round(time.Millisecond), orders, paid))
	}
	time.Sleep(time.Second) // some loops from start to end on the last process
	close(stop)
	r := wait()
	// Loops cut by a kill fail; what they did is judged by the invariants.
	// Loops that ended paid must be paid exactly once.
	requireChecks(d.t, r, "paid exactly once (database)")
	loops, _ := r.Check("every loop ended paid")
	d.t.Logf("checkout: %s", loops.Detail)
}

// flashUnderKill runs the flash scenario and kills the server once in the
// middle of the race: as soon as the sale's committed orders reach a number
// the seed picks among the first half of its units, so the kill lands with
// buyers queued and batches in flight, and the rest is sold after the
// restart. (A moment picked by time could fall after the race, in the
// payments, whose failure would say nothing about the shop.)
func (d *drill) flashUnderKill(dbURL string) {
	d.t.Helper()
	const units = 40
	wait := d.background("flash", Options{Scenario: "flash",
		Shoppers: 120, Concurrency: 12, Duration: 3 * time.Minute, DatabaseURL: dbURL,
		Flash: FlashOptions{CreateSale: true, Units: units, Limit: 2, PayWindow: 10 * time.Second,
			StartsIn: 2 * time.Second, SoldOutDuration: time.Second, PayFraction: 0.5, WaitExpiry: true,
			ExpiryTimeout: 2 * time.Minute}})
	at := 1 + d.rng.Int64N(units/2)
	var taken int64
	d.waitUntil(fmt.Sprintf("%d orders in the flash sale", at), 2*time.Minute, 2*time.Millisecond, func() bool {
		taken = d.count("SELECT COUNT(*) FROM orders WHERE flash_sale_id IS NOT NULL")
		return taken >= at
	})
	d.crash(fmt.Sprintf("flash, once %d of its %d units were ordered (aimed at %d)", taken, units, at))
	requireFlashAfterCrash(d.t, wait())
}

// background runs the load against the drill's server while the caller
// kills it; wait returns the report once the run ends, failing the test
// (naming the run what) if the run failed.
func (d *drill) background(what string, opts Options) (wait func() *Report) {
	opts.Targets = []string{"http://" + d.addr}
	type result struct {
		r   *Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := Run(context.Background(), opts)
		done <- result{r, err}
	}()
	return func() *Report {
		d.t.Helper()
		res := <-done
		if res.err != nil {
			d.t.Fatalf("%s run: %v", what, res.err)
		}
		return res.r
	}
}

// logJobs logs River's jobs that are neither done nor waiting their turn:
// a job a kill cut short stays 'running' until River's rescuer (after an
// hour) retries it; not a breach of anything the drill checks, but worth
// seeing when reading a failure.
func (d *drill) logJobs() {
	d.t.Helper()
	var jobs []struct {
		Kind, State string
		N           int64
	}
	if err := d.db.Conn(context.Background()).Raw(`SELECT kind, state, COUNT(*) AS n FROM river_job
	        WHERE state NOT IN ('completed', 'scheduled', 'available') GROUP BY kind, state ORDER BY kind, state`).
		Scan(&jobs).Error; err != nil {
		d.t.Fatal(err)
	}
	d.t.Logf("River jobs not completed, scheduled or available: %+v", jobs)
}
