package loadgen

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/inventory"
)

// Packs scenario: a crowd grabs lucky coupon packs (拼手气). Set up: a
// campaign and Packs.Packs packs of Packs.Count coupons each, made through
// the couponpack service in the shop's database, as the console issues a
// pack for a channel; shopper i grabs pack i mod Packs (every tenth sends a
// second grab at once, which must answer the same coupon). Before the
// grabs, a bare gin hello-world on this machine is loaded with as many
// requests at the same concurrency, so grabs/s reads as a share of what
// the HTTP stack alone does. Then the database must show each pack exact:
// its amounts sum to its total, min(count, grabbers) slots taken, nobody
// twice, every grab a coupon of its amount in the grabber's wallet.

// PacksOptions are the packs scenario's settings.
type PacksOptions struct {
	Packs int   // packs to grab from (default 1: one pack, the stampede)
	Count int   // coupons per pack (default 100)
	Total int64 // fen per pack (default 100 per coupon)
}

// packsRun is one packs run's state, shared by its phases.
type packsRun struct {
	packs   []couponpack.Pack
	mu      sync.Mutex
	grabbed map[*shopper]packGrab // each shopper's first 201 or 200
	twice   atomic.Int64          // a shopper answered two different coupons
}

type packGrab struct {
	amount, coupon int64
}

func (o *PacksOptions) defaults() {
	o.Packs, o.Count = max(o.Packs, 1), max(o.Count, 1)
	if o.Total <= 0 {
		o.Total = int64(o.Count) * 100
	}
}

func (l *load) packs(ctx context.Context, r *Report) error {
	o := &l.o.Packs
	o.defaults()
	shoppers, err := l.login(ctx, l.o.Shoppers)
	if err != nil {
		return err
	}
	pr := &packsRun{grabbed: map[*shopper]packGrab{}}
	if pr.packs, err = l.makePacks(ctx, *o); err != nil {
		return err
	}
	r.note("%d pack(s) of %d coupons, ¥%s each; %d shoppers grab, concurrency %d", o.Packs, o.Count,
		strconv.FormatFloat(float64(o.Total)/100, 'f', 2, 64), len(shoppers), l.o.Concurrency)

	rec := newRecorder()
	hello, err := l.helloBeside(ctx, rec, int64(len(shoppers)))
	if err != nil {
		return err
	}
	cpu := l.meterCPU(ctx)
	b := l.newBudget()
	var next atomic.Int64
	start := time.Now()
	workers(l.o.Concurrency, func(int) {
		for i := int(next.Add(1) - 1); i < len(shoppers) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
			s := shoppers[i]
			p := pr.packs[i%len(pr.packs)]
			if s.i%greedyEvery != 0 {
				l.grab(ctx, pr, s, p, b, rec)
				continue
			}
			workers(2, func(int) { l.grab(ctx, pr, s, p, b, rec) }) // the same shopper twice at once
		}
	})
	took := time.Since(start)
	cpu.report(ctx, r, "grab", rec.count("grab"))
	r.finish(rec, took, "grab")
	for i := range r.Steps { // hello's rate is over its own wall time, before the grabs
		if r.Steps[i].Name == "hello" {
			r.Steps[i].PerSecond = perSecond(r.Steps[i].Count, hello)
		}
	}
	packFigures(r, pr, took)
	l.verifyPacks(ctx, r, pr, shoppers)
	return nil
}

// grab sends one grab and records what came back.
func (l *load) grab(ctx context.Context, pr *packsRun, s *shopper, p couponpack.Pack, b *budget, rec *recorder) {
	if !b.take(1) {
		return
	}
	a := l.cl.do(ctx, "POST", s.api("/coupon-packs/"+p.Token+"/grab"), s.token, nil, true)
	rec.add("grab", a)
	if a.status != 201 && a.status != 200 {
		return
	}
	var g struct {
		Amount int64 `json:"amount"`
		Coupon struct {
			ID int64 `json:"id"`
		} `json:"coupon"`
	}
	if a.decode(&g) != nil {
		return
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if first, ok := pr.grabbed[s]; ok {
		if first != (packGrab{g.Amount, g.Coupon.ID}) {
			pr.twice.Add(1)
		}
		return
	}
	pr.grabbed[s] = packGrab{g.Amount, g.Coupon.ID}
}

// helloBeside serves a bare gin hello-world on a loopback port of this
// machine and loads it with n requests at the run's concurrency, recorded
// as step "hello"; it answers the wall time they took.
func (l *load) helloBeside(ctx context.Context, rec *recorder, n int64) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("hello-world baseline: %w", err)
	}
	ctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- Baseline(ctx, ln, nil) }()
	defer func() { stop(); <-done }()
	url := "http://" + ln.Addr().String() + "/"
	var left atomic.Int64
	left.Store(n)
	start := time.Now()
	workers(l.o.Concurrency, func(int) {
		for ctx.Err() == nil && left.Add(-1) >= 0 {
			rec.add("hello", l.cl.do(ctx, "GET", url, "", nil, false))
		}
	})
	return time.Since(start), nil
}

// makePacks creates the campaign and its packs in the shop's database
// through the couponpack service, each issued for a channel made for the run.
func (l *load) makePacks(ctx context.Context, o PacksOptions) ([]couponpack.Pack, error) {
	db, err := l.database(ctx)
	if err != nil {
		return nil, fmt.Errorf("packs: %w", err)
	}
	clk := clock.New()
	log := audit.New(db, clk)
	inv := inventory.New(db, clk)
	customers := customer.New(db, clk)
	channels := channel.New(db, log, clk)
	// No share references: packs issued for a channel have no giver to ask about.
	svc := couponpack.New(db, log, coupon.New(db, log, catalog.New(db, inv, clk), customers, clk), customers, channels, nil, clk)
	now := clk.Now()
	c, err := svc.Create(ctx, loadActor, couponpack.Draft{Name: "压测拼手气 " + l.o.Run, Total: o.Total, Count: o.Count,
		MinAmount: 1, Scope: coupon.ScopeShop, ValidDays: 7, PerShopper: 1, PackHours: 24,
		StartsAt: now.Add(-time.Minute), EndsAt: now.Add(time.Hour)})
	if err != nil {
		return nil, fmt.Errorf("create pack campaign: %w", err)
	}
	ch, err := channels.Create(ctx, loadActor, channel.Input{Name: "压测 " + l.o.Run, Active: true})
	if err != nil {
		return nil, fmt.Errorf("create channel: %w", err)
	}
	packs := make([]couponpack.Pack, o.Packs)
	for i := range packs {
		if packs[i], err = svc.IssueForChannel(ctx, loadActor, c.ID, ch.ID); err != nil {
			return nil, fmt.Errorf("issue pack: %w", err)
		}
	}
	if _, err := svc.Stop(ctx, loadActor, c.ID); err != nil { // the packs stay grabbable; nothing else gets one
		return nil, err
	}
	return packs, nil
}

// packFigures: grabs/s (every answer), coupons grabbed/s, p99, and the
// hello-world's throughput and p99 at the same concurrency beside them.
func packFigures(r *Report, pr *packsRun, took time.Duration) {
	var grab, hw Step
	for _, s := range r.Steps {
		switch s.Name {
		case "grab":
			grab = s
		case "hello":
			hw = s
		}
	}
	r.figure("grabs_per_s", grab.PerSecond)
	r.figure("grabbed_coupons", float64(len(pr.grabbed)))
	r.figure("grabbed_per_s", perSecond(int64(len(pr.grabbed)), took))
	r.figure("grab_p99_ms", grab.Latency.P99)
	r.figure("hello_per_s", hw.PerSecond)
	r.figure("hello_p99_ms", hw.Latency.P99)
	if hw.PerSecond > 0 {
		r.figure("grabs_share_of_hello", grab.PerSecond/hw.PerSecond)
	}
}
