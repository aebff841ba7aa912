package coupon

import (
	"context"
	"fmt"
)

// OriginPack marks a coupon GrantOwn made for one lucky-pack grab.
const OriginPack = "pack"

// CheckTerms validates coupon terms another package offers on the shop's
// behalf (a lucky-pack campaign's), as Create would, changing nothing: the
// same rules and the same field errors, and scope ids that must exist.
func (s *Service) CheckTerms(ctx context.Context, d Draft) error {
	d = d.normalized()
	if err := d.validate(); err != nil {
		return err
	}
	return s.checkScope(ctx, d)
}

// GrantOwn makes a coupon of the draft's terms for one shopper and puts it
// in their wallet, inside the caller's transaction: a lucky pack's grab, whose
// amount is the grab's own. Each grab is its own coupon (quantity one,
// already claimed, never claimable), so the wallet, the checkout picker and
// Redeem treat it like any other coupon, and concurrent grabs write only
// new rows: no shared counter to queue on. The terms were checked when the
// campaign was saved (CheckTerms); only the draft's own rules are checked
// again here. actor names the pack.
func (s *Service) GrantOwn(ctx context.Context, d Draft, shopperID int64, actor string) (Held, error) {
	d = d.normalized()
	d.TotalQuantity, d.PerShopperLimit, d.Claimable = 1, 1, false
	if err := d.validate(); err != nil {
		return Held{}, err
	}
	now := s.clock.Now()
	c := Coupon{Origin: OriginPack, Claimed: 1, CreatedAt: now, UpdatedAt: now}
	c.apply(d)
	if err := s.db.Conn(ctx).Create(&c).Error; err != nil {
		return Held{}, fmt.Errorf("coupon: grant: %w", err)
	}
	h := s.newHeld(c, shopperID, 1, SourcePack, actor)
	if err := s.insertHeld(ctx, []Held{h}, &h); err != nil {
		return Held{}, err
	}
	return h, nil
}
