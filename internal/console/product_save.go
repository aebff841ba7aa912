package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/httpx"
)

// productCreate: POST /console/products/new
func (h *handlers) productCreate(c *gin.Context) { h.productSave(c, 0) }

// productUpdate: POST /console/products/:id
func (h *handlers) productUpdate(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	h.productSave(c, id)
}

// productSave stores the posted product form (id 0 creates), or shows it
// again: with the SKU grid rebuilt when the spec dimensions changed (nothing
// saved yet), or with the error next to its field. Images are stored as they
// arrive, so a refused form keeps them along with everything typed.
func (h *handlers) productSave(c *gin.Context, id int64) {
	ctx := c.Request.Context()
	data, stored, err := h.productPage(ctx, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	uploaded, uploadErr := h.storeUploads(c)
	pf := readProductForm(postedForm(c), id, uploaded, uploadErr, stored.SKUs)
	data.Images, data.CodeBase, data.Dims, data.Rows = pf.Images, pf.CodeBase, dimRows(pf.Dims), pf.Rows
	p := httpx.Printer(c)
	title := p.T("console.product_form.new")
	if id > 0 {
		title = stored.Title
	}
	np, err := pf.Validate()
	if err == nil && pf.Regrid {
		data.Notice = p.T("console.product_form.regrid_notice")
		h.render(c, http.StatusOK, "product_form.html", View{Title: title, Nav: "products", Form: pf.Form, Data: data})
		return
	}
	if err == nil {
		var saved catalog.Product
		if saved, err = h.d.Catalog.SaveProduct(ctx, id, np, me(c).Actor()); err == nil {
			redirect(c, "/console/products/"+strconv.FormatInt(saved.ID, 10), p.T("console.products.saved", "title", saved.Title))
			return
		}
	}
	h.render(c, httpx.Status(err), "product_form.html", View{Title: title, Nav: "products", Form: pf.Fail(err), Data: data})
}
