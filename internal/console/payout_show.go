package console

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/promoter"
)

type payoutShowData struct {
	Batch     commission.Batch
	Promoters map[int64]promoter.Promoter
}

// payoutShow: GET /console/payouts/{id} (owners) — the batch's promoters
// and amounts, its CSV, and marking it paid or cancelling it.
func (h *handlers) payoutShow(c *gin.Context) {
	h.payoutBatchPage(c, http.StatusOK, NewForm(c, nil))
}

func (h *handlers) payoutBatchPage(c *gin.Context, status int, form *Form) {
	b, ok := pathRecord(h, c, h.d.Commission.Batch)
	if !ok {
		return
	}
	ps, err := h.batchPromoters(c, b)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "payout.html", View{Title: httpx.Printer(c).T("console.payouts.batch", "id", b.ID), Nav: "payouts",
		Form: form, Data: payoutShowData{Batch: b, Promoters: ps}})
}

func (h *handlers) batchPromoters(c *gin.Context, b commission.Batch) (map[int64]promoter.Promoter, error) {
	ids := make([]int64, len(b.Lines))
	for i, l := range b.Lines {
		ids[i] = l.PromoterID
	}
	return h.d.Promoters.ByIDs(c.Request.Context(), ids)
}

// payoutExport: GET /console/payouts/{id}/export.csv?headers=en (owners) —
// one row per promoter, for the bank transfer or the finance team; the
// header row in the reader's language, or English when asked.
func (h *handlers) payoutExport(c *gin.Context) {
	b, ok := pathRecord(h, c, h.d.Commission.Batch)
	if !ok {
		return
	}
	ps, err := h.batchPromoters(c, b)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := i18n.For(csvHeaders(c))
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="kaidian-payout-%d.csv"`, b.ID))
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	w.Write([]string{p.T("console.payouts.csv_batch"), p.T("console.payouts.csv_code"), p.T("console.payouts.csv_name"),
		p.T("console.payouts.csv_kind"), p.T("console.payouts.csv_phone"), p.T("console.payouts.csv_amount"), p.T("console.payouts.csv_status"),
		p.T("console.payouts.csv_reference")})
	for _, l := range b.Lines {
		pr := ps[l.PromoterID]
		w.Write([]string{strconv.FormatInt(b.ID, 10), pr.Code, pr.Name, p.Enum("console.promoter_kind", pr.Kind), pr.Phone,
			money.Decimal(l.Amount), p.Enum("console.payout_status", b.Status), b.Reference})
	}
	w.Flush()
}

// payoutPaid: POST /console/payouts/{id}/paid {reference} (owners)
func (h *handlers) payoutPaid(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		_, err = h.d.Commission.MarkPaid(c.Request.Context(), me(c).Actor(), id, form.Get("reference"))
	}
	if err != nil {
		h.payoutBatchPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/payouts/"+c.Param("id"), httpx.Printer(c).T("console.payouts.paid"))
}

// payoutCancel: POST /console/payouts/{id}/cancel (owners) — the batch is
// dropped; its promoters' balances can go into another.
func (h *handlers) payoutCancel(c *gin.Context) {
	form := postedForm(c)
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.d.Commission.CancelBatch(c.Request.Context(), me(c).Actor(), id)
	}
	if err != nil {
		h.payoutBatchPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/payouts", httpx.Printer(c).T("console.payouts.cancelled"))
}
