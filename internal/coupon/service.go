// Package coupon is the shop's coupons: fixed-amount, threshold (满减) and
// percentage coupons over the whole shop, some categories or some products;
// claimed by shoppers or issued by the merchant, within a total quantity and
// a per-shopper limit that hold under any concurrency; applied at checkout,
// where the order package asks it for the discount and marks the coupon used
// in the order's own transaction (and gives it back when an unpaid order
// closes); and the numbers the merchant watches: claimed, used, revenue.
// A giftable coupon can also change hands between shoppers (gift.go, driven
// by internal/couponshare), locked while on offer.
//
// The package sits below the catalog, the shoppers and order: the few facts
// it needs from the first two (which categories lie under which, which ids
// exist) it asks through the Catalog and Shoppers interfaces it declares;
// what the orders that used a coupon paid is report's to add up.
package coupon

import (
	"context"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Errors of coupons. Claiming and checkout answer with these codes.
var (
	ErrNotFound      = errs.NotFound("coupon_not_found", "coupon.not_found")
	ErrNotHeld       = errs.NotFound("coupon_not_found", "coupon.not_held")
	ErrNotStarted    = errs.Rule("coupon_not_started", "coupon.not_started")
	ErrEnded         = errs.Rule("coupon_ended", "coupon.ended")
	ErrStopped       = errs.Rule("coupon_stopped", "coupon.stopped")
	ErrSoldOut       = errs.Conflict("coupon_sold_out", "coupon.sold_out")
	ErrLimitReached  = errs.Rule("coupon_limit_reached", "coupon.limit_reached")
	ErrUsed          = errs.Conflict("coupon_used", "coupon.used")
	ErrExpired       = errs.Rule("coupon_expired", "coupon.expired")
	ErrNotApplicable = errs.Rule("coupon_not_applicable", "coupon.not_applicable")
	ErrBelowMinimum  = errs.Rule("coupon_below_threshold", "coupon.below_threshold")
	ErrTermsLocked   = errs.Conflict("coupon_terms_locked", "coupon.terms_locked")
)

// Shoppers tells which shopper ids exist; *customer.Service satisfies it.
type Shoppers interface {
	Existing(ctx context.Context, ids []int64) ([]int64, error)
}

// Service is the coupon use cases.
type Service struct {
	db       *database.DB
	audit    *audit.Log
	catalog  Catalog
	shoppers Shoppers
	clock    *clock.Clock
}

// New builds the service; every change the merchant makes is written to the
// audit log in the change's own transaction. cat and shoppers answer what
// coupons ask of the catalog and of the shoppers.
func New(db *database.DB, log *audit.Log, cat Catalog, shoppers Shoppers, clk *clock.Clock) *Service {
	return &Service{db: db, audit: log, catalog: cat, shoppers: shoppers, clock: clk}
}

func jsonIDs(ids []int64) database.JSON[[]int64] {
	if ids == nil {
		ids = []int64{}
	}
	return database.JSON[[]int64]{V: ids}
}
