package coupon_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
)

// order inserts a bare pending order for the shopper, for coupons to point at.
func (w *world) order(t testing.TB, shopperID int64) int64 {
	t.Helper()
	var id int64
	now := time.Now().UTC()
	must(t, w.db.Conn(context.Background()).Raw(`INSERT INTO orders (order_no, shopper_id, status, item_count,
		goods_amount, shipping_fee, total_amount, pay_amount, receiver_name, receiver_phone, province, city,
		district, address_detail, expires_at, created_at, updated_at)
		VALUES (?, ?, 'pending_payment', 1, 0, 0, 0, 0, '', '', '', '', '', '', ?, ?, ?) RETURNING id`,
		fmt.Sprintf("T%d", names.Add(1)), shopperID, now, now, now).Scan(&id).Error)
	return id
}

func TestQuoteExplainsWhyACouponDoesNotApply(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	alice := w.shopper(t)
	clothes := w.category(t, 0)
	shirts := w.category(t, clothes) // below clothes
	food := w.category(t, 0)
	shirt, snack := w.product(t, shirts), w.product(t, food)
	lines := []coupon.Line{{ProductID: shirt, CategoryID: shirts, Amount: 8000}, {ProductID: snack, CategoryID: food, Amount: 4000}}

	shop := w.create(t, nil) // 满100减20 on everything
	_, err := w.coupons.Quote(ctx, alice, shop.ID, lines)
	wantCode(t, err, "coupon_not_found") // not claimed yet
	_, err = w.coupons.Claim(ctx, alice, shop.ID)
	must(t, err)
	a, err := w.coupons.Quote(ctx, alice, shop.ID, lines)
	must(t, err)
	if a.Discount != 2000 || !slices.Equal(a.Covered, []bool{true, true}) {
		t.Fatalf("shop-wide quote %+v", a)
	}

	// Only clothes (and the shirts below them) count towards the threshold.
	onClothes := w.create(t, func(d *coupon.Draft) { d.Scope, d.ScopeIDs = coupon.ScopeCategories, []int64{clothes} })
	_, err = w.coupons.Claim(ctx, alice, onClothes.ID)
	must(t, err)
	_, err = w.coupons.Quote(ctx, alice, onClothes.ID, lines)
	wantCode(t, err, "coupon_below_threshold")
	lines[0].Amount = 10000
	a, err = w.coupons.Quote(ctx, alice, onClothes.ID, lines)
	must(t, err)
	if a.Discount != 2000 || !slices.Equal(a.Covered, []bool{true, false}) {
		t.Fatalf("category quote %+v", a)
	}

	onOther := w.create(t, func(d *coupon.Draft) {
		d.Kind, d.Amount, d.MinAmount, d.Scope, d.ScopeIDs = coupon.KindFixed, 500, 0, coupon.ScopeProducts, []int64{w.product(t, food)}
	})
	_, err = w.coupons.Claim(ctx, alice, onOther.ID)
	must(t, err)
	_, err = w.coupons.Quote(ctx, alice, onOther.ID, lines)
	wantCode(t, err, "coupon_not_applicable")

	// Used, then expired.
	must(t, w.coupons.Redeem(ctx, alice, shop.ID, w.order(t, alice)))
	_, err = w.coupons.Quote(ctx, alice, shop.ID, lines)
	wantCode(t, err, "coupon_used")
	w.advance(25 * time.Hour)
	_, err = w.coupons.Quote(ctx, alice, onClothes.ID, lines)
	wantCode(t, err, "coupon_expired")
	_, err = w.coupons.Quote(ctx, alice, 999999, lines)
	wantCode(t, err, "coupon_not_found")
}

// Ten orders race to use one coupon: one gets it.
func TestACouponIsUsedOnce(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	alice := w.shopper(t)
	c := w.create(t, nil)
	_, err := w.coupons.Claim(ctx, alice, c.ID)
	must(t, err)
	orders := make([]int64, 10)
	for i := range orders {
		orders[i] = w.order(t, alice)
	}
	codes := race(len(orders), func(i int) error {
		return w.db.Tx(ctx, func(ctx context.Context) error { return w.coupons.Redeem(ctx, alice, c.ID, orders[i]) })
	})
	if codes["ok"] != 1 || codes["coupon_used"] != 9 {
		t.Fatalf("outcomes %v, want 1 ok and 9 coupon_used", codes)
	}
}

func TestRestoreAndReclaim(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	alice := w.shopper(t)
	c := w.create(t, nil)
	_, err := w.coupons.Claim(ctx, alice, c.ID)
	must(t, err)
	first, second := w.order(t, alice), w.order(t, alice)
	must(t, w.coupons.Redeem(ctx, alice, c.ID, first))

	back, err := w.coupons.Restore(ctx, first)
	must(t, err)
	if !back {
		t.Fatal("the coupon did not come back")
	}
	if again, _ := w.coupons.Restore(ctx, first); again {
		t.Fatal("a coupon came back twice")
	}
	mine, _, err := w.coupons.Mine(ctx, alice, coupon.HeldUnused, firstPage())
	must(t, err)
	if len(mine) != 1 || mine[0].OrderID != nil || mine[0].Coupon.Name != c.Name {
		t.Fatalf("unused coupons after restore: %+v", mine)
	}

	// The closed first order is paid after all: the coupon goes back to it,
	// even once expired, and only while the shopper still has it.
	w.advance(25 * time.Hour)
	ok, err := w.coupons.Reclaim(ctx, alice, c.ID, first)
	must(t, err)
	if !ok {
		t.Fatal("reclaim found no coupon")
	}
	if ok, _ := w.coupons.Reclaim(ctx, alice, c.ID, second); ok {
		t.Fatal("one coupon reclaimed by two orders")
	}
	used, _, err := w.coupons.Mine(ctx, alice, coupon.HeldUsed, firstPage())
	must(t, err)
	if len(used) != 1 || used[0].OrderID == nil || *used[0].OrderID != first {
		t.Fatalf("used coupons: %+v", used)
	}
}
