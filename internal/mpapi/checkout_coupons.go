package mpapi

import (
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/i18n"
)

// checkoutCoupons is the preview's coupon picker: the shopper's coupons
// that apply to the order (best first) and those that do not, with why.
type checkoutCoupons struct {
	Usable   []usableCouponJSON   `json:"usable"`
	Unusable []unusableCouponJSON `json:"unusable"`
}

type usableCouponJSON struct {
	Coupon     couponJSON `json:"coupon"`
	ValidFrom  time.Time  `json:"valid_from"`
	ValidUntil time.Time  `json:"valid_until"`
	Discount   int64      `json:"discount"`
	Selected   bool       `json:"selected"`
}

type unusableCouponJSON struct {
	Coupon     couponJSON `json:"coupon"`
	ValidFrom  time.Time  `json:"valid_from"`
	ValidUntil time.Time  `json:"valid_until"`
	Reason     reasonJSON `json:"reason"`
}

// reasonJSON says why a coupon does not apply: a code for the program, a
// message for the shopper in their language.
type reasonJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func toCheckoutCoupons(p *i18n.Printer, ch coupon.Choice, applied *int64) checkoutCoupons {
	out := checkoutCoupons{Usable: make([]usableCouponJSON, len(ch.Usable)), Unusable: make([]unusableCouponJSON, len(ch.Unusable))}
	for i, o := range ch.Usable {
		out.Usable[i] = usableCouponJSON{Coupon: toCoupon(p, o.Held.Coupon), ValidFrom: o.Held.ValidFrom,
			ValidUntil: o.Held.ValidUntil, Discount: o.Applied.Discount, Selected: applied != nil && *applied == o.Held.CouponID}
	}
	for i, o := range ch.Unusable {
		out.Unusable[i] = unusableCouponJSON{Coupon: toCoupon(p, o.Held.Coupon), ValidFrom: o.Held.ValidFrom,
			ValidUntil: o.Held.ValidUntil, Reason: reasonJSON{Code: o.Reason.Code, Message: p.Error(o.Reason)}}
	}
	return out
}
