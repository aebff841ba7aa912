package coupon

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Errors of giving coupons away (internal/couponshare drives the flow; these
// are the coupon side of it, run in its transactions).
var (
	ErrNotGiftable = errs.Rule("coupon_not_giftable", "couponshare.not_giftable")
	ErrGifting     = errs.Conflict("coupon_gifting", "couponshare.gifting")
	ErrGifted      = errs.Conflict("coupon_gifted", "couponshare.gifted")
)

// Held returns one held coupon of the shopper with its coupon's terms and
// its state now; another shopper's, or none, is ErrNotHeld.
func (s *Service) Held(ctx context.Context, shopperID, heldID int64) (Held, error) {
	var hs []Held
	if err := s.db.Conn(ctx).Where("id = ? AND shopper_id = ?", heldID, shopperID).Limit(1).Find(&hs).Error; err != nil {
		return Held{}, fmt.Errorf("coupon: held: %w", err)
	}
	if len(hs) == 0 {
		return Held{}, ErrNotHeld.With("id", heldID)
	}
	hs[0].State = hs[0].StateAt(s.clock.Now())
	if err := s.attach(ctx, hs); err != nil {
		return Held{}, err
	}
	return hs[0], nil
}

// Holds is how many of the coupon the shopper has ever received, the count
// the per-shopper limit is kept on.
func (s *Service) Holds(ctx context.Context, shopperID, couponID int64) (int, error) {
	n, err := s.heldByShopper(ctx, shopperID, []int64{couponID})
	return n[couponID], err
}

// LockForGift sets one of the shopper's unused, unexpired coupons of a
// giftable kind aside while it is offered to a friend (gifting): checkout
// neither picks nor redeems it until the giver takes it back. A coupon
// already gifting is answered as it is (the caller finds its open share);
// otherwise the reason it cannot be given: not the shopper's, not giftable,
// used, expired, already given. The update is guarded (only from unused)
// and its count checked, so an order racing for the same copy gets it or
// the gift does, never both.
func (s *Service) LockForGift(ctx context.Context, shopperID, heldID int64) (Held, error) {
	h, err := s.Held(ctx, shopperID, heldID)
	if err != nil {
		return Held{}, err
	}
	switch {
	case !h.Coupon.Giftable:
		return Held{}, ErrNotGiftable.With("id", heldID)
	case h.State == HeldGifting:
		return h, nil
	case h.State == HeldGifted:
		return Held{}, ErrGifted.With("id", heldID)
	case h.State == HeldUsed:
		return Held{}, ErrUsed.With("id", heldID)
	case h.State == HeldExpired:
		return Held{}, ErrExpired.With("id", heldID)
	}
	now := s.clock.Now()
	res := s.db.Conn(ctx).Model(&Held{}).Where("id = ? AND status = ? AND valid_until > ?", heldID, HeldUnused, now).
		Update("status", HeldGifting)
	if res.Error != nil {
		return Held{}, fmt.Errorf("coupon: lock for gift: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		// Used by an order, or offered by a parallel request, since the read.
		return s.Held(ctx, shopperID, heldID)
	}
	h.Status, h.State = HeldGifting, HeldGifting
	return h, nil
}

// ReleaseGift makes a coupon that was being offered usable again, when its
// giver takes it back; it reports whether it was still gifting.
func (s *Service) ReleaseGift(ctx context.Context, heldID int64) (bool, error) {
	res := s.db.Conn(ctx).Model(&Held{}).Where("id = ? AND status = ?", heldID, HeldGifting).Update("status", HeldUnused)
	if res.Error != nil {
		return false, fmt.Errorf("coupon: release gift: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// GiveAway hands a gifting coupon to the receiver, inside the caller's
// transaction: the giver's copy becomes gifted (never usable again) and the
// receiver gets a copy of their own with the same validity (a gift does not
// extend it), source gift. The receiver's per-shopper limit applies, as for
// a claim; the shop's count of claimed coupons does not move, since no new
// coupon left its stock. The coupon's row is locked first, as Claim does, so
// the receiver's count cannot change before the insert.
func (s *Service) GiveAway(ctx context.Context, heldID, receiverID int64) (Held, error) {
	var giver Held
	if err := s.db.Conn(ctx).Where("id = ?", heldID).Take(&giver).Error; err != nil {
		if database.IsNotFound(err) {
			return Held{}, ErrNotHeld.With("id", heldID)
		}
		return Held{}, fmt.Errorf("coupon: give away: %w", err)
	}
	c, err := s.lock(ctx, giver.CouponID)
	if err != nil {
		return Held{}, err
	}
	now := s.clock.Now()
	if !now.Before(giver.ValidUntil) {
		return Held{}, ErrExpired.With("id", heldID)
	}
	held, err := s.heldCounts(ctx, c.ID, []int64{receiverID})
	if err != nil {
		return Held{}, err
	}
	if held[receiverID] >= c.PerShopperLimit {
		return Held{}, ErrLimitReached.With("per_shopper_limit", c.PerShopperLimit)
	}
	res := s.db.Conn(ctx).Model(&Held{}).Where("id = ? AND status = ?", heldID, HeldGifting).Update("status", HeldGifted)
	if res.Error != nil {
		return Held{}, fmt.Errorf("coupon: give away: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return Held{}, ErrGifting.With("id", heldID) // no longer on offer: taken back meanwhile
	}
	h := Held{CouponID: c.ID, ShopperID: receiverID, Seq: held[receiverID] + 1, Source: SourceGift,
		Actor: "shopper:" + strconv.FormatInt(giver.ShopperID, 10), Status: HeldUnused,
		ValidFrom: giver.ValidFrom, ValidUntil: giver.ValidUntil, ClaimedAt: now, State: HeldUnused, Coupon: c}
	if err := s.insertHeld(ctx, []Held{h}, &h); err != nil {
		return Held{}, err
	}
	return h, nil
}

// Grant gives the shopper one of a live coupon inside the caller's
// transaction, as a campaign's reward or invitation (source names which),
// within the quantity and the per-shopper limit exactly as Claim keeps
// them; unlike Claim the coupon need not be offered for claiming.
func (s *Service) Grant(ctx context.Context, shopperID, couponID int64, source, actor string) (Held, error) {
	c, err := s.lock(ctx, couponID)
	if err != nil {
		return Held{}, err
	}
	if err := s.checkLive(c); err != nil {
		return Held{}, err
	}
	held, err := s.heldCounts(ctx, couponID, []int64{shopperID})
	if err != nil {
		return Held{}, err
	}
	if held[shopperID] >= c.PerShopperLimit {
		return Held{}, ErrLimitReached.With("per_shopper_limit", c.PerShopperLimit)
	}
	if err := s.take(ctx, c, 1); err != nil {
		return Held{}, err
	}
	h := s.newHeld(c, shopperID, held[shopperID]+1, source, actor)
	if err := s.insertHeld(ctx, []Held{h}, &h); err != nil {
		return Held{}, err
	}
	return h, nil
}
