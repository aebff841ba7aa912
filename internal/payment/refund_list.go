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
	db := s.db.Conn(ctx).Table("refunds AS r").Select("r.*")
	if pg.After > 0 {
		db = db.Where("r.id < ?", pg.After)
	}
	var rows []RefundRow
	if err := db.Order("r.id DESC").Limit(pg.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, next := page.Trim(rows, pg, func(r RefundRow) int64 { return r.ID })
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.OrderID
	}
	refs, err := s.orders.Refs(ctx, ids) // the order numbers are order's to read
	if err != nil {
		return nil, "", err
	}
	for i := range rows {
		rows[i].OrderNo = refs[rows[i].OrderID].OrderNo
	}
	return rows, next, nil
}
