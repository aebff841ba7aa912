// Package cart keeps each shopper's cart: SKUs and quantities, with the price
// seen when each was added so the shopper can be told when it changed.
package cart

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/page"
)

// Limits of a cart.
const (
	MaxQuantity = 999
	MaxLines    = 100
)

// Errors of the cart.
var (
	ErrNotFound       = errs.NotFound("cart_item_not_found", "no such cart item")
	ErrUnknownSKU     = errs.Rule("unknown_sku", "the SKU does not exist")
	ErrSKUUnavailable = errs.Rule("sku_unavailable", "the SKU is not on sale")
	ErrQuantityLimit  = errs.Rule("quantity_limit", "at most 999 of one SKU in the cart")
	ErrCartFull       = errs.Rule("cart_full", "the cart holds at most 100 different SKUs")
)

// Item is a stored cart line.
type Item struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	ShopperID  int64     `gorm:"column:shopper_id"`
	SKUID      int64     `gorm:"column:sku_id"`
	Quantity   int       `gorm:"column:quantity"`
	AddedPrice int64     `gorm:"column:added_price"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

// TableName maps Item to its table.
func (Item) TableName() string { return "cart_items" }

// Line is a cart item as the shopper sees it now.
type Line struct {
	Item
	SKU          catalog.Sellable
	PriceChanged bool // the price differs from when it was added
	OutOfStock   bool // fewer in stock than the quantity
}

// View is a page of the cart with totals over the whole cart.
type View struct {
	Lines         []Line
	NextCursor    string
	TotalQuantity int
	TotalAmount   int64 // of lines that can be bought as they are
}

// Service is the cart use cases.
type Service struct {
	db      *database.DB
	catalog *catalog.Service
	now     func() time.Time
}

// New builds the service.
func New(db *database.DB, cat *catalog.Service) *Service {
	return &Service{db: db, catalog: cat, now: func() time.Time { return time.Now().UTC() }}
}

func validQuantity(q int) error {
	if q < 1 || q > MaxQuantity {
		return errs.Field("quantity", "must be from 1 to 999")
	}
	return nil
}

// Add puts qty of a SKU in the cart, merging with the line already there.
// The merge is one guarded UPDATE, so concurrent adds of the same SKU sum up
// instead of overwriting each other; the first add inserts the line, and an
// insert that loses a race to another first add retries as a merge.
func (s *Service) Add(ctx context.Context, shopperID, skuID int64, qty int) (Item, error) {
	if skuID <= 0 {
		return Item{}, errs.Field("sku_id", "must be a positive id")
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
		now := s.now()
		res := s.db.Conn(ctx).Model(&Item{}).
			Where("shopper_id = ? AND sku_id = ? AND quantity + ? <= ?", shopperID, skuID, qty, MaxQuantity).
			Updates(map[string]any{"quantity": database.Expr("quantity + ?", qty), "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var exists int64
			if err := s.db.Conn(ctx).Model(&Item{}).Where("shopper_id = ? AND sku_id = ?", shopperID, skuID).Count(&exists).Error; err != nil {
				return err
			}
			if exists > 0 {
				return ErrQuantityLimit.With("sku_id", skuID)
			}
			var lines int64
			if err := s.db.Conn(ctx).Model(&Item{}).Where("shopper_id = ?", shopperID).Count(&lines).Error; err != nil {
				return err
			}
			if lines >= MaxLines {
				return ErrCartFull
			}
			it = Item{ShopperID: shopperID, SKUID: skuID, Quantity: qty, AddedPrice: k.Price, CreatedAt: now, UpdatedAt: now}
			return s.db.Conn(ctx).Create(&it).Error
		}
		return s.db.Conn(ctx).Where("shopper_id = ? AND sku_id = ?", shopperID, skuID).Take(&it).Error
	})
	if database.IsDuplicate(err) {
		return s.Add(ctx, shopperID, skuID, qty)
	}
	return it, err
}

// Update sets a line's quantity.
func (s *Service) Update(ctx context.Context, shopperID, itemID int64, qty int) (Item, error) {
	if err := validQuantity(qty); err != nil {
		return Item{}, err
	}
	res := s.db.Conn(ctx).Model(&Item{}).Where("id = ? AND shopper_id = ?", itemID, shopperID).
		Updates(map[string]any{"quantity": qty, "updated_at": s.now()})
	if res.Error != nil {
		return Item{}, res.Error
	}
	if res.RowsAffected == 0 {
		return Item{}, ErrNotFound
	}
	var it Item
	err := s.db.Conn(ctx).Where("id = ?", itemID).Take(&it).Error
	return it, err
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

// List shows a page of the cart at current prices, with totals over all of it.
func (s *Service) List(ctx context.Context, shopperID int64, p page.Request) (View, error) {
	var all []Item
	if err := s.db.Conn(ctx).Where("shopper_id = ?", shopperID).Order("id").Find(&all).Error; err != nil {
		return View{}, err
	}
	ids := make([]int64, len(all))
	for i, it := range all {
		ids[i] = it.SKUID
	}
	skus, err := s.catalog.Sellables(ctx, ids)
	if err != nil {
		return View{}, err
	}
	var v View
	var lines []Line
	for _, it := range all {
		k := skus[it.SKUID]
		l := Line{Item: it, SKU: k, PriceChanged: k.Price != it.AddedPrice, OutOfStock: k.Stock < int64(it.Quantity)}
		if k.Buyable && !l.OutOfStock {
			v.TotalQuantity += it.Quantity
			v.TotalAmount += k.Price * int64(it.Quantity)
		}
		if it.ID > p.After {
			lines = append(lines, l)
		}
	}
	if len(lines) > p.Limit+1 {
		lines = lines[:p.Limit+1]
	}
	v.Lines, v.NextCursor = page.Trim(lines, p, func(l Line) int64 { return l.ID })
	return v, nil
}

// Lines returns the shopper's items with these ids, in the order asked;
// one that is not the shopper's fails the whole call as not found.
func (s *Service) Lines(ctx context.Context, shopperID int64, itemIDs []int64) ([]Item, error) {
	var rows []Item
	if err := s.db.Conn(ctx).Where("shopper_id = ? AND id IN ?", shopperID, itemIDs).Find(&rows).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]Item, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]Item, 0, len(itemIDs))
	for _, id := range itemIDs {
		it, ok := byID[id]
		if !ok {
			return nil, ErrNotFound.With("cart_item_id", id)
		}
		out = append(out, it)
	}
	return out, nil
}

// RemoveItems deletes the shopper's items with these ids (after checkout),
// inside the caller's transaction.
func (s *Service) RemoveItems(ctx context.Context, shopperID int64, itemIDs []int64) error {
	return s.db.Conn(ctx).Where("shopper_id = ? AND id IN ?", shopperID, itemIDs).Delete(&Item{}).Error
}
