package console

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/inventory"
)

// refundReceive: POST /console/refunds/requests/{id}/receive {restock_<sku id> (units)}
// — the goods of a return arrived; the units typed go back on sale when
// its refund succeeds.
func (h *handlers) refundReceive(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	var restock []inventory.Line
	if err == nil {
		restock, err = restockUnits(form)
	}
	if err == nil {
		_, err = h.d.Payments.ReceiveReturn(c.Request.Context(), authority(c), id, restock)
	}
	if err != nil {
		h.refundRequestPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, refundRequestURL(id), httpx.Printer(c).T("aftersale.console.received"))
}

// restockUnits reads restock_<sku id> fields: units of each SKU, blank or 0 for none.
func restockUnits(form *Form) ([]inventory.Line, error) {
	var out []inventory.Line
	for key, vs := range form.Values {
		sku, ok := strings.CutPrefix(key, "restock_")
		if !ok || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		id, err := strconv.ParseInt(sku, 10, 64)
		qty, qerr := strconv.ParseInt(strings.TrimSpace(vs[0]), 10, 64)
		if err != nil || qerr != nil || qty < 0 {
			return nil, errs.Field("restock", "console.restock_units")
		}
		if qty > 0 {
			out = append(out, inventory.Line{SKUID: id, Quantity: qty})
		}
	}
	slices.SortFunc(out, func(a, b inventory.Line) int { return cmp.Compare(a.SKUID, b.SKUID) })
	return out, nil
}

// refundReturn: POST /console/refunds/requests/{id}/refund — the refund of
// a return whose goods arrived.
func (h *handlers) refundReturn(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		_, err = h.d.Payments.RefundReturn(c.Request.Context(), httpx.Logger(c), authority(c), id)
	}
	if err != nil {
		h.refundRequestPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, refundRequestURL(id), httpx.Printer(c).T("aftersale.console.refund_started"))
}
