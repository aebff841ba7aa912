package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// couponIssue: POST /console/coupons/{id}/issue — one coupon to each listed shopper.
func (h *handlers) couponIssue(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	form := postedForm(c)
	shoppers, err := couponIDs("shopper_ids", form.Get("shopper_ids"))
	var n int
	if err == nil {
		n, err = h.d.Coupons.Issue(c.Request.Context(), me(c).Actor(), id, shoppers)
	}
	if err != nil {
		h.couponPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, couponURL(id), httpx.Printer(c).T("console.coupon.issued", "count", n))
}
