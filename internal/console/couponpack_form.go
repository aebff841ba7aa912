package console

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/money"
)

// readPackCampaign turns the lucky-pack campaign form into a draft; amounts
// are typed in yuan, times in the shop's time zone (as the coupon form).
func readPackCampaign(f *Form) (couponpack.Draft, error) {
	d := couponpack.Draft{Name: f.Get("name"), Scope: coupon.Scope(f.Get("scope")), OnPaid: f.Get("on_paid") == "on"}
	var err error
	if d.Total, err = parseFen("total", f.Get("total")); err != nil {
		return d, err
	}
	if d.Count, err = couponInt("count", f.Get("count")); err != nil {
		return d, err
	}
	if d.MinAmount, err = parseFen("least", f.Get("least")); err != nil {
		return d, err
	}
	if d.Threshold, err = couponFen("threshold", f.Get("threshold")); err != nil {
		return d, err
	}
	if d.Scope != coupon.ScopeShop {
		if d.ScopeIDs, err = couponIDs("scope_ids", f.Get("scope_ids")); err != nil {
			return d, err
		}
	}
	if d.ValidDays, err = couponInt("valid_days", f.Get("valid_days")); err != nil {
		return d, err
	}
	if d.MinOrder, err = couponFen("min_order", f.Get("min_order")); err != nil {
		return d, err
	}
	if d.PerShopper, err = couponInt("per_shopper", f.Get("per_shopper")); err != nil {
		return d, err
	}
	if d.PackHours, err = couponInt("pack_hours", f.Get("pack_hours")); err != nil {
		return d, err
	}
	if d.StartsAt, err = couponTime("starts_at", f.Get("starts_at")); err != nil {
		return d, err
	}
	d.EndsAt, err = couponTime("ends_at", f.Get("ends_at"))
	return d, err
}

// packCampaignValues fills the form from a saved campaign, for editing.
func packCampaignValues(c couponpack.Campaign) url.Values {
	ids := make([]string, len(c.ScopeIDs.V))
	for i, id := range c.ScopeIDs.V {
		ids[i] = strconv.FormatInt(id, 10)
	}
	v := url.Values{"name": {c.Name}, "total": {money.Decimal(c.Total)}, "count": {strconv.Itoa(c.Count)},
		"least": {money.Decimal(c.MinAmount)}, "threshold": {money.Decimal(c.Threshold)}, "scope": {string(c.Scope)},
		"scope_ids": {strings.Join(ids, ", ")}, "valid_days": {strconv.Itoa(c.ValidDays)},
		"min_order": {money.Decimal(c.MinOrder)}, "per_shopper": {strconv.Itoa(c.PerShopper)},
		"pack_hours": {strconv.Itoa(c.PackHours)},
		"starts_at":  {c.StartsAt.In(clock.China).Format(couponTimeLayout)}, "ends_at": {c.EndsAt.In(clock.China).Format(couponTimeLayout)}}
	if c.OnPaid {
		v.Set("on_paid", "on")
	}
	return v
}

// newPackCampaignValues is a fresh form: ¥10 in 5 coupons of at least
// ¥0.50, no threshold, over the whole shop, for every paid order, for a
// week from now; each pack open for a day, as WeChat's red envelopes.
func newPackCampaignValues(now time.Time) url.Values {
	start := now.In(clock.China).Truncate(time.Minute)
	return url.Values{"total": {"10"}, "count": {"5"}, "least": {"0.5"}, "threshold": {"0"}, "scope": {"shop"},
		"valid_days": {"7"}, "on_paid": {"on"}, "min_order": {"0"}, "per_shopper": {"3"}, "pack_hours": {"24"},
		"starts_at": {start.Format(couponTimeLayout)}, "ends_at": {start.AddDate(0, 0, 7).Format(couponTimeLayout)}}
}
