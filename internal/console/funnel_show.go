package console

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/report"
)

type funnelData struct {
	report.Funnel
	Last      time.Time // the period's last day
	Names     map[string]string
	Steps     []funnelStepBar
	StepsSize struct{ Width, Height int }
	Chart     chart
}

// funnelStepBar is one step of the funnel drawn as a horizontal bar, its
// width in proportion to the visits.
type funnelStepBar struct {
	Y, W, H int
	Label   string
	Value   int64
}

// funnelShow: GET /console/funnel?from=&to= (the shop's days, both
// included; the last 7 days by default, at most 90)
func (h *handlers) funnelShow(c *gin.Context) {
	form := NewForm(c, c.Request.URL.Query())
	p := httpx.Printer(c)
	title := p.T("console.funnel.title")
	from, to, err := h.d.Reports.FunnelPeriod(form.Get("from"), form.Get("to"))
	if err != nil {
		h.render(c, httpx.Status(err), "funnel.html", View{Title: title, Nav: "funnel", Form: form.Fail(err), Data: funnelData{}})
		return
	}
	f, err := h.d.Reports.Funnel(c.Request.Context(), from, to)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := funnelData{Funnel: f, Last: to.AddDate(0, 0, -1), Names: map[string]string{}}
	for _, s := range f.Sources {
		d.Names[s.Source] = sourceName(p, s.Source, s.Name)
	}
	d.Steps, d.StepsSize.Width, d.StepsSize.Height = funnelSteps(p, f.Total)
	d.Chart = visitsChart(p, f.Days)
	form.Values.Set("from", from.Format(time.DateOnly))
	form.Values.Set("to", d.Last.Format(time.DateOnly))
	h.render(c, http.StatusOK, "funnel.html", View{Title: title, Nav: "funnel", Form: form, Data: d})
}

// funnelSteps lays out the five steps, widest first, scaled to the visits.
func funnelSteps(p *i18n.Printer, t report.FunnelStep) ([]funnelStepBar, int, int) {
	const width, row, gap = 600, 28, 6
	steps := []struct {
		id string
		n  int64
	}{{"visits", t.Visits}, {"visitors", t.Visitors}, {"cart", t.CartShoppers}, {"orders", t.Orders}, {"paid", t.PaidOrders}}
	top := int64(1)
	for _, s := range steps {
		top = max(top, s.n)
	}
	out := make([]funnelStepBar, len(steps))
	for i, s := range steps {
		w := int(s.n * (width - 200) / top)
		out[i] = funnelStepBar{Y: i * (row + gap), W: max(w, 2), H: row, Label: p.Enum("console.funnel.step", s.id), Value: s.n}
	}
	return out, width, len(steps)*(row+gap) - gap
}

// visitsChart lays out one bar per day of visits, scaled to the busiest
// day, as the dashboard draws its sales; p writes the tooltips.
func visitsChart(p *i18n.Printer, days []report.FunnelDay) chart {
	const width, height, bottom = 600, 180, 20
	ch := chart{Width: width, Height: height}
	for _, d := range days {
		ch.Max = max(ch.Max, d.Total.Visits)
	}
	if len(days) == 0 {
		return ch
	}
	step := width / len(days)
	every := max(1, len(days)/10)
	for i, d := range days {
		h := 0
		if ch.Max > 0 {
			h = int(d.Total.Visits * int64(height-bottom-4) / ch.Max)
		}
		b := bar{X: i*step + 1, Y: height - bottom - h, W: max(step-2, 1), H: h,
			Title: p.T("console.funnel.bar", "day", p.Day(d.Date), "visits", d.Total.Visits, "orders", d.Total.Orders,
				"amount", p.Money(d.Total.PaidRevenue))}
		if i%every == every-1 || i == len(days)-1 {
			b.Label = d.Date.Format("01-02")
		}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}
