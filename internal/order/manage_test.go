package order_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/order"
)

func TestCancelReleasesStockOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 100, 5)
	o, _, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 2)), "")
	must(t, err)

	// Someone else cannot cancel it: to them it does not exist.
	_, err = w.orders.Cancel(ctx, w.shopper(t, "mallory"), o.OrderNo)
	wantCode(t, err, "order_not_found")

	closed, err := w.orders.Cancel(ctx, w.shop, o.OrderNo)
	must(t, err)
	if closed.Status != order.StatusClosed || closed.CloseReason.ID != order.ReasonCancelled.ID || closed.ClosedAt == nil {
		t.Fatalf("cancel gave %+v", closed)
	}
	last := closed.History[len(closed.History)-1]
	if last.From != order.StatusPendingPayment || last.To != order.StatusClosed || last.Actor == "" {
		t.Fatalf("transition not logged: %+v", closed.History)
	}
	if stock, ledger := w.stock(t, sku); stock != 5 || ledger != 5 {
		t.Fatalf("stock %d ledger %d after cancel, want 5", stock, ledger)
	}
	_, err = w.orders.Cancel(ctx, w.shop, o.OrderNo)
	wantCode(t, err, "invalid_transition")
	if stock, _ := w.stock(t, sku); stock != 5 {
		t.Fatalf("second cancel released again: stock %d", stock)
	}
}

func TestConfirmReceiptNeedsShipped(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	o, _, err := w.orders.Place(ctx, w.shop, buy(1, line(w.sku(t, 100, 5), 1)), "")
	must(t, err)
	_, err = w.orders.ConfirmReceipt(ctx, w.shop, o.OrderNo)
	wantCode(t, err, "invalid_transition")

	// Paying and shipping are the payment and shipping packages' work; set the status directly.
	must(t, w.db.Conn(ctx).Exec("UPDATE orders SET status = 'shipped' WHERE id = ?", o.ID).Error)
	done, err := w.orders.ConfirmReceipt(ctx, w.shop, o.OrderNo)
	must(t, err)
	if done.Status != order.StatusCompleted || done.CompletedAt == nil {
		t.Fatalf("confirm gave %+v", done)
	}
	_, err = w.orders.Cancel(ctx, w.shop, o.OrderNo)
	wantCode(t, err, "invalid_transition")
}

func TestExpireClosesOnlyDueUnpaidOrdersOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 100, 5)
	o, _, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 3)), "")
	must(t, err)

	closed, err := w.orders.Expire(ctx, o.OrderNo)
	must(t, err)
	if closed {
		t.Fatal("closed an order before its deadline")
	}
	if due, _ := w.orders.DueForExpiry(ctx, 10); len(due) != 0 {
		t.Fatalf("due before the deadline: %v", due)
	}

	w.advance(15*time.Minute + time.Second) // default timeout is 15 minutes
	due, err := w.orders.DueForExpiry(ctx, 10)
	must(t, err)
	if len(due) != 1 || due[0] != o.OrderNo {
		t.Fatalf("due = %v", due)
	}

	// Several workers (replicas) expiring the same order at once: one closes it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	closes := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := w.orders.Expire(ctx, o.OrderNo)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				closes++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if closes != 1 {
		t.Fatalf("order closed %d times", closes)
	}
	got, err := w.orders.Get(ctx, w.shop, o.OrderNo)
	must(t, err)
	if got.Status != order.StatusClosed || got.CloseReason.ID != order.ReasonExpired.ID {
		t.Fatalf("after expiry: %+v", got)
	}
	if stock, ledger := w.stock(t, sku); stock != 5 || ledger != 5 {
		t.Fatalf("stock %d ledger %d, want 5", stock, ledger)
	}
	var releases int64
	must(t, w.db.Conn(ctx).Raw("SELECT COUNT(*) FROM inventory_movements WHERE kind = 'release' AND ref_id = ?", o.OrderNo).Scan(&releases).Error)
	if releases != 1 {
		t.Fatalf("%d release movements, want 1", releases)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 100, 50)
	var nos []string
	for range 5 {
		o, _, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 1)), "")
		must(t, err)
		nos = append(nos, o.OrderNo)
	}
	_, err := w.orders.Cancel(ctx, w.shop, nos[1])
	must(t, err)
	// Someone else's orders never show.
	_, _, err = w.orders.Place(ctx, w.shopper(t, "bob"), buy(1, line(sku, 1)), "")
	must(t, err)

	var seen []string
	q := order.ListQuery{}
	q.Page.Limit = 2
	for {
		page, next, err := w.orders.List(ctx, w.shop, q)
		must(t, err)
		for _, o := range page {
			if len(o.Items) != 1 {
				t.Fatalf("order %s listed without its lines", o.OrderNo)
			}
			seen = append(seen, o.OrderNo)
		}
		if next == "" {
			break
		}
		q.Page, err = pageAfter(next, 2)
		must(t, err)
	}
	if len(seen) != 5 || seen[0] != nos[4] || seen[4] != nos[0] {
		t.Fatalf("pages gave %v, want newest first of %v", seen, nos)
	}
	closed, _, err := w.orders.List(ctx, w.shop, order.ListQuery{Status: order.StatusClosed, Page: firstPage()})
	must(t, err)
	if len(closed) != 1 || closed[0].OrderNo != nos[1] {
		t.Fatalf("status filter gave %v", closed)
	}
	_, _, err = w.orders.List(ctx, w.shop, order.ListQuery{Status: "lost", Page: firstPage()})
	wantCode(t, err, "invalid_field")
}
