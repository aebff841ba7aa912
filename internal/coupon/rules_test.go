package coupon

import (
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

func TestDiscount(t *testing.T) {
	tests := []struct {
		name     string
		c        Coupon
		eligible int64
		want     int64
	}{
		{"fixed", Coupon{Kind: KindFixed, Amount: 1000}, 5000, 1000},
		{"fixed never exceeds the goods", Coupon{Kind: KindFixed, Amount: 1000}, 600, 600},
		{"threshold", Coupon{Kind: KindThreshold, Amount: 2000, MinAmount: 10000}, 12000, 2000},
		{"percent rounds down to the fen", Coupon{Kind: KindPercent, PercentOff: 15}, 999, 149},
		{"percent under its cap", Coupon{Kind: KindPercent, PercentOff: 10, MaxDiscount: 5000}, 30000, 3000},
		{"percent capped", Coupon{Kind: KindPercent, PercentOff: 10, MaxDiscount: 5000}, 90000, 5000},
		{"percent without a cap", Coupon{Kind: KindPercent, PercentOff: 50}, 90000, 45000},
		{"nothing covered", Coupon{Kind: KindFixed, Amount: 1000}, 0, 0},
	}
	for _, tt := range tests {
		if got := tt.c.Discount(tt.eligible); got != tt.want {
			t.Errorf("%s: Discount(%d) = %d, want %d", tt.name, tt.eligible, got, tt.want)
		}
	}
}

// TestValue: a coupon's value as each language's shop software writes it.
func TestValue(t *testing.T) {
	tests := []struct {
		c      Coupon
		zh, en string
	}{
		{Coupon{Kind: KindThreshold, Amount: 2000, MinAmount: 10000}, "满100减20", "¥20 off ¥100"},
		{Coupon{Kind: KindThreshold, Amount: 550, MinAmount: 9990}, "满99.9减5.5", "¥5.5 off ¥99.9"},
		{Coupon{Kind: KindFixed, Amount: 1000}, "无门槛减10元", "¥10 off, no minimum"},
		{Coupon{Kind: KindPercent, PercentOff: 15}, "8.5折", "15% off"},
		{Coupon{Kind: KindPercent, PercentOff: 10, MinAmount: 20000, MaxDiscount: 5000}, "满200打9折，最多减50元", "10% off ¥200, at most ¥50"},
	}
	for _, tt := range tests {
		v := tt.c.Value()
		if got := i18n.For(i18n.ZhCN).Msg(v); got != tt.zh {
			t.Errorf("%+v in Chinese: %q, want %q", tt.c, got, tt.zh)
		}
		if got := i18n.For(i18n.En).Msg(v); got != tt.en {
			t.Errorf("%+v in English: %q, want %q", tt.c, got, tt.en)
		}
		// As the audit log keeps it: JSON, read back later.
		var kept i18n.Msg
		if s, err := v.Value(); err != nil || kept.Scan(s) != nil || i18n.For(i18n.ZhCN).Msg(kept) != tt.zh || i18n.For(i18n.En).Msg(kept) != tt.en {
			t.Errorf("%+v kept: %q / %q", tt.c, i18n.For(i18n.ZhCN).Msg(kept), i18n.For(i18n.En).Msg(kept))
		}
	}
}

func TestDraftValidation(t *testing.T) {
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	ok := Draft{Name: "满100减20", Kind: KindThreshold, Amount: 2000, MinAmount: 10000, Scope: ScopeShop,
		StartsAt: start, EndsAt: start.AddDate(0, 1, 0), TotalQuantity: 100, PerShopperLimit: 1}
	if err := ok.normalized().validate(); err != nil {
		t.Fatalf("a good draft is refused: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(d *Draft)
		field string
	}{
		{"empty name", func(d *Draft) { d.Name = "  " }, "name"},
		{"unknown kind", func(d *Draft) { d.Kind = "bogo" }, "kind"},
		{"threshold without threshold", func(d *Draft) { d.MinAmount = 0 }, "min_amount"},
		{"threshold takes off more than its threshold", func(d *Draft) { d.Amount = 20000 }, "amount"},
		{"threshold with a percentage", func(d *Draft) { d.PercentOff = 10 }, "kind"},
		{"fixed with a threshold", func(d *Draft) { d.Kind = KindFixed }, "kind"},
		{"fixed without amount", func(d *Draft) { d.Kind, d.MinAmount, d.Amount = KindFixed, 0, 0 }, "amount"},
		{"percent of 100", func(d *Draft) { d.Kind, d.Amount, d.PercentOff = KindPercent, 0, 100 }, "percent_off"},
		{"percent with an amount", func(d *Draft) { d.Kind, d.PercentOff = KindPercent, 10 }, "kind"},
		{"percent with a negative cap", func(d *Draft) { d.Kind, d.Amount, d.PercentOff, d.MaxDiscount = KindPercent, 0, 10, -1 }, "max_discount"},
		{"categories without ids", func(d *Draft) { d.Scope = ScopeCategories }, "scope_ids"},
		{"bad ids", func(d *Draft) { d.Scope, d.ScopeIDs = ScopeProducts, []int64{-3, 4} }, "scope_ids"},
		{"unknown scope", func(d *Draft) { d.Scope = "brand" }, "scope"},
		{"ends before it starts", func(d *Draft) { d.EndsAt = start }, "ends_at"},
		{"no start", func(d *Draft) { d.StartsAt = time.Time{} }, "starts_at"},
		{"a year and a day", func(d *Draft) { d.ValidDays = 366 }, "valid_days"},
		{"no quantity", func(d *Draft) { d.TotalQuantity = 0 }, "total_quantity"},
		{"no limit", func(d *Draft) { d.PerShopperLimit = 0 }, "per_shopper_limit"},
	}
	for _, tt := range tests {
		d := ok
		tt.edit(&d)
		err := d.normalized().validate()
		if e := errs.As(err); err == nil || e.Details["field"] != tt.field {
			t.Errorf("%s: got %v, want an error on %s", tt.name, err, tt.field)
		}
	}
}

func TestStatusAndValidity(t *testing.T) {
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	c := Coupon{StartsAt: start, EndsAt: start.AddDate(0, 0, 10)}
	for at, want := range map[time.Time]Status{
		start.Add(-time.Second): StatusUpcoming, start: StatusLive,
		c.EndsAt.Add(-time.Second): StatusLive, c.EndsAt: StatusEnded,
	} {
		if got := c.StatusAt(at); got != want {
			t.Errorf("StatusAt(%s) = %s, want %s", at, got, want)
		}
	}
	stopped := c
	stopped.StoppedAt = &start
	if stopped.StatusAt(start.Add(time.Hour)) != StatusStopped {
		t.Error("a stopped coupon is not shown as stopped")
	}

	claimed := start.Add(48 * time.Hour)
	if from, until := c.validity(claimed); !from.Equal(start) || !until.Equal(c.EndsAt) {
		t.Errorf("window validity: %s – %s", from, until)
	}
	c.ValidDays = 7
	if from, until := c.validity(claimed); !from.Equal(claimed) || !until.Equal(claimed.AddDate(0, 0, 7)) {
		t.Errorf("days validity: %s – %s", from, until)
	}
	h := Held{Status: HeldUnused, ValidUntil: claimed}
	if h.StateAt(claimed.Add(-time.Second)) != HeldUnused || h.StateAt(claimed) != HeldExpired {
		t.Error("an unused coupon does not expire at valid_until")
	}
	h.Status = HeldUsed
	if h.StateAt(claimed.Add(time.Hour)) != HeldUsed {
		t.Error("a used coupon shows as expired")
	}
}
