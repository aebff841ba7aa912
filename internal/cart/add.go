package cart

import (
	"context"

	"github.com/kaidian/kaidian/internal/errs"
)

// Add puts qty of a SKU in the cart, merging with the line already there, and
// returns the line as stored. The merge is one upsert whose update is guarded
// by the 999 limit, so concurrent adds of the same SKU sum up instead of
// overwriting each other or racing on the unique (shopper_id, sku_id) key.
// added_price is the price at the first add; merging keeps it.
func (s *Service) Add(ctx context.Context, shopperID, skuID int64, qty int) (Item, error) {
	if skuID <= 0 {
		return Item{}, errs.Field("sku_id", "invalid.positive_id")
	}
	if err := validQuantity(qty); err != nil {
		return Item{}, err
	}
	skus, err := s.catalog.Sellables(ctx, []int64{skuID})
	if err != nil {
		return Item{}, err
	}
	k, ok := skus[skuID]
	if !ok {
		return Item{}, ErrUnknownSKU.With("sku_id", skuID)
	}
	if !k.Buyable {
		return Item{}, ErrSKUUnavailable.With("sku_id", skuID)
	}
	var it Item
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.shoppers.Lock(ctx, shopperID); err != nil {
			return err
		}
		var count struct {
			Lines int64 `gorm:"column:n_lines"`
			Same  int64 `gorm:"column:n_same"`
		}
		if err := s.db.Conn(ctx).Raw(`SELECT COUNT(*) AS n_lines, COALESCE(SUM(CASE WHEN sku_id = ? THEN 1 ELSE 0 END), 0) AS n_same
			FROM cart_items WHERE shopper_id = ?`, skuID, shopperID).Scan(&count).Error; err != nil {
			return err
		}
		if count.Same == 0 && count.Lines >= MaxLines {
			return ErrCartFull.With("max_lines", MaxLines)
		}
		now := s.clock.Now()
		res := s.db.Conn(ctx).Raw(`
			INSERT INTO cart_items (shopper_id, sku_id, quantity, added_price, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (shopper_id, sku_id) DO UPDATE
			   SET quantity = cart_items.quantity + excluded.quantity, updated_at = excluded.updated_at
			 WHERE cart_items.quantity + excluded.quantity <= ?
			RETURNING id, shopper_id, sku_id, quantity, added_price, created_at, updated_at`,
			shopperID, skuID, qty, k.Price, now, now, MaxQuantity).Scan(&it)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 || it.ID == 0 {
			// The guard refused the merge: the line would pass 999.
			return ErrQuantityLimit.With("sku_id", skuID)
		}
		return nil
	})
	return it, err
}

// Update sets a line's quantity; the SKU need not be buyable any more, so a
// shopper can still tidy a line that went off sale.
func (s *Service) Update(ctx context.Context, shopperID, itemID int64, qty int) (Item, error) {
	if err := validQuantity(qty); err != nil {
		return Item{}, err
	}
	var it Item
	res := s.db.Conn(ctx).Raw(`UPDATE cart_items SET quantity = ?, updated_at = ?
		WHERE id = ? AND shopper_id = ?
		RETURNING id, shopper_id, sku_id, quantity, added_price, created_at, updated_at`,
		qty, s.clock.Now(), itemID, shopperID).Scan(&it)
	if res.Error != nil {
		return Item{}, res.Error
	}
	if res.RowsAffected == 0 || it.ID == 0 {
		return Item{}, ErrNotFound
	}
	return it, nil
}

// Remove deletes a line.
func (s *Service) Remove(ctx context.Context, shopperID, itemID int64) error {
	res := s.db.Conn(ctx).Where("id = ? AND shopper_id = ?", itemID, shopperID).Delete(&Item{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
