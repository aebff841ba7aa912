package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/couponpack"
	"github.com/kaidian/kaidian/internal/httpx"
)

// packCampaignCreate: POST /console/coupon-packs
func (h *handlers) packCampaignCreate(c *gin.Context) {
	form := postedForm(c)
	d, err := readPackCampaign(form)
	var cp couponpack.Campaign
	if err == nil {
		cp, err = h.d.Packs.Create(c.Request.Context(), me(c).Actor(), d)
	}
	if err != nil {
		h.render(c, httpx.Status(err), "coupon_pack_form.html", View{Title: httpx.Printer(c).T("console.coupon_pack_form.new_title"),
			Nav: "coupon-packs", Form: form.Fail(err), Data: packCampaignFormData{}})
		return
	}
	redirect(c, packCampaignURL(cp.ID), httpx.Printer(c).T("console.coupon_pack.created", "name", cp.Name))
}

// packCampaignUpdate: POST /console/coupon-packs/{id}
func (h *handlers) packCampaignUpdate(c *gin.Context) {
	cp, ok := h.packCampaignParam(c)
	if !ok {
		return
	}
	form := postedForm(c)
	d, err := readPackCampaign(form)
	if err == nil {
		_, err = h.d.Packs.Update(c.Request.Context(), me(c).Actor(), cp.ID, d)
	}
	if err != nil {
		h.render(c, httpx.Status(err), "coupon_pack_form.html", View{Title: httpx.Printer(c).T("console.coupon_pack_form.edit_title", "name", cp.Name),
			Nav: "coupon-packs", Form: form.Fail(err), Data: packCampaignFormData{Campaign: &cp}})
		return
	}
	redirect(c, packCampaignURL(cp.ID), httpx.Printer(c).T("console.coupon_pack.saved", "name", d.Name))
}

// packCampaignStop: POST /console/coupon-packs/{id}/stop
func (h *handlers) packCampaignStop(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	var cp couponpack.Campaign
	if err == nil {
		cp, err = h.d.Packs.Stop(c.Request.Context(), me(c).Actor(), id)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, packCampaignURL(id), httpx.Printer(c).T("console.coupon_pack.stopped", "name", cp.Name))
}

// packIssue: POST /console/coupon-packs/{id}/issue — a pack for a channel.
func (h *handlers) packIssue(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c)
	channelID, err := couponCount("channel_id", form.Get("channel_id"))
	var p couponpack.Pack
	if err == nil {
		p, err = h.d.Packs.IssueForChannel(c.Request.Context(), me(c).Actor(), id, channelID)
	}
	if err != nil {
		h.packCampaignPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, packCampaignURL(id), httpx.Printer(c).T("console.coupon_pack.issued", "path", p.Path()))
}
