// Command kaidian runs the Kaidian shop. With no arguments it serves the
// mini-program API, the sandbox (when no WeChat credentials are set) and the
// background jobs; `kaidian help` lists the other subcommands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/kaidian/kaidian/internal/app"
	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/loadgen"
	"github.com/kaidian/kaidian/internal/seed"
)

const usage = `usage: kaidian [command]

commands:
  serve     run the shop (default): API, webhooks, background jobs, sandbox
  migrate   apply database migrations and exit
  seed      apply migrations and seed the demo shop into an empty catalog, then exit;
            seed -products N adds N bulk products (three SKUs each) for load tests;
            seed -reviews N adds N visible reviews (with their orders) over the products on the shelf
  sandbox   run only the local fake WeChat on KAIDIAN_ADDR (see README)
  admin     console accounts: admin create <username> [staff], admin password <username>
  settings  show the shop settings, or set them: kaidian settings order_timeout=30m shipping_fee=800
  refunds   list shoppers' refund requests; approve <id> [restock], decline <id> <note>,
            or refund an order: order <order_no> [fen] [restock]
  load      load-test running replicas: load -scenario browse|checkout|flash|notify|hello
            -targets URL,URL …; load baseline serves a bare gin hello-world (load -h)
  help      show this text

Configuration is read from KAIDIAN_* environment variables; see README.md.
`

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kaidian:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout, isTerminal(stdout))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		return app.Migrate(ctx, cfg, log)
	case "seed":
		return seedShop(ctx, cfg, log, args[1:])
	case "sandbox":
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return err
		}
		return app.ServeSandbox(ctx, cfg, log, ln)
	case "settings":
		return app.Settings(ctx, cfg, log, args[1:], stdout)
	case "admin":
		return app.Admin(ctx, cfg, log, args[1:], stdout)
	case "refunds":
		return app.Refunds(ctx, cfg, log, args[1:], stdout)
	case "load":
		return loadgen.Main(ctx, cfg, args[1:], stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

// seedShop seeds the demo shop and, with -products N, N bulk products on
// top, so cache-off reads can be measured on a catalog the size of a real
// shop's (the one-second cache then misses most searches and filters);
// with -footprints N, N footprints for the "me" pages' measurements; with
// -visits N and -sourced-orders M, the history the funnel is measured on.
func seedShop(ctx context.Context, cfg config.Config, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	products := fs.Int("products", 0, "bulk products to add (three SKUs each, in ten categories)")
	reviews := fs.Int("reviews", 0, "visible reviews to add, with their completed orders, over the on-shelf products")
	footprints := fs.Int("footprints", 0, "footprints to add, over new shoppers (100 each) and the products on shelf")
	visits := fs.Int("visits", 0, "visits to add over the last 90 days, through new channels and KOLs, shares, direct and unknown sources")
	sourced := fs.Int("sourced-orders", 0, "orders to add over the last 90 days, credited to the sources -visits makes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.Demo = true
	a, err := app.New(ctx, cfg, log, "http://127.0.0.1")
	if err != nil {
		return err
	}
	defer a.Close()
	if *products > 0 {
		if err := seed.Bulk(ctx, a.DB, seed.Sizes{Products: *products}); err != nil {
			return err
		}
	}
	if *footprints > 0 {
		if err := seed.Footprints(ctx, a.DB, *footprints); err != nil {
			return err
		}
	}
	if *reviews > 0 {
		if err := seed.Reviews(ctx, a.DB, *reviews); err != nil {
			return err
		}
	}
	if *visits > 0 || *sourced > 0 {
		social := seed.Social{DB: a.DB, Channels: a.Channels, Promoters: a.Promoters, Attribution: a.Attribution}
		if err := seed.Visits(ctx, social, *visits, *sourced); err != nil {
			return err
		}
	}
	if *products <= 0 && *footprints <= 0 && *reviews <= 0 && *visits <= 0 && *sourced <= 0 {
		return nil
	}
	return a.DB.Optimize(ctx)
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	metricsLn, err := app.ListenMetrics(cfg.MetricsAddr)
	if err != nil {
		ln.Close()
		return err
	}
	a, err := app.New(ctx, cfg, log, selfURL(ln))
	if err != nil {
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		return err
	}
	defer a.Close()
	// Never into the log stream: on a terminal, or else in a 0600 file.
	if err := a.AnnounceFirstOwner(app.Terminal(os.Stdout), selfURL(ln)+"/console"); err != nil {
		return err
	}
	return a.Serve(ctx, ln, metricsLn)
}

// selfURL is how this process reaches itself: loopback on the bound port.
func selfURL(ln net.Listener) string {
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return "http://127.0.0.1:" + port
}
