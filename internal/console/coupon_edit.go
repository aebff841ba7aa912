package console

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/httpx"
)

// couponFormData is what the create and edit form needs besides the values.
type couponFormData struct {
	Coupon *coupon.Coupon // nil when creating
	Locked bool           // shoppers hold it: only name, quantity, limit and claimable may change
}

// couponNew: GET /console/coupons/new
func (h *handlers) couponNew(c *gin.Context) {
	h.render(c, http.StatusOK, "coupon_form.html", View{Title: httpx.Printer(c).T("console.coupon_form.new_title"), Nav: "coupons",
		Form: NewForm(c, newCouponValues(time.Now())), Data: couponFormData{}})
}

// couponEdit: GET /console/coupons/{id}/edit
func (h *handlers) couponEdit(c *gin.Context) {
	cp, ok := h.couponParam(c)
	if !ok {
		return
	}
	h.render(c, http.StatusOK, "coupon_form.html", View{Title: httpx.Printer(c).T("console.coupon_form.edit_title", "name", cp.Name), Nav: "coupons",
		Form: NewForm(c, couponValues(cp)), Data: couponFormData{Coupon: &cp, Locked: cp.Claimed > 0}})
}

// couponParam loads the coupon named in the path, or renders the error page.
func (h *handlers) couponParam(c *gin.Context) (coupon.Coupon, bool) {
	return pathRecord(h, c, h.d.Coupons.Get)
}

func couponURL(id int64) string { return "/console/coupons/" + strconv.FormatInt(id, 10) }
