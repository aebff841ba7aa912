package console

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/payment"
)

// refundApprove: POST /console/refunds/requests/{id}/approve {restock, back}
func (h *handlers) refundApprove(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	var req payment.RefundRequest
	if err == nil {
		req, err = h.d.Payments.ApproveRefundRequest(c.Request.Context(), httpx.Logger(c), authority(c), id, form.Get("restock") == "on")
	}
	if err != nil {
		h.decisionFailed(c, form, err)
		return
	}
	p := httpx.Printer(c)
	msg := p.T("console.refunds.approved")
	if r := req.Refund; r != nil {
		msg = p.T("console.refunds.approved_refund", "no", r.OutRefundNo, "amount", p.Money(r.Amount),
			"status", p.Enum("console.refund_status", r.Status))
	}
	redirect(c, back(form), msg)
}

// refundDecline: POST /console/refunds/requests/{id}/decline {note, back}
func (h *handlers) refundDecline(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		_, err = h.d.Payments.DeclineRefundRequest(c.Request.Context(), authority(c), id, form.Get("note"))
	}
	if err != nil {
		h.decisionFailed(c, form, err)
		return
	}
	redirect(c, back(form), httpx.Printer(c).T("console.refunds.declined"))
}

// decisionFailed shows a refused decision on the page it was made from.
func (h *handlers) decisionFailed(c *gin.Context, form *Form, err error) {
	form.Values.Set("request_id", c.Param("id"))
	if strings.HasPrefix(back(form), "/console/refunds/requests/") {
		h.refundRequestPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	if no, ok := strings.CutPrefix(back(form), "/console/orders/"); ok {
		c.AddParam("no", no)
		h.orderPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	h.refundPage(c, httpx.Status(err), form.Fail(err))
}

// back is where a decision returns to: the order page or the request's
// page it was made on, or the refunds page. Only those console pages are
// accepted, so the form cannot send anyone elsewhere.
func back(form *Form) string {
	b := form.Get("back")
	if id, ok := strings.CutPrefix(b, "/console/refunds/requests/"); ok && id != "" && strings.Trim(id, "0123456789") == "" {
		return b
	}
	if no, ok := strings.CutPrefix(b, "/console/orders/"); ok && no != "" && !strings.ContainsAny(no, "/?#\\") {
		return b
	}
	return "/console/refunds"
}
