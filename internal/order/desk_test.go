package order_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// stampedeThenStop sends one flash request per shopper at once and stops the
// desk with stopCtx as soon as the first answer is in, while the others are
// queued or being served. It returns what Stop said and every answer (the
// test hangs, rather than passes, if a request is never answered or Stop
// never returns), after checking that the orders answered are exactly the
// orders written and the units taken.
func stampedeThenStop(t *testing.T, stopCtx context.Context) (stopErr error, outcomes map[string]int) {
	t.Helper()
	w := newWorld(t)
	const shoppers, units = 120, 80
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, units, 1)
	ids := make([]int64, shoppers)
	for i := range ids {
		ids[i] = w.shopper(t, fmt.Sprint("stop", i))
	}
	var (
		mu       sync.Mutex
		placed   = map[string]bool{}
		first    = make(chan struct{})
		once     sync.Once
		stopped  = make(chan error, 1)
		calls    []func()
		answered = map[string]int{}
	)
	go func() {
		<-first
		stopped <- w.orders.Stop(stopCtx)
	}()
	for _, id := range ids {
		calls = append(calls, func() {
			o, _, err := w.orders.Place(context.Background(), id, flashBuy(sale, sku, 1), "")
			mu.Lock()
			switch {
			case err == nil:
				placed[o.OrderNo] = true
				answered["ok"]++
			case errs.As(err).Kind == errs.KindInternal:
				answered["failed"]++ // a batch cancelled past Stop's deadline
			default:
				answered[errs.As(err).Code]++
			}
			mu.Unlock()
			once.Do(func() { close(first) })
		})
	}
	atOnce(calls...)
	stopErr = <-stopped
	t.Logf("answers %v, Stop: %v", answered, stopErr)

	var written []string
	must(t, w.db.Conn(context.Background()).Raw("SELECT order_no FROM orders").Scan(&written).Error)
	if len(written) != len(placed) {
		t.Fatalf("%d orders written, %d answered as placed", len(written), len(placed))
	}
	for _, no := range written {
		if !placed[no] {
			t.Fatalf("order %s was written but its shopper was not told", no)
		}
	}
	if it := w.item(t, sale.ID); it.Available != units-int64(len(placed)) || it.Held != int64(len(placed)) {
		t.Fatalf("item %+v after %d orders", it, len(placed))
	}

	// Stopped for good: a late request is turned away without a lane.
	lanes := w.orders.Lanes()
	_, _, err := w.orders.Place(context.Background(), ids[0], flashBuy(sale, sku, 1), "")
	wantCode(t, err, order.ErrBusy.Code)
	if w.orders.Lanes() != lanes {
		t.Fatal("a request after Stop started a lane")
	}
	must(t, w.orders.Stop(context.Background())) // and stopping again is harmless
	return stopErr, answered
}

// Shutting down lets the lanes serve what is queued: every request is
// answered, by an order or a clean refusal, and Stop returns once no lane's
// goroutine is left.
func TestDeskStopServesWhatIsQueued(t *testing.T) {
	err, answered := stampedeThenStop(t, context.Background())
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if answered["failed"] != 0 || answered["ok"] == 0 || answered["ok"]+answered["sold_out"]+answered["busy"] != 120 {
		t.Fatalf("answers %v: want orders, sold_out or busy only", answered)
	}
}

// Past its deadline Stop cancels what is still running: the requests left
// are answered with an error, none with an order that was not written.
func TestDeskStopPastItsDeadlineFailsWhatIsLeft(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err, answered := stampedeThenStop(t, ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("Stop: %v", err)
	}
	if answered["ok"] == 0 || answered["ok"]+answered["failed"]+answered["sold_out"]+answered["busy"] != 120 {
		t.Fatalf("answers %v", answered)
	}
}
