package order_test

import (
	"context"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/order"
)

// Every kind of order is written by one insert path, a batch at a time: the
// orders, their lines and their first history entry, and the keys they
// answer bound to them. A number or key taken fails the whole batch with the
// sentinel the callers' retries tell apart.
func TestInsertOrdersWritesABatchAlike(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku, other := w.sku(t, 100, 0), w.sku(t, 250, 0)
	bob := w.shopper(t, "bob")
	now := time.Now().UTC()
	addr := order.Address{Name: "张三", Phone: "13800138000", Detail: "科技园 1 号"}
	build := func(shopper int64, lines ...order.Item) order.Order {
		p := order.Priced{Lines: lines, ItemCount: len(lines), GoodsAmount: 100, TotalAmount: 100, PayAmount: 100}
		return order.NewPending(shopper, p, addr, "", now, now.Add(time.Hour))
	}
	item := func(sku int64, qty int) order.Item {
		return order.Item{SKUID: sku, ProductID: 1, Title: "T-shirt", UnitPrice: 100, Quantity: qty}
	}
	batch := []order.Order{build(w.shop, item(sku, 1), item(other, 2)), build(bob, item(sku, 3)), build(w.shop, item(other, 1))}
	placed, err := w.orders.InsertOrders(ctx, batch, "placed", []string{"k1", "", "k2"})
	must(t, err)
	for i, o := range placed {
		got, err := w.orders.Get(ctx, o.ShopperID, o.OrderNo)
		must(t, err)
		if got.ID != o.ID || len(got.Items) != len(batch[i].Items) || len(o.Items) != len(batch[i].Items) {
			t.Fatalf("order %d: inserted %+v, read %+v", i, o, got)
		}
		for j, it := range got.Items {
			if it.ID != o.Items[j].ID || it.OrderID != o.ID || it.SKUID != batch[i].Items[j].SKUID || it.Quantity != batch[i].Items[j].Quantity {
				t.Fatalf("order %d line %d: returned %+v, stored %+v", i, j, o.Items[j], it)
			}
		}
		if len(got.History) != 1 || got.History[0].From != "" || got.History[0].To != order.StatusPendingPayment || got.History[0].Reason != "placed" {
			t.Fatalf("order %d history %+v", i, got.History)
		}
	}
	var bound []struct {
		Key        string
		ResourceID int64
	}
	must(t, w.db.Conn(ctx).Raw("SELECT key, resource_id FROM idempotency_keys ORDER BY key").Scan(&bound).Error)
	if len(bound) != 2 || bound[0].Key != "k1" || bound[0].ResourceID != placed[0].ID || bound[1].Key != "k2" || bound[1].ResourceID != placed[2].ID {
		t.Fatalf("keys %+v, want k1→%d, k2→%d", bound, placed[0].ID, placed[2].ID)
	}

	// A number drawn twice, or a key already remembered, fails the batch
	// with nothing of it kept.
	dupNumber := build(bob, item(sku, 1))
	dupNumber.OrderNo = placed[1].OrderNo
	_, err = w.orders.InsertOrders(ctx, []order.Order{build(bob, item(sku, 1)), dupNumber}, "placed", []string{"", ""})
	if number, key := order.Taken(err); !number || key || !database.IsDuplicate(err) {
		t.Fatalf("duplicate number: %v (number %v, key %v)", err, number, key)
	}
	_, err = w.orders.InsertOrders(ctx, []order.Order{build(bob, item(sku, 1)), build(w.shop, item(sku, 1))}, "placed", []string{"k1", "k1"})
	if number, key := order.Taken(err); number || !key || !database.IsDuplicate(err) {
		t.Fatalf("duplicate key: %v (number %v, key %v)", err, number, key)
	}
	if n := w.count(t, "orders"); n != 3 {
		t.Fatalf("%d orders after failed batches, want 3", n)
	}
	if n := w.count(t, "order_items"); n != 4 {
		t.Fatalf("%d order lines after failed batches, want 4", n)
	}
}
