package order

import (
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/money"
)

// Priced is the arithmetic of an order, all in fen. Its lines are the order
// lines to be, with their share of the discount.
type Priced struct {
	Lines          []Item
	ItemCount      int
	GoodsAmount    int64
	ShippingFee    int64
	DiscountAmount int64
	TotalAmount    int64  // goods + shipping
	PayAmount      int64  // total − discount − gift-card balance: what WeChat Pay charges
	GiftCardAmount int64  // what the shopper's gift-card balance pays (use_gift_card_balance)
	CouponID       *int64 // the coupon the discount comes from
	// Coupons is the shopper's coupons judged against these lines, for the
	// preview's picker (empty when placing, and for a flash sale, which
	// takes no coupon).
	Coupons coupon.Choice
}

// discount is what comes off an order's goods: an amount shared among the
// lines it covers (nil covered: every line).
type discount struct {
	amount  int64
	covered []bool
}

// price computes an order's amounts. The discount is capped at the goods it
// covers (shipping is never discounted away) and leaves at least one fen to
// pay, since WeChat Pay cannot charge nothing. It is split over the covered
// lines by allocate, in proportion to their amounts, so each line carries an
// exact share for later partial refunds and the shares sum to the order's
// discount to the fen.
func price(lines []Item, shipping func(goods int64) int64, d discount) Priced {
	p := Priced{Lines: lines}
	for i := range p.Lines {
		l := &p.Lines[i]
		l.LineAmount = l.UnitPrice * int64(l.Quantity)
		p.GoodsAmount += l.LineAmount
		p.ItemCount += l.Quantity
	}
	p.ShippingFee = shipping(p.GoodsAmount)
	p.TotalAmount = p.GoodsAmount + p.ShippingFee
	amount := min(d.amount, p.TotalAmount-1)
	weights := make([]int64, len(p.Lines))
	for i, l := range p.Lines {
		if d.covered == nil || d.covered[i] {
			weights[i] = l.LineAmount
		}
	}
	for i, share := range allocate(amount, weights) {
		p.Lines[i].DiscountAmount = share
		p.Lines[i].PayAmount = p.Lines[i].LineAmount - share
		p.DiscountAmount += share
	}
	p.PayAmount = p.TotalAmount - p.DiscountAmount
	return p
}

// allocate splits total over weights in proportion, in whole fen, so that the
// shares sum to exactly min(total, Σweights) and none exceeds its weight
// (money.Allocate, shared with the commission ledger's refunds). Weights must
// be non-negative and sum to at most math.MaxInt64 (order lines do: see
// TestPriceBoundsFitInt64).
func allocate(total int64, weights []int64) []int64 { return money.Allocate(total, weights) }
