package cart

import (
	"context"

	"github.com/kaidian/kaidian/internal/order"
)

// The cart is checkout's order.Cart as it is: order declares the port where
// it is used, and the cart, below nothing order imports, fills it directly.
var _ order.Cart = (*Service)(nil)

// CheckoutLines is Lines as checkout reads them: each item's SKU and
// quantity, with Lines' checks (the shopper's own items, each once).
func (s *Service) CheckoutLines(ctx context.Context, shopperID int64, itemIDs []int64) ([]order.LineInput, error) {
	items, err := s.Lines(ctx, shopperID, itemIDs)
	if err != nil {
		return nil, err
	}
	lines := make([]order.LineInput, len(items))
	for i, it := range items {
		lines[i] = order.LineInput{SKUID: it.SKUID, Quantity: it.Quantity}
	}
	return lines, nil
}

// Lines returns the shopper's items with these ids, in the order asked and
// each once; an id that is not one of the shopper's items fails the whole
// call as not found, so checkout never orders from someone else's cart.
func (s *Service) Lines(ctx context.Context, shopperID int64, itemIDs []int64) ([]Item, error) {
	if len(itemIDs) == 0 {
		return []Item{}, nil
	}
	var rows []Item
	if err := s.db.Conn(ctx).Where("shopper_id = ? AND id IN ?", shopperID, itemIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]Item, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]Item, 0, len(itemIDs))
	seen := make(map[int64]bool, len(itemIDs))
	for _, id := range itemIDs {
		it, ok := byID[id]
		if !ok {
			return nil, ErrNotFound.With("cart_item_id", id)
		}
		if !seen[id] { // a repeated id must not order the line twice
			seen[id] = true
			out = append(out, it)
		}
	}
	return out, nil
}

// RemoveItems deletes the shopper's items with these ids once their order is
// placed. It runs on the caller's transaction (through ctx), so the cart is
// cleared exactly when the order commits.
func (s *Service) RemoveItems(ctx context.Context, shopperID int64, itemIDs []int64) error {
	if len(itemIDs) == 0 {
		return nil
	}
	return s.db.Conn(ctx).Where("shopper_id = ? AND id IN ?", shopperID, itemIDs).Delete(&Item{}).Error
}
