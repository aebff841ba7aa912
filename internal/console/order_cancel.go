package console

import (
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

// orderCancel: POST /console/orders/{no}/cancel
func (h *handlers) orderCancel(c *gin.Context) {
	no := c.Param("no")
	if _, err := h.d.Orders.CancelUnpaid(c.Request.Context(), me(c).Actor(), no); err != nil {
		h.orderPage(c, httpx.Status(err), NewForm(c, url.Values{}).Fail(err))
		return
	}
	redirect(c, orderURL(no), httpx.Printer(c).T("console.order.cancelled"))
}
