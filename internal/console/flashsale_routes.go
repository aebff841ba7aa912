package console

import "github.com/gin-gonic/gin"

// mountFlashSales registers the pages for flash sales (秒杀): the list by
// phase, schedule and edit (before the start), a sale's own page with its
// live numbers or results, and ending one. Scheduling carves units out of
// stock and ending gives them back, both through the ledger and the audit
// log under the merchant's name; like coupons, staff and owners alike run
// them.
func (h *handlers) mountFlashSales(r *gin.RouterGroup) {
	r.GET("/flash-sales", h.flashList)
	r.GET("/flash-sales/new", h.flashNew)
	r.POST("/flash-sales", h.flashCreate)
	r.GET("/flash-sales/:id", h.flashShow)
	r.GET("/flash-sales/:id/edit", h.flashEdit)
	r.POST("/flash-sales/:id", h.flashUpdate)
	r.POST("/flash-sales/:id/end", h.flashEnd)
}
