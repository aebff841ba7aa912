package order_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

func TestPlaceReservesStockAndSnapshots(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, b := w.sku(t, 2999, 10), w.sku(t, 5000, 3)

	o, replayed, err := w.orders.Place(ctx, w.shop, buy(1, line(a, 2), line(b, 1), line(a, 1)), "")
	must(t, err)
	if replayed || o.Status != order.StatusPendingPayment || len(o.OrderNo) != 22 {
		t.Fatalf("unexpected order %+v", o)
	}
	// Lines for the same SKU merge; goods 3×2999 + 5000 = 13997 ≥ 9900 ships free (default settings).
	if len(o.Items) != 2 || o.GoodsAmount != 13997 || o.ShippingFee != 0 || o.PayAmount != 13997 || o.ItemCount != 4 {
		t.Fatalf("amounts wrong: %+v", o)
	}
	if o.Items[0].Title != "T-shirt" || o.Items[0].SpecText != "红 / M" || o.Items[0].UnitPrice != 2999 {
		t.Fatalf("line snapshot wrong: %+v", o.Items[0])
	}
	for sku, want := range map[int64]int64{a: 7, b: 2} {
		if stock, ledger := w.stock(t, sku); stock != want || ledger != want {
			t.Fatalf("sku %d: stock %d ledger %d, want %d", sku, stock, ledger, want)
		}
	}
	got, err := w.orders.Get(ctx, w.shop, o.OrderNo)
	must(t, err)
	if len(got.History) != 1 || got.History[0].To != order.StatusPendingPayment || got.History[0].Actor == "" {
		t.Fatalf("transition log wrong: %+v", got.History)
	}
}

func TestPlaceAddsShippingBelowThreshold(t *testing.T) {
	w := newWorld(t)
	o, _, err := w.orders.Place(context.Background(), w.shop, buy(1, line(w.sku(t, 1500, 5), 1)), "")
	must(t, err)
	if o.ShippingFee != 1000 || o.TotalAmount != 2500 || o.PayAmount != 2500 {
		t.Fatalf("shipping fee not applied: %+v", o)
	}
}

func TestPlaceIsAllOrNothing(t *testing.T) {
	w := newWorld(t)
	plenty, scarce := w.sku(t, 100, 10), w.sku(t, 100, 1)
	_, _, err := w.orders.Place(context.Background(), w.shop, buy(1, line(plenty, 5), line(scarce, 2)), "")
	wantCode(t, err, "out_of_stock")
	if stock, ledger := w.stock(t, plenty); stock != 10 || ledger != 10 {
		t.Fatalf("first line stayed reserved: stock %d ledger %d", stock, ledger)
	}
	if n := w.count(t, "orders"); n != 0 {
		t.Fatalf("%d orders written", n)
	}
}

func TestPlaceRefusesBadInput(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 100, 10)
	off := w.sku(t, 100, 10)
	must(t, w.db.Conn(context.Background()).Exec("UPDATE skus SET on_sale = FALSE WHERE id = ?", off).Error)
	tests := []struct {
		name string
		in   order.PlaceInput
		code string
	}{
		{"no lines", buy(1), "invalid_field"},
		{"zero quantity", buy(1, line(sku, 0)), "invalid_field"},
		{"negative quantity", buy(1, line(sku, -1)), "invalid_field"},
		{"huge quantity", buy(1, line(sku, 1000)), "invalid_field"},
		{"merged over the cap", buy(1, line(sku, 600), line(sku, 600)), "quantity_limit"},
		{"unknown sku", buy(1, line(999999, 1)), "unknown_sku"},
		{"sku off sale", buy(1, line(off, 1)), "sku_unavailable"},
		{"no address", buy(0, line(sku, 1)), "invalid_field"},
		{"someone else's address", buy(2, line(sku, 1)), "address_not_found"},
		{"both items and cart", order.PlaceInput{Items: []order.LineInput{line(sku, 1)}, CartItemIDs: []int64{1}, AddressID: 1}, "invalid_field"},
		{"unknown cart item", order.PlaceInput{CartItemIDs: []int64{42}, AddressID: 1}, "cart_item_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := w.orders.Place(context.Background(), w.shop, tt.in, "")
			wantCode(t, err, tt.code)
		})
	}
	if n := w.count(t, "orders"); n != 0 {
		t.Fatalf("%d orders written by refused requests", n)
	}
	if stock, _ := w.stock(t, sku); stock != 10 {
		t.Fatalf("stock changed to %d", stock)
	}
}

func TestPlaceFromCartClearsThoseItems(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 100, 10)
	w.cart.lines[7] = line(sku, 3)
	w.cart.lines[8] = line(sku, 1)
	o, _, err := w.orders.Place(context.Background(), w.shop, order.PlaceInput{CartItemIDs: []int64{7}, AddressID: 1}, "")
	must(t, err)
	if o.ItemCount != 3 || len(w.cart.lines) != 1 {
		t.Fatalf("order %+v, cart left %v", o, w.cart.lines)
	}
}

func TestIdempotencyKey(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 100, 100)
	first, replayed, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 1)), "key-1")
	must(t, err)
	again, replayed, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 1)), "key-1")
	must(t, err)
	if !replayed || again.OrderNo != first.OrderNo {
		t.Fatalf("same key gave %s (replayed %v), want %s", again.OrderNo, replayed, first.OrderNo)
	}
	_, _, err = w.orders.Place(ctx, w.shop, buy(1, line(sku, 2)), "key-1")
	wantCode(t, err, "idempotency_key_reused")

	// Another shopper's identical key is theirs alone.
	bob := w.shopper(t, "bob")
	other, replayed, err := w.orders.Place(ctx, bob, buy(1, line(sku, 1)), "key-1")
	must(t, err)
	if replayed || other.OrderNo == first.OrderNo {
		t.Fatal("a key leaked across shoppers")
	}

	// Many concurrent retries of one key: exactly one order.
	var wg sync.WaitGroup
	nos := make([]string, 16)
	for i := range nos {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, _, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 1)), "burst")
			if err != nil {
				t.Error(err)
				return
			}
			nos[i] = o.OrderNo
		}()
	}
	wg.Wait()
	for _, no := range nos {
		if no != nos[0] {
			t.Fatalf("concurrent retries made different orders: %v", nos)
		}
	}
	if stock, ledger := w.stock(t, sku); stock != 97 || ledger != 97 {
		t.Fatalf("stock %d ledger %d, want 97", stock, ledger)
	}
}

// Many shoppers race for the last units: exactly the stock is sold, never more.
func TestConcurrentBuyersNeverOversell(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 100, 10)
	const buyers = 40
	shoppers := make([]int64, buyers)
	for i := range shoppers {
		shoppers[i] = w.shopper(t, fmt.Sprint("buyer", i))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	sold, refused := 0, 0
	for _, sh := range shoppers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := w.orders.Place(context.Background(), sh, buy(1, line(sku, 1)), "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				sold++
			default:
				wantCode(t, err, "out_of_stock")
				refused++
			}
		}()
	}
	wg.Wait()
	if sold != 10 || refused != buyers-10 {
		t.Fatalf("sold %d, refused %d; want 10 and %d", sold, refused, buyers-10)
	}
	if stock, ledger := w.stock(t, sku); stock != 0 || ledger != 0 {
		t.Fatalf("stock %d ledger %d, want 0", stock, ledger)
	}
}

func TestIdempotencyKeysAreForgottenAfterADay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 100, 10)
	first, _, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 1)), "k")
	must(t, err)
	if n, err := w.orders.PruneKeys(ctx); err != nil || n != 0 {
		t.Fatalf("pruned %d fresh keys (%v)", n, err)
	}
	w.advance(order.KeyRetention + time.Minute)
	if n, err := w.orders.PruneKeys(ctx); err != nil || n != 1 {
		t.Fatalf("pruned %d old keys (%v)", n, err)
	}
	again, replayed, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 1)), "k")
	must(t, err)
	if replayed || again.OrderNo == first.OrderNo {
		t.Fatal("a forgotten key still replayed")
	}
}

// Every kind of order is written by one insert path, a batch at a time: the
// orders, their lines and their first history entry, and the keys they
// answer bound to them. A number or key taken fails the whole batch with the
// sentinel the callers' retries tell apart.
func TestInsertOrdersWritesABatchAlike(t *testing.T) {
	w := newWorld(t)
	bob := w.shopper(t, "bob")
	sku, other := w.sku(t, 100, 0), w.sku(t, 250, 0)
	ctx, now := context.Background(), time.Now().UTC()
	addr := order.Address{Name: "张三", Phone: "13800138000", Detail: "科技园 1 号"}
	build := func(shopper int64, lines ...order.Item) order.Order {
		p := order.Priced{Lines: lines, ItemCount: len(lines), GoodsAmount: 100, TotalAmount: 100, PayAmount: 100}
		return order.NewPending(shopper, p, addr, "", now, now.Add(time.Hour))
	}
	item := func(sku int64, qty int) order.Item {
		return order.Item{SKUID: sku, ProductID: 1, Title: "T-shirt", UnitPrice: 100, Quantity: qty}
	}
	batch := []order.Order{build(w.shop, item(sku, 1), item(other, 2)), build(bob, item(sku, 3)), build(w.shop, item(other, 1))}
	placed, err := w.orders.InsertOrders(ctx, batch, i18n.M("record.order.placed"), []string{"k1", "", "k2"})
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
		if len(got.History) != 1 || got.History[0].From != "" || got.History[0].To != order.StatusPendingPayment || i18n.For(i18n.En).Msg(got.History[0].Reason) != "placed" || i18n.For(i18n.ZhCN).Msg(got.History[0].Reason) != "提交订单" {
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
	_, err = w.orders.InsertOrders(ctx, []order.Order{build(bob, item(sku, 1)), dupNumber}, i18n.M("record.order.placed"), []string{"", ""})
	if number, key := order.Taken(err); !number || key || !database.IsDuplicate(err) {
		t.Fatalf("duplicate number: %v (number %v, key %v)", err, number, key)
	}
	_, err = w.orders.InsertOrders(ctx, []order.Order{build(bob, item(sku, 1)), build(w.shop, item(sku, 1))}, i18n.M("record.order.placed"), []string{"k1", "k1"})
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
