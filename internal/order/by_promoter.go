package order

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/page"
)

// CompletedBefore returns those of ids whose orders completed at or before
// cutoff: the orders whose after-sale window is over (commission settlement).
func (s *Service) CompletedBefore(ctx context.Context, ids []int64, cutoff time.Time) ([]int64, error) {
	var out []int64
	cutoff = cutoff.UTC() // SQLite compares times as text: parameters in UTC, as stored
	if len(ids) == 0 {
		return out, nil
	}
	err := s.db.Conn(ctx).Model(&Order{}).Where("id IN ? AND status = ? AND completed_at <= ?", ids, StatusCompleted, cutoff).
		Order("id").Pluck("id", &out).Error
	if err != nil {
		return nil, fmt.Errorf("orders completed before %v: %w", cutoff, err)
	}
	return out, nil
}

// ByPromoter lists the orders credited to a promoter, newest first, with
// their lines, paged by id: what the promoter's own page in the mini
// program shows (their buyers masked by the caller).
func (s *Service) ByPromoter(ctx context.Context, promoterID int64, pg page.Request) ([]Order, string, error) {
	q := s.db.Conn(ctx).Where("promoter_id = ?", promoterID)
	if pg.After > 0 {
		q = q.Where("id < ?", pg.After)
	}
	var os []Order
	if err := q.Order("id DESC").Limit(pg.Limit + 1).Find(&os).Error; err != nil {
		return nil, "", fmt.Errorf("orders of promoter %d: %w", promoterID, err)
	}
	os, next := page.Trim(os, pg, func(o Order) int64 { return o.ID })
	if err := s.withItems(ctx, os); err != nil {
		return nil, "", err
	}
	return os, next, nil
}

// Buyer is a shopper who bought through a promoter: how many of their
// orders were credited to the promoter, and the latest.
type Buyer struct {
	ShopperID   int64 `gorm:"column:shopper_id"`
	Orders      int64 `gorm:"column:orders"`
	LastOrderID int64 `gorm:"column:last_order_id"`
}

// PromoterBuyers lists the shoppers whose orders were credited to a
// promoter, paged by shopper id (newest accounts first).
func (s *Service) PromoterBuyers(ctx context.Context, promoterID int64, pg page.Request) ([]Buyer, string, error) {
	q := s.db.Conn(ctx).Model(&Order{}).Select("shopper_id, COUNT(*) AS orders, MAX(id) AS last_order_id").
		Where("promoter_id = ?", promoterID)
	if pg.After > 0 {
		q = q.Where("shopper_id < ?", pg.After)
	}
	var bs []Buyer
	if err := q.Group("shopper_id").Order("shopper_id DESC").Limit(pg.Limit + 1).Scan(&bs).Error; err != nil {
		return nil, "", fmt.Errorf("buyers of promoter %d: %w", promoterID, err)
	}
	bs, next := page.Trim(bs, pg, func(b Buyer) int64 { return b.ShopperID })
	return bs, next, nil
}

// PromoterBuyerCount is how many shoppers bought through a promoter.
func (s *Service) PromoterBuyerCount(ctx context.Context, promoterID int64) (int64, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&Order{}).Where("promoter_id = ?", promoterID).Distinct("shopper_id").Count(&n).Error
	return n, err
}
