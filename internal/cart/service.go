// Package cart keeps each shopper's cart: SKUs and quantities, with the price
// seen when each was added so the shopper can be told when it changed.
//
// Every query is scoped by shopper_id, so someone else's item is simply
// "cart_item_not_found": the API never confirms that it exists.
package cart

import (
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Limits of a cart.
const (
	MaxQuantity = 999 // units of one SKU in one line
	MaxLines    = 100 // distinct SKUs in one cart
)

// Errors of the cart.
var (
	ErrNotFound       = errs.NotFound("cart_item_not_found", "cart.item_not_found")
	ErrUnknownSKU     = errs.Rule("unknown_sku", "cart.unknown_sku")
	ErrSKUUnavailable = errs.Rule("sku_unavailable", "cart.sku_unavailable")
	ErrQuantityLimit  = errs.Rule("quantity_limit", "cart.quantity_limit")
	ErrCartFull       = errs.Rule("cart_full", "cart.full")
)

// Item is a stored cart line.
type Item struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	ShopperID  int64     `gorm:"column:shopper_id"`
	SKUID      int64     `gorm:"column:sku_id"`
	Quantity   int       `gorm:"column:quantity"`
	AddedPrice int64     `gorm:"column:added_price"` // unit price in fen when first added
	CreatedAt  time.Time `gorm:"column:created_at"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

// TableName maps Item to its table.
func (Item) TableName() string { return "cart_items" }

// Line is a cart item as the shopper sees it now: the stored item beside the
// SKU's current price, stock and availability.
type Line struct {
	Item
	SKU          catalog.Sellable
	PriceChanged bool // the price differs from when it was added
	OutOfStock   bool // fewer in stock than the quantity
	Available    bool // the product is on shelf and the SKU on sale
}

// View is a page of the cart with totals over the whole cart.
type View struct {
	Lines         []Line
	NextCursor    string
	TotalQuantity int   // units in lines that can be bought as they are
	TotalAmount   int64 // fen, of the same lines at current prices
}

// Service is the cart use cases.
type Service struct {
	db       *database.DB
	catalog  *catalog.Service
	shoppers *customer.Service
	clock    *clock.Clock
}

// New builds the service. The catalog answers every question about SKUs
// (price, stock, buyable), so the cart never reads the SKU tables itself;
// shoppers takes a shopper's row lock, which keeps the cart's line count
// within its limit under concurrent adds.
func New(db *database.DB, cat *catalog.Service, shoppers *customer.Service, clk *clock.Clock) *Service {
	return &Service{db: db, catalog: cat, shoppers: shoppers, clock: clk}
}

func validQuantity(q int) error {
	if q < 1 || q > MaxQuantity {
		return errs.Field("quantity", "invalid.quantity")
	}
	return nil
}
