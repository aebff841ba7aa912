package cart

import (
	"context"

	"github.com/kaidian/kaidian/internal/page"
)

// List shows a page of the cart at current prices, with totals over all of
// it. A cart holds at most MaxLines lines, so reading it whole for the
// totals costs one small query and one catalog lookup.
func (s *Service) List(ctx context.Context, shopperID int64, p page.Request) (View, error) {
	lines, err := s.lines(ctx, shopperID, 0)
	if err != nil {
		return View{}, err
	}
	var v View
	var rest []Line
	for _, l := range lines {
		if l.Available && !l.OutOfStock {
			v.TotalQuantity += l.Quantity
			v.TotalAmount += l.SKU.Price * int64(l.Quantity)
		}
		if l.ID > p.After && len(rest) <= p.Limit {
			rest = append(rest, l)
		}
	}
	v.Lines, v.NextCursor = page.Trim(rest, p, func(l Line) int64 { return l.ID })
	if v.Lines == nil {
		v.Lines = []Line{}
	}
	return v, nil
}

// Line shows one of the shopper's lines at current prices, as List would.
func (s *Service) Line(ctx context.Context, shopperID, itemID int64) (Line, error) {
	lines, err := s.lines(ctx, shopperID, itemID)
	if err != nil {
		return Line{}, err
	}
	if len(lines) == 0 {
		return Line{}, ErrNotFound
	}
	return lines[0], nil
}

// lines reads the shopper's items (only itemID when not 0) in the order they
// were added and prices them through the catalog.
func (s *Service) lines(ctx context.Context, shopperID, itemID int64) ([]Line, error) {
	q := s.db.Conn(ctx).Where("shopper_id = ?", shopperID)
	if itemID != 0 {
		q = q.Where("id = ?", itemID)
	}
	var items []Item
	if err := q.Order("id").Find(&items).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.SKUID
	}
	skus, err := s.catalog.Sellables(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Line, len(items))
	for i, it := range items {
		k, ok := skus[it.SKUID]
		out[i] = Line{Item: it, SKU: k, PriceChanged: ok && k.Price != it.AddedPrice,
			OutOfStock: k.Stock < int64(it.Quantity), Available: ok && k.Buyable}
	}
	return out, nil
}
