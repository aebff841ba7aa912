// Package flashsale runs flash sales (秒杀): a limited number of units of
// some SKUs at a flash price, in a time window, with a per-shopper limit and
// a short payment window. The units are carved out of the SKUs' stock
// through the inventory ledger when the sale is scheduled and every unit is
// then accounted for on its flash_sale_items row (available, held by unpaid
// orders, sold, returned after the end), a CHECK constraint making the sum
// exact. Orders are placed by package order; this package owns the sale rows.
package flashsale

import (
	"time"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Sale is a scheduled flash sale.
type Sale struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	Title           string     `gorm:"column:title"`
	StartsAt        time.Time  `gorm:"column:starts_at"`
	EndsAt          time.Time  `gorm:"column:ends_at"`
	PerShopperLimit int        `gorm:"column:per_shopper_limit"`
	PaySeconds      int        `gorm:"column:pay_seconds"`
	EndedAt         *time.Time `gorm:"column:ended_at"` // unsold units went back to stock
	CreatedBy       string     `gorm:"column:created_by"`
	CreatedAt       time.Time  `gorm:"column:created_at"`
	UpdatedAt       time.Time  `gorm:"column:updated_at"`

	Items []Item `gorm:"-"`
}

// TableName maps Sale to its table.
func (Sale) TableName() string { return "flash_sales" }

// PayWindow is how long a shopper has to pay a flash order.
func (s Sale) PayWindow() time.Duration { return time.Duration(s.PaySeconds) * time.Second }

// Phase is where a sale is in its life, by the server's clock.
type Phase string

// Phases.
const (
	PhaseUpcoming Phase = "upcoming"
	PhaseLive     Phase = "live"
	PhaseEnded    Phase = "ended"
)

// PhaseAt tells the sale's phase at now. A sale ended early, or past its end
// time but not yet swept, has ended.
func (s Sale) PhaseAt(now time.Time) Phase {
	switch {
	case s.EndedAt != nil || !now.Before(s.EndsAt):
		return PhaseEnded
	case now.Before(s.StartsAt):
		return PhaseUpcoming
	}
	return PhaseLive
}

// Item is one SKU of a sale and where its units are.
type Item struct {
	ID          int64      `gorm:"column:id;primaryKey"`
	FlashSaleID int64      `gorm:"column:flash_sale_id"`
	SKUID       int64      `gorm:"column:sku_id"`
	ProductID   int64      `gorm:"column:product_id"`
	Price       int64      `gorm:"column:price"` // fen, the flash price
	Allotted    int64      `gorm:"column:allotted"`
	Available   int64      `gorm:"column:available"`
	Held        int64      `gorm:"column:held"`
	Sold        int64      `gorm:"column:sold"`
	Returned    int64      `gorm:"column:returned"`
	SoldOutAt   *time.Time `gorm:"column:sold_out_at"`
}

// TableName maps Item to its table.
func (Item) TableName() string { return "flash_sale_items" }

// Errors shoppers and merchants get.
var (
	ErrNotFound     = errs.NotFound("flash_sale_not_found", "flashsale.not_found")
	ErrNotInSale    = errs.Rule("flash_sale_sku", "flashsale.not_in_sale")
	ErrNotStarted   = errs.Rule("not_started", "flashsale.not_started")
	ErrEnded        = errs.Rule("ended", "flashsale.ended")
	ErrSoldOut      = errs.Conflict("sold_out", "flashsale.sold_out")
	ErrLimitReached = errs.Rule("limit_reached", "flashsale.limit_reached")
	ErrStarted      = errs.Conflict("flash_sale_started", "flashsale.started")
	ErrAlreadyEnded = errs.Conflict("flash_sale_ended", "flashsale.already_ended")
)

func isNotFound(err error) bool { return errs.Is(err, ErrNotFound.Code) || database.IsNotFound(err) }
