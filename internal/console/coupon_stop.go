package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/httpx"
)

// couponStop: POST /console/coupons/{id}/stop
func (h *handlers) couponStop(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	var cp coupon.Coupon
	if err == nil {
		cp, err = h.d.Coupons.Stop(c.Request.Context(), me(c).Actor(), id)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, couponURL(id), httpx.Printer(c).T("console.coupon.stopped", "name", cp.Name))
}
