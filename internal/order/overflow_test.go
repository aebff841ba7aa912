package order_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/order"
)

// The security review's order: an uncapped 99% coupon over 50 lines of 999
// units at the catalog's highest price. Sharing the discount multiplied a
// line's amount by the discount in int64, which overflowed: negative line
// discounts, and a fen-at-a-time loop that ran for minutes inside the order's
// transaction (with the old code this test hangs until go test times out).
// Placed for real, every line's share is its exact proportional share.
func TestAnUncappedPercentCouponOnAHugeOrderIsSharedExactly(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	in := order.PlaceInput{AddressID: 1}
	for i := range order.MaxLines {
		sku := w.sku(t, catalog.MaxPrice-int64(i)*101, order.MaxQuantity)
		in.Items = append(in.Items, line(sku, order.MaxQuantity-i%2))
	}
	in = withCoupon(in, w.claimed(t, w.shop, coupon.Draft{Kind: coupon.KindPercent, PercentOff: 99}))
	o, _, err := w.orders.Place(ctx, w.shop, in, "")
	must(t, err)

	var sum int64
	for _, it := range o.Items {
		sum += it.LineAmount
	}
	off := sum * 99 / 100
	if o.GoodsAmount != sum || o.DiscountAmount != off || o.PayAmount != o.TotalAmount-off {
		t.Fatalf("order goods %d discount %d pay %d; want goods %d discount %d", o.GoodsAmount, o.DiscountAmount, o.PayAmount, sum, off)
	}
	var shared int64
	for i, it := range o.Items {
		exact := new(big.Int).Mul(big.NewInt(it.LineAmount), big.NewInt(off))
		q, r := exact.QuoRem(exact, big.NewInt(sum), new(big.Int))
		if it.DiscountAmount != q.Int64() && (r.Sign() == 0 || it.DiscountAmount != q.Int64()+1) {
			t.Fatalf("line %d: discount %d, exact share %s + %s/%d", i, it.DiscountAmount, q, r, sum)
		}
		if it.PayAmount != it.LineAmount-it.DiscountAmount || it.PayAmount < 0 {
			t.Fatalf("line %d: %+v", i, it)
		}
		shared += it.DiscountAmount
	}
	if shared != off {
		t.Fatalf("line discounts sum to %d, the order's is %d", shared, off)
	}
}

// A flash price is capped like a catalog price, so a flash order's
// price × quantity cannot overflow either.
func TestAFlashPriceAboveTheCatalogCapIsRefused(t *testing.T) {
	w := newWorld(t)
	sku := w.sku(t, 9900, 10)
	now := w.clock.Now()
	_, err := w.flash.Create(context.Background(), "merchant:1", flashsale.Input{
		Title: "Drop", StartsAt: now, EndsAt: now.Add(time.Hour), PerShopperLimit: 99, PayWindow: 5 * time.Minute,
		Items: []flashsale.ItemInput{{SKUID: sku, Price: catalog.MaxPrice + 1, Units: 5}},
	})
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.KindInvalid {
		t.Fatalf("flash price above catalog.MaxPrice: %v", err)
	}
}
