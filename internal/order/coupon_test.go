package order_test

import (
	"context"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/order"
)

// categoryOf is the category of a fixture SKU's product (each has its own).
func (w *world) categoryOf(t *testing.T, skuID int64) int64 {
	t.Helper()
	var id int64
	must(t, w.db.Conn(context.Background()).Raw(
		"SELECT p.category_id FROM skus k JOIN products p ON p.id = k.product_id WHERE k.id = ?", skuID).Scan(&id).Error)
	return id
}

// claimed creates a live coupon from d and gives the shopper one.
func (w *world) claimed(t *testing.T, shopperID int64, d coupon.Draft) int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	d.Name, d.StartsAt, d.EndsAt, d.TotalQuantity, d.Claimable = "券", now.Add(-time.Hour), now.Add(24*time.Hour), 100, true
	if d.PerShopperLimit == 0 {
		d.PerShopperLimit = 1
	}
	if d.Scope == "" {
		d.Scope = coupon.ScopeShop
	}
	c, err := w.coupon.Create(ctx, "staff:1:boss", d)
	must(t, err)
	_, err = w.coupon.Claim(ctx, shopperID, c.ID)
	must(t, err)
	return c.ID
}

func (w *world) couponState(t *testing.T, shopperID int64, state coupon.HeldState) []coupon.Held {
	t.Helper()
	hs, _, err := w.coupon.Mine(context.Background(), shopperID, state, firstPage())
	must(t, err)
	return hs
}

func withCoupon(in order.PlaceInput, id int64) order.PlaceInput {
	in.CouponID = &id
	return in
}

func TestACouponIsAppliedToTheLinesItCoversAndUsedWithTheOrder(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	shirt, mug := w.sku(t, 6000, 10), w.sku(t, 3000, 10)
	id := w.claimed(t, w.shop, coupon.Draft{Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000,
		Scope: coupon.ScopeCategories, ScopeIDs: []int64{w.categoryOf(t, shirt)}})

	// 满100减20 on shirts: one shirt (60) is short of the threshold, two (120) reach it.
	_, err := w.orders.Preview(ctx, w.shop, withCoupon(buy(1, line(shirt, 1), line(mug, 2)), id))
	wantCode(t, err, "coupon_below_threshold")
	in := withCoupon(buy(1, line(shirt, 2), line(mug, 1)), id)
	p, err := w.orders.Preview(ctx, w.shop, in)
	must(t, err)
	if p.DiscountAmount != 2000 || p.Lines[0].DiscountAmount != 2000 || p.Lines[1].DiscountAmount != 0 || p.PayAmount != 15000-2000 {
		t.Fatalf("preview %+v", p)
	}

	o, _, err := w.orders.Place(ctx, w.shop, in, "")
	must(t, err)
	if o.CouponID == nil || *o.CouponID != id || o.DiscountAmount != 2000 || o.PayAmount != 13000 ||
		o.Items[0].DiscountAmount != 2000 || o.Items[0].PayAmount != 10000 || o.Items[1].PayAmount != 3000 {
		t.Fatalf("order %+v, lines %+v", o, o.Items)
	}
	used := w.couponState(t, w.shop, coupon.HeldUsed)
	if len(used) != 1 || *used[0].OrderID != o.ID {
		t.Fatalf("the coupon is not marked used by the order: %+v", used)
	}
	_, _, err = w.orders.Place(ctx, w.shop, in, "")
	wantCode(t, err, "coupon_used")

	var other int64 // a product that is not in the order
	must(t, w.db.Conn(ctx).Raw("SELECT product_id FROM skus WHERE id = ?", w.sku(t, 100, 1)).Scan(&other).Error)
	otherOnly := w.claimed(t, w.shop, coupon.Draft{Kind: coupon.KindFixed, Amount: 500,
		Scope: coupon.ScopeProducts, ScopeIDs: []int64{other}})
	_, err = w.orders.Preview(ctx, w.shop, withCoupon(buy(1, line(mug, 1)), otherOnly))
	wantCode(t, err, "coupon_not_applicable")
	_, err = w.orders.Preview(ctx, w.shopper(t, "bob"), withCoupon(buy(1, line(mug, 1)), otherOnly))
	wantCode(t, err, "coupon_not_found")
	_, err = w.orders.Preview(ctx, w.shop, withCoupon(buy(1, line(mug, 1)), -1))
	wantCode(t, err, "invalid_field")
}

// A percentage is shared over three lines to the fen: the lines sum to the order.
func TestAPercentCouponIsSplitExactly(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	a, b, c := w.sku(t, 333, 10), w.sku(t, 333, 10), w.sku(t, 334, 10)
	id := w.claimed(t, w.shop, coupon.Draft{Kind: coupon.KindPercent, PercentOff: 15})
	o, _, err := w.orders.Place(ctx, w.shop, withCoupon(buy(1, line(a, 1), line(b, 1), line(c, 1)), id), "")
	must(t, err)
	var sum int64
	for _, it := range o.Items {
		sum += it.DiscountAmount
	}
	if o.DiscountAmount != 150 || sum != 150 || o.Items[0].DiscountAmount != 50 || o.Items[2].DiscountAmount != 50 {
		t.Fatalf("15%% of 1000 split as %+v (order discount %d)", o.Items, o.DiscountAmount)
	}
}

func TestClosingAnUnpaidOrderGivesTheCouponBack(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sku := w.sku(t, 5000, 10)
	id := w.claimed(t, w.shop, coupon.Draft{Kind: coupon.KindFixed, Amount: 1000})
	in := withCoupon(buy(1, line(sku, 1)), id)

	o, _, err := w.orders.Place(ctx, w.shop, in, "")
	must(t, err)
	_, err = w.orders.Cancel(ctx, w.shop, o.OrderNo)
	must(t, err)
	if back := w.couponState(t, w.shop, coupon.HeldUnused); len(back) != 1 || back[0].OrderID != nil {
		t.Fatalf("after cancel the coupon is %+v", back)
	}

	o, _, err = w.orders.Place(ctx, w.shop, in, "")
	must(t, err)
	w.advance(time.Hour) // past the 15-minute payment deadline
	closed, err := w.orders.Expire(ctx, o.OrderNo)
	must(t, err)
	if !closed || len(w.couponState(t, w.shop, coupon.HeldUnused)) != 1 {
		t.Fatal("the expired order kept the coupon")
	}

	// The expired order is paid after all: it takes its coupon again.
	res, err := w.orders.MarkPaid(ctx, order.Payment{OrderNo: o.OrderNo, TransactionID: "wx-late", Amount: o.PayAmount, PaidAt: time.Now()})
	must(t, err)
	if !res.Revived {
		t.Fatalf("late payment: %+v", res)
	}
	if used := w.couponState(t, w.shop, coupon.HeldUsed); len(used) != 1 || *used[0].OrderID != o.ID {
		t.Fatalf("the revived order did not take its coupon back: %+v", used)
	}
}

// An order that fails (here: out of stock) leaves the coupon unused, and of
// two orders racing for one coupon only one has it.
func TestTheCouponIsUsedInTheOrdersTransaction(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	scarce, plenty := w.sku(t, 5000, 1), w.sku(t, 5000, 100)
	id := w.claimed(t, w.shop, coupon.Draft{Kind: coupon.KindFixed, Amount: 1000})

	_, _, err := w.orders.Place(ctx, w.shop, withCoupon(buy(1, line(scarce, 2)), id), "")
	wantCode(t, err, "out_of_stock")
	if len(w.couponState(t, w.shop, coupon.HeldUnused)) != 1 {
		t.Fatal("a failed order used the coupon")
	}

	results := make(chan error, 8)
	for range 8 {
		go func() {
			_, _, err := w.orders.Place(ctx, w.shop, withCoupon(buy(1, line(plenty, 1)), id), "")
			results <- err
		}()
	}
	ok := 0
	for range 8 {
		if err := <-results; err == nil {
			ok++
		} else {
			wantCode(t, err, "coupon_used")
		}
	}
	if ok != 1 || w.count(t, "orders") != 1 {
		t.Fatalf("%d orders placed with one coupon", ok)
	}
	if stock, ledger := w.stock(t, plenty); stock != 99 || ledger != 99 {
		t.Fatalf("losing orders kept stock: %d / %d", stock, ledger)
	}
}
