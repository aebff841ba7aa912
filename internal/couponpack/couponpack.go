// Package couponpack is lucky coupon packs (拼手气, the red-envelope habit):
// a merchant's campaign gives a shopper whose order is paid (or a channel,
// from the console) a pack to share in a group chat; the pack's total is
// split into count coupons of random amounts when it is made, and the first
// count friends who open it each grab one, a real coupon in their wallet.
//
// A grab is one guarded claim of the pack's next free slot, and the coupon
// is issued in the same transaction (grab.go); a shopper grabs at most once
// per pack, which a unique index holds across replicas. The package sits
// above coupon (whose GrantOwn makes each grabbed coupon), customer (the
// grabbers' names) and channel; payment calls GiveForOrder through an
// interface it declares, inside the paid notification's transaction.
package couponpack

import (
	"context"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
)

// Errors of packs and campaigns.
var (
	ErrCampaignNotFound = errs.NotFound("pack_campaign_not_found", "couponpack.campaign_not_found")
	ErrNotFound         = errs.NotFound("pack_not_found", "couponpack.not_found")
	ErrEmpty            = errs.Conflict("pack_empty", "couponpack.empty")
	ErrExpired          = errs.Conflict("pack_expired", "couponpack.expired")
	ErrStopped          = errs.Conflict("pack_campaign_stopped", "couponpack.stopped")
	ErrNotLive          = errs.Rule("pack_campaign_not_live", "couponpack.not_live")
	ErrTermsLocked      = errs.Conflict("pack_terms_locked", "couponpack.terms_locked")
	ErrBusy             = errs.New(errs.KindUnavailable, "pack_busy", "couponpack.busy")
)

// Refs is the reference a shopper's shares carry (*share.Service): their
// promoter code when they are an active promoter, else share:<id>.
type Refs interface {
	RefFor(ctx context.Context, shopperID int64) (string, error)
}

// Service is the lucky-pack use cases.
type Service struct {
	db        *database.DB
	audit     *audit.Log
	coupons   *coupon.Service
	customers *customer.Service
	channels  *channel.Service
	refs      Refs
	clock     *clock.Clock
	onPaid    onPaidCache // the campaigns that give packs on payment (onpaid.go)
}

// New builds the service; every change the merchant makes is written to the
// audit log in the change's own transaction. refs gives a pack's giver the
// reference their share card would carry.
func New(db *database.DB, log *audit.Log, coupons *coupon.Service, customers *customer.Service,
	channels *channel.Service, refs Refs, clk *clock.Clock) *Service {
	return &Service{db: db, audit: log, coupons: coupons, customers: customers, channels: channels, refs: refs, clock: clk}
}
