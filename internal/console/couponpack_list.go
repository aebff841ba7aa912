package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

type packCampaignRow struct {
	couponpack.Campaign
	Status couponpack.Status
	Value  string // what a grabbed coupon needs, in the reader's language
}

type packCampaignListData struct {
	Rows  []packCampaignRow
	Next  string
	Query url.Values
}

// packCampaignList: GET /console/coupon-packs?cursor= — lucky-pack
// campaigns newest first.
func (h *handlers) packCampaignList(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), "50")
	var cs []couponpack.Campaign
	var next string
	if err == nil {
		cs, next, err = h.d.Packs.Campaigns(c.Request.Context(), pg)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	now, p := time.Now(), httpx.Printer(c)
	rows := make([]packCampaignRow, len(cs))
	for i, cp := range cs {
		rows[i] = packCampaignRow{Campaign: cp, Status: cp.StatusAt(now), Value: p.Msg(couponpack.Value(cp))}
	}
	h.render(c, http.StatusOK, "coupon_packs.html", View{Title: p.T("console.coupon_packs.title"), Nav: "coupon-packs",
		Data: packCampaignListData{Rows: rows, Next: next, Query: c.Request.URL.Query()}})
}
