package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/payment"
)

type refundItemJSON struct {
	OrderItemID int64  `json:"order_item_id"`
	SKUID       int64  `json:"sku_id"`
	Title       string `json:"title"`
	SpecText    string `json:"spec_text"`
	Quantity    int64  `json:"quantity"`
	Amount      int64  `json:"amount"`
}

type returnAddressJSON struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

type returnShipmentJSON struct {
	Carrier    string     `json:"carrier"`
	TrackingNo string     `json:"tracking_no"`
	ShippedAt  *time.Time `json:"shipped_at"`
}

// returnShipment: POST /api/v1/refund-requests/{id}/return-shipment {carrier, tracking_no}
func (h *payHandlers) returnShipment(c *gin.Context) {
	var in payment.ReturnShipmentInput
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = httpx.BindJSON(c, &in)
	}
	var req payment.RefundRequest
	if err == nil {
		req, err = h.svc.ReturnShipment(c.Request.Context(), shopperID(c), id, in)
	}
	reply(c, http.StatusOK, toRefundRequest(httpx.Printer(c))(req), err)
}

// cancelRequest: POST /api/v1/refund-requests/{id}/cancel
func (h *payHandlers) cancelRequest(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	var req payment.RefundRequest
	if err == nil {
		req, err = h.svc.CancelRefundRequest(c.Request.Context(), shopperID(c), id)
	}
	reply(c, http.StatusOK, toRefundRequest(httpx.Printer(c))(req), err)
}

// myRefundRequests: GET /api/v1/me/refund-requests?cursor=&limit=
func (h *payHandlers) myRefundRequests(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	reqs, next, err := h.svc.MyRefundRequests(c.Request.Context(), shopperID(c), pg)
	reply(c, http.StatusOK, listOf(reqs, next, toRefundRequest(httpx.Printer(c))), err)
}
