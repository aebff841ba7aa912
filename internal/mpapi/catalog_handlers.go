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

type productSummaryJSON struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	Subtitle      string `json:"subtitle"`
	MainImage     string `json:"main_image"`
	CategoryID    int64  `json:"category_id"`
	Price         int64  `json:"price"`
	OriginalPrice int64  `json:"original_price"`
	InStock       bool   `json:"in_stock"`
}

type specDimJSON struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

type skuJSON struct {
	ID            int64    `json:"id"`
	Code          string   `json:"code"`
	SpecValues    []string `json:"spec_values"`
	SpecText      string   `json:"spec_text"`
	Image         string   `json:"image"`
	Price         int64    `json:"price"`
	OriginalPrice int64    `json:"original_price"`
	Stock         int64    `json:"stock"`
	Available     bool     `json:"available"`
}

type productDetailJSON struct {
	ID            int64         `json:"id"`
	Title         string        `json:"title"`
	Subtitle      string        `json:"subtitle"`
	Description   string        `json:"description"`
	CategoryID    int64         `json:"category_id"`
	MainImage     string        `json:"main_image"`
	Images        []string      `json:"images"`
	SpecDims      []specDimJSON `json:"spec_dims"`
	Price         int64         `json:"price"`
	OriginalPrice int64         `json:"original_price"`
	InStock       bool          `json:"in_stock"`
	SKUs          []skuJSON     `json:"skus"`
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
	reply(c, http.StatusOK, listOf(items, next, toProductSummary), err)
}

func toProductSummary(p catalog.ProductSummary) productSummaryJSON {
	return productSummaryJSON{ID: p.ID, Title: p.Title, Subtitle: p.Subtitle, MainImage: p.MainImage,
		CategoryID: p.CategoryID, Price: p.Price, OriginalPrice: p.OriginalPrice, InStock: p.InStock}
}

// productQuery binds ?category_id=&q=&cursor=&limit=.
func productQuery(c *gin.Context) (catalog.ProductQuery, error) {
	pr, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		return catalog.ProductQuery{}, err
	}
	q := catalog.ProductQuery{Q: c.Query("q"), Page: pr}
	if raw := c.Query("category_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return q, errs.Field("category_id", "invalid.positive_id")
		}
		q.CategoryID = id
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
	c.JSON(http.StatusOK, productDetail(p))
}

func productDetail(p catalog.Product) productDetailJSON {
	price, original, inStock := p.Offer()
	out := productDetailJSON{
		ID: p.ID, Title: p.Title, Subtitle: p.Subtitle, Description: p.Description, CategoryID: p.CategoryID,
		MainImage: p.MainImage, Images: nonNil(p.Images.V), SpecDims: make([]specDimJSON, len(p.SpecDims.V)),
		Price: price, OriginalPrice: original, InStock: inStock, SKUs: make([]skuJSON, len(p.SKUs)),
	}
	for i, d := range p.SpecDims.V {
		out.SpecDims[i] = specDimJSON{Name: d.Name, Values: nonNil(d.Values)}
	}
	for i, k := range p.SKUs {
		out.SKUs[i] = skuJSON{ID: k.ID, Code: k.Code, SpecValues: nonNil(k.SpecValues.V), SpecText: k.SpecText,
			Image: k.Image, Price: k.Price, OriginalPrice: k.OriginalPrice, Stock: k.Stock, Available: k.Available()}
	}
	return out
}

// nonNil keeps empty lists as [] in JSON; the mini program iterates them without null checks.
func nonNil(vs []string) []string {
	if vs == nil {
		return []string{}
	}
	return vs
}
