package mpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// catalogHandlers serve the public catalog: no token needed, since a
// shopper browses before logging in.
type catalogHandlers struct{ svc *catalog.Service }

type categoryJSON struct {
	ID       int64          `json:"id"`
	Name     string         `json:"name"`
	IconURL  string         `json:"icon_url"`
	ParentID *int64         `json:"parent_id"`
	Children []categoryJSON `json:"children"`
}

// categories answers the whole tree in one page: shops have tens of
// categories, and the mini program draws the tree at once.
func (h *catalogHandlers) categories(c *gin.Context) {
	tree, err := h.svc.Categories(c.Request.Context())
	reply(c, http.StatusOK, list[categoryJSON]{Items: categoriesJSON(tree)}, err)
}

func categoriesJSON(nodes []catalog.CategoryNode) []categoryJSON {
	out := make([]categoryJSON, len(nodes))
	for i, n := range nodes {
		out[i] = categoryJSON{ID: n.ID, Name: n.Name, IconURL: n.IconURL, ParentID: n.ParentID,
			Children: categoriesJSON(n.Children)}
	}
	return out
}

func (h *catalogHandlers) products(c *gin.Context) {
	q, err := productQuery(c)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	items, next, err := h.svc.ListProducts(c.Request.Context(), q)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.WriteJSON(c, http.StatusOK, func(b []byte) []byte { return appendProductList(b, items, next) })
}

// productQuery binds ?category_id=&q=&sort=&min_price=&max_price=&in_stock=&cursor=&limit=.
// The cursor is read by the catalog, as its form depends on the sort.
func productQuery(c *gin.Context) (catalog.ProductQuery, error) {
	pr, err := page.Parse("", c.Query("limit"))
	if err != nil {
		return catalog.ProductQuery{}, err
	}
	q := catalog.ProductQuery{Q: c.Query("q"), Sort: catalog.Sort(c.Query("sort")), Cursor: c.Query("cursor"), Page: pr}
	if raw := c.Query("category_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return q, errs.Field("category_id", "invalid.positive_id")
		}
		q.CategoryID = id
	}
	for _, b := range []struct {
		name string
		to   **int64
	}{{"min_price", &q.MinPrice}, {"max_price", &q.MaxPrice}} {
		if raw := c.Query(b.name); raw != "" {
			v, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return q, errs.Field(b.name, "invalid.whole_number")
			}
			*b.to = &v
		}
	}
	if raw := c.Query("in_stock"); raw != "" {
		v, err := strconv.ParseBool(raw)
		if err != nil {
			return q, errs.Field("in_stock", "search.bool")
		}
		q.InStock = v
	}
	return q, nil
}

func (h *catalogHandlers) product(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		// No product has such an id: the same answer as an unknown one.
		httpx.Fail(c, catalog.ErrProductNotFound)
		return
	}
	p, err := h.svc.ProductDetail(c.Request.Context(), id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	httpx.WriteJSON(c, http.StatusOK, func(b []byte) []byte { return appendProductDetail(b, p) })
}
