package coupon

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
)

// MaxChoices bounds the coupons judged for one checkout: a shopper holds
// at most MaxPerShopper of each coupon, and a checkout page listing more
// than this would be unreadable anyway. The ones expiring first are kept.
const MaxChoices = 200

// ErrNotYetValid is why a held coupon whose validity has not begun cannot
// be used yet (a coupon usable from the sale's start, claimed before it).
var ErrNotYetValid = errs.Rule("coupon_not_yet_valid", "checkout.coupon_not_yet_valid")

// Option is one coupon the shopper holds, judged against an order's lines:
// usable with what it takes off, or not usable and why (Reason, whose code
// is the machine reason: coupon_not_applicable, coupon_below_threshold,
// coupon_not_yet_valid).
type Option struct {
	Held    Held // the held coupon that would be used: the earliest to expire
	Applied Applied
	Reason  *errs.Error
}

// Choice is every coupon the shopper could think of using on an order,
// usable ones best first (see Best), unusable ones expiring first.
type Choice struct {
	Usable   []Option
	Unusable []Option
}

// Best is the coupon checkout uses when the shopper names none: the largest
// discount, and between equal discounts the one expiring first (so the
// shopper keeps the longer-lived one); ok is false when none is usable.
func (c Choice) Best() (Option, bool) {
	if len(c.Usable) == 0 {
		return Option{}, false
	}
	return c.Usable[0], true
}

// Choose judges each coupon the shopper holds unused and unexpired against
// the lines, changing nothing: one statement (the held coupons with their
// terms), and the category tree only when one is scoped by category,
// whatever the number of coupons. Each coupon appears once, as the held copy Redeem
// would take: usable now and expiring first, else the first to become
// usable.
func (s *Service) Choose(ctx context.Context, shopperID int64, lines []Line) (Choice, error) {
	now := s.clock.Now()
	hs, err := s.heldWithTerms(ctx, shopperID, now)
	if err != nil {
		return Choice{}, err
	}
	var parents map[int64]int64
	seen := map[int64]int{} // coupon id → index in picked
	var picked []Held
	for _, h := range hs {
		if h.Coupon.Scope == ScopeCategories && parents == nil {
			if parents, err = s.categoryParents(ctx); err != nil {
				return Choice{}, err
			}
		}
		i, ok := seen[h.CouponID]
		switch {
		case !ok:
			seen[h.CouponID] = len(picked)
			picked = append(picked, h)
		case !ready(picked[i], now) && ready(h, now):
			picked[i] = h // a later copy usable now beats an earlier one not yet valid, or one being given away
		}
	}
	var out Choice
	for _, h := range picked {
		h.State = h.StateAt(now)
		o := Option{Held: h}
		if h.Status == HeldGifting {
			o.Reason = ErrGifting.With("coupon_id", h.CouponID) // WeChat locks a card in transit; so do we
		} else if !usableAt(h, now) {
			o.Reason = ErrNotYetValid.With("coupon_id", h.CouponID).With("valid_from", h.ValidFrom)
		} else {
			o.Applied, o.Reason = judge(h.Coupon, coveredBy(h.Coupon, lines, parents), lines)
		}
		if o.Reason == nil {
			out.Usable = append(out.Usable, o)
		} else {
			out.Unusable = append(out.Unusable, o)
		}
	}
	slices.SortStableFunc(out.Usable, better)
	return out, nil
}

// ready is whether a held copy can be redeemed now: unused and valid.
func ready(h Held, now time.Time) bool { return h.Status == HeldUnused && usableAt(h, now) }

// better orders usable options best first: the larger discount, then the
// earlier expiry, then the older coupon, so the pick never depends on the
// order rows came back in.
func better(a, b Option) int {
	switch {
	case a.Applied.Discount != b.Applied.Discount:
		if a.Applied.Discount > b.Applied.Discount {
			return -1
		}
		return 1
	case !a.Held.ValidUntil.Equal(b.Held.ValidUntil):
		return a.Held.ValidUntil.Compare(b.Held.ValidUntil)
	}
	return int(min(max(a.Held.CouponID-b.Held.CouponID, -1), 1))
}

// judge is the one rule for whether a coupon applies to lines and what it
// takes off; Quote (placing an order) and Choose (the preview's picker)
// both go through it, so the picked coupon places at the previewed price.
func judge(c Coupon, covered []bool, lines []Line) (Applied, *errs.Error) {
	var goods int64
	anyCovered := false
	for i, l := range lines {
		if covered[i] {
			goods += l.Amount
			anyCovered = true
		}
	}
	switch {
	case !anyCovered:
		return Applied{}, ErrNotApplicable.With("coupon_id", c.ID)
	case goods < c.MinAmount:
		return Applied{}, ErrBelowMinimum.With("coupon_id", c.ID).With("min_amount", c.MinAmount).With("covered_amount", goods)
	}
	return Applied{CouponID: c.ID, Discount: c.Discount(goods), Covered: covered}, nil
}

// heldRow is a held coupon read together with its coupon's terms.
type heldRow struct {
	HeldID     int64     `gorm:"column:held_id"`
	HeldStatus HeldState `gorm:"column:held_status"`
	ValidFrom  time.Time `gorm:"column:valid_from"`
	ValidUntil time.Time `gorm:"column:valid_until"`
	ClaimedAt  time.Time `gorm:"column:claimed_at"`
	Coupon     `gorm:"embedded"`
}

// heldWithTerms reads the shopper's unused (or gifting), unexpired coupons, expiring
// first, each with its coupon, in one statement: checkout previews run it
// on every visit to the checkout page.
func (s *Service) heldWithTerms(ctx context.Context, shopperID int64, now time.Time) ([]Held, error) {
	var rows []heldRow
	err := s.db.Conn(ctx).Raw(`SELECT h.id AS held_id, h.status AS held_status, h.valid_from, h.valid_until, h.claimed_at, c.*
		FROM shopper_coupons h JOIN coupons c ON c.id = h.coupon_id
		WHERE h.shopper_id = ? AND h.status IN ? AND h.valid_until > ?
		ORDER BY h.valid_until, h.id LIMIT ?`, shopperID, []HeldState{HeldUnused, HeldGifting}, now, MaxChoices).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("coupon: choose: %w", err)
	}
	hs := make([]Held, len(rows))
	for i, r := range rows {
		hs[i] = Held{ID: r.HeldID, CouponID: r.Coupon.ID, ShopperID: shopperID, Status: r.HeldStatus,
			ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil, ClaimedAt: r.ClaimedAt, Coupon: r.Coupon}
	}
	return hs, nil
}
