package couponshare

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// Limits on a campaign.
const (
	MaxCampaignName  = 40
	MaxFriendsNeeded = 100 // more than any chat share brings; keeps the progress page one list
)

// Errors of campaigns.
var (
	ErrCampaignNotFound = errs.NotFound("unlock_campaign_not_found", "couponshare.campaign_not_found")
	ErrCampaignNotLive  = errs.Rule("unlock_campaign_not_live", "couponshare.campaign_not_live")
)

// Campaign is a share-to-unlock campaign (裂变券): a shopper who brings
// FriendsNeeded new friends, each claiming the invite coupon through the
// shopper's share, gets the reward coupon.
type Campaign struct {
	ID             int64      `gorm:"column:id;primaryKey"`
	Name           string     `gorm:"column:name"`
	RewardCouponID int64      `gorm:"column:reward_coupon_id"`
	InviteCouponID int64      `gorm:"column:invite_coupon_id"`
	FriendsNeeded  int        `gorm:"column:friends_needed"`
	StartsAt       time.Time  `gorm:"column:starts_at"`
	EndsAt         time.Time  `gorm:"column:ends_at"`
	StoppedAt      *time.Time `gorm:"column:stopped_at"`
	CreatedAt      time.Time  `gorm:"column:created_at"`
	UpdatedAt      time.Time  `gorm:"column:updated_at"`
}

// TableName maps Campaign to its table.
func (Campaign) TableName() string { return "unlock_campaigns" }

// LiveAt is whether shoppers can start sharing and friends claim at now.
func (c Campaign) LiveAt(now time.Time) bool {
	return c.StoppedAt == nil && !now.Before(c.StartsAt) && now.Before(c.EndsAt)
}

// CampaignDraft is what the merchant fills in.
type CampaignDraft struct {
	Name           string
	RewardCouponID int64
	InviteCouponID int64
	FriendsNeeded  int
	StartsAt       time.Time
	EndsAt         time.Time
}

// validate checks the draft's own fields; each error names its field.
func (d CampaignDraft) validate(now time.Time) error {
	n := utf8.RuneCountInString(d.Name)
	switch {
	case n < 1 || n > MaxCampaignName:
		return errs.Field("name", "invalid.length", "max", MaxCampaignName)
	case d.RewardCouponID <= 0:
		return errs.Field("reward_coupon_id", "invalid.required")
	case d.InviteCouponID <= 0:
		return errs.Field("invite_coupon_id", "invalid.required")
	case d.FriendsNeeded < 1 || d.FriendsNeeded > MaxFriendsNeeded:
		return errs.Field("friends_needed", "invalid.range", "min", 1, "max", MaxFriendsNeeded)
	case d.StartsAt.IsZero():
		return errs.Field("starts_at", "invalid.required")
	case d.EndsAt.IsZero():
		return errs.Field("ends_at", "invalid.required")
	case !d.EndsAt.After(d.StartsAt):
		return errs.Field("ends_at", "invalid.after_start")
	case !d.EndsAt.After(now):
		return errs.Field("ends_at", "invalid.future")
	}
	return nil
}

// CreateCampaign validates and saves a campaign; both coupons must exist.
// Audited in the same transaction.
func (s *Service) CreateCampaign(ctx context.Context, actor string, d CampaignDraft) (Campaign, error) {
	d.Name = strings.TrimSpace(d.Name)
	d.StartsAt, d.EndsAt = d.StartsAt.UTC(), d.EndsAt.UTC()
	now := s.clock.Now()
	if err := d.validate(now); err != nil {
		return Campaign{}, err
	}
	reward, err := s.coupons.Get(ctx, d.RewardCouponID)
	if err != nil {
		return Campaign{}, errs.Field("reward_coupon_id", "couponshare.no_coupon", "id", d.RewardCouponID)
	}
	invite, err := s.coupons.Get(ctx, d.InviteCouponID)
	if err != nil {
		return Campaign{}, errs.Field("invite_coupon_id", "couponshare.no_coupon", "id", d.InviteCouponID)
	}
	c := Campaign{Name: d.Name, RewardCouponID: d.RewardCouponID, InviteCouponID: d.InviteCouponID, FriendsNeeded: d.FriendsNeeded,
		StartsAt: d.StartsAt, EndsAt: d.EndsAt, CreatedAt: now, UpdatedAt: now}
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&c).Error; err != nil {
			return fmt.Errorf("couponshare: create campaign: %w", err)
		}
		return s.audit.Record(ctx, actor, "unlock.create", "unlock_campaign", c.ID,
			i18n.M("record.audit.unlock_created", "name", c.Name, "needed", c.FriendsNeeded, "reward", reward.Name,
				"invite", invite.Name, "starts", i18n.Moment(c.StartsAt), "ends", i18n.Moment(c.EndsAt)))
	})
	if err != nil {
		return Campaign{}, err
	}
	return c, nil
}

// StopCampaign ends a campaign early: no new shares or claims; rewards
// already earned stay. Audited.
func (s *Service) StopCampaign(ctx context.Context, actor string, id int64) (Campaign, error) {
	var c Campaign
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		res := s.db.Conn(ctx).Model(&Campaign{}).Where("id = ? AND stopped_at IS NULL", id).
			Updates(map[string]any{"stopped_at": now, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("couponshare: stop campaign: %w", res.Error)
		}
		var err error
		if c, err = s.Campaign(ctx, id); err != nil || res.RowsAffected != 1 {
			return err // already stopped: nothing to record
		}
		return s.audit.Record(ctx, actor, "unlock.stop", "unlock_campaign", id, i18n.M("record.audit.unlock_stopped", "name", c.Name))
	})
	return c, err
}

// Campaign returns one campaign.
func (s *Service) Campaign(ctx context.Context, id int64) (Campaign, error) {
	var c Campaign
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&c).Error
	if database.IsNotFound(err) {
		return Campaign{}, ErrCampaignNotFound.With("id", id)
	}
	return c, err
}

// CampaignStats is a campaign with its numbers, for the console.
type CampaignStats struct {
	Campaign
	Shares   int64 // shoppers who started sharing
	Friends  int64 // friends who claimed through a share
	Rewarded int64 // sharers who earned the reward
	Live     bool  // runs now
}

// Campaigns lists every campaign, newest first, with its numbers, in two
// statements (shops run a handful at a time: one page).
func (s *Service) Campaigns(ctx context.Context) ([]CampaignStats, error) {
	var cs []Campaign
	if err := s.db.Conn(ctx).Order("id DESC").Limit(200).Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("couponshare: campaigns: %w", err)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	var rows []struct {
		CampaignID int64 `gorm:"column:campaign_id"`
		Shares     int64 `gorm:"column:shares"`
		Friends    int64 `gorm:"column:friends"`
		Rewarded   int64 `gorm:"column:rewarded"`
	}
	err := s.db.Conn(ctx).Raw(`SELECT campaign_id, COUNT(*) AS shares, COALESCE(SUM(claimed), 0) AS friends,
		COUNT(rewarded_at) AS rewarded FROM unlock_shares WHERE campaign_id IN ? GROUP BY campaign_id`, campaignIDs(cs)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("couponshare: campaign stats: %w", err)
	}
	out := make([]CampaignStats, len(cs))
	now := s.clock.Now()
	for i, c := range cs {
		out[i].Campaign, out[i].Live = c, c.LiveAt(now)
		for _, r := range rows {
			if r.CampaignID == c.ID {
				out[i].Shares, out[i].Friends, out[i].Rewarded = r.Shares, r.Friends, r.Rewarded
			}
		}
	}
	return out, nil
}

func campaignIDs(cs []Campaign) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}
