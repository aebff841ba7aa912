package order_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/order"
)

// stopDuringStampede holds the lane of a flash sale on its first request
// while 119 more queue behind it, stops the desk with stopCtx, lets the lane
// go once Stop has begun (and, past its deadline, found it so), and returns
// what Stop said and every answer, having checked that the orders answered
// are exactly the orders written and the units taken. A request never
// answered, or a Stop that never returns, hangs the test.
func stopDuringStampede(t *testing.T, stopCtx context.Context) (stopErr error, answered map[string]int) {
	t.Helper()
	w := newWorld(t)
	const shoppers, units = 120, 80
	sku := w.sku(t, 19900, 1000)
	sale := w.flashSale(t, sku, units, 1)
	ids := make([]int64, shoppers)
	for i := range ids {
		ids[i] = w.shopper(t, fmt.Sprint("stop", i))
	}
	held, release := make(chan struct{}), make(chan struct{})
	var hold sync.Once
	w.orders.HoldBatches(func() { hold.Do(func() { close(held); <-release }) })

	type answer struct {
		orderNo string
		err     error
	}
	answers := make([]answer, shoppers)
	var wg sync.WaitGroup
	buy := func(i int) {
		defer wg.Done()
		o, _, err := w.orders.Place(context.Background(), ids[i], flashBuy(sale, sku, 1), "")
		answers[i] = answer{o.OrderNo, err}
	}
	wg.Add(shoppers)
	go buy(0)
	<-held // the lane holds a batch of one
	for i := 1; i < shoppers; i++ {
		go buy(i)
	}
	for w.orders.Queued() < shoppers-1 {
		runtime.Gosched()
	}
	stopped := make(chan error, 1)
	go func() { stopped <- w.orders.Stop(stopCtx) }()
	for !w.orders.Stopping() || (stopCtx.Err() != nil && !w.orders.Overdue()) {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	stopErr = <-stopped
	answered, placed := map[string]int{}, map[string]bool{}
	for _, a := range answers {
		if a.err != nil {
			answered[errs.As(a.err).Code]++
			continue
		}
		placed[a.orderNo] = true
		answered["ok"]++
	}
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

// Shutting down lets the lanes serve what is queued: every request queued
// when Stop began is served as if nothing happened, and Stop returns once
// no lane's goroutine is left.
func TestDeskStopServesWhatIsQueued(t *testing.T) {
	err, answered := stopDuringStampede(t, context.Background())
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if answered["ok"] != 80 || answered["sold_out"] != 40 || len(answered) != 2 {
		t.Fatalf("answers %v: want the 80 units sold and 40 sold_out", answered)
	}
}

// Past its deadline Stop lets the lane finish the batch it is serving and
// turns away (busy, to retry elsewhere) what is still queued, unwritten.
func TestDeskStopPastItsDeadlineTurnsAwayWhatIsLeft(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err, answered := stopDuringStampede(t, ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Stop: %v, want context.Canceled", err)
	}
	if answered["ok"] != 1 || answered[order.ErrBusy.Code] != 119 || len(answered) != 2 {
		t.Fatalf("answers %v: want the batch being served placed and the 119 queued turned away", answered)
	}
}
