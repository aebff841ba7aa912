package setting

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
)

// AfterSale is the part of the settings about what happens after an order
// ships: when unconfirmed orders complete, whether parcels are followed
// through WeChat's logistics tracking, and where returns go.
type AfterSale struct {
	AutoCompleteDays int
	WeChatTracking   bool
	ReturnName       string
	ReturnPhone      string
	ReturnAddress    string
}

// AfterSale returns the shop's after-sale settings.
func (s Shop) AfterSale() AfterSale {
	return AfterSale{AutoCompleteDays: s.AutoCompleteDays, WeChatTracking: s.WeChatTracking,
		ReturnName: s.ReturnName, ReturnPhone: s.ReturnPhone, ReturnAddress: s.ReturnAddress}
}

// HasReturnAddress reports whether shoppers can be told where to send returns.
func (a AfterSale) HasReturnAddress() bool { return a.ReturnName != "" && a.ReturnAddress != "" }

// returnPhone is a mainland mobile or a landline with its area code.
var returnPhone = regexp.MustCompile(`^(1\d{10}|0\d{2,3}-?\d{7,8})$`)

// validate trims the fields and checks them. WeChat's own shops let orders
// complete 7 to 15 days after shipping; 1 to 30 covers faster and slower
// couriers alike.
func (a *AfterSale) validate() error {
	a.ReturnName, a.ReturnPhone, a.ReturnAddress = strings.TrimSpace(a.ReturnName), strings.TrimSpace(a.ReturnPhone), strings.TrimSpace(a.ReturnAddress)
	switch {
	case a.AutoCompleteDays < 1 || a.AutoCompleteDays > 30:
		return errs.Field("auto_complete_days", "invalid.range", "min", 1, "max", 30)
	case utf8.RuneCountInString(a.ReturnName) > 30:
		return errs.Field("return_name", "invalid.max_length", "max", 30)
	case a.ReturnPhone != "" && !returnPhone.MatchString(a.ReturnPhone):
		return errs.Field("return_phone", "aftersale.setting_phone")
	case utf8.RuneCountInString(a.ReturnAddress) > 200:
		return errs.Field("return_address", "invalid.max_length", "max", 200)
	case (a.ReturnName == "") != (a.ReturnAddress == ""):
		return errs.Field("return_address", "aftersale.setting_address_whole")
	}
	return nil
}

// UpdateAfterSale validates and saves the after-sale settings, recording
// what changed and who changed it in the audit log, in one transaction.
func (s *Service) UpdateAfterSale(ctx context.Context, actor string, a AfterSale) (Shop, error) {
	if err := a.validate(); err != nil {
		return Shop{}, err
	}
	cols := map[string]any{"auto_complete_days": a.AutoCompleteDays, "wechat_tracking": a.WeChatTracking,
		"return_name": a.ReturnName, "return_phone": a.ReturnPhone, "return_address": a.ReturnAddress}
	return s.updateColumns(ctx, actor, cols, func(before Shop) []i18n.Msg { return afterSaleDiff(before.AfterSale(), a) })
}

func afterSaleDiff(a, b AfterSale) []i18n.Msg {
	var parts []i18n.Msg
	if a.AutoCompleteDays != b.AutoCompleteDays {
		parts = append(parts, i18n.M("record.aftersale.setting_complete_days", "from", a.AutoCompleteDays, "to", b.AutoCompleteDays))
	}
	if a.WeChatTracking != b.WeChatTracking {
		parts = append(parts, i18n.M("record.aftersale.setting_tracking", "on", b.WeChatTracking))
	}
	if a.ReturnName != b.ReturnName || a.ReturnPhone != b.ReturnPhone || a.ReturnAddress != b.ReturnAddress {
		parts = append(parts, i18n.M("record.aftersale.setting_return_address", "name", b.ReturnName, "phone", b.ReturnPhone, "address", b.ReturnAddress))
	}
	return parts
}
