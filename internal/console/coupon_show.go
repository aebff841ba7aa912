package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/report"
)

type couponPageData struct {
	Coupon     coupon.Coupon
	Status     coupon.Status
	Value      string // what it takes off, in the reader's language
	Stats      report.CouponStats
	ScopeNames []string
	Holders    []coupon.Held
	Next       string
	Query      url.Values
}

// couponShow: GET /console/coupons/{id}?cursor= — the coupon, its numbers,
// who holds it, and the forms to issue or stop it.
func (h *handlers) couponShow(c *gin.Context) {
	h.couponPage(c, http.StatusOK, NewForm(c, url.Values{}))
}

// couponPage renders a coupon's page with form as the issue form (typed
// values and errors kept after a refused issue).
func (h *handlers) couponPage(c *gin.Context, status int, form *Form) {
	cp, ok := h.couponParam(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	data := couponPageData{Coupon: cp, Status: cp.StatusAt(time.Now()), Value: httpx.Printer(c).Msg(cp.Value()),
		Query: c.Request.URL.Query()}
	pg, err := page.Parse(c.Query("cursor"), "50")
	if err == nil {
		data.Holders, data.Next, err = h.d.Coupons.Holders(ctx, cp.ID, pg)
	}
	var stats map[int64]report.CouponStats
	if err == nil {
		stats, err = h.d.Reports.CouponStats(ctx, []coupon.Coupon{cp})
	}
	if err == nil {
		data.ScopeNames, err = h.d.Coupons.ScopeNames(ctx, cp)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	data.Stats = stats[cp.ID]
	h.render(c, status, "coupon.html", View{Title: cp.Name, Nav: "coupons", Form: form, Data: data})
}
