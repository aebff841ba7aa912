// Package promoter keeps the people paid a commission for the sales they
// bring: KOLs (达人, external: invited by the merchant, or shoppers who
// applied and were approved) and store associates (导购, staff of one of
// the brand's physical stores), and the stores themselves. Each promoter has
// a short code that travels in share paths and mini-program codes
// ("promoter:<code>").
package promoter

import (
	"context"
	"fmt"
	"time"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// CodeLength is the length of a promoter's code.
const CodeLength = 6

// Kind is what sort of promoter someone is.
type Kind string

// Kinds of promoter.
const (
	KindKOL       Kind = "kol"       // external: invited, or a shopper who applied
	KindAssociate Kind = "associate" // staff of a store; their customers are bound to them
)

// Status is where a promoter stands.
type Status string

// Statuses of a promoter. Only an active promoter is credited with new
// orders and bound to new customers; a disabled one keeps what was earned.
const (
	StatusPending  Status = "pending" // applied, waiting for the merchant
	StatusActive   Status = "active"
	StatusDisabled Status = "disabled"
)

// Errors of promoters.
var (
	ErrNotFound        = errs.NotFound("promoter_not_found", "promoter.not_found")
	ErrStoreNotFound   = errs.NotFound("store_not_found", "promoter.store_not_found")
	ErrAlreadyPromoter = errs.Conflict("already_promoter", "promoter.already")
)

// Promoter is one person paid for the sales they bring.
type Promoter struct {
	ID               int64     `gorm:"column:id;primaryKey"`
	Code             string    `gorm:"column:code"`
	Kind             Kind      `gorm:"column:kind"`
	Status           Status    `gorm:"column:status"`
	Name             string    `gorm:"column:name"`
	Phone            string    `gorm:"column:phone"`
	Note             string    `gorm:"column:note"`
	ShopperID        *int64    `gorm:"column:shopper_id"` // the mini-program account, if any
	StoreID          *int64    `gorm:"column:store_id"`   // associates only
	RateBP           int       `gorm:"column:rate_bp"`    // default commission rate, basis points
	CommissionOnSelf bool      `gorm:"column:commission_on_self"`
	CreatedAt        time.Time `gorm:"column:created_at"`
	UpdatedAt        time.Time `gorm:"column:updated_at"`
}

// TableName maps Promoter to its table.
func (Promoter) TableName() string { return "promoters" }

// Ref is the promoter as a source reference, as share paths and orders carry it.
func (p Promoter) Ref() string { return "promoter:" + p.Code }

// Active reports whether the promoter is credited with new orders.
func (p Promoter) Active() bool { return p.Status == StatusActive }

// Store is one of the brand's physical stores.
type Store struct {
	ID        int64     `gorm:"column:id;primaryKey"`
	Name      string    `gorm:"column:name"`
	City      string    `gorm:"column:city"`
	Address   string    `gorm:"column:address"`
	Active    bool      `gorm:"column:active"`
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// TableName maps Store to its table.
func (Store) TableName() string { return "stores" }

// Service manages promoters and stores.
type Service struct {
	db        *database.DB
	audit     *audit.Log
	clock     *clock.Clock
	listeners []func(Promoter) // see OnChange
}

// New builds the service.
func New(db *database.DB, log *audit.Log, clk *clock.Clock) *Service {
	return &Service{db: db, audit: log, clock: clk}
}

// Get finds a promoter by id, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (Promoter, error) {
	return s.one(ctx, "id = ?", id)
}

// ByCode finds a promoter by code, whatever their status, or ErrNotFound.
// A string that cannot be a code is not looked up.
func (s *Service) ByCode(ctx context.Context, code string) (Promoter, error) {
	if !shortcode.Valid(code, CodeLength) {
		return Promoter{}, ErrNotFound
	}
	return s.one(ctx, "code = ?", code)
}

// ByShopper finds the promoter a mini-program shopper is, or ErrNotFound.
func (s *Service) ByShopper(ctx context.Context, shopperID int64) (Promoter, error) {
	return s.one(ctx, "shopper_id = ?", shopperID)
}

func (s *Service) one(ctx context.Context, where string, arg any) (Promoter, error) {
	var ps []Promoter
	if err := s.db.Conn(ctx).Where(where, arg).Limit(1).Find(&ps).Error; err != nil {
		return Promoter{}, fmt.Errorf("promoter %v: %w", arg, err)
	}
	if len(ps) == 0 {
		return Promoter{}, ErrNotFound
	}
	return ps[0], nil
}
