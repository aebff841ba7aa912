package order

// Priced is the arithmetic of an order, all in fen. Its lines are the order
// lines to be, with their share of the discount.
type Priced struct {
	Lines          []Item
	ItemCount      int
	GoodsAmount    int64
	ShippingFee    int64
	DiscountAmount int64
	TotalAmount    int64  // goods + shipping
	PayAmount      int64  // total − discount
	CouponID       *int64 // the coupon the discount comes from
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
// shares sum to exactly total and none exceeds its weight. Each share is
// rounded down; the fen left over go one each to the lines with the largest
// remainders (ties to the earlier line), the largest-remainder method.
func allocate(total int64, weights []int64) []int64 {
	shares := make([]int64, len(weights))
	var sum int64
	for _, w := range weights {
		sum += w
	}
	if total <= 0 || sum == 0 {
		return shares
	}
	if total > sum {
		total = sum
	}
	rems := make([]int64, len(weights))
	var given int64
	for i, w := range weights {
		// total ≤ sum ≤ 50 lines × 999 × 1e7 fen, so w*total fits in int64.
		shares[i] = w * total / sum
		rems[i] = w * total % sum
		given += shares[i]
	}
	for left := total - given; left > 0; left-- {
		best := -1
		for i := range weights {
			if shares[i] < weights[i] && (best < 0 || rems[i] > rems[best]) {
				best = i
			}
		}
		shares[best]++
		rems[best] = -1
	}
	return shares
}
