package coupon

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
)

// Applied is a coupon applied to an order's lines.
type Applied struct {
	CouponID int64
	Discount int64  // fen off the covered goods, never more than they cost
	Covered  []bool // per line: whether the coupon covers it; the discount is shared among these lines
}

// Quote works out what one of the shopper's coupons takes off the lines,
// changing nothing. couponID is the coupon (GET /api/v1/me/coupons →
// coupon.id); the shopper must hold one of it unused and valid now, it must
// cover at least one line, and the covered goods must reach its threshold.
func (s *Service) Quote(ctx context.Context, shopperID, couponID int64, lines []Line) (Applied, error) {
	c, err := s.Get(ctx, couponID)
	if errs.Is(err, ErrNotFound.Code) {
		return Applied{}, ErrNotHeld.With("coupon_id", couponID)
	}
	if err != nil {
		return Applied{}, err
	}
	if err := s.checkUsable(ctx, shopperID, couponID); err != nil {
		return Applied{}, err
	}
	covered, err := s.covered(ctx, c, lines)
	if err != nil {
		return Applied{}, err
	}
	applied, why := judge(c, covered, lines)
	if why != nil {
		return Applied{}, why
	}
	return applied, nil
}

// checkUsable finds whether the shopper holds the coupon unused and valid
// now, and if not, says why: not held, all used, or expired.
func (s *Service) checkUsable(ctx context.Context, shopperID, couponID int64) error {
	var hs []Held
	if err := s.db.Conn(ctx).Where("shopper_id = ? AND coupon_id = ?", shopperID, couponID).Find(&hs).Error; err != nil {
		return fmt.Errorf("coupon: held: %w", err)
	}
	if len(hs) == 0 {
		return ErrNotHeld.With("coupon_id", couponID)
	}
	now := s.clock.Now()
	unused, gifting, gifted := false, false, false
	for _, h := range hs {
		gifting = gifting || h.StateAt(now) == HeldGifting
		gifted = gifted || h.Status == HeldGifted
		if h.Status == HeldUnused {
			unused = true
			if usableAt(h, now) {
				return nil
			}
		}
	}
	switch {
	case unused:
		return ErrExpired.With("coupon_id", couponID)
	case gifting:
		return ErrGifting.With("coupon_id", couponID) // the only usable copy is on offer to a friend
	case gifted && !slices.ContainsFunc(hs, func(h Held) bool { return h.Status == HeldUsed }):
		return ErrGifted.With("coupon_id", couponID) // given away: never the giver's to use again
	}
	return ErrUsed.With("coupon_id", couponID)
}

func usableAt(h Held, now time.Time) bool {
	return !now.Before(h.ValidFrom) && now.Before(h.ValidUntil)
}

// Redeem marks one of the shopper's coupons used by the order, inside the
// caller's transaction (the order's). It takes the unused, valid coupon that
// expires first, with a guarded update (only while still unused) whose row
// count is checked, so two orders racing for one coupon cannot both have it.
func (s *Service) Redeem(ctx context.Context, shopperID, couponID, orderID int64) error {
	for attempt := 0; attempt < 3; attempt++ {
		now := s.clock.Now()
		var id int64
		err := s.db.Conn(ctx).Raw(`SELECT id FROM shopper_coupons
			WHERE shopper_id = ? AND coupon_id = ? AND status = ? AND valid_from <= ? AND valid_until > ?
			ORDER BY valid_until, id LIMIT 1`, shopperID, couponID, HeldUnused, now, now).Scan(&id).Error
		if err != nil {
			return fmt.Errorf("coupon: redeem: %w", err)
		}
		if id == 0 {
			break
		}
		if ok, err := s.markUsed(ctx, id, orderID); ok || err != nil {
			return err
		}
		// Another order took this one between the read and the update: look again.
	}
	if err := s.checkUsable(ctx, shopperID, couponID); err != nil {
		return err
	}
	return ErrUsed.With("coupon_id", couponID)
}

// Restore gives back, unused, the coupon an order used; the order package
// calls it in the transaction that closes an unpaid order. It reports
// whether there was one.
func (s *Service) Restore(ctx context.Context, orderID int64) (bool, error) {
	res := s.db.Conn(ctx).Model(&Held{}).Where("order_id = ? AND status = ?", orderID, HeldUsed).
		Updates(map[string]any{"status": HeldUnused, "order_id": nil, "used_at": nil})
	if res.Error != nil {
		return false, fmt.Errorf("coupon: restore: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// Reclaim marks one of the shopper's unused coupons used again by an order
// that closed (giving its coupon back) and was then paid after all, so the
// discount it was paid with is accounted for. Validity is ignored: the
// shopper already paid the discounted price. It reports false when the
// shopper has none left (the coupon went to another order meanwhile).
func (s *Service) Reclaim(ctx context.Context, shopperID, couponID, orderID int64) (bool, error) {
	var id int64
	err := s.db.Conn(ctx).Raw(`SELECT id FROM shopper_coupons
		WHERE shopper_id = ? AND coupon_id = ? AND status = ? ORDER BY valid_until, id LIMIT 1`,
		shopperID, couponID, HeldUnused).Scan(&id).Error
	if err != nil || id == 0 {
		return false, err
	}
	return s.markUsed(ctx, id, orderID)
}

// markUsed moves one held coupon from unused to used by the order.
func (s *Service) markUsed(ctx context.Context, heldID, orderID int64) (bool, error) {
	res := s.db.Conn(ctx).Model(&Held{}).Where("id = ? AND status = ?", heldID, HeldUnused).
		Updates(map[string]any{"status": HeldUsed, "order_id": orderID, "used_at": s.clock.Now()})
	if res.Error != nil {
		return false, fmt.Errorf("coupon: use: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}
