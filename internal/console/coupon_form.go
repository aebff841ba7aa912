package console

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/money"
)

// The coupon form shows each kind with its own inputs (so switching kind
// never carries a stale number across), and only the chosen kind's inputs
// are read. These map the domain's field names to the inputs by kind.
var couponValueFields = map[coupon.Kind]map[string]string{
	coupon.KindFixed:     {"amount": "fixed_amount"},
	coupon.KindThreshold: {"amount": "threshold_amount", "min_amount": "threshold_min"},
	coupon.KindPercent:   {"percent_off": "percent_off", "max_discount": "percent_cap", "min_amount": "percent_min"},
}

// couponTimeLayout is the layout of <input type="datetime-local">, in shop time.
const couponTimeLayout = "2006-01-02T15:04"

// readCoupon turns the coupon form into a draft; amounts are typed in yuan,
// times in the shop's time zone.
func readCoupon(f *Form) (coupon.Draft, error) {
	d := coupon.Draft{Name: f.Get("name"), Kind: coupon.Kind(f.Get("kind")), Scope: coupon.Scope(f.Get("scope")),
		Claimable: f.Get("claimable") == "on", Giftable: f.Get("giftable") == "on"}
	var err error
	switch d.Kind {
	case coupon.KindFixed:
		d.Amount, err = parseFen("fixed_amount", f.Get("fixed_amount"))
	case coupon.KindThreshold:
		if d.MinAmount, err = parseFen("threshold_min", f.Get("threshold_min")); err == nil {
			d.Amount, err = parseFen("threshold_amount", f.Get("threshold_amount"))
		}
	case coupon.KindPercent:
		if d.PercentOff, err = couponInt("percent_off", f.Get("percent_off")); err == nil {
			d.MaxDiscount, err = couponFen("percent_cap", f.Get("percent_cap"))
		}
		if err == nil {
			d.MinAmount, err = couponFen("percent_min", f.Get("percent_min"))
		}
	default:
		err = errs.Field("kind", "console.coupon_kind")
	}
	if err != nil {
		return d, err
	}
	if d.Scope != coupon.ScopeShop {
		if d.ScopeIDs, err = couponIDs("scope_ids", f.Get("scope_ids")); err != nil {
			return d, err
		}
	}
	if d.StartsAt, err = couponTime("starts_at", f.Get("starts_at")); err != nil {
		return d, err
	}
	if d.EndsAt, err = couponTime("ends_at", f.Get("ends_at")); err != nil {
		return d, err
	}
	if f.Get("validity") == "days" {
		if d.ValidDays, err = couponInt("valid_days", f.Get("valid_days")); err != nil {
			return d, err
		}
		if d.ValidDays == 0 {
			return d, errs.Field("valid_days", "console.valid_days")
		}
	}
	if d.TotalQuantity, err = couponCount("total_quantity", f.Get("total_quantity")); err != nil {
		return d, err
	}
	d.PerShopperLimit, err = couponInt("per_shopper_limit", f.Get("per_shopper_limit"))
	return d, err
}

// failCoupon records err on the form, next to the input it is about.
func failCoupon(f *Form, err error) *Form {
	f.Fail(err)
	for field, input := range couponValueFields[coupon.Kind(f.Get("kind"))] {
		if msg, ok := f.Errors[field]; ok && field != input {
			delete(f.Errors, field)
			f.Errors[input] = msg
		}
	}
	return f
}

// couponValues fills the form from a saved coupon, for editing.
func couponValues(c coupon.Coupon) url.Values {
	v := url.Values{"name": {c.Name}, "kind": {string(c.Kind)}, "scope": {string(c.Scope)},
		"starts_at": {c.StartsAt.In(clock.China).Format(couponTimeLayout)}, "ends_at": {c.EndsAt.In(clock.China).Format(couponTimeLayout)},
		"total_quantity": {strconv.FormatInt(c.TotalQuantity, 10)}, "per_shopper_limit": {strconv.Itoa(c.PerShopperLimit)},
		"validity": {"window"}}
	switch c.Kind {
	case coupon.KindFixed:
		v.Set("fixed_amount", money.Decimal(c.Amount))
	case coupon.KindThreshold:
		v.Set("threshold_amount", money.Decimal(c.Amount))
		v.Set("threshold_min", money.Decimal(c.MinAmount))
	case coupon.KindPercent:
		v.Set("percent_off", strconv.Itoa(c.PercentOff))
		v.Set("percent_cap", money.Decimal(c.MaxDiscount))
		v.Set("percent_min", money.Decimal(c.MinAmount))
	}
	if c.ValidDays > 0 {
		v.Set("validity", "days")
		v.Set("valid_days", strconv.Itoa(c.ValidDays))
	}
	ids := make([]string, len(c.ScopeIDs.V))
	for i, id := range c.ScopeIDs.V {
		ids[i] = strconv.FormatInt(id, 10)
	}
	v.Set("scope_ids", strings.Join(ids, ", "))
	if c.Claimable {
		v.Set("claimable", "on")
	}
	if c.Giftable {
		v.Set("giftable", "on")
	}
	return v
}

// newCouponValues is a fresh form: 满100减20 over the whole shop, claimable
// from now for a week.
func newCouponValues(now time.Time) url.Values {
	start := now.In(clock.China).Truncate(time.Minute)
	return url.Values{"kind": {"threshold"}, "scope": {"shop"}, "validity": {"window"}, "claimable": {"on"},
		"starts_at": {start.Format(couponTimeLayout)}, "ends_at": {start.AddDate(0, 0, 7).Format(couponTimeLayout)},
		"per_shopper_limit": {"1"}, "total_quantity": {"100"}}
}

func couponTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil // the domain says it is required
	}
	t, err := time.ParseInLocation(couponTimeLayout, s, clock.China)
	if err != nil {
		return time.Time{}, errs.Field(field, "console.datetime")
	}
	return t.UTC(), nil
}

// couponFen reads an amount in yuan where blank means zero.
func couponFen(field, s string) (int64, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return parseFen(field, s)
}

func couponInt(field, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, errs.Field(field, "invalid.whole_number")
	}
	return n, nil
}

func couponCount(field, s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, errs.Field(field, "invalid.whole_number")
	}
	return n, nil
}

// couponIDs reads ids typed separated by commas, spaces or new lines.
func couponIDs(field, s string) ([]int64, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	ids := make([]int64, 0, len(parts))
	for _, p := range parts {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, errs.Field(field, "console.id_list", "value", p)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
