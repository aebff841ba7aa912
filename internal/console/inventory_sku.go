package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/errs"
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
	h.showSKU(c, http.StatusOK, NewForm(url.Values{}))
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
	h.render(c, status, "inventory_sku.html", View{Title: "Stock of " + k.Code, Nav: "inventory", Form: form,
		Data: inventorySKUData{SKU: k, Ledger: ms, Next: next, Query: q, LowStock: sh.LowStockThreshold}})
}

// inventoryAdjust: POST /console/inventory/:id/adjust with quantity (signed:
// 12 adds, -3 takes away) and a reason. A refused adjustment shows the SKU
// page again with what was typed and the error next to its field.
func (h *handlers) inventoryAdjust(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	form := NewForm(url.Values{"quantity": {c.PostForm("quantity")}, "reason": {c.PostForm("reason")}})
	delta, err := strconv.ParseInt(strings.TrimSpace(form.Get("quantity")), 10, 64)
	var after int64
	if err != nil {
		err = errs.Field("quantity", "must be a whole number: 12 adds twelve units, -3 takes three away")
	} else {
		after, err = h.d.CatalogIO.Adjust(c.Request.Context(), id, delta, form.Get("reason"), me(c).Actor())
	}
	if errs.As(err).Kind == errs.KindNotFound {
		h.fail(c, err)
		return
	}
	if err != nil {
		h.showSKU(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, fmt.Sprintf("/console/inventory/%d", id), fmt.Sprintf("Stock %d → %d.", after-delta, after))
}
