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
	form := postedForm(c)
	title := "New product"
	if id > 0 {
		title = stored.Title
	}
	show := func(status int) {
		h.render(c, status, "product_form.html", View{Title: title, Nav: "products", Form: form, Data: data})
	}
	uploaded, uploadErr := h.storeUploads(c)
	data.Images = keptImages(form.Values, uploaded)
	data.CodeBase = codeBase(id, form.Get("code_base"))
	dims, rows := readDims(form.Values), readRows(form.Values)
	data.Dims, data.Rows = dimRows(dims), rows
	if err := catalog.ValidateSpecDims(dims); err != nil {
		form.Fail(err)
		show(httpx.Status(err))
		return
	}
	rows, changed := syncGrid(dims, rows, data.CodeBase, true)
	data.Rows = rows
	annotate(data.Rows, stored.SKUs)
	if uploadErr != nil {
		form.Fail(uploadErr)
		show(httpx.Status(uploadErr))
		return
	}
	if changed || form.Get("action") == "grid" {
		data.Notice = "The SKU grid now follows the spec dimensions. Nothing is saved yet: check the rows, then save."
		show(http.StatusOK)
		return
	}
	np, err := productInput(form, data.Images, dims, rows)
	if err == nil {
		var p catalog.Product
		if id == 0 {
			p, err = h.d.Catalog.CreateProduct(ctx, np, me(c).Actor())
		} else {
			p, err = h.d.Catalog.UpdateProduct(ctx, id, np, me(c).Actor())
		}
		if err == nil {
			redirect(c, "/console/products/"+strconv.FormatInt(p.ID, 10), "Saved "+p.Title+".")
			return
		}
	}
	form.Fail(err)
	show(httpx.Status(err))
}
