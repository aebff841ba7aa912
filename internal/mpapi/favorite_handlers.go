package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/favorite"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// favoriteHandlers serve /me/favorites and /me/favorites/{product_id}.
type favoriteHandlers struct{ svc *favorite.Service }

// savedProductJSON is a product in the shopper's own lists (favourites,
// footprints): the list's summary and whether it can still be bought.
type savedProductJSON struct {
	ID            int64  `json:"id"`
	Title         string `json:"title"`
	Subtitle      string `json:"subtitle"`
	MainImage     string `json:"main_image"`
	CategoryID    int64  `json:"category_id"`
	Price         int64  `json:"price"`
	OriginalPrice int64  `json:"original_price"`
	InStock       bool   `json:"in_stock"`
	OnSale        bool   `json:"on_sale"`
}

type favoriteJSON struct {
	ProductID   int64            `json:"product_id"`
	FavoritedAt time.Time        `json:"favorited_at"`
	Product     savedProductJSON `json:"product"`
}

// list: GET /api/v1/me/favorites
func (h *favoriteHandlers) list(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, next, err := h.svc.List(c.Request.Context(), shopperID(c), pg)
	reply(c, http.StatusOK, listOf(rows, next, toFavorite), err)
}

// get: GET /api/v1/me/favorites/{product_id}, 404 unless saved: how the
// product page shows its heart, since the product detail itself is cached
// for everyone and carries nothing of one shopper.
func (h *favoriteHandlers) get(c *gin.Context) {
	id, err := httpx.PathID(c, "product_id")
	if err != nil {
		httpx.Fail(c, favorite.ErrNotFavorite)
		return
	}
	f, err := h.svc.Get(c.Request.Context(), shopperID(c), id)
	reply(c, http.StatusOK, toFavorite(f), err)
}

// put: PUT /api/v1/me/favorites/{product_id}: 204 whether saved now or
// already, so a double tap is harmless; an unknown product is 404.
func (h *favoriteHandlers) put(c *gin.Context) {
	id, err := httpx.PathID(c, "product_id")
	if err != nil {
		httpx.Fail(c, catalog.ErrProductNotFound)
		return
	}
	if _, err := h.svc.Add(c.Request.Context(), shopperID(c), id); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// remove: DELETE /api/v1/me/favorites/{product_id}: 204 whether or not it was saved.
func (h *favoriteHandlers) remove(c *gin.Context) {
	id, err := httpx.PathID(c, "product_id")
	if err == nil {
		err = h.svc.Remove(c.Request.Context(), shopperID(c), id)
	}
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func toFavorite(f favorite.Favorite) favoriteJSON {
	return favoriteJSON{ProductID: f.Product.ID, FavoritedAt: f.SavedAt.UTC(), Product: toSavedProduct(f.Product)}
}

func toSavedProduct(g catalog.Glance) savedProductJSON {
	return savedProductJSON{ID: g.ID, Title: g.Title, Subtitle: g.Subtitle, MainImage: g.MainImage, CategoryID: g.CategoryID,
		Price: g.Price, OriginalPrice: g.OriginalPrice, InStock: g.InStock, OnSale: g.OnSale}
}
