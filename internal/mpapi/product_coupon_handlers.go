package mpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/auth"
	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
)

// productCouponHandlers list the coupons a product page offers. The page
// is public, so the shopper is optional; the answer is per shopper (what
// they already hold), so it is never cached.
type productCouponHandlers struct {
	catalog *catalog.Service
	coupons *coupon.Service
}

type productCouponJSON struct {
	Coupon       couponJSON `json:"coupon"`
	Remaining    int64      `json:"remaining"`
	HeldByMe     int        `json:"held_by_me"`
	CanClaim     bool       `json:"can_claim"`
	LimitReached bool       `json:"limit_reached"`
}

// list: GET /api/v1/products/{id}/coupons — an unknown or off-shelf
// product answers 404, like its page.
func (h *productCouponHandlers) list(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.Fail(c, catalog.ErrProductNotFound)
		return
	}
	ctx := c.Request.Context()
	p, err := h.catalog.ProductDetail(ctx, id)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	offers, err := h.coupons.ForProduct(ctx, shopperID(c), coupon.Line{ProductID: p.ID, CategoryID: p.CategoryID})
	pr := httpx.Printer(c)
	reply(c, http.StatusOK, listOf(offers, "", func(o coupon.ProductOffer) productCouponJSON {
		return toProductCoupon(pr, o)
	}), err)
}

func toProductCoupon(p *i18n.Printer, o coupon.ProductOffer) productCouponJSON {
	return productCouponJSON{Coupon: toCoupon(p, o.Coupon), Remaining: o.Remaining(), HeldByMe: o.HeldByMe,
		CanClaim: o.CanClaim, LimitReached: o.LimitReached}
}

// optionalShopper admits everyone; a request bearing a token must bear a
// valid one (401 otherwise, so a client with an expired token learns it),
// and then the shopper is known to the handler as behind requireShopper.
func optionalShopper(tokens *auth.Tokens) gin.HandlerFunc {
	required := requireShopper(tokens)
	return func(c *gin.Context) {
		if strings.TrimSpace(c.GetHeader("Authorization")) == "" {
			c.Next()
			return
		}
		required(c)
	}
}
