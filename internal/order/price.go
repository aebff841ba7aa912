package order

// Priced is the arithmetic of an order, all in fen. Its lines are the order
// lines to be, with their share of the discount.
type Priced struct {
	Lines          []Item
	ItemCount      int
	GoodsAmount    int64
	ShippingFee    int64
	DiscountAmount int64
	TotalAmount    int64 // goods + shipping
	PayAmount      int64 // total − discount
}

// price computes an order's amounts. The discount (capped at the goods
// amount: shipping is never discounted away here) is split over the lines by
// allocate, so each line carries an exact share for later partial refunds.
func price(lines []Item, shipping func(goods int64) int64, discount int64) Priced {
	p := Priced{Lines: lines}
	for i := range p.Lines {
		l := &p.Lines[i]
		l.LineAmount = l.UnitPrice * int64(l.Quantity)
		p.GoodsAmount += l.LineAmount
		p.ItemCount += l.Quantity
	}
	if discount > p.GoodsAmount {
		discount = p.GoodsAmount
	}
	amounts := make([]int64, len(p.Lines))
	for i, l := range p.Lines {
		amounts[i] = l.LineAmount
	}
	for i, share := range allocate(discount, amounts) {
		p.Lines[i].DiscountAmount = share
		p.Lines[i].PayAmount = p.Lines[i].LineAmount - share
	}
	p.DiscountAmount = discount
	p.ShippingFee = shipping(p.GoodsAmount)
	p.TotalAmount = p.GoodsAmount + p.ShippingFee
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
