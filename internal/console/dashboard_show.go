package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/report"
)

type dashboardData struct {
	report.Dashboard
	Chart    chart
	LowStock int64
}

// dashboard: GET /console
func (h *handlers) dashboard(c *gin.Context) {
	sh, err := h.d.Settings.Get(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	d, err := h.d.Reports.CachedDashboard(c.Request.Context(), sh.LowStockThreshold)
	if err != nil {
		h.fail(c, err)
		return
	}
	p := httpx.Printer(c)
	h.render(c, http.StatusOK, "dashboard.html", View{Title: p.T("console.dashboard.title"), Nav: "dashboard",
		Data: dashboardData{Dashboard: d, Chart: salesChart(p, d.Daily), LowStock: sh.LowStockThreshold}})
}

// chart is a bar chart laid out on the server, drawn as SVG by the template.
type chart struct {
	Width, Height int
	Bars          []bar
	Max           int64 // the top of the scale, fen
}

type bar struct {
	X, Y, W, H int
	Label      string // shown under every fifth bar
	Title      string // the tooltip: day, revenue and orders, in the reader's language
}

// salesChart lays out one bar per day, scaled to the best day; p writes
// the tooltips.
func salesChart(p *i18n.Printer, days []report.Day) chart {
	const width, height, bottom = 600, 180, 20
	ch := chart{Width: width, Height: height}
	for _, d := range days {
		ch.Max = max(ch.Max, d.Revenue)
	}
	if len(days) == 0 {
		return ch
	}
	step := width / len(days)
	for i, d := range days {
		h := 0
		if ch.Max > 0 {
			h = int(d.Revenue * int64(height-bottom-4) / ch.Max)
		}
		b := bar{X: i*step + 1, Y: height - bottom - h, W: step - 2, H: h,
			Title: p.T("console.dashboard.bar", "day", p.Day(d.Date), "amount", p.Money(d.Revenue), "count", d.Orders)}
		if i%5 == 4 || i == len(days)-1 {
			b.Label = d.Date.Format("01-02")
		}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
