package console

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/setting"
)

// afterSaleValues are the after-sale form's values from the settings.
func afterSaleValues(sh setting.Shop, into map[string][]string) {
	a := sh.AfterSale()
	into["auto_complete_days"] = []string{strconv.Itoa(a.AutoCompleteDays)}
	into["return_name"], into["return_phone"], into["return_address"] = []string{a.ReturnName}, []string{a.ReturnPhone}, []string{a.ReturnAddress}
	if a.WeChatTracking {
		into["wechat_tracking"] = []string{"on"}
	}
}

// settingsAfterSaleSave: POST /console/settings/after-sale {auto_complete_days,
// wechat_tracking, return_name, return_phone, return_address} (owners)
func (h *handlers) settingsAfterSaleSave(c *gin.Context) {
	form := postedForm(c)
	a := setting.AfterSale{WeChatTracking: form.Get("wechat_tracking") == "on", ReturnName: form.Get("return_name"),
		ReturnPhone: form.Get("return_phone"), ReturnAddress: form.Get("return_address")}
	days, err := strconv.Atoi(strings.TrimSpace(form.Get("auto_complete_days")))
	if err != nil {
		err = errs.Field("auto_complete_days", "invalid.whole_number")
	}
	if err == nil {
		_, err = h.d.Settings.UpdateAfterSale(c.Request.Context(), me(c).Actor(), setting.AfterSale{AutoCompleteDays: days,
			WeChatTracking: a.WeChatTracking, ReturnName: a.ReturnName, ReturnPhone: a.ReturnPhone, ReturnAddress: a.ReturnAddress})
	}
	if err != nil {
		h.renderSettings(c, httpx.Status(err), form, err)
		return
	}
	redirect(c, "/console/settings", httpx.Printer(c).T("aftersale.console.settings_saved"))
}
