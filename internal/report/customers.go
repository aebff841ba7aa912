package report

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/page"
)

// CustomerRow is a shopper with what they bought.
type CustomerRow struct {
	ID        int64
	OpenID    string `gorm:"column:openid"`
	Nickname  string
	CreatedAt time.Time
	Orders    int64      // orders placed, any state
	Paid      int64      // orders paid (paid, shipped, completed)
	Spent     int64      // fen paid, less refunds
	LastOrder *time.Time // when they last ordered
}

// CustomerQuery filters the shopper list: Q matches an id, an openid or a
// nickname.
type CustomerQuery struct {
	Q    string
	Page page.Request
}

// Customers lists shoppers, newest first, each with their order count,
// total spent and last order. One query for the page of shoppers and one
// aggregate over their orders (by the orders_shopper index) keep it fast
// however many orders there are.
func (s *Service) Customers(ctx context.Context, q CustomerQuery) ([]CustomerRow, string, error) {
	db := s.db.Conn(ctx).Table("shoppers").Select("id, openid, nickname, created_at")
	if q.Q = strings.TrimSpace(q.Q); q.Q != "" {
		if id, err := strconv.ParseInt(q.Q, 10, 64); err == nil {
			db = db.Where("id = ? OR openid = ?", id, q.Q)
		} else {
			db = db.Where("openid = ? OR nickname LIKE ?", q.Q, "%"+q.Q+"%")
		}
	}
	if q.Page.After > 0 {
		db = db.Where("id < ?", q.Page.After)
	}
	var rows []CustomerRow
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, next := page.Trim(rows, q.Page, func(r CustomerRow) int64 { return r.ID })
	if len(rows) == 0 {
		return rows, next, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var aggs []struct {
		ShopperID int64
		Orders    int64
		Paid      int64
		Spent     int64
		LastOrder int64 // the newest order's id (ids grow with time)
	}
	err := s.db.Conn(ctx).Raw(`SELECT shopper_id, COUNT(*) AS orders,
		SUM(CASE WHEN status IN ? THEN 1 ELSE 0 END) AS paid,
		COALESCE(SUM(CASE WHEN status IN ? THEN pay_amount - refunded_amount ELSE 0 END), 0) AS spent,
		MAX(id) AS last_order
		FROM orders WHERE shopper_id IN ? GROUP BY shopper_id`, paid, paid, ids).Scan(&aggs).Error
	if err != nil {
		return nil, "", err
	}
	lastIDs := make([]int64, 0, len(aggs))
	for _, a := range aggs {
		lastIDs = append(lastIDs, a.LastOrder)
	}
	var lasts []struct {
		ShopperID int64
		CreatedAt time.Time
	}
	if len(lastIDs) > 0 {
		if err := s.db.Conn(ctx).Raw("SELECT shopper_id, created_at FROM orders WHERE id IN ?", lastIDs).Scan(&lasts).Error; err != nil {
			return nil, "", err
		}
	}
	for i := range rows {
		for _, a := range aggs {
			if a.ShopperID == rows[i].ID {
				rows[i].Orders, rows[i].Paid, rows[i].Spent = a.Orders, a.Paid, a.Spent
			}
		}
		for _, l := range lasts {
			if l.ShopperID == rows[i].ID {
				at := l.CreatedAt
				rows[i].LastOrder = &at
			}
		}
	}
	return rows, next, nil
}

// Customer is one shopper's row (Customers filtered to one id).
func (s *Service) Customer(ctx context.Context, id int64) (CustomerRow, bool, error) {
	rows, _, err := s.Customers(ctx, CustomerQuery{Q: strconv.FormatInt(id, 10), Page: page.Request{Limit: 1}})
	if err != nil || len(rows) == 0 {
		return CustomerRow{}, false, err
	}
	return rows[0], true, nil
}
