package console

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

// settingsCommissionSave: POST /console/settings/commission
// {commission_settle_days} (owners) — how many days after an order
// completes its commission settles.
func (h *handlers) settingsCommissionSave(c *gin.Context) {
	form := postedForm(c)
	days, err := strconv.Atoi(strings.TrimSpace(form.Get("commission_settle_days")))
	if err != nil {
		err = errs.Field("commission_settle_days", "invalid.whole_number")
	}
	if err == nil {
		err = h.d.Settings.UpdateCommissionSettleDays(c.Request.Context(), me(c).Actor(), days)
	}
	if err != nil {
		sh, gerr := h.d.Settings.Get(c.Request.Context())
		if gerr != nil {
			h.fail(c, gerr)
			return
		}
		vals := settingsValues(sh)
		for k, v := range form.Values {
			vals[k] = v
		}
		f := NewForm(c, vals).Fail(err)
		h.render(c, httpx.Status(err), "settings.html", View{Title: httpx.Printer(c).T("console.settings.title"), Nav: "settings", Form: f})
		return
	}
	redirect(c, "/console/settings", httpx.Printer(c).T("console.settings.saved"))
}
