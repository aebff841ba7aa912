package mpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// flashHandlers show flash sales to shoppers (public, like the catalog).
// Every answer carries server_time: the mini program counts down against
// it, not the phone's clock, and buying is decided by the server's clock.
type flashHandlers struct{ svc *flashsale.Service }

type flashSaleJSON struct {
	ID              int64            `json:"id"`
	Title           string           `json:"title"`
	Status          string           `json:"status"`
	StartsAt        time.Time        `json:"starts_at"`
	EndsAt          time.Time        `json:"ends_at"`
	ServerTime      time.Time        `json:"server_time"`
	PerShopperLimit int              `json:"per_shopper_limit"`
	PaymentSeconds  int              `json:"payment_seconds"`
	Items           []flashOfferJSON `json:"items"`
}

type flashOfferJSON struct {
	SKUID         int64  `json:"sku_id"`
	ProductID     int64  `json:"product_id"`
	Title         string `json:"title"`
	SpecText      string `json:"spec_text"`
	Image         string `json:"image"`
	Price         int64  `json:"price"`
	OriginalPrice int64  `json:"original_price"`
	Allotted      int64  `json:"allotted"`
	Available     int64  `json:"available"`
}

type flashSaleListJSON struct {
	ServerTime time.Time       `json:"server_time"`
	Items      []flashSaleJSON `json:"items"`
	NextCursor string          `json:"next_cursor"`
}

// list: GET /flash-sales — upcoming and live sales, soonest first.
func (h *flashHandlers) list(c *gin.Context) {
	pr, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	views, err := h.svc.Current(c.Request.Context())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	now := h.svc.Now()
	// The list is short and cached whole; the cursor is a position in it.
	from := min(int(pr.After), len(views))
	to := min(from+pr.Limit, len(views))
	out := flashSaleListJSON{ServerTime: now, Items: make([]flashSaleJSON, 0, to-from)}
	for _, v := range views[from:to] {
		out.Items = append(out.Items, flashSaleView(v, now))
	}
	if to < len(views) {
		out.NextCursor = page.Cursor(int64(to))
	}
	c.JSON(http.StatusOK, out)
}

// get: GET /flash-sales/{id}.
func (h *flashHandlers) get(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.Fail(c, flashsale.ErrNotFound)
		return
	}
	v, err := h.svc.View(c.Request.Context(), id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, flashSaleView(v, h.svc.Now()))
}

func flashSaleView(v flashsale.View, now time.Time) flashSaleJSON {
	out := flashSaleJSON{ID: v.ID, Title: v.Title, StartsAt: v.StartsAt, EndsAt: v.EndsAt, ServerTime: now,
		PerShopperLimit: v.PerShopperLimit, PaymentSeconds: v.PaySeconds, Items: make([]flashOfferJSON, len(v.Offers))}
	switch v.PhaseAt(now) {
	case flashsale.PhaseUpcoming:
		out.Status = "upcoming"
	case flashsale.PhaseEnded:
		out.Status = "ended"
	default:
		out.Status = "live"
		if v.SoldOut() {
			out.Status = "sold_out"
		}
	}
	for i, o := range v.Offers {
		out.Items[i] = flashOfferJSON{SKUID: o.SKUID, ProductID: o.ProductID, Title: o.Title, SpecText: o.SpecText,
			Image: o.Image, Price: o.Price, OriginalPrice: o.OriginalPrice, Allotted: o.Allotted, Available: o.Available}
	}
	return out
}
