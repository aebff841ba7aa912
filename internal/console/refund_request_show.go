package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/setting"
)

// refundRequestData is everything a refund request's page shows.
type refundRequestData struct {
	Request    payment.RefundRequest
	Order      order.Order
	Return     setting.AfterSale // the shop's return address
	OwnerLimit int64
	CanApprove bool // waiting for a decision
	CanDecline bool // not refunded yet
	CanReceive bool // a return whose goods may have arrived
	CanRefund  bool // a return whose goods arrived
}

// refundRequestShow: GET /console/refunds/requests/{id}
func (h *handlers) refundRequestShow(c *gin.Context) {
	h.refundRequestPage(c, http.StatusOK, NewForm(c, url.Values{}))
}

func (h *handlers) refundRequestPage(c *gin.Context, status int, form *Form) {
	d, err := h.refundRequestData(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "refund_request.html", View{Title: httpx.Printer(c).T("aftersale.console.title", "n", d.Request.ID),
		Nav: "refunds", Form: form, Data: d})
}

func (h *handlers) refundRequestData(c *gin.Context) (refundRequestData, error) {
	ctx := c.Request.Context()
	var d refundRequestData
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return d, err
	}
	if d.Request, err = h.d.Payments.RefundRequest(ctx, id); err != nil {
		return d, err
	}
	if d.Order, err = h.d.Orders.ByID(ctx, d.Request.OrderID); err != nil {
		return d, err
	}
	sh, err := h.d.Settings.Get(ctx)
	if err != nil {
		return d, err
	}
	r := d.Request
	d.Return, d.OwnerLimit = sh.AfterSale(), sh.OwnerRefundLimit
	d.CanApprove = r.Status == payment.RequestPending
	d.CanDecline = r.RefundID == nil && (r.Status == payment.RequestPending || r.Status == payment.RequestApproved ||
		r.Status == payment.RequestReturning || r.Status == payment.RequestReceived)
	ret := r.Type == payment.TypeReturnRefund
	d.CanReceive = ret && (r.Status == payment.RequestApproved || r.Status == payment.RequestReturning)
	d.CanRefund = ret && r.Status == payment.RequestReceived
	return d, nil
}

// refundRequestURL is a request's page.
func refundRequestURL(id int64) string {
	return "/console/refunds/requests/" + strconv.FormatInt(id, 10)
}
