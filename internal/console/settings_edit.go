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
	h.renderSettings(c, http.StatusOK, nil, nil)
}

// renderSettings shows the settings page: every form with the shop's saved
// values, except that the form just posted (if any) keeps what was typed and
// shows why it was not saved. The page holds several forms, each posting on
// its own; one failing must not blank the others.
func (h *handlers) renderSettings(c *gin.Context, status int, posted *Form, err error) {
	ctx := c.Request.Context()
	sh, gerr := h.d.Settings.Get(ctx)
	if gerr != nil {
		h.fail(c, gerr)
		return
	}
	days, gerr := h.d.Settings.CommissionSettleDays(ctx)
	if gerr != nil {
		h.fail(c, gerr)
		return
	}
	v := settingsValues(sh)
	v.Set("commission_settle_days", strconv.Itoa(days))
	if posted != nil {
		for k, vs := range posted.Values {
			v[k] = vs
		}
	}
	f := NewForm(c, v)
	if err != nil {
		f.Fail(err)
		if msg, ok := f.Errors["order_timeout_seconds"]; ok { // the domain counts seconds, the form minutes
			f.Errors["order_timeout_minutes"] = msg
		}
	}
	h.render(c, status, "settings.html", View{Title: httpx.Printer(c).T("console.settings.title"), Nav: "settings", Form: f})
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
		h.renderSettings(c, httpx.Status(err), form, err)
		return
	}
	redirect(c, "/console/settings", httpx.Printer(c).T("console.settings.saved"))
}
