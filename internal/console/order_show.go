package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/payment"
	"github.com/kaidian/kaidian/internal/shipping"
)

// orderPageData is everything the order page shows.
type orderPageData struct {
	Order      order.Order
	Shopper    customer.Shopper
	Shipment   *shipping.Shipment
	Events     []shipping.Event // the parcel's journey, newest first
	Tracking   bool             // the shop follows parcels through WeChat
	Refunds    []payment.Refund
	Requests   []payment.RefundRequest
	Refundable int64 // what can still be refunded: paid less refunds that have not failed
	Carriers   []shipping.Carrier
	OwnerLimit int64 // refunds of an order above it need an owner
	CanShip    bool
	CanCancel  bool
	CanRefund  bool
}

// orderShow: GET /console/orders/{no}
func (h *handlers) orderShow(c *gin.Context) {
	h.orderPage(c, http.StatusOK, NewForm(c, url.Values{}))
}

// orderPage renders the order page, with a form's values and errors when
// one of its forms was refused.
func (h *handlers) orderPage(c *gin.Context, status int, form *Form) {
	d, err := h.orderData(c, c.Param("no"))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "order.html", View{Title: httpx.Printer(c).T("console.order.title", "no", d.Order.OrderNo), Nav: "orders", Form: form, Data: d})
}

func (h *handlers) orderData(c *gin.Context, no string) (orderPageData, error) {
	ctx := c.Request.Context()
	o, err := h.d.Orders.ByNo(ctx, no)
	if err != nil {
		return orderPageData{}, err
	}
	d := orderPageData{Order: o, Carriers: shipping.Carriers}
	if d.Shopper, err = h.d.Customers.Get(ctx, o.ShopperID); err != nil {
		return d, err
	}
	parcels, err := h.d.Shipping.Parcels(ctx, []int64{o.ID})
	if err != nil {
		return d, err
	}
	if p, ok := parcels[o.ID]; ok {
		d.Shipment, d.Events = &p.Shipment, p.Events
	}
	if d.Refunds, err = h.d.Payments.Refunds(ctx, o.ID); err != nil {
		return d, err
	}
	if d.Requests, err = h.d.Payments.RefundRequests(ctx, o.ShopperID, o.OrderNo); err != nil {
		return d, err
	}
	sh, err := h.d.Settings.Get(ctx)
	if err != nil {
		return d, err
	}
	d.OwnerLimit, d.Tracking = sh.OwnerRefundLimit, sh.WeChatTracking
	d.Refundable = o.PaidTotal()
	for _, r := range d.Refunds {
		if r.Status != payment.RefundFailed {
			d.Refundable -= r.Amount
		}
	}
	d.CanShip = o.Status == order.StatusPaid && d.Refundable > 0
	d.CanCancel = o.Status == order.StatusPendingPayment
	d.CanRefund = o.Refundable() && d.Refundable > 0
	return d, nil
}
