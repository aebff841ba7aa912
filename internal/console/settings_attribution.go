package console

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/setting"
)

// attributionValues are the attribution form's values from the settings.
func attributionValues(sh setting.Shop, into map[string][]string) {
	a := sh.Attribution()
	into["attribution_rule"] = []string{a.Rule}
	into["attribution_window_days"] = []string{strconv.Itoa(a.WindowDays)}
	into["binding_lock_days"] = []string{strconv.Itoa(a.LockDays)}
}

// settingsAttributionSave: POST /console/settings/attribution
// {attribution_rule, attribution_window_days, binding_lock_days} (owners)
func (h *handlers) settingsAttributionSave(c *gin.Context) {
	form := postedForm(c)
	a := setting.Attribution{Rule: form.Get("attribution_rule")}
	var err error
	if a.WindowDays, err = strconv.Atoi(strings.TrimSpace(form.Get("attribution_window_days"))); err != nil {
		err = errs.Field("attribution_window_days", "invalid.whole_number")
	} else if a.LockDays, err = strconv.Atoi(strings.TrimSpace(form.Get("binding_lock_days"))); err != nil {
		err = errs.Field("binding_lock_days", "invalid.whole_number")
	}
	if err == nil {
		_, err = h.d.Settings.UpdateAttribution(c.Request.Context(), me(c).Actor(), a)
	}
	if err != nil {
		h.renderSettings(c, httpx.Status(err), form, err)
		return
	}
	redirect(c, "/console/settings", httpx.Printer(c).T("console.settings.attribution_saved"))
}
