package couponpack

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/page"
)

// Limits on a campaign.
const (
	MaxCount      = 100              // coupons per pack, as WeChat's group red envelopes
	MaxTotal      = coupon.MaxAmount // a pack is worth at most what one coupon may take off
	MaxPerShopper = 100
	MaxPackHours  = 7 * 24
	MaxMinOrder   = 100_000_000 // fen (¥1,000,000)
)

// Draft is what the merchant fills in to create or edit a campaign.
type Draft struct {
	Name       string
	Total      int64
	Count      int
	MinAmount  int64
	Threshold  int64
	Scope      coupon.Scope
	ScopeIDs   []int64
	ValidDays  int
	OnPaid     bool
	MinOrder   int64
	PerShopper int
	PackHours  int
	StartsAt   time.Time
	EndsAt     time.Time
}

func (d Draft) normalized() Draft {
	d.Name = strings.TrimSpace(d.Name)
	d.ScopeIDs = slices.Compact(slices.Sorted(slices.Values(d.ScopeIDs)))
	if d.Scope == coupon.ScopeShop {
		d.ScopeIDs = nil
	}
	d.StartsAt, d.EndsAt = d.StartsAt.UTC(), d.EndsAt.UTC()
	return d
}

// validate checks the pack's shape and the campaign's rules; the coupon
// terms are coupon's to check (Service.checkTerms). Each error names its
// field. Every product is bounded before it is taken, so none overflows.
func (d Draft) validate() error {
	n := utf8.RuneCountInString(d.Name)
	switch {
	case n < 1 || n > coupon.MaxNameRunes:
		return errs.Field("name", "invalid.length", "max", coupon.MaxNameRunes)
	case d.Count < 1 || d.Count > MaxCount:
		return errs.Field("count", "invalid.range", "min", 1, "max", MaxCount)
	case d.MinAmount < 1 || d.MinAmount > MaxTotal:
		return errs.Field("least", "couponpack.least", "max", money.Short(MaxTotal))
	case d.Total < 1 || d.Total > MaxTotal:
		return errs.Field("total", "couponpack.total_range", "max", money.Short(MaxTotal))
	case int64(d.Count)*d.MinAmount > d.Total:
		return errs.Field("total", "couponpack.total_below_minimums", "least", money.Short(int64(d.Count)*d.MinAmount))
	case d.Threshold < 0:
		return errs.Field("threshold", "invalid.not_negative")
	case d.Threshold > 0 && d.Threshold < d.Total-int64(d.Count-1)*d.MinAmount:
		return errs.Field("threshold", "couponpack.threshold_below_largest",
			"largest", money.Short(d.Total-int64(d.Count-1)*d.MinAmount))
	case d.ValidDays < 1 || d.ValidDays > coupon.MaxValidDays:
		return errs.Field("valid_days", "invalid.range", "min", 1, "max", coupon.MaxValidDays)
	case d.MinOrder < 0 || d.MinOrder > MaxMinOrder:
		return errs.Field("min_order", "couponpack.min_order", "max", money.Short(MaxMinOrder))
	case d.PerShopper < 1 || d.PerShopper > MaxPerShopper:
		return errs.Field("per_shopper", "invalid.range", "min", 1, "max", MaxPerShopper)
	case d.PackHours < 1 || d.PackHours > MaxPackHours:
		return errs.Field("pack_hours", "invalid.range", "min", 1, "max", MaxPackHours)
	case d.StartsAt.IsZero():
		return errs.Field("starts_at", "invalid.required")
	case d.EndsAt.IsZero():
		return errs.Field("ends_at", "invalid.required")
	case !d.EndsAt.After(d.StartsAt):
		return errs.Field("ends_at", "invalid.after_start")
	}
	return nil
}

// checkTerms has coupon check the terms of the largest coupon a pack can
// hold, so every grabbed coupon is one coupon would accept.
func (s *Service) checkTerms(ctx context.Context, d Draft) error {
	var c Campaign
	c.apply(d)
	return s.coupons.CheckTerms(ctx, c.couponDraft(c.Largest(), d.StartsAt))
}

func (c *Campaign) apply(d Draft) {
	c.Name, c.Total, c.Count, c.MinAmount, c.Threshold = d.Name, d.Total, d.Count, d.MinAmount, d.Threshold
	ids := d.ScopeIDs
	if ids == nil {
		ids = []int64{}
	}
	c.Scope, c.ScopeIDs, c.ValidDays = d.Scope, database.JSON[[]int64]{V: ids}, d.ValidDays
	c.OnPaid, c.MinOrder, c.PerShopper, c.PackHours = d.OnPaid, d.MinOrder, d.PerShopper, d.PackHours
	c.StartsAt, c.EndsAt = d.StartsAt, d.EndsAt
}

// Draft is the campaign's editable fields, to fill the edit form.
func (c Campaign) Draft() Draft {
	return Draft{Name: c.Name, Total: c.Total, Count: c.Count, MinAmount: c.MinAmount, Threshold: c.Threshold,
		Scope: c.Scope, ScopeIDs: c.ScopeIDs.V, ValidDays: c.ValidDays, OnPaid: c.OnPaid, MinOrder: c.MinOrder,
		PerShopper: c.PerShopper, PackHours: c.PackHours, StartsAt: c.StartsAt, EndsAt: c.EndsAt}
}

// Create validates and saves a new campaign; actor is the merchant.
func (s *Service) Create(ctx context.Context, actor string, d Draft) (Campaign, error) {
	d = d.normalized()
	if err := d.validate(); err != nil {
		return Campaign{}, err
	}
	now := s.clock.Now()
	if !d.EndsAt.After(now) {
		return Campaign{}, errs.Field("ends_at", "invalid.future")
	}
	c := Campaign{CreatedAt: now, UpdatedAt: now}
	c.apply(d)
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if err := s.checkTerms(ctx, d); err != nil {
			return err
		}
		if err := s.db.Conn(ctx).Create(&c).Error; err != nil {
			return fmt.Errorf("couponpack: create campaign: %w", err)
		}
		s.forgetOnPaid(ctx)
		return s.audit.Record(ctx, actor, "coupon_pack.create", "coupon_pack_campaign", c.ID, describe(c))
	})
	if err != nil {
		return Campaign{}, err
	}
	return c, nil
}

// Update saves an edit. Once a pack was given, the terms its coupons are
// grabbed with (threshold, scope, validity) are fixed; the split of packs
// still to come, the window and the rules for giving may change. A stopped
// campaign stays as it is.
func (s *Service) Update(ctx context.Context, actor string, id int64, d Draft) (Campaign, error) {
	d = d.normalized()
	if err := d.validate(); err != nil {
		return Campaign{}, err
	}
	var c Campaign
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		before, err := s.lockCampaign(ctx, id)
		if err != nil {
			return err
		}
		if before.StoppedAt != nil {
			return ErrStopped
		}
		given, err := s.packCount(ctx, id)
		if err != nil {
			return err
		}
		if given > 0 {
			old := before.Draft()
			switch {
			case old.Threshold != d.Threshold:
				return ErrTermsLocked.With("field", "threshold")
			case old.Scope != d.Scope || !slices.Equal(old.ScopeIDs, d.ScopeIDs):
				return ErrTermsLocked.With("field", "scope")
			case old.ValidDays != d.ValidDays:
				return ErrTermsLocked.With("field", "valid_days")
			}
		}
		if err := s.checkTerms(ctx, d); err != nil {
			return err
		}
		c = before
		c.apply(d)
		c.UpdatedAt = s.clock.Now()
		if err := s.db.Conn(ctx).Model(&Campaign{}).Where("id = ?", id).
			Select("name", "total", "count", "min_amount", "threshold", "scope", "scope_ids", "valid_days", "on_paid",
				"min_order", "per_shopper", "pack_hours", "starts_at", "ends_at", "updated_at").
			Updates(&c).Error; err != nil {
			return fmt.Errorf("couponpack: update campaign: %w", err)
		}
		s.forgetOnPaid(ctx)
		return s.audit.Record(ctx, actor, "coupon_pack.update", "coupon_pack_campaign", id,
			i18n.M("record.audit.coupon_pack_updated", "terms", describe(c)))
	})
	if err != nil {
		return Campaign{}, err
	}
	return c, nil
}

// Stop ends a campaign early: no more packs are given. Packs already given
// can still be grabbed until they expire, as their givers were promised.
func (s *Service) Stop(ctx context.Context, actor string, id int64) (Campaign, error) {
	var c Campaign
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		res := s.db.Conn(ctx).Model(&Campaign{}).Where("id = ? AND stopped_at IS NULL", id).
			Updates(map[string]any{"stopped_at": now, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("couponpack: stop: %w", res.Error)
		}
		var err error
		if c, err = s.Campaign(ctx, id); err != nil {
			return err
		}
		if res.RowsAffected != 1 {
			return ErrStopped
		}
		s.forgetOnPaid(ctx)
		return s.audit.Record(ctx, actor, "coupon_pack.stop", "coupon_pack_campaign", id,
			i18n.M("record.audit.coupon_pack_stopped", "name", c.Name))
	})
	return c, err
}

// Campaign returns one campaign.
func (s *Service) Campaign(ctx context.Context, id int64) (Campaign, error) {
	var c Campaign
	err := s.db.Conn(ctx).Where("id = ?", id).Take(&c).Error
	if database.IsNotFound(err) {
		return Campaign{}, ErrCampaignNotFound.With("campaign_id", id)
	}
	return c, err
}

func (s *Service) lockCampaign(ctx context.Context, id int64) (Campaign, error) {
	if err := s.db.LockRow(ctx, "coupon_pack_campaigns", id); err != nil {
		return Campaign{}, err
	}
	return s.Campaign(ctx, id)
}

// Campaigns lists campaigns newest first; the cursor is the last one's id.
func (s *Service) Campaigns(ctx context.Context, pg page.Request) ([]Campaign, string, error) {
	db := s.db.Conn(ctx)
	if pg.After > 0 {
		db = db.Where("id < ?", pg.After)
	}
	var cs []Campaign
	if err := db.Order("id DESC").Limit(pg.Limit + 1).Find(&cs).Error; err != nil {
		return nil, "", fmt.Errorf("couponpack: campaigns: %w", err)
	}
	cs, next := page.Trim(cs, pg, func(c Campaign) int64 { return c.ID })
	return cs, next, nil
}

func (s *Service) packCount(ctx context.Context, campaignID int64) (int64, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&Pack{}).Where("campaign_id = ?", campaignID).Count(&n).Error
	return n, err
}

// describe is a campaign's terms for the audit log.
func describe(c Campaign) i18n.Msg {
	return i18n.M("record.audit.coupon_pack_created", "name", c.Name, "total", money.Short(c.Total), "count", c.Count,
		"least", money.Short(c.MinAmount), "value", Value(c), "days", c.ValidDays,
		"starts", i18n.Moment(c.StartsAt), "ends", i18n.Moment(c.EndsAt), "limit", c.PerShopper, "hours", c.PackHours)
}

// Value says what a grabbed coupon takes off, in the reader's language:
// "无门槛" or "满100可用".
func Value(c Campaign) i18n.Msg {
	if c.Threshold > 0 {
		return i18n.M("couponpack.value.threshold", "min", money.Short(c.Threshold))
	}
	return i18n.M("couponpack.value.no_threshold")
}
