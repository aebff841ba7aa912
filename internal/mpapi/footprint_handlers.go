package mpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/footprint"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/page"
)

// footprintHandlers serve /me/footprints.
type footprintHandlers struct{ store *footprint.Store }

type footprintJSON struct {
	ProductID int64            `json:"product_id"`
	Day       string           `json:"day"`
	ViewedAt  time.Time        `json:"viewed_at"`
	Product   savedProductJSON `json:"product"`
}

// list: GET /api/v1/me/footprints
func (h *footprintHandlers) list(c *gin.Context) {
	pg, err := page.Parse("", c.Query("limit")) // the cursor is footprint's own (a time and an id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	rows, next, err := h.store.List(c.Request.Context(), shopperID(c), c.Query("cursor"), pg.Limit)
	reply(c, http.StatusOK, listOf(rows, next, toFootprint), err)
}

// clear: DELETE /api/v1/me/footprints
func (h *footprintHandlers) clear(c *gin.Context) {
	if err := h.store.Clear(c.Request.Context(), shopperID(c)); err != nil {
		httpx.Fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func toFootprint(f footprint.Footprint) footprintJSON {
	return footprintJSON{ProductID: f.Product.ID, Day: f.Day, ViewedAt: f.ViewedAt, Product: toSavedProduct(f.Product)}
}

// recordView notes a logged-in shopper's view of a product page, after the
// page is answered and only if it was (200). It runs in front of the
// catalog cache, so a view served from the cache counts too, while the
// cached answer stays the same for everyone. The route stays public: no
// token or a bad one records nothing and changes nothing. Recording is a
// non-blocking hand-off to the Recorder's buffer.
func recordView(tokens *auth.Tokens, rec *footprint.Recorder) gin.HandlerFunc {
	if rec == nil {
		return func(c *gin.Context) { c.Next() }
	}
	return func(c *gin.Context) {
		c.Next()
		token, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		if !ok || token == "" || c.Writer.Status() != http.StatusOK {
			return
		}
		// Tokens remembers the tokens it verified, so a shopper's pages
		// after the first cost no HMAC or JSON here.
		shopper, err := tokens.Verify(token)
		if err != nil {
			return
		}
		if product, err := strconv.ParseInt(c.Param("id"), 10, 64); err == nil && product > 0 {
			rec.Record(shopper, product)
		}
	}
}
