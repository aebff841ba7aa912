package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/channel"
	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

type packCampaignPageData struct {
	Campaign couponpack.Campaign
	Status   couponpack.Status
	Value    string
	Largest  int64
	Packs    []packRow
	Channels []channel.Channel
	Next     string
	Query    url.Values
}

// packRow is one pack as the campaign's page lists it.
type packRow struct {
	couponpack.PackStats
	Path    string
	Expired bool
}

// packCampaignShow: GET /console/coupon-packs/{id}?cursor= — the campaign,
// its packs with what was grabbed, and the forms to issue a pack for a
// channel or stop the campaign.
func (h *handlers) packCampaignShow(c *gin.Context) {
	h.packCampaignPage(c, http.StatusOK, NewForm(c, url.Values{}))
}

// packCampaignPage renders a campaign's page with form as the issue form.
func (h *handlers) packCampaignPage(c *gin.Context, status int, form *Form) {
	cp, ok := h.packCampaignParam(c)
	if !ok {
		return
	}
	ctx, now := c.Request.Context(), time.Now()
	data := packCampaignPageData{Campaign: cp, Status: cp.StatusAt(now), Value: httpx.Printer(c).Msg(couponpack.Value(cp)),
		Largest: cp.Largest(), Query: c.Request.URL.Query()}
	pg, err := page.Parse(c.Query("cursor"), "50")
	var packs []couponpack.PackStats
	if err == nil {
		packs, data.Next, err = h.d.Packs.Packs(ctx, cp.ID, pg)
	}
	if err == nil {
		data.Channels, err = h.d.Packs.Channels(ctx)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, p := range packs {
		data.Packs = append(data.Packs, packRow{PackStats: p, Path: p.Path(), Expired: !now.Before(p.ExpiresAt)})
	}
	h.render(c, status, "coupon_pack.html", View{Title: cp.Name, Nav: "coupon-packs", Form: form, Data: data})
}
