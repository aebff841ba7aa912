package console

import (
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/setting"
)

// readSettings copies the settings form onto sh; amounts are typed in yuan.
func readSettings(f *Form, sh *setting.Shop) error {
	var err error
	sh.Name = strings.TrimSpace(f.Get("name"))
	if sh.ShippingFee, err = parseFen("shipping_fee", f.Get("shipping_fee")); err != nil {
		return err
	}
	if sh.FreeShippingThreshold, err = parseFen("free_shipping_threshold", f.Get("free_shipping_threshold")); err != nil {
		return err
	}
	if sh.OwnerRefundLimit, err = parseFen("owner_refund_limit", f.Get("owner_refund_limit")); err != nil {
		return err
	}
	minutes, err := strconv.Atoi(strings.TrimSpace(f.Get("order_timeout_minutes")))
	if err != nil {
		return errs.Field("order_timeout_minutes", "console.minutes")
	}
	sh.OrderTimeoutSeconds = minutes * 60
	if sh.LowStockThreshold, err = strconv.ParseInt(strings.TrimSpace(f.Get("low_stock_threshold")), 10, 64); err != nil {
		return errs.Field("low_stock_threshold", "invalid.whole_number")
	}
	return nil
}
