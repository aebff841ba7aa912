package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/setting"
)

// settingsPage: GET /console/settings (owners)
func (h *handlers) settingsPage(c *gin.Context) {
	sh, err := h.d.Settings.Get(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	v := settingsValues(sh)
	days, err := h.d.Settings.CommissionSettleDays(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	v.Set("commission_settle_days", strconv.Itoa(days))
	h.render(c, http.StatusOK, "settings.html", View{Title: httpx.Printer(c).T("console.settings.title"), Nav: "settings", Form: NewForm(c, v)})
}

// settingsValues are the settings page's form values from the settings.
func settingsValues(sh setting.Shop) url.Values {
	v := url.Values{
		"name": {sh.Name}, "shipping_fee": {money.Decimal(sh.ShippingFee)}, "free_shipping_threshold": {money.Decimal(sh.FreeShippingThreshold)},
		"order_timeout_minutes": {strconv.Itoa(sh.OrderTimeoutSeconds / 60)}, "low_stock_threshold": {strconv.FormatInt(sh.LowStockThreshold, 10)},
		"owner_refund_limit": {money.Decimal(sh.OwnerRefundLimit)},
	}
	afterSaleValues(sh, v)
	return v
}

// settingsSave: POST /console/settings
func (h *handlers) settingsSave(c *gin.Context) {
	form := postedForm(c)
	sh, err := h.d.Settings.Get(c.Request.Context())
	if err == nil {
		err = readSettings(form, &sh)
	}
	if err == nil {
		_, err = h.d.Settings.Update(c.Request.Context(), me(c).Actor(), sh)
	}
	if err != nil {
		form.Fail(err)
		afterSaleValues(sh, form.Values)
		if msg, ok := form.Errors["order_timeout_seconds"]; ok { // the domain counts seconds, the form minutes
			form.Errors["order_timeout_minutes"] = msg
		}
		h.render(c, httpx.Status(err), "settings.html", View{Title: httpx.Printer(c).T("console.settings.title"), Nav: "settings", Form: form})
		return
	}
	redirect(c, "/console/settings", httpx.Printer(c).T("console.settings.saved"))
}
