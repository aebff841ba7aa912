package console

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/money"
	"github.com/kaidian/kaidian/internal/report"
)

// funnelColumns are the funnel CSV's columns by their stable English names
// (?headers=en); people get them in their language ("console.funnel.column.<name>").
var funnelColumns = []string{"day", "source", "source_name", "visits", "visitors", "cart_shoppers", "orders",
	"paid_orders", "paid_revenue", "refunds", "net_revenue"}

// funnelExport: GET /console/funnel/export.csv?from=&to=[&headers=en]
// One row per day and source with visits or orders, then one row per
// source over the whole period (day "total": its visitors are counted
// once however many days they came). Amounts are decimals in yuan, as the
// orders export writes them; with headers=en the header is the English
// column names and sources their codes.
func (h *handlers) funnelExport(c *gin.Context) {
	from, to, err := h.d.Reports.FunnelPeriod(c.Query("from"), c.Query("to"))
	if err != nil {
		h.fail(c, err)
		return
	}
	f, err := h.d.Reports.Funnel(c.Request.Context(), from, to)
	if err != nil {
		h.fail(c, err)
		return
	}
	p, forTools := httpx.Printer(c), c.Query("headers") == "en"
	header := funnelColumns
	total := "total"
	if !forTools {
		header = make([]string, len(funnelColumns))
		for i, col := range funnelColumns {
			header[i] = p.Enum("console.funnel.column", col)
		}
		total = p.T("console.funnel.total")
	}
	names := map[string]string{}
	for _, s := range f.Sources {
		names[s.Source] = s.Name
		if !forTools {
			names[s.Source] = sourceName(p, s.Source, s.Name)
		}
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="funnel-%s-%s.csv"`,
		from.Format("20060102"), to.AddDate(0, 0, -1).Format("20060102")))
	c.Writer.WriteString("\ufeff")
	w := csv.NewWriter(c.Writer)
	w.Write(header)
	for _, d := range f.Days {
		for _, s := range f.Sources {
			if st, ok := d.BySource[s.Source]; ok {
				w.Write(funnelRow(d.Date.Format(time.DateOnly), s.Source, names[s.Source], st))
			}
		}
	}
	for _, s := range f.Sources {
		w.Write(funnelRow(total, s.Source, names[s.Source], s.FunnelStep))
	}
	w.Flush()
}

func funnelRow(day, source, name string, st report.FunnelStep) []string {
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	return []string{day, cell(source), cell(name), n(st.Visits), n(st.Visitors), n(st.CartShoppers), n(st.Orders),
		n(st.PaidOrders), money.Decimal(st.PaidRevenue), money.Decimal(st.Refunds), money.Decimal(st.NetRevenue())}
}
