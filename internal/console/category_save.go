package console

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
)

// categoryCreate: POST /console/categories — name, parent_id (blank: top level), sort_order.
func (h *handlers) categoryCreate(c *gin.Context) {
	form := postedForm(c)
	var parent *int64
	if v := form.Get("parent_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			id = -1 // no category has it: refused below as unknown
		}
		parent = &id
	}
	order, err := sortOrder(form.Get("sort_order"))
	if err == nil {
		_, err = h.d.Catalog.CreateCategory(c.Request.Context(), form.Get("name"), parent, order)
	}
	if err != nil {
		h.showCategories(c, httpx.Status(err), form.Fail(err))
		return
	}
	redirect(c, "/console/categories", httpx.Printer(c).T("console.categories.added", "name", strings.TrimSpace(form.Get("name"))))
}

// categoryUpdate: POST /console/categories/:id — name and sort_order.
func (h *handlers) categoryUpdate(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	order, err := sortOrder(c.PostForm("sort_order"))
	if err == nil {
		_, err = h.d.Catalog.UpdateCategory(c.Request.Context(), id, c.PostForm("name"), order)
	}
	if err != nil {
		h.categoryRowFailed(c, id, err)
		return
	}
	redirect(c, "/console/categories", httpx.Printer(c).T("console.categories.saved", "name", strings.TrimSpace(c.PostForm("name"))))
}

// categoryDelete: POST /console/categories/:id/delete — only an empty category.
func (h *handlers) categoryDelete(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.d.Catalog.DeleteCategory(c.Request.Context(), id); err != nil {
		h.categoryRowFailed(c, id, err)
		return
	}
	redirect(c, "/console/categories", httpx.Printer(c).T("console.categories.deleted"))
}

// categoryRowFailed shows the tree again with a row action's error on top.
func (h *handlers) categoryRowFailed(c *gin.Context, id int64, err error) {
	p := httpx.Printer(c)
	form := NewForm(c, url.Values{"sort_order": {"0"}})
	form.Fail(err)
	sep := p.T("error.field_separator")
	if msg, ok := form.Errors["name"]; ok { // a row's field, not the add form's
		delete(form.Errors, "name")
		form.Error = p.T("console.categories.name") + sep + msg
	} else if msg, ok := form.Errors["sort_order"]; ok {
		delete(form.Errors, "sort_order")
		form.Error = p.T("console.categories.order") + sep + msg
	}
	form.Error = p.T("console.categories.row_failed", "id", id, "error", form.Error)
	h.showCategories(c, httpx.Status(err), form)
}

// sortOrder reads a position among siblings; blank is 0.
func sortOrder(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < -1_000_000 || n > 1_000_000 {
		return 0, errs.Field("sort_order", "console.sort_order")
	}
	return n, nil
}
