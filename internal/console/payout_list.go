package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/promoter"
)

type payoutListData struct {
	Batches   []commission.Batch
	Due       []commission.Due
	Promoters map[int64]promoter.Promoter
	DueTotal  int64
}

// payoutList: GET /console/payouts (owners) — what promoters are due now
// (settled and in no open batch), the form that puts it in a batch, and
// the batches.
func (h *handlers) payoutList(c *gin.Context) {
	h.payoutPage(c, http.StatusOK, NewForm(c, url.Values{"cutoff": {time.Now().In(clock.China).Format("2006-01-02")}}))
}

func (h *handlers) payoutPage(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	var d payoutListData
	var err error
	if d.Batches, err = h.d.Commission.Batches(ctx, 100); err == nil {
		d.Due, err = h.d.Commission.Due(ctx, time.Now(), nil)
	}
	if err == nil {
		ids := make([]int64, 0, len(d.Due))
		for _, x := range d.Due {
			ids, d.DueTotal = append(ids, x.PromoterID), d.DueTotal+x.Amount
		}
		d.Promoters, err = h.d.Promoters.ByIDs(ctx, ids)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "payouts.html", View{Title: httpx.Printer(c).T("console.payouts.title"), Nav: "payouts", Form: form, Data: d})
}

// payoutCreate: POST /console/payouts {cutoff (a day: settled through its
// end), codes (promoter codes, blank for everyone due)} (owners)
func (h *handlers) payoutCreate(c *gin.Context) {
	ctx := c.Request.Context()
	form := postedForm(c)
	cutoff, err := shopDay("cutoff", form.Get("cutoff"))
	if !cutoff.IsZero() {
		cutoff = cutoff.AddDate(0, 0, 1) // through the end of that day
	}
	var ids []int64
	for _, code := range strings.Fields(strings.ReplaceAll(form.Get("codes"), ",", " ")) {
		if err != nil {
			break
		}
		var p promoter.Promoter
		if p, err = h.d.Promoters.ByCode(ctx, strings.ToUpper(code)); err == nil {
			ids = append(ids, p.ID)
		}
	}
	var b commission.Batch
	if err == nil {
		b, err = h.d.Commission.CreateBatch(ctx, me(c).Actor(), cutoff, ids)
	}
	if err != nil {
		h.payoutPage(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/payouts/"+strconv.FormatInt(b.ID, 10), httpx.Printer(c).T("console.payouts.created"))
}
