package commission

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/database"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/promoter"
)

// Which rate a line earns, most specific first (the README's "Promoters and
// commission" says the same):
//
//  1. a campaign running when the order was placed that covers the line's
//     product (the highest rate, when campaigns overlap);
//  2. a rule for the line's product;
//  3. a rule for the line's category, or the nearest parent category with one;
//  4. the promoter's own rate.
//
// At levels 2 and 3 a rule for this promoter beats the shop-wide one.

// Scope is what a rule is about.
type Scope string

// Scopes of rules.
const (
	ScopeCategory Scope = "category"
	ScopeProduct  Scope = "product"
)

// Rule overrides promoters' rate for a category or product: for every
// promoter, or only PromoterID.
type Rule struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	Scope      Scope     `gorm:"column:scope"`
	TargetID   int64     `gorm:"column:target_id"`
	PromoterID *int64    `gorm:"column:promoter_id"`
	RateBP     int       `gorm:"column:rate_bp"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

// TableName maps Rule to its table.
func (Rule) TableName() string { return "commission_rules" }

// Campaign is a time window with its own rate, for orders placed in it,
// limited to some products or categories when it names any.
type Campaign struct {
	ID          int64                  `gorm:"column:id;primaryKey"`
	Name        string                 `gorm:"column:name"`
	RateBP      int                    `gorm:"column:rate_bp"`
	StartsAt    time.Time              `gorm:"column:starts_at"`
	EndsAt      time.Time              `gorm:"column:ends_at"`
	ProductIDs  database.JSON[[]int64] `gorm:"column:product_ids"`
	CategoryIDs database.JSON[[]int64] `gorm:"column:category_ids"`
	CreatedAt   time.Time              `gorm:"column:created_at"`
	UpdatedAt   time.Time              `gorm:"column:updated_at"`
}

// TableName maps Campaign to its table.
func (Campaign) TableName() string { return "commission_campaigns" }

// Running reports whether the campaign covers orders placed at t.
func (c Campaign) Running(t time.Time) bool { return !t.Before(c.StartsAt) && t.Before(c.EndsAt) }

func checkRate(rate int) error {
	if rate < 0 || rate > promoter.MaxRateBP {
		return errs.Field("rate", "invalid.range", "min", 0, "max", promoter.MaxRateBP)
	}
	return nil
}

// SaveRule sets the rate of a category or product, for every promoter or
// one (replacing the rule already there), audited under actor.
func (s *Service) SaveRule(ctx context.Context, actor string, in Rule) (Rule, error) {
	switch {
	case in.Scope != ScopeCategory && in.Scope != ScopeProduct:
		return Rule{}, errs.Field("scope", "commission.scope")
	case in.TargetID <= 0:
		return Rule{}, errs.Field("target_id", "invalid.positive_id")
	}
	if err := checkRate(in.RateBP); err != nil {
		return Rule{}, err
	}
	if err := s.checkTarget(ctx, in.Scope, in.TargetID); err != nil {
		return Rule{}, err
	}
	now := s.clock.Now()
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if in.PromoterID != nil {
			if _, err := s.promoters.Get(ctx, *in.PromoterID); err != nil {
				return err
			}
		}
		var old []Rule
		q := s.db.Conn(ctx).Where("scope = ? AND target_id = ?", in.Scope, in.TargetID)
		if in.PromoterID == nil {
			q = q.Where("promoter_id IS NULL")
		} else {
			q = q.Where("promoter_id = ?", *in.PromoterID)
		}
		if err := q.Limit(1).Find(&old).Error; err != nil {
			return err
		}
		in.ID, in.CreatedAt, in.UpdatedAt = 0, now, now
		if len(old) > 0 {
			in.ID, in.CreatedAt = old[0].ID, old[0].CreatedAt
		}
		if err := s.db.Conn(ctx).Save(&in).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "commission.rule", "commission_rule", in.ID,
			i18n.M("record.audit.commission_rule", "scope", string(in.Scope), "target", in.TargetID, "rate", ratePercent(in.RateBP)))
	})
	if err != nil {
		return Rule{}, fmt.Errorf("save commission rule: %w", err)
	}
	return in, nil
}

// DeleteRule removes a rule, audited under actor.
func (s *Service) DeleteRule(ctx context.Context, actor string, id int64) error {
	return s.db.Tx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Where("id = ?", id).Delete(&Rule{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrRuleNotFound
		}
		return s.audit.Record(ctx, actor, "commission.rule_delete", "commission_rule", id, i18n.M("record.audit.commission_rule_deleted"))
	})
}

// Rules lists the rules, for every promoter and for promoterID (0: all of them).
func (s *Service) Rules(ctx context.Context, promoterID int64) ([]Rule, error) {
	var rs []Rule
	q := s.db.Conn(ctx).Order("scope, target_id, id")
	if promoterID != 0 {
		q = q.Where("promoter_id IS NULL OR promoter_id = ?", promoterID)
	}
	return rs, q.Find(&rs).Error
}

func (s *Service) checkTarget(ctx context.Context, scope Scope, id int64) error {
	if scope == ScopeProduct {
		ok, err := s.catalog.ProductExists(ctx, id)
		if err == nil && !ok {
			err = errs.Field("target_id", "commission.no_such_product")
		}
		return err
	}
	names, err := s.catalog.CategoryNames(ctx, []int64{id})
	if err == nil && names[id] == "" {
		err = errs.Field("target_id", "commission.no_such_category")
	}
	return err
}

// CampaignInput is a campaign as the merchant writes it.
type CampaignInput struct {
	Name                    string
	RateBP                  int
	StartsAt, EndsAt        time.Time
	ProductIDs, CategoryIDs []int64
}

// SaveCampaign creates (id 0) or changes a campaign, audited under actor.
func (s *Service) SaveCampaign(ctx context.Context, actor string, id int64, in CampaignInput) (Campaign, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0 || n > promoter.MaxNameRunes:
		return Campaign{}, errs.Field("name", "invalid.length", "max", promoter.MaxNameRunes)
	case in.StartsAt.IsZero():
		return Campaign{}, errs.Field("starts_at", "invalid.required")
	case !in.EndsAt.After(in.StartsAt):
		return Campaign{}, errs.Field("ends_at", "invalid.after_start")
	case len(in.ProductIDs) > 200 || len(in.CategoryIDs) > 200:
		return Campaign{}, errs.Field("product_ids", "commission.too_many", "max", 200)
	}
	if err := checkRate(in.RateBP); err != nil {
		return Campaign{}, err
	}
	for _, p := range in.ProductIDs {
		if err := s.checkTarget(ctx, ScopeProduct, p); err != nil {
			return Campaign{}, errs.Field("product_ids", "commission.no_such_product")
		}
	}
	for _, c := range in.CategoryIDs {
		if err := s.checkTarget(ctx, ScopeCategory, c); err != nil {
			return Campaign{}, errs.Field("category_ids", "commission.no_such_category")
		}
	}
	now := s.clock.Now()
	c := Campaign{ID: id, Name: in.Name, RateBP: in.RateBP, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC(),
		ProductIDs: database.JSON[[]int64]{V: nonNil(in.ProductIDs)}, CategoryIDs: database.JSON[[]int64]{V: nonNil(in.CategoryIDs)},
		CreatedAt: now, UpdatedAt: now}
	err := s.db.Tx(ctx, func(ctx context.Context) error {
		if id != 0 {
			old, err := s.Campaign(ctx, id)
			if err != nil {
				return err
			}
			c.CreatedAt = old.CreatedAt
		}
		if err := s.db.Conn(ctx).Save(&c).Error; err != nil {
			return err
		}
		return s.audit.Record(ctx, actor, "commission.campaign", "commission_campaign", c.ID,
			i18n.M("record.audit.commission_campaign", "name", c.Name, "rate", ratePercent(c.RateBP)))
	})
	if err != nil {
		return Campaign{}, fmt.Errorf("save campaign: %w", err)
	}
	return c, nil
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// Campaign finds a campaign, or ErrCampaignNotFound.
func (s *Service) Campaign(ctx context.Context, id int64) (Campaign, error) {
	var cs []Campaign
	if err := s.db.Conn(ctx).Where("id = ?", id).Limit(1).Find(&cs).Error; err != nil {
		return Campaign{}, err
	}
	if len(cs) == 0 {
		return Campaign{}, ErrCampaignNotFound
	}
	return cs[0], nil
}

// Campaigns lists the campaigns, latest end first.
func (s *Service) Campaigns(ctx context.Context) ([]Campaign, error) {
	var cs []Campaign
	return cs, s.db.Conn(ctx).Order("ends_at DESC, id DESC").Limit(200).Find(&cs).Error
}

// ratePercent writes basis points as a percentage: 1250 → "12.5%".
func ratePercent(bp int) string {
	s := strconv.FormatFloat(float64(bp)/100, 'f', -1, 64)
	return s + "%"
}

// lineRate is the rate one order line earns and the rule that set it.
type lineRate struct {
	bp   int
	rule string
}

// rates decides the rate of every line of an order placed at placedAt and
// credited to p, by the precedence above.
func (s *Service) rates(ctx context.Context, p promoter.Promoter, placedAt time.Time, items []order.Item) ([]lineRate, error) {
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ProductID)
	}
	glances, err := s.catalog.Glances(ctx, ids)
	if err != nil {
		return nil, err
	}
	parents, err := s.catalog.CategoryParents(ctx)
	if err != nil {
		return nil, err
	}
	var rules []Rule
	if err := s.db.Conn(ctx).Where("promoter_id IS NULL OR promoter_id = ?", p.ID).Find(&rules).Error; err != nil {
		return nil, err
	}
	var campaigns []Campaign
	placedAt = placedAt.UTC() // SQLite compares times as text: parameters in UTC, as stored
	if err := s.db.Conn(ctx).Where("starts_at <= ? AND ends_at > ?", placedAt, placedAt).Find(&campaigns).Error; err != nil {
		return nil, err
	}
	find := func(scope Scope, target int64) (Rule, bool) {
		var shop *Rule
		for i, r := range rules {
			if r.Scope == scope && r.TargetID == target {
				if r.PromoterID != nil {
					return r, true
				}
				shop = &rules[i]
			}
		}
		if shop != nil {
			return *shop, true
		}
		return Rule{}, false
	}
	out := make([]lineRate, len(items))
	for i, it := range items {
		chain := categoryChain(glances[it.ProductID].CategoryID, parents)
		out[i] = lineRate{bp: p.RateBP, rule: "promoter"}
		best := -1
		for _, c := range campaigns {
			if c.covers(it.ProductID, chain) && c.RateBP > best {
				best, out[i] = c.RateBP, lineRate{bp: c.RateBP, rule: "campaign:" + strconv.FormatInt(c.ID, 10)}
			}
		}
		if best >= 0 {
			continue
		}
		if r, ok := find(ScopeProduct, it.ProductID); ok {
			out[i] = lineRate{bp: r.RateBP, rule: "product:" + strconv.FormatInt(it.ProductID, 10)}
			continue
		}
		for _, cat := range chain {
			if r, ok := find(ScopeCategory, cat); ok {
				out[i] = lineRate{bp: r.RateBP, rule: "category:" + strconv.FormatInt(cat, 10)}
				break
			}
		}
	}
	return out, nil
}

// categoryChain is a category and its ancestors, nearest first (a loop in
// the data ends the walk rather than the process).
func categoryChain(id int64, parents map[int64]int64) []int64 {
	var chain []int64
	for id != 0 && len(chain) < 16 && !slices.Contains(chain, id) {
		chain = append(chain, id)
		id = parents[id]
	}
	return chain
}

// covers reports whether the campaign applies to a product in the given
// category chain: every product when it names none.
func (c Campaign) covers(productID int64, chain []int64) bool {
	if len(c.ProductIDs.V) == 0 && len(c.CategoryIDs.V) == 0 {
		return true
	}
	if slices.Contains(c.ProductIDs.V, productID) {
		return true
	}
	for _, cat := range chain {
		if slices.Contains(c.CategoryIDs.V, cat) {
			return true
		}
	}
	return false
}
