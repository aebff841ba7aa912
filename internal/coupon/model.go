package coupon

import (
	"time"

	"github.com/kaidian/kaidian/internal/database"
)

// Kind is how a coupon takes money off.
type Kind string

// The kinds of coupon.
const (
	KindFixed     Kind = "fixed"     // Amount off the covered goods, no threshold (无门槛券)
	KindThreshold Kind = "threshold" // Amount off once the covered goods reach MinAmount (满减券, "满100减20")
	KindPercent   Kind = "percent"   // PercentOff % off, at most MaxDiscount when set (折扣券)
)

// Scope is which goods a coupon covers.
type Scope string

// The scopes.
const (
	ScopeShop       Scope = "shop"       // everything
	ScopeCategories Scope = "categories" // products in the listed categories or anywhere below them
	ScopeProducts   Scope = "products"   // the listed products
)

// Status is where a coupon is in its life, as the console shows it.
type Status string

// Coupon statuses, derived from the clock and StoppedAt.
const (
	StatusUpcoming Status = "upcoming" // claiming has not started
	StatusLive     Status = "live"     // shoppers can claim it, the shop can issue it
	StatusEnded    Status = "ended"    // the claim window is over
	StatusStopped  Status = "stopped"  // the shop stopped it early
)

// Statuses lists every status, for filters.
var Statuses = []Status{StatusUpcoming, StatusLive, StatusEnded, StatusStopped}

// Coupon is one coupon the shop offers: its terms, its quantity and how many
// have been claimed. Amounts are fen.
type Coupon struct {
	ID              int64                  `gorm:"column:id;primaryKey"`
	Name            string                 `gorm:"column:name"`
	Kind            Kind                   `gorm:"column:kind"`
	Amount          int64                  `gorm:"column:amount"`       // fixed, threshold: fen off
	PercentOff      int                    `gorm:"column:percent_off"`  // percent: 1–99
	MaxDiscount     int64                  `gorm:"column:max_discount"` // percent: cap in fen, 0 = none
	MinAmount       int64                  `gorm:"column:min_amount"`   // threshold, percent: covered goods needed, fen
	Scope           Scope                  `gorm:"column:scope"`
	ScopeIDs        database.JSON[[]int64] `gorm:"column:scope_ids"` // category or product ids
	StartsAt        time.Time              `gorm:"column:starts_at"`
	EndsAt          time.Time              `gorm:"column:ends_at"`
	ValidDays       int                    `gorm:"column:valid_days"` // 0: usable until EndsAt; N: N days after claiming
	TotalQuantity   int64                  `gorm:"column:total_quantity"`
	Claimed         int64                  `gorm:"column:claimed"`
	PerShopperLimit int                    `gorm:"column:per_shopper_limit"`
	Claimable       bool                   `gorm:"column:claimable"` // shoppers may claim it; otherwise only the shop issues it
	Giftable        bool                   `gorm:"column:giftable"`  // a shopper holding one may give it to a friend (gift.go)
	StoppedAt       *time.Time             `gorm:"column:stopped_at"`
	Origin          string                 `gorm:"column:origin"` // "" the merchant made it; OriginPack: a lucky pack's grab
	CreatedAt       time.Time              `gorm:"column:created_at"`
	UpdatedAt       time.Time              `gorm:"column:updated_at"`
}

// TableName maps Coupon to its table.
func (Coupon) TableName() string { return "coupons" }

// StatusAt is the coupon's status at now.
func (c Coupon) StatusAt(now time.Time) Status {
	switch {
	case c.StoppedAt != nil:
		return StatusStopped
	case now.Before(c.StartsAt):
		return StatusUpcoming
	case !now.Before(c.EndsAt):
		return StatusEnded
	}
	return StatusLive
}

// Remaining is how many can still be claimed or issued.
func (c Coupon) Remaining() int64 { return c.TotalQuantity - c.Claimed }

// validity is the usable period of a coupon claimed at claimedAt.
func (c Coupon) validity(claimedAt time.Time) (from, until time.Time) {
	if c.ValidDays > 0 {
		return claimedAt, claimedAt.AddDate(0, 0, c.ValidDays)
	}
	return c.StartsAt, c.EndsAt
}

// HeldState is the state of a coupon a shopper holds.
type HeldState string

// Held coupon states. Unused, used, gifting and gifted are stored; expired
// is an unused (or gifting) coupon past its validity.
const (
	HeldUnused  HeldState = "unused"
	HeldUsed    HeldState = "used"
	HeldExpired HeldState = "expired"
	HeldGifting HeldState = "gifting" // offered to a friend: locked, usable again if the giver takes it back
	HeldGifted  HeldState = "gifted"  // a friend claimed it: never usable by this holder again
)

// Sources of a held coupon.
const (
	SourceClaim = "claim" // the shopper claimed it in the mini program
	SourceIssue = "issue" // the shop issued it from the console
	SourceGift  = "gift"  // a friend gave it (gift.go)
	SourcePack  = "pack"  // the shopper grabbed it from a lucky coupon pack (GrantOwn)
)

// Held is one coupon a shopper holds.
type Held struct {
	ID         int64      `gorm:"column:id;primaryKey"`
	CouponID   int64      `gorm:"column:coupon_id"`
	ShopperID  int64      `gorm:"column:shopper_id"`
	Seq        int        `gorm:"column:seq"` // the shopper's nth of this coupon
	Source     string     `gorm:"column:source"`
	Actor      string     `gorm:"column:actor"`
	Status     HeldState  `gorm:"column:status"` // unused or used
	ValidFrom  time.Time  `gorm:"column:valid_from"`
	ValidUntil time.Time  `gorm:"column:valid_until"`
	OrderID    *int64     `gorm:"column:order_id"`
	UsedAt     *time.Time `gorm:"column:used_at"`
	ClaimedAt  time.Time  `gorm:"column:claimed_at"`

	State  HeldState `gorm:"-"` // unused, used or expired when it was read
	Coupon Coupon    `gorm:"-"`
}

// TableName maps Held to its table.
func (Held) TableName() string { return "shopper_coupons" }

// StateAt is the held coupon's state at now: used, expired, or unused.
func (h Held) StateAt(now time.Time) HeldState {
	if (h.Status == HeldUnused || h.Status == HeldGifting) && !now.Before(h.ValidUntil) {
		return HeldExpired
	}
	return h.Status
}
