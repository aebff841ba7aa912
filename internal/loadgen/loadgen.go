// Package loadgen is `kaidian load`: a load generator that drives one or
// more running Kaidian replicas (in sandbox mode) the way a crowd of
// mini-program shoppers would, and then checks that what must hold did hold.
//
// Every scenario has the same rhythm: set up (log shoppers in through the
// sandbox, find products), run a timed part bounded by a number of requests
// and a time limit, then verify through the API and, where it can reach
// it, the database. The report gives throughput, latency percentiles,
// non-2xx answers by status and error code, and PASS/FAIL checks.
package loadgen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// Options configure one run (the flags of `kaidian load`).
type Options struct {
	Targets     []string      // base URLs; shoppers are spread over them round-robin
	Scenario    string        // one of Scenarios
	Shoppers    int           // distinct shoppers logged in before the timed part
	Concurrency int           // requests in flight at once
	Requests    int64         // upper bound on requests in the timed part (0: none)
	Duration    time.Duration // time limit of the timed part (0: none)
	// Stop, when closed, ends the timed part as the time limit would: for a
	// caller that decides when enough load has run (the crash drill ends
	// it once it has done its killing).
	Stop <-chan struct{}

	// DB, when set, is the database the checks read and -create-sale writes
	// (tests pass their in-process shop's); otherwise DatabaseURL or
	// SQLitePath is opened when a scenario needs it.
	DB          *database.DB
	DatabaseURL string
	SQLitePath  string

	// Restock raises the stock of the SKUs checkout and flash use to at
	// least this many units, through the inventory ledger (needs the database).
	Restock int64

	// BrowseStep limits browse to one kind of request (list,
	// list_category, list_cursor, list_search, detail), to set one beside
	// the hello-world baseline; empty: the mix.
	BrowseStep string
	// BrowseLogin has browse log Shoppers shoppers in first and send their
	// tokens with every request, as a logged-in mini program does: their
	// product views are recorded as footprints (KAIDIAN_FOOTPRINTS).
	BrowseLogin bool

	// Rate, when above 0, sends requests at this many a second whatever the
	// shop does (an open loop, see drive) instead of as fast as it answers;
	// scenarios hello, browse and pages honour it.
	Rate float64
	// PagesStep limits pages to one kind of request (see pagesSteps).
	PagesStep string
	// Baseline is the hello-world server visits measures beside itself
	// (`kaidian load baseline`); empty: one started in this process.
	Baseline string

	Flash FlashOptions
	Packs PacksOptions

	// Run names this run's shoppers (load-<run>-<i>); random when empty.
	Run string

	// Metrics are the base URLs of the replicas' metrics listeners, in the
	// order of Targets, for the servers' memory at the end of the scenario
	// (memory.go); with MetricsToken, a target without one is read at its
	// own /metrics with the token.
	Metrics      []string
	MetricsToken string
}

// FlashOptions are the flash scenario's settings.
type FlashOptions struct {
	SaleID          int64         // an existing sale, or 0 with CreateSale
	CreateSale      bool          // create a sale through internal/flashsale in the database
	Units           int64         // units allotted to a created sale
	Limit           int           // per-shopper limit of a created sale
	SKUID           int64         // SKU of a created sale (0: the in-stock SKU with the most stock)
	PayWindow       time.Duration // payment window of a created sale
	StartsIn        time.Duration // a created sale starts this long after creation
	SoldOutDuration time.Duration // how long to keep buying once sold out
	PayFraction     float64       // share of accepted orders paid through the sandbox
	WaitExpiry      bool          // wait until every unpaid order has been closed
	ExpiryTimeout   time.Duration // bound on that wait (0: pay window + 2 minutes)
}

// Scenarios lists the scenario names.
var Scenarios = []string{"browse", "pages", "checkout", "flash", "packs", "notify", "notify-orders", "visits", "hello"}

// Run runs the scenario and returns its report. An error means the run
// could not be carried out (a target down, setup refused); failed checks
// are in the report, not the error.
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.Run == "" {
		o.Run = randomRun()
	}
	l := &load{o: o, cl: newClient(o.Concurrency, len(o.Targets))}
	defer l.cl.close()
	defer l.closeDB()
	r := &Report{Scenario: o.Scenario, Targets: o.Targets, Shoppers: o.Shoppers, Concurrency: o.Concurrency}
	mem := l.watchMemory(ctx)
	l.mem = mem
	r.CatalogCache = l.catalogCache(ctx)
	var err error
	switch o.Scenario {
	case "browse":
		err = l.browse(ctx, r)
	case "pages":
		err = l.pages(ctx, r)
	case "checkout":
		err = l.checkout(ctx, r)
	case "notify":
		err = l.notify(ctx, r)
	case "notify-orders":
		err = l.notifyOrders(ctx, r)
	case "flash":
		err = l.flash(ctx, r)
	case "visits":
		err = l.visits(ctx, r)
	case "packs":
		err = l.packs(ctx, r)
	case "hello":
		err = l.hello(ctx, r)
	default:
		err = fmt.Errorf("unknown scenario %q (one of %s)", o.Scenario, strings.Join(Scenarios, ", "))
	}
	mem.report(ctx, r)
	if err != nil {
		return nil, err
	}
	if rateLimited(r) {
		r.note("the shop answered 429: its rate limits count this whole load as one client; for load tests start the replicas with KAIDIAN_RATE_CLIENT=0 KAIDIAN_RATE_SHOPPER=0 KAIDIAN_RATE_WEBHOOK=0")
	}
	r.settle()
	return r, nil
}

func rateLimited(r *Report) bool {
	for _, s := range r.Steps {
		for k := range s.Answers {
			if strings.HasPrefix(k, "429") {
				return true
			}
		}
	}
	return false
}

func (o *Options) validate() error {
	if len(o.Targets) == 0 {
		return errors.New("no -targets")
	}
	for i, t := range o.Targets {
		if !strings.HasPrefix(t, "http://") && !strings.HasPrefix(t, "https://") {
			return fmt.Errorf("target %q is not an http(s) URL", t)
		}
		o.Targets[i] = strings.TrimRight(t, "/")
	}
	if o.Shoppers < 1 || o.Concurrency < 1 {
		return errors.New("-shoppers and -concurrency must be at least 1")
	}
	if o.Requests <= 0 && o.Duration <= 0 && o.Stop == nil {
		return errors.New("give -requests or -duration (or both): a run must end")
	}
	if o.BrowseStep != "" && !slices.Contains(browseSteps, o.BrowseStep) {
		return fmt.Errorf("-browse-step %q is not one of %s", o.BrowseStep, strings.Join(browseSteps, ", "))
	}
	if o.PagesStep != "" && !slices.Contains(pagesSteps, o.PagesStep) {
		return fmt.Errorf("-pages-step %q is not one of %s", o.PagesStep, strings.Join(pagesSteps, ", "))
	}
	if o.Rate < 0 {
		return errors.New("-rate must not be negative")
	}
	if f := o.Flash.PayFraction; f < 0 || f > 1 {
		return errors.New("-pay-fraction must be between 0 and 1")
	}
	return nil
}

// load is one run in progress.
type load struct {
	o      Options
	cl     *client
	db     *database.DB
	ownsDB bool
	mem    *memoryWatch // the replicas' metrics, for memory and CPU
}

// target is the base URL the i-th shopper (or worker) talks to.
func (l *load) target(i int) string { return l.o.Targets[i%len(l.o.Targets)] }

// budget bounds the timed part: at most n requests (when n > 0) and nothing
// started after the deadline (when set). Workers take from it before each
// request or loop, so the bound holds however many run at once.
type budget struct {
	left     atomic.Int64
	limited  bool
	deadline time.Time
	stop     <-chan struct{}
}

func (l *load) newBudget() *budget {
	b := &budget{limited: l.o.Requests > 0, stop: l.o.Stop}
	b.left.Store(l.o.Requests)
	if l.o.Duration > 0 {
		b.deadline = time.Now().Add(l.o.Duration)
	}
	return b
}

// take reserves n requests; false means the timed part is over.
func (b *budget) take(n int64) bool {
	if !b.deadline.IsZero() && time.Now().After(b.deadline) {
		return false
	}
	select {
	case <-b.stop: // nil when not set: never ready
		return false
	default:
	}
	if !b.limited {
		return true
	}
	if b.left.Add(-n) >= 0 {
		return true
	}
	b.left.Add(n) // give back: a smaller reservation may still fit
	return false
}

func randomRun() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// workers runs fn on n goroutines (w = 0…n-1) and waits for all of them.
func workers(n int, fn func(w int)) {
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w)
		}()
	}
	wg.Wait()
}
