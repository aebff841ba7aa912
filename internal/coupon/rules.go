package coupon

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// Limits on a coupon's terms.
const (
	MaxNameRunes    = 40
	MaxAmount       = 1_000_000 // fen (¥10,000): the most one coupon may take off
	MaxScopeIDs     = 100
	MaxValidDays    = 365
	MaxQuantity     = 10_000_000
	MaxPerShopper   = 100
	MaxIssueAtOnce  = 500
	maxCategoryTree = 32 // deeper than any real shop; stops a corrupt parent loop
)

// Draft is what the merchant fills in to create or edit a coupon. Fields that
// do not apply to the kind must be zero (the console sends only the chosen
// kind's fields).
type Draft struct {
	Name            string
	Kind            Kind
	Amount          int64
	PercentOff      int
	MaxDiscount     int64
	MinAmount       int64
	Scope           Scope
	ScopeIDs        []int64
	StartsAt        time.Time
	EndsAt          time.Time
	ValidDays       int
	TotalQuantity   int64
	PerShopperLimit int
	Claimable       bool
	Giftable        bool // holders may give it to a friend; may change at any time, like Claimable
}

// normalized trims the name and sorts and de-duplicates the scope ids.
func (d Draft) normalized() Draft {
	d.Name = strings.TrimSpace(d.Name)
	d.ScopeIDs = dedupe(d.ScopeIDs)
	if d.Scope == ScopeShop {
		d.ScopeIDs = nil
	}
	d.StartsAt, d.EndsAt = d.StartsAt.UTC(), d.EndsAt.UTC()
	return d
}

// validate checks a normalized draft; each error names its field.
func (d Draft) validate() error {
	n := utf8.RuneCountInString(d.Name)
	switch {
	case n < 1 || n > MaxNameRunes:
		return errs.Field("name", "invalid.length", "max", MaxNameRunes)
	case d.Kind != KindFixed && d.Kind != KindThreshold && d.Kind != KindPercent:
		return errs.Field("kind", "coupon.kind")
	}
	if err := d.validateValue(); err != nil {
		return err
	}
	switch {
	case d.Scope != ScopeShop && d.Scope != ScopeCategories && d.Scope != ScopeProducts:
		return errs.Field("scope", "coupon.scope")
	case d.Scope != ScopeShop && len(d.ScopeIDs) == 0:
		return errs.Field("scope_ids", "coupon.scope_ids_required")
	case len(d.ScopeIDs) > MaxScopeIDs:
		return errs.Field("scope_ids", "coupon.scope_ids_max", "max", MaxScopeIDs)
	case len(d.ScopeIDs) > 0 && d.ScopeIDs[0] <= 0:
		return errs.Field("scope_ids", "coupon.ids_positive")
	case d.StartsAt.IsZero():
		return errs.Field("starts_at", "invalid.required")
	case d.EndsAt.IsZero():
		return errs.Field("ends_at", "invalid.required")
	case !d.EndsAt.After(d.StartsAt):
		return errs.Field("ends_at", "invalid.after_start")
	case d.ValidDays < 0 || d.ValidDays > MaxValidDays:
		return errs.Field("valid_days", "coupon.valid_days", "max", MaxValidDays)
	case d.TotalQuantity < 1 || d.TotalQuantity > MaxQuantity:
		return errs.Field("total_quantity", "invalid.range", "min", 1, "max", MaxQuantity)
	case d.PerShopperLimit < 1 || d.PerShopperLimit > MaxPerShopper:
		return errs.Field("per_shopper_limit", "invalid.range", "min", 1, "max", MaxPerShopper)
	}
	return nil
}

// validateValue checks the amounts of the draft's kind.
func (d Draft) validateValue() error {
	amountOK := d.Amount >= 1 && d.Amount <= MaxAmount
	switch d.Kind {
	case KindFixed:
		switch {
		case !amountOK:
			return errs.Field("amount", "coupon.amount_range")
		case d.MinAmount != 0 || d.PercentOff != 0 || d.MaxDiscount != 0:
			return errs.Field("kind", "coupon.fixed_only_amount")
		}
	case KindThreshold:
		switch {
		case d.MinAmount < 1:
			return errs.Field("min_amount", "coupon.min_amount")
		case !amountOK:
			return errs.Field("amount", "coupon.amount_range")
		case d.Amount > d.MinAmount:
			return errs.Field("amount", "coupon.amount_over_threshold")
		case d.PercentOff != 0 || d.MaxDiscount != 0:
			return errs.Field("kind", "coupon.threshold_only")
		}
	case KindPercent:
		switch {
		case d.PercentOff < 1 || d.PercentOff > 99:
			return errs.Field("percent_off", "invalid.range", "min", 1, "max", 99)
		case d.MaxDiscount < 0 || d.MaxDiscount > MaxAmount:
			return errs.Field("max_discount", "coupon.max_discount")
		case d.MinAmount < 0:
			return errs.Field("min_amount", "invalid.not_negative")
		case d.Amount != 0:
			return errs.Field("kind", "coupon.percent_only")
		}
	}
	return nil
}

// Discount is what the coupon takes off covered goods worth eligible fen,
// before the threshold is checked: never more than the goods. Percentages
// round down to the fen.
func (c Coupon) Discount(eligible int64) int64 {
	var d int64
	switch c.Kind {
	case KindFixed, KindThreshold:
		d = c.Amount
	case KindPercent:
		// eligible ≤ 50 lines × 999 × 1e7 fen, so the product fits in int64.
		d = eligible * int64(c.PercentOff) / 100
		if c.MaxDiscount > 0 {
			d = min(d, c.MaxDiscount)
		}
	}
	return max(0, min(d, eligible))
}

// Value is what the coupon takes off, as each language's shop software
// writes it: "满100减20", "8.5折", "满200打9折，最多减50元" in Chinese;
// "¥20 off ¥100", "15% off", "10% off ¥200, at most ¥50" in English.
func (c Coupon) Value() i18n.Msg {
	var m i18n.Msg
	switch c.Kind {
	case KindFixed:
		return i18n.M("coupon.value.fixed", "amount", money.Short(c.Amount))
	case KindThreshold:
		return i18n.M("coupon.value.threshold", "amount", money.Short(c.Amount), "min", money.Short(c.MinAmount))
	case KindPercent:
		m = i18n.M("coupon.value.percent", "off", c.PercentOff)
		if c.MinAmount > 0 {
			m = i18n.M("coupon.value.percent_min", "off", c.PercentOff, "min", money.Short(c.MinAmount))
		}
		if c.MaxDiscount > 0 {
			m = i18n.M("coupon.value.cap", "value", m, "cap", money.Short(c.MaxDiscount))
		}
	}
	return m
}

// terms lists the fields shoppers' coupons depend on, in the order a form
// shows them, with their values, so an edit after the first claim can say
// which one it may no longer change.
func (d Draft) terms() []term {
	return []term{
		{"kind", string(d.Kind)}, {"amount", d.Amount}, {"min_amount", d.MinAmount},
		{"percent_off", d.PercentOff}, {"max_discount", d.MaxDiscount}, {"scope", string(d.Scope)},
		{"scope_ids", fmt.Sprint(d.ScopeIDs)}, {"starts_at", d.StartsAt.Unix()}, {"ends_at", d.EndsAt.Unix()},
		{"valid_days", d.ValidDays},
	}
}

type term struct {
	field string
	value any
}

// Draft is the coupon's editable fields, to compare with an edit.
func (c Coupon) Draft() Draft {
	return Draft{Name: c.Name, Kind: c.Kind, Amount: c.Amount, PercentOff: c.PercentOff, MaxDiscount: c.MaxDiscount,
		MinAmount: c.MinAmount, Scope: c.Scope, ScopeIDs: c.ScopeIDs.V, StartsAt: c.StartsAt, EndsAt: c.EndsAt,
		ValidDays: c.ValidDays, TotalQuantity: c.TotalQuantity, PerShopperLimit: c.PerShopperLimit, Claimable: c.Claimable,
		Giftable: c.Giftable}
}

// apply copies a draft's fields onto the coupon.
func (c *Coupon) apply(d Draft) {
	c.Name, c.Kind, c.Amount, c.PercentOff, c.MaxDiscount, c.MinAmount = d.Name, d.Kind, d.Amount, d.PercentOff, d.MaxDiscount, d.MinAmount
	c.Scope, c.ScopeIDs = d.Scope, jsonIDs(d.ScopeIDs)
	c.StartsAt, c.EndsAt, c.ValidDays = d.StartsAt, d.EndsAt, d.ValidDays
	c.TotalQuantity, c.PerShopperLimit, c.Claimable = d.TotalQuantity, d.PerShopperLimit, d.Claimable
	c.Giftable = d.Giftable
}
