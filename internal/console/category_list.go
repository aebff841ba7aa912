package console

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/httpx"
)

type categoriesData struct {
	Rows    []categoryRow
	Options []categoryOption
}

// categoryList: GET /console/categories
func (h *handlers) categoryList(c *gin.Context) {
	h.showCategories(c, http.StatusOK, NewForm(c, url.Values{"sort_order": {"0"}}))
}

// showCategories renders the tree with the add form (form carries what was
// typed there, or the error of a row's action).
func (h *handlers) showCategories(c *gin.Context, status int, form *Form) {
	ctx := c.Request.Context()
	tree, err := h.d.Catalog.Categories(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	counts, err := h.d.Catalog.CategoryProductCounts(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	rows := flatten(tree, 0, counts)
	opts := make([]categoryOption, len(rows))
	for i, r := range rows {
		opts[i] = categoryOption{ID: r.ID, Label: r.Indent + r.Name}
	}
	h.render(c, status, "categories.html", View{Title: httpx.Printer(c).T("console.categories.title"), Nav: "categories", Form: form,
		Data: categoriesData{Rows: rows, Options: opts}})
}
