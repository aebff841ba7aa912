package console

import (
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/shipping"
)

// orderShip: POST /console/orders/{no}/ship {carrier, tracking_no}
func (h *handlers) orderShip(c *gin.Context) {
	form := postedForm(c)
	no := c.Param("no")
	_, err := h.d.Shipping.Ship(c.Request.Context(), me(c).Actor(), shipping.Input{OrderNo: no,
		Carrier: form.Get("carrier"), TrackingNo: form.Get("tracking_no")})
	if err != nil {
		h.orderPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, orderURL(no), httpx.Printer(c).T("console.order.shipped"))
}

// orderRetryUpload: POST /console/orders/{no}/shipping/retry sends the
// shipping information to WeChat again now.
func (h *handlers) orderRetryUpload(c *gin.Context) {
	ctx := c.Request.Context()
	no := c.Param("no")
	o, err := h.d.Orders.ByNo(ctx, no)
	if err == nil {
		err = h.d.Shipping.RetryUpload(ctx, o.ID)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	redirect(c, orderURL(no), httpx.Printer(c).T("console.order.upload_retry_started"))
}

func orderURL(no string) string { return "/console/orders/" + url.PathEscape(no) }
