package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

type productListData struct {
	Rows       []catalog.MerchantRow
	Next       string
	Query      url.Values
	Categories []categoryOption
	LowStock   int64 // the shop's threshold
	Filtered   bool  // some filter is set (an empty list then means "no match", not "no products")
}

// productList: GET /console/products?q=&category_id=&shelf=on|off&low=1&cursor=
func (h *handlers) productList(c *gin.Context) {
	ctx := c.Request.Context()
	sh, err := h.d.Settings.Get(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	q := c.Request.URL.Query()
	mq := catalog.MerchantQuery{Q: q.Get("q"), Shelf: catalog.Shelf(q.Get("shelf")), LowStock: q.Get("low") == "1",
		Threshold: sh.LowStockThreshold}
	if mq.Shelf != catalog.ShelfOn && mq.Shelf != catalog.ShelfOff {
		mq.Shelf = catalog.ShelfAny
	}
	if v := q.Get("category_id"); v != "" {
		if mq.CategoryID, err = strconv.ParseInt(v, 10, 64); err != nil {
			h.fail(c, errs.Field("category_id", "console.category_unknown"))
			return
		}
	}
	if mq.Page, err = page.Parse(q.Get("cursor"), "50"); err != nil {
		h.fail(c, err)
		return
	}
	rows, next, err := h.d.Catalog.MerchantProducts(ctx, mq)
	if err != nil {
		h.fail(c, err)
		return
	}
	cats, err := h.categoryOptions(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "products.html", View{Title: httpx.Printer(c).T("console.products.title"), Nav: "products", Data: productListData{
		Rows: rows, Next: next, Query: q, Categories: cats, LowStock: sh.LowStockThreshold,
		Filtered: mq.Q != "" || mq.CategoryID != 0 || mq.Shelf != catalog.ShelfAny || mq.LowStock,
	}})
}
