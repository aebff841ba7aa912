package console

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/payment"
)

// orderRefund: POST /console/orders/{no}/refund {amount (yuan, empty = all
// that is left), reason, restock_<sku id> (units), restock_all}
func (h *handlers) orderRefund(c *gin.Context) {
	form := postedForm(c)
	no := c.Param("no")
	in, err := refundInput(form, no)
	var r payment.Refund
	if err == nil {
		r, err = h.d.Payments.Refund(c.Request.Context(), httpx.Logger(c), authority(c), in)
	}
	if err != nil {
		h.orderPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	p := httpx.Printer(c)
	redirect(c, orderURL(no), p.T("console.order.refund_started", "no", r.OutRefundNo, "amount", p.Money(r.Amount),
		"status", p.Enum("console.refund_status", r.Status)))
}

// refundInput reads the refund form.
func refundInput(form *Form, orderNo string) (payment.RefundInput, error) {
	in := payment.RefundInput{OrderNo: orderNo, Reason: i18n.Text(strings.TrimSpace(form.Get("reason"))),
		RestockAll: form.Get("restock_all") == "on"}
	if s := strings.TrimSpace(form.Get("amount")); s != "" {
		fen, err := parseFen("amount", s)
		if err != nil {
			return in, err
		}
		if fen == 0 {
			return in, errs.Field("amount", "console.refund_amount")
		}
		in.Amount = fen
	}
	if in.RestockAll {
		return in, nil
	}
	for key, vs := range form.Values {
		sku, ok := strings.CutPrefix(key, "restock_")
		if !ok || sku == "all" || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		id, err := strconv.ParseInt(sku, 10, 64)
		qty, qerr := strconv.ParseInt(strings.TrimSpace(vs[0]), 10, 64)
		if err != nil || qerr != nil || qty < 0 {
			return in, errs.Field("restock", "console.restock_units")
		}
		if qty > 0 {
			in.Restock = append(in.Restock, inventory.Line{SKUID: id, Quantity: qty})
		}
	}
	slices.SortFunc(in.Restock, func(a, b inventory.Line) int { return cmp.Compare(a.SKUID, b.SKUID) })
	return in, nil
}

// authority is the signed-in account as the payment domain judges refunds.
func authority(c *gin.Context) payment.Authority {
	a := me(c)
	return payment.Authority{Actor: a.Actor(), Owner: a.IsOwner()}
}
