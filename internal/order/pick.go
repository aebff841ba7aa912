package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/setting"
)

// preview prices lines for the checkout page and lists the shopper's
// coupons for them, usable and not (with why). Which coupon applies:
//   - couponID absent: the best usable one (coupon.Choice.Best: the largest
//     discount, then the earliest expiry), or none when none is usable;
//   - couponID 0: none, the shopper chose to use no coupon;
//   - any other: that one, refused as Place would refuse it.
//
// The discount comes from the same rule as Place's (coupon.Quote and
// coupon.Choose share it), so placing with the coupon_id the preview
// answered charges what the preview showed.
func (s *Service) preview(ctx context.Context, shopperID int64, lines []LineInput, couponID *int64, shop setting.Shop) (Priced, error) {
	if s.coupons == nil { // a shop wired without coupons
		return s.quote(ctx, shopperID, lines, named(couponID), shop, true)
	}
	items, covered, err := s.priceLines(ctx, lines, true)
	if err != nil {
		return Priced{}, err
	}
	choice, err := s.coupons.Choose(ctx, shopperID, covered)
	if err != nil {
		return Priced{}, err
	}
	var p Priced
	switch best, ok := choice.Best(); {
	case named(couponID) != nil:
		applied, err := s.coupons.Quote(ctx, shopperID, *couponID, covered)
		if err != nil {
			return Priced{}, err
		}
		p, err = withCoupon(items, shop, applied)
		if err != nil {
			return Priced{}, err
		}
	case couponID == nil && ok:
		if p, err = withCoupon(items, shop, best.Applied); err != nil {
			return Priced{}, err
		}
	default:
		if p, err = payable(price(items, shop.ShippingFor, discount{})); err != nil {
			return Priced{}, err
		}
	}
	p.Coupons = choice
	return p, nil
}
