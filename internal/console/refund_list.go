package console

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/payment"
)

// refundList: GET /console/refunds?type=&status=&requests=&cursor= — refund
// requests by type and state (still open ones, oldest first, unless a
// state is chosen), and refunds, newest first.
func (h *handlers) refundList(c *gin.Context) {
	h.refundPage(c, http.StatusOK, NewForm(c, url.Values{}))
}

func (h *handlers) refundPage(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	pg, err := listPage(c, "50")
	d := refundListData{Query: c.Request.URL.Query(), Types: requestTypes, States: requestStates}
	q := payment.RequestQuery{Type: c.Query("type"), Status: c.Query("status")}
	if err == nil && (!slices.Contains(requestTypes, q.Type) && q.Type != "" || !slices.Contains(requestStates, q.Status) && q.Status != "") {
		err = errs.Field("status", "aftersale.console.filter")
	}
	if err == nil {
		q.Page, err = page.Parse(c.Query("requests"), "50")
	}
	if err == nil {
		d.Requests, d.NextRequests, err = h.d.Payments.SearchRefundRequests(ctx, q)
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

// The filters of the refunds page.
var (
	requestTypes  = []string{payment.TypeRefundOnly, payment.TypeReturnRefund}
	requestStates = []string{payment.RequestPending, payment.RequestApproved, payment.RequestReturning, payment.RequestReceived,
		payment.RequestRefunded, payment.RequestDeclined, payment.RequestCancelled}
)

type refundListData struct {
	Requests      []payment.RefundRequest
	NextRequests  string
	Types, States []string
	Refunds       []payment.RefundRow
	Next          string
	Query         url.Values
	OwnerLimit    int64
}
