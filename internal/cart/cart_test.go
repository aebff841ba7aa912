package cart_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/cart"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/testkit"
)

// env is a migrated database with the catalog and cart services over it.
type env struct {
	db   *database.DB
	cat  *catalog.Service
	cart *cart.Service
	n    int
}

func newEnv(t *testing.T) *env {
	db := dbtest.Open(t)
	cat := catalog.New(db, inventory.New(db, clock.New()), clock.New())
	return &env{db: db, cat: cat, cart: cart.New(db, cat, customer.New(db, clock.New()), clock.New())}
}

func (e *env) shopper(t *testing.T, name string) int64 { return testkit.Shopper(t, e.db, name) }

// skus creates one on-shelf product with a SKU per price (100 in stock each).
func (e *env) skus(t *testing.T, prices ...int64) []int64 {
	t.Helper()
	ctx := context.Background()
	e.n++
	c, err := e.cat.CreateCategory(ctx, fmt.Sprintf("分类%d", e.n), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	np := catalog.NewProduct{CategoryID: c.ID, Title: fmt.Sprintf("商品%d", e.n)}
	if len(prices) > 1 {
		np.SpecDims = []catalog.SpecDim{{Name: "规格"}}
	}
	for i, p := range prices {
		k := catalog.NewSKU{Code: fmt.Sprintf("C%d-%d", e.n, i), Price: p, Stock: 100}
		if len(prices) > 1 {
			v := fmt.Sprintf("v%d", i)
			np.SpecDims[0].Values = append(np.SpecDims[0].Values, v)
			k.SpecValues = []string{v}
		}
		np.SKUs = append(np.SKUs, k)
	}
	p, err := e.cat.CreateProduct(ctx, np, "test")
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(p.SKUs))
	for i, k := range p.SKUs {
		ids[i] = k.ID
	}
	return ids
}

func (e *env) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if err := e.db.Conn(context.Background()).Exec(sql, args...).Error; err != nil {
		t.Fatal(err)
	}
}

var wantCode = testkit.WantCode

func TestCartAddMergesAndLimits(t *testing.T) {
	e, ctx := newEnv(t), context.Background()
	alice := e.shopper(t, "alice")
	sku := e.skus(t, 1000)[0]

	first, err := e.cart.Add(ctx, alice, sku, 2)
	if err != nil {
		t.Fatal(err)
	}
	e.exec(t, "UPDATE skus SET price = 1500 WHERE id = ?", sku)
	merged, err := e.cart.Add(ctx, alice, sku, 3)
	if err != nil {
		t.Fatal(err)
	}
	if merged.ID != first.ID || merged.Quantity != 5 || merged.AddedPrice != 1000 {
		t.Fatalf("merge: %+v after %+v, want one line of 5 added at 1000", merged, first)
	}
	_, err = e.cart.Add(ctx, alice, sku, 995)
	wantCode(t, err, "quantity_limit")
	if it, err := e.cart.Add(ctx, alice, sku, 994); err != nil || it.Quantity != 999 {
		t.Fatalf("up to 999: %+v %v", it, err)
	}

	for _, tc := range []struct {
		sku  int64
		qty  int
		code string
	}{{sku, 0, "invalid_field"}, {sku, -1, "invalid_field"}, {sku, 1000, "invalid_field"},
		{0, 1, "invalid_field"}, {424242, 1, "unknown_sku"}} {
		_, err := e.cart.Add(ctx, alice, tc.sku, tc.qty)
		wantCode(t, err, tc.code)
	}

	off := e.skus(t, 100, 200)
	e.exec(t, "UPDATE skus SET on_sale = ? WHERE id = ?", false, off[0])
	_, err = e.cart.Add(ctx, alice, off[0], 1)
	wantCode(t, err, "sku_unavailable")
	e.exec(t, "UPDATE products SET on_shelf = ? WHERE id = (SELECT product_id FROM skus WHERE id = ?)", false, off[1])
	_, err = e.cart.Add(ctx, alice, off[1], 1)
	wantCode(t, err, "sku_unavailable")
}

func TestCartFullAt100Lines(t *testing.T) {
	e, ctx := newEnv(t), context.Background()
	alice := e.shopper(t, "alice")
	// 101 SKUs, ten to a product.
	var ids []int64
	for len(ids) <= cart.MaxLines {
		ids = append(ids, e.skus(t, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100)...)
	}
	for _, id := range ids[:cart.MaxLines] {
		if _, err := e.cart.Add(ctx, alice, id, 1); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.cart.Add(ctx, alice, ids[cart.MaxLines], 1)
	wantCode(t, err, "cart_full")
	if _, err := e.cart.Add(ctx, alice, ids[0], 1); err != nil {
		t.Fatalf("merging into a full cart: %v", err)
	}
}

func TestCartListFlagsAndTotals(t *testing.T) {
	e, ctx := newEnv(t), context.Background()
	alice, bob := e.shopper(t, "alice"), e.shopper(t, "bob")
	ids := e.skus(t, 1000, 2000, 3000, 4000)
	for i, id := range ids {
		if _, err := e.cart.Add(ctx, alice, id, i+1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.cart.Add(ctx, bob, ids[0], 7); err != nil {
		t.Fatal(err)
	}
	e.exec(t, "UPDATE skus SET price = 1100 WHERE id = ?", ids[0])       // price changed, still buyable
	e.exec(t, "UPDATE skus SET stock = 1 WHERE id = ?", ids[1])          // 2 wanted, 1 left
	e.exec(t, "UPDATE skus SET on_sale = ? WHERE id = ?", false, ids[2]) // off sale

	first, err := e.cart.List(ctx, alice, page.Request{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.cart.List(ctx, alice, mustParse(t, first.NextCursor, "2"))
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Lines) != 2 || first.NextCursor == "" || len(second.Lines) != 2 || second.NextCursor != "" {
		t.Fatalf("pages: %d %q, %d %q", len(first.Lines), first.NextCursor, len(second.Lines), second.NextCursor)
	}
	lines := append(first.Lines, second.Lines...)
	want := []struct{ changed, out, avail bool }{{true, false, true}, {false, true, true}, {false, false, false}, {false, false, true}}
	for i, l := range lines {
		if l.SKUID != ids[i] || l.PriceChanged != want[i].changed || l.OutOfStock != want[i].out || l.Available != want[i].avail {
			t.Errorf("line %d: %+v, want %+v", i, l, want[i])
		}
	}
	if lines[0].SKU.Price != 1100 || lines[0].AddedPrice != 1000 {
		t.Errorf("prices: now %d, added %d", lines[0].SKU.Price, lines[0].AddedPrice)
	}
	// Totals cover the whole cart on every page, counting only lines that can be bought as they are.
	for _, v := range []cart.View{first, second} {
		if v.TotalQuantity != 1+4 || v.TotalAmount != 1100*1+4000*4 {
			t.Errorf("totals %d %d", v.TotalQuantity, v.TotalAmount)
		}
	}
}

func TestCartItemsAreTheShoppers(t *testing.T) {
	e, ctx := newEnv(t), context.Background()
	alice, bob := e.shopper(t, "alice"), e.shopper(t, "bob")
	ids := e.skus(t, 1000, 2000)
	a, _ := e.cart.Add(ctx, alice, ids[0], 2)
	b, _ := e.cart.Add(ctx, alice, ids[1], 3)

	_, err := e.cart.Update(ctx, bob, a.ID, 9)
	wantCode(t, err, "cart_item_not_found")
	wantCode(t, e.cart.Remove(ctx, bob, a.ID), "cart_item_not_found")
	_, err = e.cart.Lines(ctx, bob, []int64{a.ID})
	wantCode(t, err, "cart_item_not_found")
	_, err = e.cart.Line(ctx, bob, a.ID)
	wantCode(t, err, "cart_item_not_found")
	if err := e.cart.RemoveItems(ctx, bob, []int64{a.ID, b.ID}); err != nil {
		t.Fatal(err)
	}

	got, err := e.cart.Lines(ctx, alice, []int64{b.ID, a.ID, b.ID})
	if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].ID != a.ID || got[1].Quantity != 2 {
		t.Fatalf("alice's lines: %+v %v", got, err)
	}
	// Checkout reads the same lines as SKUs and quantities, with the same checks.
	_, err = e.cart.CheckoutLines(ctx, bob, []int64{a.ID})
	wantCode(t, err, "cart_item_not_found")
	lines, err := e.cart.CheckoutLines(ctx, alice, []int64{b.ID, a.ID, b.ID})
	if err != nil || len(lines) != 2 || lines[0] != (order.LineInput{SKUID: ids[1], Quantity: 3}) ||
		lines[1] != (order.LineInput{SKUID: ids[0], Quantity: 2}) {
		t.Fatalf("alice's checkout lines: %+v %v", lines, err)
	}
	if it, err := e.cart.Update(ctx, alice, a.ID, 4); err != nil || it.Quantity != 4 || it.SKUID != ids[0] {
		t.Fatalf("update: %+v %v", it, err)
	}
	// RemoveItems joins the caller's transaction: a rollback keeps the items.
	rollback := fmt.Errorf("rollback")
	err = e.db.Tx(ctx, func(ctx context.Context) error {
		if err := e.cart.RemoveItems(ctx, alice, []int64{a.ID}); err != nil {
			return err
		}
		return rollback
	})
	if err != rollback {
		t.Fatal(err)
	}
	if v, _ := e.cart.List(ctx, alice, page.Request{Limit: 10}); len(v.Lines) != 2 {
		t.Fatalf("rolled-back removal removed: %+v", v.Lines)
	}
	if err := e.cart.RemoveItems(ctx, alice, []int64{a.ID}); err != nil {
		t.Fatal(err)
	}
	if err := e.cart.Remove(ctx, alice, b.ID); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.cart.List(ctx, alice, page.Request{Limit: 10}); len(v.Lines) != 0 || v.TotalQuantity != 0 {
		t.Fatalf("emptied cart: %+v", v)
	}
}

func TestCartConcurrentAddsSum(t *testing.T) {
	e, ctx := newEnv(t), context.Background()
	alice := e.shopper(t, "alice")
	sku := e.skus(t, 1000)[0]
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := e.cart.Add(ctx, alice, sku, 3); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	v, err := e.cart.List(ctx, alice, page.Request{Limit: 10})
	if err != nil || len(v.Lines) != 1 || v.Lines[0].Quantity != 60 {
		t.Fatalf("after 20 adds of 3: %+v %v", v.Lines, err)
	}
}

func mustParse(t *testing.T, cursor, limit string) page.Request {
	t.Helper()
	r, err := page.Parse(cursor, limit)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
