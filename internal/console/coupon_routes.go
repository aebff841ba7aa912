package console

import "github.com/gin-gonic/gin"

// mountCoupons registers the pages for coupons: the list with statistics,
// create and edit, a coupon's own page, stopping one and issuing it to
// shoppers. Staff and owners alike run coupons.
func (h *handlers) mountCoupons(r *gin.RouterGroup) {
	r.GET("/coupons", h.couponList)
	r.GET("/coupons/new", h.couponNew)
	r.POST("/coupons", h.couponCreate)
	r.GET("/coupons/:id", h.couponShow)
	r.GET("/coupons/:id/edit", h.couponEdit)
	r.POST("/coupons/:id", h.couponUpdate)
	r.POST("/coupons/:id/stop", h.couponStop)
	r.POST("/coupons/:id/issue", h.couponIssue)
}
