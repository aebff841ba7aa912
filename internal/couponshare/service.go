// Package couponshare is coupons shoppers pass to friends in WeChat chats:
// a giftable coupon one shopper gives to exactly one friend (gift.go), and
// share-to-unlock campaigns (裂变券) where a shopper whose share brings N new
// friends, each claiming the campaign's invite coupon, earns a reward
// coupon (unlock.go, campaign.go).
//
// Coupons themselves stay internal/coupon's: this package keeps only the
// shares, campaigns and claims, and moves coupons through the coupon
// service's gift and grant methods inside its own transactions, so a share
// and the coupon it moves change together or not at all.
package couponshare

import (
	"context"
	"strconv"

	"github.com/kaidian/kaidian/internal/audit"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// TokenLength is the length of a share token: 31^16 ≈ 7·10^23 tokens, so
// a token seen in one chat cannot be guessed from another.
const TokenLength = 16

// Errors of shares, as the API answers them.
var (
	ErrShareNotFound = errs.NotFound("coupon_share_not_found", "couponshare.share_not_found")
	ErrOwnShare      = errs.Rule("coupon_share_own", "couponshare.own_share")
	ErrClaimed       = errs.Conflict("coupon_share_claimed", "couponshare.claimed")
	ErrCancelled     = errs.Conflict("coupon_share_cancelled", "couponshare.cancelled")
)

// Coupons is what sharing asks of the coupons (*coupon.Service).
type Coupons interface {
	Get(ctx context.Context, id int64) (coupon.Coupon, error)
	Held(ctx context.Context, shopperID, heldID int64) (coupon.Held, error)
	Holds(ctx context.Context, shopperID, couponID int64) (int, error)
	LockForGift(ctx context.Context, shopperID, heldID int64) (coupon.Held, error)
	ReleaseGift(ctx context.Context, heldID int64) (bool, error)
	GiveAway(ctx context.Context, heldID, receiverID int64) (coupon.Held, error)
	Grant(ctx context.Context, shopperID, couponID int64, source, actor string) (coupon.Held, error)
}

// Shoppers finds a shopper, for the name and avatar a friend sees
// (*customer.Service).
type Shoppers interface {
	Get(ctx context.Context, id int64) (customer.Shopper, error)
}

// Refs is the source reference a shopper's shares carry, "share:<id>" or
// their promoter code (*share.Service), so an order a gift leads to is
// credited to whoever shared it.
type Refs interface {
	RefFor(ctx context.Context, shopperID int64) (string, error)
}

// Service is the sharing use cases.
type Service struct {
	db       *database.DB
	audit    *audit.Log
	coupons  Coupons
	shoppers Shoppers
	refs     Refs
	clock    *clock.Clock
}

// New builds the service.
func New(db *database.DB, log *audit.Log, coupons Coupons, shoppers Shoppers, refs Refs, clk *clock.Clock) *Service {
	return &Service{db: db, audit: log, coupons: coupons, shoppers: shoppers, refs: refs, clock: clk}
}

// path is the page a share opens with its token and the sharer's reference,
// as onShareAppMessage takes it. Tokens and references are codes and
// numbers, nothing a query must escape.
func (s *Service) path(ctx context.Context, page, token string, sharerID int64) (string, error) {
	ref, err := s.refs.RefFor(ctx, sharerID)
	if err != nil {
		return "", err
	}
	p := page + "?token=" + token
	if ref != "" {
		p += "&ref=" + ref
	}
	return p, nil
}

// validToken tells a string that cannot be a token without asking the
// database.
func validToken(t string) bool { return shortcode.Valid(t, TokenLength) }

func actorOf(shopperID int64) string { return "shopper:" + strconv.FormatInt(shopperID, 10) }
