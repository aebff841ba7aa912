package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/payment"
)

// refundList: GET /console/refunds?cursor= — requests waiting for a
// decision, oldest first, and refunds, newest first.
func (h *handlers) refundList(c *gin.Context) {
	h.refundPage(c, http.StatusOK, NewForm(c, url.Values{}))
}

func (h *handlers) refundPage(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	pg, err := listPage(c, "50")
	d := refundListData{Query: c.Request.URL.Query()}
	if err == nil {
		d.Requests, err = h.d.Payments.PendingRefundRequests(ctx, 200)
	}
	if err == nil {
		d.Refunds, d.Next, err = h.d.Payments.RecentRefunds(ctx, pg)
	}
	if err == nil {
		sh, serr := h.d.Settings.Get(ctx)
		d.OwnerLimit, err = sh.OwnerRefundLimit, serr
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "refunds.html", View{Title: httpx.Printer(c).T("console.refunds.title"), Nav: "refunds", Form: form, Data: d})
}

type refundListData struct {
	Requests   []payment.PendingRequest
	Refunds    []payment.RefundRow
	Next       string
	Query      url.Values
	OwnerLimit int64
}
