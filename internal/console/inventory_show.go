package console

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
)

type inventorySKUData struct {
	SKU      catalogio.StockRow
	Ledger   []ledgerRow
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
		Data: inventorySKUData{SKU: k, Ledger: ledgerRows(httpx.Printer(c), ms), Next: next, Query: q, LowStock: sh.LowStockThreshold}})
}

// ledgerRow is a stock movement with its reason as the reader reads it.
type ledgerRow struct {
	inventory.Movement
	Why string
}

func ledgerRows(p *i18n.Printer, ms []inventory.Movement) []ledgerRow {
	rows := make([]ledgerRow, len(ms))
	for i, m := range ms {
		rows[i] = ledgerRow{Movement: m, Why: readable(p, m.Reason)}
	}
	return rows
}

// readable is a stored text as the reader reads it: a kept message
// (i18n.Msg) in the reader's language, plain text as it is.
func readable(p *i18n.Printer, v any) string {
	switch x := v.(type) {
	case i18n.Msg:
		return p.Msg(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
