package mpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/attribution"
	"github.com/kaidian/kaidian/internal/cart"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// cartHandlers serve the shopper's cart: GET /cart and /cart/items/….
type cartHandlers struct {
	svc    *cart.Service
	visits *attribution.Recorder // counts cart adds for the funnel
}

// list: GET /api/v1/cart
func (h *cartHandlers) list(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	v, err := h.svc.List(c.Request.Context(), shopperID(c), pg)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := cartJSON{Items: make([]cartLineJSON, len(v.Lines)), NextCursor: v.NextCursor,
		TotalQuantity: v.TotalQuantity, TotalAmount: v.TotalAmount}
	for i, l := range v.Lines {
		out.Items[i] = toCartLine(l)
	}
	c.JSON(http.StatusOK, out)
}

// add: POST /api/v1/cart/items
func (h *cartHandlers) add(c *gin.Context) {
	var in struct {
		SKUID    int64 `json:"sku_id"`
		Quantity int   `json:"quantity"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	it, err := h.svc.Add(c.Request.Context(), shopperID(c), in.SKUID, in.Quantity)
	if err == nil {
		h.visits.CartAdded(shopperID(c))
	}
	h.answerItem(c, http.StatusCreated, it, err)
}

// update: PATCH /api/v1/cart/items/{id}
func (h *cartHandlers) update(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var in struct {
		Quantity int `json:"quantity"`
	}
	if err := httpx.BindJSON(c, &in); err != nil {
		httpx.Fail(c, err)
		return
	}
	it, err := h.svc.Update(c.Request.Context(), shopperID(c), id, in.Quantity)
	h.answerItem(c, http.StatusOK, it, err)
}

// remove: DELETE /api/v1/cart/items/{id}
func (h *cartHandlers) remove(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err == nil {
		err = h.svc.Remove(c.Request.Context(), shopperID(c), id)
	}
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// answerItem shows a changed line as the cart would, at current prices.
func (h *cartHandlers) answerItem(c *gin.Context, status int, it cart.Item, err error) {
	var l cart.Line
	if err == nil {
		l, err = h.svc.Line(c.Request.Context(), shopperID(c), it.ID)
	}
	reply(c, status, toCartLine(l), err)
}

type cartJSON struct {
	Items         []cartLineJSON `json:"items"`
	NextCursor    string         `json:"next_cursor"`
	TotalQuantity int            `json:"total_quantity"`
	TotalAmount   int64          `json:"total_amount"`
}

type cartLineJSON struct {
	ID           int64  `json:"id"`
	SKUID        int64  `json:"sku_id"`
	ProductID    int64  `json:"product_id"`
	Title        string `json:"title"`
	SpecText     string `json:"spec_text"`
	Image        string `json:"image"`
	Quantity     int    `json:"quantity"`
	Price        int64  `json:"price"`
	AddedPrice   int64  `json:"added_price"`
	PriceChanged bool   `json:"price_changed"`
	Stock        int64  `json:"stock"`
	OutOfStock   bool   `json:"out_of_stock"`
	Available    bool   `json:"available"`
}

func toCartLine(l cart.Line) cartLineJSON {
	return cartLineJSON{ID: l.ID, SKUID: l.SKUID, ProductID: l.SKU.ProductID, Title: l.SKU.Title,
		SpecText: l.SKU.SpecText, Image: l.SKU.Image, Quantity: l.Quantity, Price: l.SKU.Price,
		AddedPrice: l.AddedPrice, PriceChanged: l.PriceChanged, Stock: l.SKU.Stock,
		OutOfStock: l.OutOfStock, Available: l.Available}
}
