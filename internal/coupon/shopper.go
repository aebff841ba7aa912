package coupon

import (
	"context"
	"fmt"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// Offer is a coupon shoppers can claim now, as one shopper sees it.
type Offer struct {
	Coupon
	HeldByMe int  // how many of it this shopper has received
	CanClaim bool // not sold out and below the shopper's limit
}

// Offers lists the coupons open for claiming now, newest first, with what
// this shopper may still claim. Sold-out coupons stay listed (CanClaim false)
// until their window ends, as "已抢光". Two queries per page.
func (s *Service) Offers(ctx context.Context, shopperID int64, pg page.Request) ([]Offer, string, error) {
	now := s.clock.Now()
	db := s.db.Conn(ctx).Where("claimable = ? AND stopped_at IS NULL AND starts_at <= ? AND ends_at > ?", true, now, now)
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var cs []Coupon
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&cs).Error; err != nil {
		return nil, "", fmt.Errorf("coupon: offers: %w", err)
	}
	cs, next := page.Trim(cs, pg, func(c Coupon) int64 { return c.ID })
	held, err := s.heldByShopper(ctx, shopperID, IDs(cs))
	if err != nil {
		return nil, "", err
	}
	out := make([]Offer, len(cs))
	for i, c := range cs {
		n := held[c.ID]
		out[i] = Offer{Coupon: c, HeldByMe: n, CanClaim: c.Remaining() > 0 && n < c.PerShopperLimit}
	}
	return out, next, nil
}

// heldByShopper counts the shopper's coupons of each of the given coupons.
func (s *Service) heldByShopper(ctx context.Context, shopperID int64, couponIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(couponIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		CouponID int64 `gorm:"column:coupon_id"`
		N        int   `gorm:"column:n"`
	}
	err := s.db.Conn(ctx).Raw(`SELECT coupon_id, COUNT(*) AS n FROM shopper_coupons
		WHERE shopper_id = ? AND coupon_id IN ? GROUP BY coupon_id`, shopperID, couponIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("coupon: held by shopper: %w", err)
	}
	for _, r := range rows {
		out[r.CouponID] = r.N
	}
	return out, nil
}

// Mine lists the shopper's coupons, newest first, optionally only those in
// one state (unused means usable now; expired, unused or gifting past its
// validity; gifting, on offer to a friend; gifted, claimed by one).
// Each carries its coupon's terms.
func (s *Service) Mine(ctx context.Context, shopperID int64, state HeldState, pg page.Request) ([]Held, string, error) {
	now := s.clock.Now()
	db := s.db.Conn(ctx).Where("shopper_id = ?", shopperID)
	switch state {
	case "":
	case HeldUnused:
		db = db.Where("status = ? AND valid_until > ?", HeldUnused, now)
	case HeldExpired:
		db = db.Where("status IN ? AND valid_until <= ?", []HeldState{HeldUnused, HeldGifting}, now)
	case HeldGifting:
		db = db.Where("status = ? AND valid_until > ?", HeldGifting, now)
	case HeldUsed, HeldGifted:
		db = db.Where("status = ?", state)
	default:
		return nil, "", errs.Field("status", "coupon.held_status")
	}
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var hs []Held
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&hs).Error; err != nil {
		return nil, "", fmt.Errorf("coupon: mine: %w", err)
	}
	hs, next := page.Trim(hs, pg, func(h Held) int64 { return h.ID })
	for i := range hs {
		hs[i].State = hs[i].StateAt(now)
	}
	if err := s.attach(ctx, hs); err != nil {
		return nil, "", err
	}
	return hs, next, nil
}

// attach loads the coupons of held coupons in one query.
func (s *Service) attach(ctx context.Context, hs []Held) error {
	if len(hs) == 0 {
		return nil
	}
	couponIDs := make([]int64, len(hs))
	for i, h := range hs {
		couponIDs[i] = h.CouponID
	}
	var cs []Coupon
	if err := s.db.Conn(ctx).Where("id IN ?", dedupe(couponIDs)).Find(&cs).Error; err != nil {
		return fmt.Errorf("coupon: attach: %w", err)
	}
	byID := make(map[int64]Coupon, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	for i := range hs {
		hs[i].Coupon = byID[hs[i].CouponID]
	}
	return nil
}

// Holders lists who holds a coupon, newest first, for the console.
func (s *Service) Holders(ctx context.Context, couponID int64, pg page.Request) ([]Held, string, error) {
	db := s.db.Conn(ctx).Where("coupon_id = ?", couponID)
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var hs []Held
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&hs).Error; err != nil {
		return nil, "", fmt.Errorf("coupon: holders: %w", err)
	}
	hs, next := page.Trim(hs, pg, func(h Held) int64 { return h.ID })
	now := s.clock.Now()
	for i := range hs {
		hs[i].State = hs[i].StateAt(now)
	}
	return hs, next, nil
}

// IDs returns the ids of cs, in their order.
func IDs(cs []Coupon) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
