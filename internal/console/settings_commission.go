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
		h.renderSettings(c, httpx.Status(err), form, err)
		return
	}
	redirect(c, "/console/settings", httpx.Printer(c).T("console.settings.saved"))
}
