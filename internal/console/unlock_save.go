package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponshare"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// unlockFormData is what the campaign form offers: the shop's coupons to
// choose the reward and the invite coupon from.
type unlockFormData struct {
	Coupons []coupon.Coupon
}

// unlockNew: GET /console/unlock-campaigns/new — invite 3 friends, from now
// for a week.
func (h *handlers) unlockNew(c *gin.Context) {
	start := time.Now().In(clock.China).Truncate(time.Minute)
	v := url.Values{"friends_needed": {"3"}, "starts_at": {start.Format(couponTimeLayout)},
		"ends_at": {start.AddDate(0, 0, 7).Format(couponTimeLayout)}}
	h.unlockForm(c, http.StatusOK, NewForm(c, v))
}

// unlockCreate: POST /console/unlock-campaigns — audited by the service.
func (h *handlers) unlockCreate(c *gin.Context) {
	form := postedForm(c)
	d, err := readUnlock(form)
	if err == nil {
		_, err = h.d.Gifts.CreateCampaign(c.Request.Context(), me(c).Actor(), d)
	}
	if err != nil {
		h.unlockForm(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/unlock-campaigns", httpx.Printer(c).T("couponshare.console.created", "name", d.Name))
}

// unlockStop: POST /console/unlock-campaigns/{id}/stop
func (h *handlers) unlockStop(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	var cp couponshare.Campaign
	if err == nil {
		cp, err = h.d.Gifts.StopCampaign(c.Request.Context(), me(c).Actor(), id)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, "/console/unlock-campaigns", httpx.Printer(c).T("couponshare.console.stopped", "name", cp.Name))
}

func (h *handlers) unlockForm(c *gin.Context, status int, form *Form) {
	pg, _ := page.Parse("", "100")
	cs, _, err := h.d.Coupons.List(c.Request.Context(), coupon.Query{Status: coupon.StatusLive, Page: pg})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "unlock_campaign_form.html", View{Title: httpx.Printer(c).T("couponshare.console.add"), Nav: "unlock",
		Form: form, Data: unlockFormData{Coupons: cs}})
}

// readUnlock turns the campaign form into a draft; times in shop time.
func readUnlock(f *Form) (couponshare.CampaignDraft, error) {
	d := couponshare.CampaignDraft{Name: f.Get("name")}
	var err error
	if d.RewardCouponID, err = optionalID("reward_coupon_id", f.Get("reward_coupon_id")); err != nil {
		return d, err
	}
	if d.InviteCouponID, err = optionalID("invite_coupon_id", f.Get("invite_coupon_id")); err != nil {
		return d, err
	}
	if d.FriendsNeeded, err = couponInt("friends_needed", f.Get("friends_needed")); err != nil {
		return d, err
	}
	if d.StartsAt, err = couponTime("starts_at", f.Get("starts_at")); err != nil {
		return d, err
	}
	d.EndsAt, err = couponTime("ends_at", f.Get("ends_at"))
	return d, err
}

// optionalID reads a chosen id; none chosen is 0, which the domain refuses
// as required.
func optionalID(field, s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	ids, err := couponIDs(field, s)
	if err != nil || len(ids) != 1 {
		return 0, err
	}
	return ids[0], nil
}
