package loadgen

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// soldOutPhase keeps buying for -soldout-duration once the sale is sold
// out, as the crowd that lost keeps tapping: that answer must be cheap (no
// database write), so its rate is a headline figure.
func (l *load) soldOutPhase(ctx context.Context, r *Report, fr *flashRun, shoppers []*shopper) {
	d := l.o.Flash.SoldOutDuration
	if d <= 0 {
		return
	}
	if !fr.soldOut.Load() {
		r.note("no sold-out phase: the sale did not sell out")
		return
	}
	// Shoppers that lost and hold nothing: their answer can only be sold_out.
	holders := map[*shopper]bool{}
	for _, o := range fr.orders {
		holders[o.s] = true
	}
	var pool []*shopper
	for _, s := range fr.losers {
		if !holders[s] {
			pool = append(pool, s)
		}
	}
	if len(pool) == 0 {
		pool = shoppers
	}
	bodies := make([][]byte, len(pool))
	for i, s := range pool {
		bodies[i] = fr.orderBody(s)
	}
	rec := newRecorder()
	var seq atomic.Int64
	start := time.Now()
	deadline := start.Add(d)
	workers(l.o.Concurrency, func(int) {
		for ctx.Err() == nil && time.Now().Before(deadline) {
			i := int(seq.Add(1)) % len(pool)
			a := l.cl.do(ctx, "POST", pool[i].api("/orders"), pool[i].token, bodies[i], true)
			rec.add("sold_out_phase", a)
			if a.status == 201 { // a unit came back (an order closed): a real order all the same
				var o struct {
					OrderNo string `json:"order_no"`
				}
				if a.decode(&o) == nil {
					fr.accept(pool[i], o.OrderNo)
				}
			}
		}
	})
	elapsed := time.Since(start)
	r.addSteps(rec, elapsed)
	st := rec.total(elapsed, "sold_out_phase")
	r.figure("sold_out_per_s", perSecond(rec.answers("sold_out_phase", "409 sold_out"), elapsed))
	r.figure("sold_out_p99_ms", st.Latency.P99)
}

func (fr *flashRun) orderBody(s *shopper) []byte {
	return []byte(fmt.Sprintf(`{"flash_sale_id":%d,"items":[{"sku_id":%d,"quantity":1}],"address_id":%d}`,
		fr.sale.ID, fr.item.SKUID, s.addressID))
}

// payShare pays -pay-fraction of the accepted orders (the first ones
// taken) through the sandbox and waits until each shows as paid.
func (l *load) payShare(ctx context.Context, r *Report, fr *flashRun) {
	n := int(math.Round(l.o.Flash.PayFraction * float64(len(fr.orders))))
	if n == 0 {
		return
	}
	rec := newRecorder()
	var next, paid atomic.Int64
	var mu sync.Mutex
	var firstErr error
	start := time.Now()
	workers(min(l.o.Concurrency, n), func(int) {
		for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
			o := fr.orders[i]
			err := l.pay(ctx, o.s, o.no, rec)
			if err == nil {
				err = l.waitStatus(ctx, o.s, o.no, "paid", paidWait, rec, "poll")
			}
			if err == nil {
				o.paid = true
				paid.Add(1)
				continue
			}
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}
	})
	r.addSteps(rec, time.Since(start))
	r.figure("paid_orders", float64(paid.Load()))
	detail := fmt.Sprintf("%d of %d orders chosen to pay are paid", paid.Load(), n)
	if firstErr != nil {
		detail += "; first failure: " + firstErr.Error()
	}
	r.check("chosen orders paid", paid.Load() == int64(n), "%s", detail)
}

// waitExpiry waits until every unpaid order has been closed by the shop's
// expiry job, for at most the pay window plus two minutes (or
// -expiry-timeout). It reports whether it waited.
func (l *load) waitExpiry(ctx context.Context, r *Report, fr *flashRun) bool {
	if !l.o.Flash.WaitExpiry {
		return false
	}
	var unpaid []*flashOrder
	for _, o := range fr.orders {
		if !o.paid {
			unpaid = append(unpaid, o)
		}
	}
	bound := l.o.Flash.ExpiryTimeout
	if bound <= 0 {
		bound = fr.sale.payWindow() + 2*time.Minute
	}
	start := time.Now()
	open, err := l.waitClosed(ctx, unpaid, bound)
	r.figure("expiry_wait_s", math.Round(time.Since(start).Seconds()*10)/10)
	detail := fmt.Sprintf("%d of %d unpaid orders closed within %s", len(unpaid)-open, len(unpaid), bound)
	if err != nil {
		detail += ": " + err.Error()
	}
	r.check("every unpaid order closed", err == nil && open == 0, "%s", detail)
	return true
}

// waitClosed polls until none of the orders is open, and returns how many
// still are. It reads the database when it can (one query per poll), else
// each order through its shopper's API.
func (l *load) waitClosed(ctx context.Context, orders []*flashOrder, bound time.Duration) (int, error) {
	deadline := time.Now().Add(bound)
	nos := make([]string, len(orders))
	for i, o := range orders {
		nos[i] = o.no
	}
	db, dbErr := l.database(ctx)
	for {
		var open int
		if dbErr == nil {
			n, err := countStatus(ctx, db, nos, "pending_payment")
			if err != nil {
				return len(orders), err
			}
			open = int(n)
		} else {
			open = l.countOpenAPI(ctx, orders)
		}
		if open == 0 || time.Now().After(deadline) {
			return open, nil
		}
		if err := sleep(ctx, 500*time.Millisecond); err != nil {
			return open, err
		}
	}
}

// countOpenAPI reads each order as its shopper and counts those not closed.
func (l *load) countOpenAPI(ctx context.Context, orders []*flashOrder) int {
	var next, open atomic.Int64
	workers(min(l.o.Concurrency, max(len(orders), 1)), func(int) {
		for i := int(next.Add(1) - 1); i < len(orders); i = int(next.Add(1) - 1) {
			var o struct {
				Status string `json:"status"`
			}
			err := l.cl.call(ctx, "GET", orders[i].s.api("/orders/"+orders[i].no), orders[i].s.token, nil, &o)
			if err != nil || o.Status != "closed" {
				open.Add(1)
			}
		}
	})
	return int(open.Load())
}
