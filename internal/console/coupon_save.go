package console

import (
	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/httpx"
)

// couponCreate: POST /console/coupons
func (h *handlers) couponCreate(c *gin.Context) {
	form := postedForm(c)
	d, err := readCoupon(form)
	var cp coupon.Coupon
	if err == nil {
		cp, err = h.d.Coupons.Create(c.Request.Context(), me(c).Actor(), d)
	}
	if err != nil {
		h.render(c, httpx.Status(err), "coupon_form.html", View{Title: httpx.Printer(c).T("console.coupon_form.new_title"), Nav: "coupons",
			Form: failCoupon(form, err), Data: couponFormData{}})
		return
	}
	redirect(c, couponURL(cp.ID), httpx.Printer(c).T("console.coupon.created", "name", cp.Name))
}

// couponUpdate: POST /console/coupons/{id}
func (h *handlers) couponUpdate(c *gin.Context) {
	cp, ok := h.couponParam(c)
	if !ok {
		return
	}
	form := postedForm(c)
	d, err := readCoupon(form)
	if err == nil {
		_, err = h.d.Coupons.Update(c.Request.Context(), me(c).Actor(), cp.ID, d)
	}
	if err != nil {
		h.render(c, httpx.Status(err), "coupon_form.html", View{Title: httpx.Printer(c).T("console.coupon_form.edit_title", "name", cp.Name), Nav: "coupons",
			Form: failCoupon(form, err), Data: couponFormData{Coupon: &cp, Locked: cp.Claimed > 0}})
		return
	}
	redirect(c, couponURL(cp.ID), httpx.Printer(c).T("console.coupon.saved", "name", d.Name))
}
