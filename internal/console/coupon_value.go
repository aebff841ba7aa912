package console

import (
	"strconv"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
)

// couponValue is what a coupon takes off, as the reader's shop software
// writes it: "满100减20", "8.5折" in Chinese; "¥20 off ¥100", "15% off" in
// English. (coupon.Summary is the Chinese one the audit log keeps.)
func couponValue(p *i18n.Printer, c coupon.Coupon) string {
	var s string
	switch c.Kind {
	case coupon.KindFixed:
		return p.T("coupon.value.fixed", "amount", money.Short(c.Amount))
	case coupon.KindThreshold:
		return p.T("coupon.value.threshold", "amount", money.Short(c.Amount), "min", money.Short(c.MinAmount))
	case coupon.KindPercent:
		rate := strconv.Itoa(c.PercentOff)
		if p.Lang() == i18n.ZhCN {
			rate = zhe(c.PercentOff) // Chinese names the share paid: 15% off is 8.5折
		}
		s = p.T("coupon.value.percent", "rate", rate)
		if c.MinAmount > 0 {
			s = p.T("coupon.value.percent_min", "rate", rate, "min", money.Short(c.MinAmount))
		}
		if c.MaxDiscount > 0 {
			s = p.T("coupon.value.cap", "value", s, "cap", money.Short(c.MaxDiscount))
		}
	}
	return s
}

// zhe writes the share paid in 折: 15% off is 8.5, 10% off is 9.
func zhe(percentOff int) string {
	pay := 100 - percentOff
	if pay%10 == 0 {
		return strconv.Itoa(pay / 10)
	}
	return strconv.Itoa(pay/10) + "." + strconv.Itoa(pay%10)
}
