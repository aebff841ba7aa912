package console

import "github.com/gin-gonic/gin"

// mountOrders registers the pages for orders, shipping, refunds. None is
// owner-only: the owner refund limit is enforced by the payment domain for
// each refund, whoever asks.
func (h *handlers) mountOrders(r *gin.RouterGroup) {
	r.GET("/orders", h.orderList)
	r.GET("/orders/export.csv", h.orderExport)
	r.GET("/orders/ship-csv", h.orderShipCSVPage)
	r.POST("/orders/ship-csv", h.orderShipCSV)
	r.GET("/orders/:no", h.orderShow)
	r.POST("/orders/:no/ship", h.orderShip)
	r.POST("/orders/:no/cancel", h.orderCancel)
	r.POST("/orders/:no/refund", h.orderRefund)
	r.POST("/orders/:no/shipping/retry", h.orderRetryUpload)

	r.GET("/refunds", h.refundList)
	r.POST("/refunds/requests/:id/approve", h.refundApprove)
	r.POST("/refunds/requests/:id/decline", h.refundDecline)
}
