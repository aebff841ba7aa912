package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// unlockList: GET /console/unlock-campaigns — every share-to-unlock
// campaign, newest first, with shares started, friends claimed and sharers
// rewarded (shops run a handful: one page).
func (h *handlers) unlockList(c *gin.Context) {
	cs, err := h.d.Gifts.Campaigns(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "unlock_campaigns.html", View{Title: httpx.Printer(c).T("couponshare.console.title"), Nav: "unlock", Data: cs})
}
