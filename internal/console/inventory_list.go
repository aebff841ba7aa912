package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

type inventoryListData struct {
	Rows     []catalogio.StockRow
	Next     string
	Query    url.Values
	LowStock int64 // the shop's threshold
	Filtered bool  // a search or filter is set (an empty list then means "no match")
}

// inventoryList: GET /console/inventory?q=&low=1&cursor= — every SKU with
// its stock, newest first; low=1 keeps those at or below the shop's
// low-stock threshold (the dashboard links here).
func (h *handlers) inventoryList(c *gin.Context) {
	ctx := c.Request.Context()
	sh, err := h.d.Settings.Get(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	q := c.Request.URL.Query()
	sq := catalogio.StockQuery{Q: q.Get("q"), LowStock: q.Get("low") == "1", Threshold: sh.LowStockThreshold}
	if sq.Page, err = page.Parse(q.Get("cursor"), "50"); err != nil {
		h.fail(c, err)
		return
	}
	rows, next, err := h.d.CatalogIO.StockList(ctx, sq)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "inventory.html", View{Title: httpx.Printer(c).T("console.inventory.title"), Nav: "inventory", Data: inventoryListData{
		Rows: rows, Next: next, Query: q, LowStock: sh.LowStockThreshold, Filtered: sq.Q != "" || sq.LowStock}})
}
