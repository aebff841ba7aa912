package console

import (
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/i18n"
)

// A coupon's value as each language's shop software writes it.
func TestCouponValue(t *testing.T) {
	for _, tc := range []struct {
		c      coupon.Coupon
		zh, en string
	}{
		{coupon.Coupon{Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000}, "满100减20", "¥20 off ¥100"},
		{coupon.Coupon{Kind: coupon.KindThreshold, MinAmount: 2000, Amount: 550}, "满20减5.5", "¥5.5 off ¥20"},
		{coupon.Coupon{Kind: coupon.KindFixed, Amount: 1000}, "无门槛减10元", "¥10 off, no minimum"},
		{coupon.Coupon{Kind: coupon.KindPercent, PercentOff: 15}, "8.5折", "15% off"},
		{coupon.Coupon{Kind: coupon.KindPercent, PercentOff: 10, MinAmount: 20000, MaxDiscount: 5000},
			"满200打9折，最多减50元", "10% off ¥200, at most ¥50"},
	} {
		if got := couponValue(i18n.For(i18n.ZhCN), tc.c); got != tc.zh || got != tc.c.Summary() {
			t.Errorf("%+v in Chinese: %q, want %q (and coupon.Summary %q)", tc.c, got, tc.zh, tc.c.Summary())
		}
		if got := couponValue(i18n.For(i18n.En), tc.c); got != tc.en {
			t.Errorf("%+v in English: %q, want %q", tc.c, got, tc.en)
		}
	}
}

// A flash sale's spans in each language: 秒杀's sell-out times and pay windows.
func TestFlashDuration(t *testing.T) {
	zh, en := i18n.For(i18n.ZhCN), i18n.For(i18n.En)
	for d, want := range map[time.Duration][2]string{
		850 * time.Millisecond:             {"850 毫秒", "850ms"},
		4200 * time.Millisecond:            {"4.2 秒", "4.2s"},
		3*time.Minute + 5*time.Second:      {"3 分 05 秒", "3m 05s"},
		2*time.Hour + 10*time.Minute + 9e9: {"2 小时 10 分", "2h 10m"},
	} {
		if got := [2]string{flashDuration(zh, d), flashDuration(en, d)}; got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}
