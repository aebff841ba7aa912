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

type couponRow struct {
	coupon.Coupon
	Status coupon.Status
	Value  string // what it takes off, in the reader's language
	Stats  report.CouponStats
}

type couponListData struct {
	Rows     []couponRow
	Next     string
	Query    url.Values
	Statuses []coupon.Status
}

// couponList: GET /console/coupons?status=&cursor= — coupons newest first
// with their status and numbers (three queries per page, whatever its size).
func (h *handlers) couponList(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), "50")
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cs, next, err := h.d.Coupons.List(ctx, coupon.Query{Status: coupon.Status(c.Query("status")), Page: pg})
	if err != nil {
		h.fail(c, err)
		return
	}
	stats, err := h.d.Reports.CouponStats(ctx, cs)
	if err != nil {
		h.fail(c, err)
		return
	}
	now, p := time.Now(), httpx.Printer(c)
	rows := make([]couponRow, len(cs))
	for i, cp := range cs {
		rows[i] = couponRow{Coupon: cp, Status: cp.StatusAt(now), Value: p.Msg(cp.Value()), Stats: stats[cp.ID]}
	}
	h.render(c, http.StatusOK, "coupons.html", View{Title: p.T("console.coupons.title"), Nav: "coupons",
		Data: couponListData{Rows: rows, Next: next, Query: c.Request.URL.Query(), Statuses: coupon.Statuses}})
}
