package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// checkoutSKUs is how many in-stock SKUs checkout spreads its orders over.
const checkoutSKUs = 20

// requestsPerLoop is what one checkout loop takes from the request budget
// up front (add, preview, place, pay, sandbox pay, one status read); extra
// status reads while the notification is on its way are not refused.
const requestsPerLoop = 6

// checkout runs the whole purchase as a shopper does it, loop after loop:
// add to cart → preview → place → pay → confirm in the sandbox → wait until
// WeChat Pay's notification has marked the order paid. Each worker owns its
// own shoppers, so no two loops share a cart.
func (l *load) checkout(ctx context.Context, r *Report) error {
	cat, shoppers, err := l.buyers(ctx, r)
	if err != nil {
		return err
	}
	nw := min(l.o.Concurrency, len(shoppers))
	if nw < l.o.Concurrency {
		r.note("concurrency capped at %d: a shopper runs one checkout at a time (raise -shoppers)", nw)
	}
	rec := newRecorder()
	b := l.newBudget()
	var mu sync.Mutex
	var started, paid int
	var orderNos []string
	var firstErr error
	cpu := l.meterCPU(ctx)
	start := time.Now()
	workers(nw, func(w int) {
		owned := (len(shoppers) - w + nw - 1) / nw // shoppers w, w+nw, w+2nw, …
		for k := 0; ctx.Err() == nil && b.take(requestsPerLoop); k++ {
			s := shoppers[w+k%owned*nw]
			sku := cat.skus[rand.IntN(len(cat.skus))]
			t0 := time.Now()
			no, err := l.checkoutLoop(ctx, s, sku, rec)
			mu.Lock()
			started++
			if err == nil {
				paid++
				orderNos = append(orderNos, no)
				rec.time("loop", time.Since(t0))
			} else if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
			if err != nil {
				// A target that is down (restarting, say) refuses at once:
				// pause rather than spin through the budget.
				sleep(ctx, retryPause)
			}
		}
	})
	elapsed := time.Since(start)
	cpu.report(ctx, r, "loop", int64(paid))
	r.finish(rec, elapsed, "cart_add", "preview", "place", "pay", "sandbox_pay", "poll")
	r.figure("loops_per_s", perSecond(int64(paid), elapsed))
	detail := fmt.Sprintf("%d of %d loops ended paid", paid, started)
	if firstErr != nil {
		detail += "; first failure: " + firstErr.Error()
	}
	r.check("every loop ended paid", started > 0 && paid == started, "%s", detail)
	l.checkPaidOnce(ctx, r, orderNos)
	return nil
}

// checkoutLoop is one purchase; it returns the paid order's number.
func (l *load) checkoutLoop(ctx context.Context, s *shopper, sku skuRef, rec *recorder) (string, error) {
	a := l.cl.do(ctx, "POST", s.api("/cart/items"), s.token, map[string]int64{"sku_id": sku.id, "quantity": 1}, true)
	rec.add("cart_add", a)
	var line struct {
		ID int64 `json:"id"`
	}
	if !a.ok() {
		return "", fmt.Errorf("add to cart: %s", a)
	}
	if err := a.decode(&line); err != nil {
		return "", err
	}
	body := map[string]any{"cart_item_ids": []int64{line.ID}, "address_id": s.addressID}
	a = l.cl.do(ctx, "POST", s.api("/orders/preview"), s.token, body, false)
	rec.add("preview", a)
	if !a.ok() {
		return "", fmt.Errorf("preview: %s", a)
	}
	a = l.cl.do(ctx, "POST", s.api("/orders"), s.token, body, true)
	rec.add("place", a)
	var o struct {
		OrderNo string `json:"order_no"`
	}
	if !a.ok() {
		return "", fmt.Errorf("place: %s", a)
	}
	if err := a.decode(&o); err != nil {
		return "", err
	}
	if err := l.pay(ctx, s, o.OrderNo, rec); err != nil {
		return o.OrderNo, err
	}
	return o.OrderNo, l.waitStatus(ctx, s, o.OrderNo, "paid", paidWait, rec, "poll")
}

// restockAll tops the SKUs up to -restock units, when asked.
func (l *load) restockAll(ctx context.Context, r *Report, skus []skuRef) error {
	if l.o.Restock <= 0 {
		return nil
	}
	var added int64
	for _, k := range skus {
		n, err := l.restock(ctx, k.id, l.o.Restock)
		if err != nil {
			return fmt.Errorf("restock sku %d: %w", k.id, err)
		}
		added += n
	}
	r.note("restocked %d SKUs to at least %d units (%d units received)", len(skus), l.o.Restock, added)
	return nil
}

// checkPaidOnce verifies in the database that every order is paid and went
// to paid exactly once (one order_transitions row to 'paid').
func (l *load) checkPaidOnce(ctx context.Context, r *Report, orderNos []string) {
	const name = "paid exactly once (database)"
	db, err := l.database(ctx)
	if err != nil {
		r.skip(name, err.Error())
		return
	}
	bad, err := paidOnce(ctx, db, orderNos)
	if err != nil {
		r.check(name, false, "query: %v", err)
		return
	}
	r.check(name, len(orderNos) > 0 && len(bad) == 0, "%d orders, %d not paid exactly once %v", len(orderNos), len(bad), first(bad, 5))
}

func first[T any](s []T, n int) []T { return s[:min(n, len(s))] }

// buyers prepares what the scenarios that place orders share: the shop's
// SKUs to buy (restocked when asked) and the shoppers, logged in.
func (l *load) buyers(ctx context.Context, r *Report) (*shopCatalog, []*shopper, error) {
	cat, err := l.discover(ctx, checkoutSKUs)
	if err != nil {
		return nil, nil, err
	}
	if err := l.restockAll(ctx, r, cat.skus); err != nil {
		return nil, nil, err
	}
	shoppers, err := l.login(ctx, l.o.Shoppers)
	if err != nil {
		return nil, nil, err
	}
	return cat, shoppers, nil
}
