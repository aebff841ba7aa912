package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// flashPhases are the list's tabs after "all".
var flashPhases = []flashsale.Phase{flashsale.PhaseUpcoming, flashsale.PhaseLive, flashsale.PhaseEnded}

type flashListRow struct {
	flashsale.Sale
	flashsale.UnitTotals
	Status string
	SKUs   []string // "title · spec" of each SKU
}

type flashListData struct {
	Rows   []flashListRow
	Phase  string
	Phases []flashsale.Phase
	Next   string
	Query  url.Values
}

// flashList: GET /console/flash-sales?phase=&cursor= — sales newest first,
// by phase, each with its units (two queries for the sales, one for the
// names of their SKUs).
func (h *handlers) flashList(c *gin.Context) {
	raw := c.Query("phase")
	if raw == "finished" { // the tab's name in links merchants may have kept
		raw = string(flashsale.PhaseEnded)
	}
	phase, err := flashsale.ParsePhase(raw)
	if err != nil {
		h.fail(c, err)
		return
	}
	pg, err := page.Parse(c.Query("cursor"), "50")
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	sales, next, err := h.d.Flash.List(ctx, flashsale.ListFilter{Phase: phase, Page: pg})
	if err != nil {
		h.fail(c, err)
		return
	}
	var ids []int64
	for _, s := range sales {
		for _, it := range s.Items {
			ids = append(ids, it.SKUID)
		}
	}
	skus, err := h.d.Catalog.Sellables(ctx, ids)
	if err != nil {
		h.fail(c, err)
		return
	}
	now := h.d.Flash.Now()
	rows := make([]flashListRow, len(sales))
	for i, s := range sales {
		rows[i] = flashListRow{Sale: s, UnitTotals: s.UnitTotals()}
		rows[i].Status = flashStatus(s.PhaseAt(now), rows[i].Available)
		for _, it := range s.Items {
			name := "SKU #" + itoa(it.SKUID)
			if k, ok := skus[it.SKUID]; ok {
				name = k.Name()
			}
			rows[i].SKUs = append(rows[i].SKUs, name)
		}
	}
	h.render(c, http.StatusOK, "flash_sales.html", View{Title: httpx.Printer(c).T("console.flash_sales.title"), Nav: "flash-sales",
		Data: flashListData{Rows: rows, Phase: string(phase), Phases: flashPhases, Next: next, Query: c.Request.URL.Query()}})
}
