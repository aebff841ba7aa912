package console

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/report"
)

// flashRefreshMS is how often a live sale's page reloads itself.
const flashRefreshMS = 3000

type flashPageData struct {
	Sale      flashsale.Sale
	Status    string // upcoming, live, sold_out or ended
	Stats     report.FlashSaleStats
	Items     []flashItemRow
	SellOut   string // start to first sold out, "" if it never sold out
	PayWindow string
	Cancelled bool  // ended before it started
	Taken     int64 // percent of the units sold or held
	Refresh   int   // milliseconds; 0 when not live
}

// flashItemRow is one SKU of a sale with the SKU as the catalog has it now.
type flashItemRow struct {
	flashsale.Item
	SKU *catalogio.StockRow // nil if the SKU is gone
}

// flashShow: GET /console/flash-sales/{id} — the sale, its SKUs and, by
// phase, what can be done with it, its live numbers (reloading every few
// seconds) or its results.
func (h *handlers) flashShow(c *gin.Context) {
	sale, ok := h.flashParam(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	st, err := h.d.Reports.FlashSaleStats(ctx, sale)
	if err != nil {
		h.fail(c, err)
		return
	}
	rows := saleRows(sale)
	if err := h.lookUpRows(ctx, rows, &sale); err != nil {
		h.fail(c, err)
		return
	}
	p := httpx.Printer(c)
	data := flashPageData{Sale: sale, Stats: st, Status: flashStatus(st.Phase, st.Available),
		PayWindow: flashDuration(p, sale.PayWindow()), Taken: percent(st.Sold+st.Held, st.Allotted),
		Cancelled: sale.EndedAt != nil && !sale.EndedAt.After(sale.StartsAt)}
	for i, it := range sale.Items {
		data.Items = append(data.Items, flashItemRow{Item: it, SKU: rows[i].Found})
	}
	if st.FirstSoldOutAt != nil {
		data.SellOut = flashDuration(p, st.TimeToSellOut)
	}
	if st.Phase == flashsale.PhaseLive {
		data.Refresh = flashRefreshMS
	}
	h.render(c, http.StatusOK, "flash_sale.html", View{Title: sale.Title, Nav: "flash-sales", Data: data})
}

// flashStatus is the badge of a sale: its phase, or sold out while live
// with no unit left.
func flashStatus(p flashsale.Phase, available int64) string {
	if p == flashsale.PhaseLive && available == 0 {
		return "sold_out"
	}
	return string(p)
}

// flashDuration reads a span the way a merchant says it: 850 毫秒, 4.2 秒,
// 3 分 05 秒, 2 小时 10 分 (850ms, 4.2s, 3m 05s, 2h 10m in English).
func flashDuration(p *i18n.Printer, d time.Duration) string {
	switch {
	case d < time.Second:
		return p.T("console.flash.duration_ms", "n", d.Milliseconds())
	case d < time.Minute:
		return p.T("console.flash.duration_s", "n", fmt.Sprintf("%.1f", d.Seconds()))
	case d < time.Hour:
		return p.T("console.flash.duration_m", "m", int(d.Minutes()), "s", fmt.Sprintf("%02d", int(d.Seconds())%60))
	}
	return p.T("console.flash.duration_h", "h", int(d.Hours()), "m", fmt.Sprintf("%02d", int(d.Minutes())%60))
}
