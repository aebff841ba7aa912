package report

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/coupon"
)

// CouponStats are a coupon's numbers. Claimed counts every coupon handed out
// (claimed or issued); Used, those an order holds now (an unpaid order that
// closes gives its coupon back). Orders, Revenue, Discount and Refunded are
// over the paid orders that used it, in fen.
type CouponStats struct {
	Claimed  int64
	Used     int64
	Orders   int64
	Revenue  int64 // what those orders paid
	Discount int64 // what the coupon took off them
	Refunded int64 // what was refunded of them since
}

// UseRate is the share of handed-out coupons used, in percent.
func (s CouponStats) UseRate() int64 {
	if s.Claimed == 0 {
		return 0
	}
	return s.Used * 100 / s.Claimed
}

// CouponStats returns the numbers of each coupon, in two queries whatever
// the number of coupons (a list page asks for its whole page at once). It is
// here, not in coupon, because it adds up orders: order builds on coupon.
func (s *Service) CouponStats(ctx context.Context, cs []coupon.Coupon) (map[int64]CouponStats, error) {
	out := make(map[int64]CouponStats, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	for _, c := range cs {
		out[c.ID] = CouponStats{Claimed: c.Claimed}
	}
	var used []struct {
		CouponID int64 `gorm:"column:coupon_id"`
		N        int64 `gorm:"column:n"`
	}
	if err := s.db.Conn(ctx).Raw(`SELECT coupon_id, COUNT(*) AS n FROM shopper_coupons
		WHERE coupon_id IN ? AND status = ? GROUP BY coupon_id`, coupon.IDs(cs), coupon.HeldUsed).Scan(&used).Error; err != nil {
		return nil, fmt.Errorf("coupon: used counts: %w", err)
	}
	for _, u := range used {
		st := out[u.CouponID]
		st.Used = u.N
		out[u.CouponID] = st
	}
	var paid []struct {
		CouponID int64 `gorm:"column:coupon_id"`
		Orders   int64 `gorm:"column:orders"`
		Revenue  int64 `gorm:"column:revenue"`
		Discount int64 `gorm:"column:discount"`
		Refunded int64 `gorm:"column:refunded"`
	}
	if err := s.db.Conn(ctx).Raw(`SELECT coupon_id, COUNT(*) AS orders, COALESCE(SUM(pay_amount), 0) AS revenue,
			COALESCE(SUM(discount_amount), 0) AS discount, COALESCE(SUM(refunded_amount), 0) AS refunded
		FROM orders WHERE coupon_id IN ? AND paid_at IS NOT NULL GROUP BY coupon_id`, coupon.IDs(cs)).Scan(&paid).Error; err != nil {
		return nil, fmt.Errorf("coupon: order sums: %w", err)
	}
	for _, p := range paid {
		st := out[p.CouponID]
		st.Orders, st.Revenue, st.Discount, st.Refunded = p.Orders, p.Revenue, p.Discount, p.Refunded
		out[p.CouponID] = st
	}
	return out, nil
}
