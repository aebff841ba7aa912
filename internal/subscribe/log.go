package subscribe

import (
	"context"

	"github.com/kaidian/kaidian/internal/page"
)

// Query filters the messages log; empty fields match everything.
type Query struct {
	Status    string
	Scene     Scene
	Ref       string // an order number
	ShopperID int64
	Page      page.Request
}

// Log lists events newest first; the cursor is the last event's id.
func (s *Service) Log(ctx context.Context, q Query) ([]Record, string, error) {
	db := s.db.Conn(ctx).Model(&Record{})
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.Scene != "" {
		db = db.Where("scene = ?", q.Scene)
	}
	if q.Ref != "" {
		db = db.Where("ref = ?", q.Ref)
	}
	if q.ShopperID != 0 {
		db = db.Where("shopper_id = ?", q.ShopperID)
	}
	if q.Page.After > 0 {
		db = db.Where("id < ?", q.Page.After)
	}
	var rs []Record
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Find(&rs).Error; err != nil {
		return nil, "", err
	}
	rs, next := page.Trim(rs, q.Page, func(r Record) int64 { return r.ID })
	return rs, next, nil
}
