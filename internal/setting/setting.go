// Package setting holds the shop-wide settings merchants edit in the console:
// the shop's name, the shipping fee rule and the unpaid-order timeout.
package setting

import (
	"context"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// Shop is the single settings row.
type Shop struct {
	ID                    int64     `gorm:"column:id;primaryKey"`
	Name                  string    `gorm:"column:name"`
	ShippingFee           int64     `gorm:"column:shipping_fee"`            // fen, charged per order
	FreeShippingThreshold int64     `gorm:"column:free_shipping_threshold"` // fen; goods at or above it ship free; 0 = never free
	OrderTimeoutSeconds   int       `gorm:"column:order_timeout_seconds"`   // unpaid orders close after this
	LowStockThreshold     int64     `gorm:"column:low_stock_threshold"`     // a SKU at or below it is low on stock
	OwnerRefundLimit      int64     `gorm:"column:owner_refund_limit"`      // fen; larger refunds need an owner
	UpdatedAt             time.Time `gorm:"column:updated_at"`

	// After sale (setting/aftersale.go): parcels and returns.
	AutoCompleteDays int    `gorm:"column:auto_complete_days"` // shipped orders complete this many days after shipping
	WeChatTracking   bool   `gorm:"column:wechat_tracking"`    // parcels followed through WeChat's logistics tracking
	ReturnName       string `gorm:"column:return_name"`        // who receives returned goods
	ReturnPhone      string `gorm:"column:return_phone"`
	ReturnAddress    string `gorm:"column:return_address"`

	// Attribution (setting/attribution.go): how orders are credited to a
	// source and how long a binding to an associate holds.
	AttributionRule       string `gorm:"column:attribution_rule"`        // "last_touch" or "first_touch"
	AttributionWindowDays int    `gorm:"column:attribution_window_days"` // a last touch older than this credits nothing
	BindingLockDays       int    `gorm:"column:binding_lock_days"`       // another associate's code cannot take a bound customer for this long
}

// TableName maps Shop to its table.
func (Shop) TableName() string { return "shop_settings" }

// ShippingFor is the shipping fee for an order whose goods cost goods fen.
func (s Shop) ShippingFor(goods int64) int64 {
	if s.FreeShippingThreshold > 0 && goods >= s.FreeShippingThreshold {
		return 0
	}
	return s.ShippingFee
}

// OrderTimeout is how long an unpaid order holds its stock.
func (s Shop) OrderTimeout() time.Duration { return time.Duration(s.OrderTimeoutSeconds) * time.Second }

// Service reads and writes the settings.
type Service struct {
	db    *database.DB
	audit *audit.Log
}

// New builds the service; every change is written to the audit log.
func New(db *database.DB, log *audit.Log) *Service { return &Service{db: db, audit: log} }

// Get returns the current settings.
func (s *Service) Get(ctx context.Context) (Shop, error) {
	var sh Shop
	err := s.db.Conn(ctx).Where("id = 1").Take(&sh).Error
	return sh, err
}

// Update validates and saves the settings, recording what changed and who
// (actor) changed it in the audit log, in one transaction.
func (s *Service) Update(ctx context.Context, actor string, sh Shop) (Shop, error) {
	switch {
	case len([]rune(sh.Name)) < 1 || len([]rune(sh.Name)) > 60:
		return sh, errs.Field("name", "invalid.length", "max", 60)
	case sh.ShippingFee < 0 || sh.ShippingFee > 1_000_000:
		return sh, errs.Field("shipping_fee", "setting.shipping_fee")
	case sh.FreeShippingThreshold < 0:
		return sh, errs.Field("free_shipping_threshold", "invalid.not_negative")
	case sh.OrderTimeoutSeconds < 60 || sh.OrderTimeoutSeconds > 7*24*3600:
		return sh, errs.Field("order_timeout_seconds", "setting.order_timeout")
	case sh.LowStockThreshold < 0 || sh.LowStockThreshold > 1_000_000:
		return sh, errs.Field("low_stock_threshold", "invalid.range", "min", 0, "max", 1000000)
	case sh.OwnerRefundLimit < 0:
		return sh, errs.Field("owner_refund_limit", "invalid.not_negative")
	}
	sh.ID, sh.UpdatedAt = 1, time.Now().UTC()
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		before, err := s.Get(ctx)
		if err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Select("name", "shipping_fee", "free_shipping_threshold", "order_timeout_seconds",
			"low_stock_threshold", "owner_refund_limit", "updated_at").
			Where("id = 1").Updates(&sh).Error; err != nil {
			return err
		}
		if d := diff(before, sh); len(d) > 0 {
			return s.audit.Record(ctx, actor, "settings.update", "settings", 1, i18n.M("record.audit.settings_updated", "changes", d))
		}
		return nil
	})
	return sh, err
}

// diff describes what changed between two versions of the settings, one
// message per setting; amounts are written in yuan.
func diff(a, b Shop) []i18n.Msg {
	var parts []i18n.Msg
	add := func(id string, x, y any) {
		if x != y {
			parts = append(parts, i18n.M(id, "from", x, "to", y))
		}
	}
	add("record.audit.settings_name", a.Name, b.Name)
	add("record.audit.settings_shipping_fee", money.Yuan(a.ShippingFee), money.Yuan(b.ShippingFee))
	add("record.audit.settings_free_shipping", money.Yuan(a.FreeShippingThreshold), money.Yuan(b.FreeShippingThreshold))
	if a.OrderTimeoutSeconds != b.OrderTimeoutSeconds {
		parts = append(parts, i18n.M("record.audit.settings_order_timeout",
			"from", timeout(a.OrderTimeoutSeconds), "to", timeout(b.OrderTimeoutSeconds)))
	}
	add("record.audit.settings_low_stock", a.LowStockThreshold, b.LowStockThreshold)
	add("record.audit.settings_refund_limit", money.Yuan(a.OwnerRefundLimit), money.Yuan(b.OwnerRefundLimit))
	return parts
}

// timeout is an order timeout in whole minutes, seconds when it has some.
func timeout(seconds int) i18n.Msg {
	if seconds%60 != 0 {
		return i18n.M("record.audit.seconds", "n", seconds)
	}
	return i18n.M("record.audit.minutes", "n", seconds/60)
}
