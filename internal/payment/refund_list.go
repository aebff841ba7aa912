package payment

import (
	"context"

	"github.com/kaidian/kaidian/internal/page"
)

// RefundRow is a refund with the number of its order, for the console's list.
type RefundRow struct {
	Refund
	OrderNo string
}

// RecentRefunds lists refunds of every order, newest first; the cursor is
// the last refund's id.
func (s *Service) RecentRefunds(ctx context.Context, pg page.Request) ([]RefundRow, string, error) {
	db := s.db.Conn(ctx).Model(&Refund{})
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var refunds []Refund
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&refunds).Error; err != nil {
		return nil, "", err
	}
	refunds, next := page.Trim(refunds, pg, func(r Refund) int64 { return r.ID })
	ids := make([]int64, len(refunds))
	for i, r := range refunds {
		ids[i] = r.OrderID
	}
	refs, err := s.orders.Refs(ctx, ids) // the order numbers are order's to read
	if err != nil {
		return nil, "", err
	}
	rows := make([]RefundRow, len(refunds))
	for i, r := range refunds {
		rows[i] = RefundRow{Refund: r, OrderNo: refs[r.OrderID].OrderNo}
	}
	return rows, next, nil
}
