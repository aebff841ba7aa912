package console

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/httpx"
)

// packCampaignFormData is what the create and edit form needs besides the values.
type packCampaignFormData struct {
	Campaign *couponpack.Campaign // nil when creating
}

// packCampaignNew: GET /console/coupon-packs/new
func (h *handlers) packCampaignNew(c *gin.Context) {
	h.render(c, http.StatusOK, "coupon_pack_form.html", View{Title: httpx.Printer(c).T("console.coupon_pack_form.new_title"),
		Nav: "coupon-packs", Form: NewForm(c, newPackCampaignValues(time.Now())), Data: packCampaignFormData{}})
}

// packCampaignEdit: GET /console/coupon-packs/{id}/edit
func (h *handlers) packCampaignEdit(c *gin.Context) {
	cp, ok := h.packCampaignParam(c)
	if !ok {
		return
	}
	h.render(c, http.StatusOK, "coupon_pack_form.html", View{Title: httpx.Printer(c).T("console.coupon_pack_form.edit_title", "name", cp.Name),
		Nav: "coupon-packs", Form: NewForm(c, packCampaignValues(cp)), Data: packCampaignFormData{Campaign: &cp}})
}

// packCampaignParam loads the campaign named in the path, or renders the error page.
func (h *handlers) packCampaignParam(c *gin.Context) (couponpack.Campaign, bool) {
	return pathRecord(h, c, h.d.Packs.Campaign)
}

func packCampaignURL(id int64) string { return "/console/coupon-packs/" + strconv.FormatInt(id, 10) }
