package loadgen

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Flash scenario: N shoppers race for the K units of one flash sale. It
// runs in phases: set up (log shoppers in, create or read the sale), the
// race (every shopper buys until it holds an order or gets a final answer),
// payment of a share of the orders, the sold-out phase (keep buying to
// measure how cheap "sold out" is), optionally a wait until the unpaid
// orders expire, and finally verification from the API and the database.

// Tuning of the shoppers' behaviour.
const (
	fireLead    = 150 * time.Millisecond // shoppers start firing this long before the sale opens
	retryPause  = 20 * time.Millisecond  // a shopper's pause after not_started, an error, or busy
	maxRetry429 = 2 * time.Second        // the longest Retry-After honoured
	greedyEvery = 10                     // every tenth shopper fires several requests at once
	maxAttempts = 2000                   // per shopper request stream, a bound against endless loops
)

// flashRun is the state of one flash run, shared by the phases.
type flashRun struct {
	sale      flashSale
	item      flashItem // the SKU raced for
	start     time.Time // when the sale opens, by this machine's clock
	available int64     // units up for grabs when the race began (K)
	demand    int64     // units the shoppers want in all

	mu         sync.Mutex
	orders     []*flashOrder
	lastAccept time.Time
	losers     []*shopper // shoppers answered sold_out, each once
	lost       map[*shopper]bool
	unfinished atomic.Int64
	soldOut    atomic.Bool
}

type flashOrder struct {
	s    *shopper
	no   string
	paid bool // set by the payment phase
}

func (l *load) flash(ctx context.Context, r *Report) error {
	shoppers, err := l.login(ctx, l.o.Shoppers)
	if err != nil {
		return err
	}
	fr := &flashRun{lost: map[*shopper]bool{}}
	if fr.sale, err = l.flashSale(ctx, r); err != nil {
		return err
	}
	if err := fr.pickItem(l.o.Flash.SKUID); err != nil {
		return err
	}
	fr.start = fr.sale.StartsAt.Add(-fr.sale.offset)
	fr.available = fr.item.Available
	for _, s := range shoppers {
		fr.demand += int64(fr.wants(s))
	}
	r.note("sale %d: sku %d, %d of %d units available, limit %d per shopper, %s to pay; demand %d units",
		fr.sale.ID, fr.item.SKUID, fr.item.Available, fr.item.Allotted, fr.sale.Limit, fr.sale.payWindow(), fr.demand)

	rec := newRecorder()
	cpu := &cpuMeter{l: l}
	raceTime := l.race(ctx, fr, shoppers, rec, cpu)
	cpu.report(ctx, r, "accepted_order", int64(len(fr.orders)))
	r.finish(rec, raceTime, "order")
	l.flashFigures(r, fr)
	l.checkTaken(ctx, r, fr)
	// Pay first, while the orders are surely inside their payment window;
	// paying does not give units back, so the sale stays sold out.
	l.payShare(ctx, r, fr)
	l.soldOutPhase(ctx, r, fr, shoppers)
	expired := l.waitExpiry(ctx, r, fr)
	checkRaceAnswers(r)
	l.verifyFlash(ctx, r, fr, shoppers, expired)
	return nil
}

// wants is how many units shopper s tries to buy: one, or as many as the
// limit allows for the greedy ones.
func (fr *flashRun) wants(s *shopper) int {
	if s.i%greedyEvery == 0 {
		return fr.sale.Limit
	}
	return 1
}

// race runs every shopper to an order or a final answer, with at most
// concurrency shoppers at a time (a greedy shopper's requests at once count
// as one), and returns the race's wall time. cpu meters the servers from
// the first request on, not the wait for the opening.
func (l *load) race(ctx context.Context, fr *flashRun, shoppers []*shopper, rec *recorder, cpu *cpuMeter) time.Duration {
	if err := sleep(ctx, time.Until(fr.start.Add(-fireLead))); err != nil {
		return 0
	}
	cpu.resume(ctx)
	b := l.newBudget()
	var next atomic.Int64
	began := time.Now()
	workers(l.o.Concurrency, func(int) {
		for i := int(next.Add(1) - 1); i < len(shoppers) && ctx.Err() == nil; i = int(next.Add(1) - 1) {
			s := shoppers[i]
			body := fr.orderBody(s)
			if fr.wants(s) == 1 {
				l.buy(ctx, fr, s, body, b, rec, false)
				continue
			}
			// The same shopper, several requests at once: only the limit may win.
			workers(fr.sale.Limit+2, func(int) { l.buy(ctx, fr, s, body, b, rec, true) })
		}
	})
	return time.Since(began)
}

// buy sends the shopper's order until it gets a final answer: an order
// (greedy: keeps buying after one), sold_out, limit_reached or ended.
// not_started, busy and errors are retried after a short pause.
func (l *load) buy(ctx context.Context, fr *flashRun, s *shopper, body []byte, b *budget, rec *recorder, greedy bool) {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if ctx.Err() != nil || !b.take(1) {
			fr.unfinished.Add(1)
			return
		}
		a := l.cl.do(ctx, "POST", s.api("/orders"), s.token, body, true)
		rec.add("order", a)
		switch {
		case a.status == 201:
			var o struct {
				OrderNo string `json:"order_no"`
			}
			if a.decode(&o) == nil {
				fr.accept(s, o.OrderNo)
			}
			if !greedy {
				return
			}
		case a.code == "sold_out":
			fr.lose(s)
			return
		case a.code == "limit_reached" || a.code == "ended":
			return
		case a.status == 429:
			sleep(ctx, min(max(a.retryAfter, retryPause), maxRetry429))
		case a.code == "not_started" || a.err != nil || a.status >= 500:
			sleep(ctx, retryPause)
		default: // the run is misconfigured (no such sale, SKU not in it): retrying cannot help
			return
		}
	}
	fr.unfinished.Add(1)
}

func (fr *flashRun) accept(s *shopper, no string) {
	now := time.Now()
	fr.mu.Lock()
	fr.orders = append(fr.orders, &flashOrder{s: s, no: no})
	if now.After(fr.lastAccept) {
		fr.lastAccept = now
	}
	fr.mu.Unlock()
}

func (fr *flashRun) lose(s *shopper) {
	fr.soldOut.Store(true)
	fr.mu.Lock()
	if !fr.lost[s] {
		fr.lost[s] = true
		fr.losers = append(fr.losers, s)
	}
	fr.mu.Unlock()
}

// flashFigures reports the race: accepted orders per second and the time
// from the sale's opening to the last unit taken.
func (l *load) flashFigures(r *Report, fr *flashRun) {
	accepted := int64(len(fr.orders))
	r.figure("accepted_orders", float64(accepted))
	r.figure("not_started_answers", float64(r.Total.Answers["422 not_started"]))
	if accepted == 0 {
		return
	}
	window := fr.lastAccept.Sub(fr.start)
	if window <= 0 { // the machine's clock read the opening late; the race still took time
		window = time.Millisecond
	}
	r.figure("accepted_per_s", perSecond(accepted, window))
	if fr.soldOut.Load() {
		r.figure("sell_out_ms", ms(window))
	} else {
		r.note("not sold out: %d of %d units taken (demand %d units)", accepted, fr.available, fr.demand)
	}
	if n := fr.unfinished.Load(); n > 0 {
		r.note("%d shopper request streams stopped by -requests/-duration before a final answer", n)
	}
}
