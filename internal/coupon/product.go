package coupon

import (
	"context"
	"fmt"
)

// MaxProductOffers bounds the coupons a product page lists; shops run a
// handful at a time, and the newest come first.
const MaxProductOffers = 50

// ProductOffer is a coupon a shopper can claim that covers a product, with
// what this shopper already holds of it (0 for a shopper not logged in).
type ProductOffer struct {
	Offer
	LimitReached bool // the shopper holds as many as one shopper may
}

// ForProduct lists the coupons open for claiming now, not sold out, whose
// scope covers the product (p: its id and category), newest first. shopperID
// 0 is a shopper not logged in, who holds none. Three queries at most: the
// live coupons, the category tree (only when one is scoped by category) and
// what the shopper holds.
func (s *Service) ForProduct(ctx context.Context, shopperID int64, p Line) ([]ProductOffer, error) {
	now := s.clock.Now()
	var cs []Coupon
	err := s.db.Conn(ctx).Where("claimable = ? AND stopped_at IS NULL AND starts_at <= ? AND ends_at > ? AND claimed < total_quantity",
		true, now, now).Order("id DESC").Limit(MaxCouponsLive).Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("coupon: for product: %w", err)
	}
	var parents map[int64]int64
	var covering []Coupon
	for _, c := range cs {
		if c.Scope == ScopeCategories && parents == nil {
			if parents, err = s.categoryParents(ctx); err != nil {
				return nil, err
			}
		}
		if coveredBy(c, []Line{p}, parents)[0] {
			covering = append(covering, c)
		}
		if len(covering) == MaxProductOffers {
			break
		}
	}
	held := map[int64]int{}
	if shopperID != 0 {
		if held, err = s.heldByShopper(ctx, shopperID, IDs(covering)); err != nil {
			return nil, err
		}
	}
	out := make([]ProductOffer, len(covering))
	for i, c := range covering {
		n := held[c.ID]
		out[i] = ProductOffer{Offer: Offer{Coupon: c, HeldByMe: n, CanClaim: n < c.PerShopperLimit}, LimitReached: n >= c.PerShopperLimit}
	}
	return out, nil
}

// MaxCouponsLive bounds the live coupons read to find those covering one
// product (or to fill the home page): far more than any shop runs at once.
const MaxCouponsLive = 500

// Claimable lists up to limit coupons open for claiming now and not sold
// out, newest first, for the home page, which shows every shopper the same
// answer: what each shopper holds is theirs to ask (GET /api/v1/coupons).
func (s *Service) Claimable(ctx context.Context, limit int) ([]Coupon, error) {
	now := s.clock.Now()
	var cs []Coupon
	err := s.db.Conn(ctx).Where("claimable = ? AND stopped_at IS NULL AND starts_at <= ? AND ends_at > ? AND claimed < total_quantity",
		true, now, now).Order("id DESC").Limit(limit).Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("coupon: claimable: %w", err)
	}
	return cs, nil
}
