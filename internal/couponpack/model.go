package couponpack

import (
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/shortcode"
)

// Campaign is a merchant's lucky-pack campaign: how a pack splits, the
// coupon terms every grabbed coupon gets, and when packs are given. Amounts
// are fen.
type Campaign struct {
	ID         int64                  `gorm:"column:id;primaryKey"`
	Name       string                 `gorm:"column:name"`
	Total      int64                  `gorm:"column:total"`      // each pack's value
	Count      int                    `gorm:"column:count"`      // coupons per pack
	MinAmount  int64                  `gorm:"column:min_amount"` // the least one coupon is worth
	Threshold  int64                  `gorm:"column:threshold"`  // 0: 无门槛; else the goods a coupon needs (满减)
	Scope      coupon.Scope           `gorm:"column:scope"`
	ScopeIDs   database.JSON[[]int64] `gorm:"column:scope_ids"`
	ValidDays  int                    `gorm:"column:valid_days"` // a grabbed coupon is usable this many days
	OnPaid     bool                   `gorm:"column:on_paid"`    // a paid order gives its buyer a pack
	MinOrder   int64                  `gorm:"column:min_order"`  // …when it paid at least this much
	PerShopper int                    `gorm:"column:per_shopper"`
	PackHours  int                    `gorm:"column:pack_hours"` // how long a pack can be grabbed
	StartsAt   time.Time              `gorm:"column:starts_at"`
	EndsAt     time.Time              `gorm:"column:ends_at"`
	StoppedAt  *time.Time             `gorm:"column:stopped_at"`
	CreatedAt  time.Time              `gorm:"column:created_at"`
	UpdatedAt  time.Time              `gorm:"column:updated_at"`
}

// TableName maps Campaign to its table.
func (Campaign) TableName() string { return "coupon_pack_campaigns" }

// Status is where a campaign is in its life, as the console shows it.
type Status string

// Campaign statuses, derived from the clock and StoppedAt.
const (
	StatusUpcoming Status = "upcoming"
	StatusLive     Status = "live"
	StatusEnded    Status = "ended"
	StatusStopped  Status = "stopped"
)

// StatusAt is the campaign's status at now.
func (c Campaign) StatusAt(now time.Time) Status {
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

// couponDraft is the coupon a grab of amount fen at now puts in the
// grabber's wallet: the campaign's terms, usable ValidDays from now.
func (c Campaign) couponDraft(amount int64, now time.Time) coupon.Draft {
	d := coupon.Draft{Name: c.Name, Kind: coupon.KindFixed, Amount: amount, Scope: c.Scope, ScopeIDs: c.ScopeIDs.V,
		StartsAt: now, EndsAt: now.AddDate(0, 0, c.ValidDays), ValidDays: c.ValidDays, TotalQuantity: 1, PerShopperLimit: 1}
	if c.Threshold > 0 {
		d.Kind, d.MinAmount = coupon.KindThreshold, c.Threshold
	}
	return d
}

// Largest is the most one coupon of a pack can be worth: the total less
// every other coupon's minimum.
func (c Campaign) Largest() int64 { return c.Total - int64(c.Count-1)*c.MinAmount }

// Pack is one pack given to a shopper (or issued for a channel) to share.
type Pack struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	CampaignID int64     `gorm:"column:campaign_id"`
	Token      string    `gorm:"column:token"`
	GiverID    *int64    `gorm:"column:giver_id"`  // nil: issued from the console
	GiverSeq   *int      `gorm:"column:giver_seq"` // the giver's nth pack of the campaign
	OrderID    *int64    `gorm:"column:order_id"`
	Ref        string    `gorm:"column:ref"` // the source its share carries
	Actor      string    `gorm:"column:actor"`
	Total      int64     `gorm:"column:total"`
	Count      int       `gorm:"column:count"`
	ExpiresAt  time.Time `gorm:"column:expires_at"`
	CreatedAt  time.Time `gorm:"column:created_at"`
}

// TableName maps Pack to its table.
func (Pack) TableName() string { return "coupon_packs" }

// Slot is one coupon of a pack, its amount fixed when the pack was made.
type Slot struct {
	ID        int64      `gorm:"column:id;primaryKey"`
	PackID    int64      `gorm:"column:pack_id"`
	Slot      int        `gorm:"column:slot"`
	Amount    int64      `gorm:"column:amount"`
	ShopperID *int64     `gorm:"column:shopper_id"` // nil until grabbed
	CouponID  *int64     `gorm:"column:coupon_id"`  // the held coupon (shopper_coupons.id)
	Name      string     `gorm:"column:name"`       // the grabber's nickname, masked
	AvatarURL string     `gorm:"column:avatar_url"`
	GrabbedAt *time.Time `gorm:"column:grabbed_at"`
}

// TableName maps Slot to its table.
func (Slot) TableName() string { return "coupon_pack_slots" }

// TokenLength is the length of a pack's token: 31^12 ≈ 8×10^17 tokens, so
// nobody finds a pack by guessing.
const TokenLength = 12

func hours(n int) time.Duration { return time.Duration(n) * time.Hour }

// ValidToken reports whether s could be a pack's token.
func ValidToken(s string) bool { return shortcode.Valid(s, TokenLength) }
