package order

import (
	"context"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// ErrNotFound is the answer for an unknown order, and for anyone else's.
var ErrNotFound = errs.NotFound("order_not_found", "order.not_found")

// Get returns one of the shopper's orders with its lines and history.
// Orders are always looked up together with the shopper, so another
// shopper's order number is simply not found.
// Two statements in one round trip on PostgreSQL (read.go).
func (s *Service) Get(ctx context.Context, shopperID int64, orderNo string) (Order, error) {
	return s.withHistory(ctx, byShopperNo, orderNo, shopperID)
}

func (s *Service) byID(ctx context.Context, shopperID, id int64) (Order, error) {
	return s.withHistory(ctx, byShopperID, id, shopperID)
}

func (s *Service) complete(ctx context.Context, o Order, err error) (Order, error) {
	if database.IsNotFound(err) {
		return Order{}, ErrNotFound
	}
	if err != nil {
		return Order{}, err
	}
	items, err := s.items(ctx, []int64{o.ID})
	if err != nil {
		return Order{}, err
	}
	o.Items = items[o.ID]
	err = s.db.Conn(ctx).Where("order_id = ?", o.ID).Order("id").Find(&o.History).Error
	return o, err
}

// ListQuery filters a shopper's orders.
type ListQuery struct {
	Status Status // empty = all
	Page   page.Request
}

// List returns the shopper's orders, newest first, each with its lines.
// The cursor is the id of the last order shown; the next page holds older ones.
func (s *Service) List(ctx context.Context, shopperID int64, q ListQuery) ([]Order, string, error) {
	if q.Status != "" && !q.Status.Valid() {
		return nil, "", errs.Field("status", "invalid.order_status")
	}
	db := s.db.Conn(ctx).Where("shopper_id = ?", shopperID)
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.Page.After > 0 {
		db = db.Where("id < ?", q.Page.After)
	}
	var orders []Order
	if err := db.Order("id DESC").Limit(q.Page.Limit + 1).Find(&orders).Error; err != nil {
		return nil, "", err
	}
	orders, next := page.Trim(orders, q.Page, func(o Order) int64 { return o.ID })
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	items, err := s.items(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	for i := range orders {
		orders[i].Items = items[orders[i].ID]
	}
	return orders, next, nil
}

// items loads the lines of several orders in one query.
func (s *Service) items(ctx context.Context, orderIDs []int64) (map[int64][]Item, error) {
	out := map[int64][]Item{}
	if len(orderIDs) == 0 {
		return out, nil
	}
	var rows []Item
	if err := s.db.Conn(ctx).Where("order_id IN ?", orderIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, it := range rows {
		out[it.OrderID] = append(out[it.OrderID], it)
	}
	return out, nil
}

// GetLines is Get without the history: one of the shopper's orders with its
// lines, for callers (paying it) that read no more: one statement.
func (s *Service) GetLines(ctx context.Context, shopperID int64, orderNo string) (Order, error) {
	return s.withLines(ctx, byShopperNo, orderNo, shopperID)
}

// StatusOf is an order's status now, read alone.
func (s *Service) StatusOf(ctx context.Context, orderNo string) (Status, error) {
	var o Order
	err := s.db.Conn(ctx).Select("status").Where("order_no = ?", orderNo).Take(&o).Error
	if database.IsNotFound(err) {
		return "", ErrNotFound
	}
	return o.Status, err
}

// Row is the order's own row by number, without its lines or history, for
// callers that read only its status, amounts and times.
func (s *Service) Row(ctx context.Context, orderNo string) (Order, error) {
	var o Order
	err := s.db.Conn(ctx).Where("order_no = ?", orderNo).Take(&o).Error
	if database.IsNotFound(err) {
		return Order{}, ErrNotFound
	}
	return o, err
}
