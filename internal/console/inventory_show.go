package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
)

type inventorySKUData struct {
	SKU      catalogio.StockRow
	Ledger   []inventory.Movement
	Next     string
	Query    url.Values
	LowStock int64
}

// inventorySKU: GET /console/inventory/:id?cursor= — a SKU's stock, its
// ledger (newest first) and the adjustment form.
func (h *handlers) inventorySKU(c *gin.Context) {
	h.showSKU(c, http.StatusOK, NewForm(c, url.Values{}))
}

func (h *handlers) showSKU(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	sh, err := h.d.Settings.Get(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	k, err := h.d.CatalogIO.StockOf(ctx, id, sh.LowStockThreshold)
	if err != nil {
		h.fail(c, err)
		return
	}
	q := c.Request.URL.Query()
	pg, err := page.Parse(q.Get("cursor"), "50")
	if err != nil {
		h.fail(c, err)
		return
	}
	ms, next, err := h.d.CatalogIO.Ledger(ctx, id, pg)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "inventory_sku.html", View{Title: httpx.Printer(c).T("console.inventory.sku_title", "code", k.Code), Nav: "inventory", Form: form,
		Data: inventorySKUData{SKU: k, Ledger: ms, Next: next, Query: q, LowStock: sh.LowStockThreshold}})
}
