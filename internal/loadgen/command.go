package loadgen

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/config"
)

// Usage is the help of `kaidian load`.
const Usage = `usage: kaidian load [flags]            run a scenario against running Kaidian replicas
       kaidian load baseline [-addr A]   serve a bare gin hello-world (the baseline for -scenario hello)

Scenarios: browse (product list and detail reads), pages (the shopper's everyday pages: home, me,
search, reviews, favourites, footprints), checkout (cart → preview → order → pay → paid),
flash (shoppers race for a flash sale's units), packs (shoppers grab lucky coupon packs, beside a
hello-world at the same concurrency), notify (bursts of duplicate payment notifications),
notify-orders (payment notifications of distinct orders, 32 at once, beside their CPU ceiling),
visits (POST /visits through the shop's sources, beside a hello-world measured in the same run,
then a check that every visit answered 2xx was saved), hello (GET / of a baseline server). Prints throughput, latency percentiles, non-2xx answers by
status and error code, and PASS/FAIL checks; exits non-zero when a check fails.
The database (for checks, -create-sale and -restock) is KAIDIAN_DATABASE_URL, else the SQLite
file under KAIDIAN_DATA_DIR, unless -database-url says otherwise.

flags:
`

// Main runs `kaidian load` with its arguments; cfg supplies the database
// defaults. A failed check is an error, so the process exits non-zero.
func Main(ctx context.Context, cfg config.Config, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "baseline" {
		return baseline(ctx, args[1:], stdout)
	}
	o, asJSON, err := parseFlags(cfg, args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	r, err := Run(ctx, o)
	if err != nil {
		return err
	}
	if asJSON {
		if err := r.WriteJSON(stdout); err != nil {
			return err
		}
	} else {
		r.WriteText(stdout)
	}
	if failed := r.Failed(); len(failed) > 0 {
		names := make([]string, len(failed))
		for i, c := range failed {
			names[i] = c.Name
		}
		return fmt.Errorf("load: %d check(s) failed: %s", len(failed), strings.Join(names, "; "))
	}
	return nil
}

// scenarioDuration is the time limit when neither -requests nor -duration
// is given: a flash race or a packs stampede of thousands of shoppers needs
// longer than reads.
var scenarioDuration = map[string]time.Duration{"flash": time.Minute, "packs": time.Minute}

// scenarioConcurrency is -concurrency when not given, for scenarios whose
// figure is defined at a concurrency: notify-orders at WeChat-like 32 at once.
var scenarioConcurrency = map[string]int{"notify-orders": 32}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func parseFlags(cfg config.Config, args []string, stdout io.Writer) (Options, bool, error) {
	fs := flag.NewFlagSet("kaidian load", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprint(stdout, Usage); fs.PrintDefaults() }
	var o Options
	targets := fs.String("targets", "http://127.0.0.1:8080", "comma-separated base URLs of the replicas; shoppers are spread over them round-robin")
	fs.StringVar(&o.Scenario, "scenario", "browse", strings.Join(Scenarios, " | "))
	fs.IntVar(&o.Shoppers, "shoppers", 20, "distinct shoppers logged in through the sandbox before the timed part")
	fs.IntVar(&o.Concurrency, "concurrency", 16, "requests in flight at once (notify-orders: 32)")
	fs.Int64Var(&o.Requests, "requests", 0, "upper bound on the timed part's requests (0: none)")
	fs.DurationVar(&o.Duration, "duration", 0, "time limit of the timed part (default 10s, flash 1m, when -requests is not given either)")
	fs.StringVar(&o.DatabaseURL, "database-url", cfg.DatabaseURL, "PostgreSQL URL of the shop's database (default KAIDIAN_DATABASE_URL; unset: the SQLite file under KAIDIAN_DATA_DIR)")
	fs.Int64Var(&o.Restock, "restock", 0, "checkout, notify, notify-orders: raise the stock of the SKUs used to at least this many units through the ledger (needs the database)")
	fs.Float64Var(&o.Rate, "rate", 0, "hello, browse, pages: send this many requests a second whatever the shop does (an open loop; latency counts from when each was due) instead of as fast as it answers")
	fs.StringVar(&o.Baseline, "baseline", "", "visits: base URL of a hello-world baseline to measure beside the visits (default: one started in this process)")
	fs.StringVar(&o.PagesStep, "pages-step", "", "pages: only this kind of request ("+strings.Join(pagesSteps, ", ")+"; default: the mix)")
	fs.StringVar(&o.BrowseStep, "browse-step", "", "browse: only this kind of request ("+strings.Join(browseSteps, ", ")+"; default: the mix)")
	fs.BoolVar(&o.BrowseLogin, "browse-login", false, "browse: log -shoppers shoppers in first and send their tokens, so product views are recorded as footprints")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	metrics := fs.String("metrics", "", "comma-separated base URLs of the replicas' metrics listeners, in the order of -targets, for their memory (RSS) at the end of the scenario (default with one target: KAIDIAN_METRICS_ADDR, else 127.0.0.1:9090; with KAIDIAN_METRICS_TOKEN set, each target's own /metrics)")
	fs.StringVar(&o.Run, "run", "", "name of this run; shoppers are load-<run>-<i> (default random)")
	f := &o.Flash
	fs.Int64Var(&f.SaleID, "flash-sale", 0, "flash: id of an existing sale to race for")
	fs.BoolVar(&f.CreateSale, "create-sale", false, "flash: create the sale in the database through the flash-sale service")
	fs.Int64Var(&f.Units, "units", 300, "flash -create-sale: units allotted (K)")
	fs.IntVar(&f.Limit, "limit", 1, "flash -create-sale: per-shopper limit")
	fs.Int64Var(&f.SKUID, "sku", 0, "flash: SKU of the sale (default: the in-stock SKU with the most stock)")
	fs.DurationVar(&f.PayWindow, "pay-window", 5*time.Minute, "flash -create-sale: time to pay an order (at least 10s)")
	fs.DurationVar(&f.StartsIn, "starts-in", 2*time.Second, "flash -create-sale: the sale opens this long after it is created")
	fs.DurationVar(&f.SoldOutDuration, "soldout-duration", 5*time.Second, "flash: keep buying this long once sold out (0: skip)")
	fs.Float64Var(&f.PayFraction, "pay-fraction", 0, "flash: share of accepted orders to pay through the sandbox (0 to 1)")
	fs.BoolVar(&f.WaitExpiry, "wait-expiry", false, "flash: wait until every unpaid order has been closed, then check the expiry jobs")
	fs.DurationVar(&f.ExpiryTimeout, "expiry-timeout", 0, "flash -wait-expiry: bound on the wait (default: pay window + 2m)")
	fs.IntVar(&o.Packs.Packs, "packs", 1, "packs: how many packs the shoppers grab from (shopper i grabs pack i mod packs)")
	fs.IntVar(&o.Packs.Count, "pack-count", 100, "packs: coupons per pack")
	fs.Int64Var(&o.Packs.Total, "pack-total", 0, "packs: fen per pack (default ¥1 per coupon)")
	if err := fs.Parse(args); err != nil {
		return o, false, err
	}
	if fs.NArg() > 0 {
		return o, false, fmt.Errorf("load: unexpected argument %q", fs.Arg(0))
	}
	for _, t := range strings.Split(*targets, ",") {
		if t = strings.TrimSpace(t); t != "" {
			o.Targets = append(o.Targets, t)
		}
	}
	if o.DatabaseURL == "" {
		o.SQLitePath = cfg.SQLitePath()
	}
	for _, m := range strings.Split(*metrics, ",") {
		if m = strings.TrimSpace(m); m != "" {
			o.Metrics = append(o.Metrics, m)
		}
	}
	o.MetricsToken = cfg.MetricsToken
	if len(o.Metrics) == 0 && len(o.Targets) == 1 && o.MetricsToken == "" {
		// One replica on this machine, started with the same environment.
		if u := metricsAddrURL(cfg.MetricsAddr); u != "" {
			o.Metrics = []string{u}
		}
	}
	if c, ok := scenarioConcurrency[o.Scenario]; ok && !flagSet(fs, "concurrency") {
		o.Concurrency = c
	}
	if o.Requests <= 0 && o.Duration <= 0 {
		o.Duration = 10 * time.Second
		if d, ok := scenarioDuration[o.Scenario]; ok {
			o.Duration = d
		}
	}
	return o, *asJSON, nil
}

// baseline runs the hello-world server of `kaidian load baseline`.
func baseline(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("kaidian load baseline", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:9099", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	err = Baseline(ctx, ln, stdout)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
