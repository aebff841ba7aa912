package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/httpx"
)

// productNew: GET /console/products/new — an empty form for a one-SKU product.
func (h *handlers) productNew(c *gin.Context) {
	data, _, err := h.productPage(c.Request.Context(), 0)
	if err != nil {
		h.fail(c, err)
		return
	}
	data.CodeBase = codeBase(0, "")
	data.Dims = dimRows(nil)
	data.Rows, _ = syncGrid(nil, nil, data.CodeBase, true)
	form := NewForm(c, url.Values{"on_shelf": {"on"}, "category_id": {c.Query("category_id")}})
	h.render(c, http.StatusOK, "product_form.html", View{Title: httpx.Printer(c).T("console.product_form.new"), Nav: "products", Form: form, Data: data})
}

// productEdit: GET /console/products/:id
func (h *handlers) productEdit(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	data, p, err := h.productPage(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	v := url.Values{"title": {p.Title}, "subtitle": {p.Subtitle}, "description": {p.Description},
		"category_id": {strconv.FormatInt(p.CategoryID, 10)}}
	if p.OnShelf {
		v.Set("on_shelf", "on")
	}
	current, _ := p.Grid()
	data.Images = p.Images.V
	if p.MainImage != "" && len(data.Images) == 0 {
		data.Images = []string{p.MainImage}
	}
	data.Dims = dimRows(p.SpecDims.V)
	// Combinations the product was created without (through the API or an
	// import) show as new rows off sale, so saving does not start selling them.
	data.Rows, _ = syncGrid(p.SpecDims.V, storedRows(current), data.CodeBase, false)
	annotate(data.Rows, p.SKUs)
	if sum, err := h.d.Reviews.SummaryOf(c.Request.Context(), id); err == nil {
		data.Reviews = &sum
	}
	h.render(c, http.StatusOK, "product_form.html", View{Title: p.Title, Nav: "products", Form: NewForm(c, v), Data: data})
}

// productPage loads what every product form shows: the category choices
// and, for a stored product (id > 0), the product with all its SKUs.
func (h *handlers) productPage(ctx context.Context, id int64) (productData, catalog.Product, error) {
	data := productData{ID: id, MaxImages: catalog.MaxImages}
	var p catalog.Product
	if id > 0 {
		var err error
		if p, err = h.d.Catalog.Product(ctx, id); err != nil {
			return data, p, err
		}
		_, data.Retired = p.Grid()
		data.CodeBase = codeBase(id, "")
	}
	cats, err := h.categoryOptions(ctx)
	data.Categories = cats
	return data, p, err
}
