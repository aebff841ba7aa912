package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/page"
)

// couponHandlers serve coupons: what can be claimed, claiming, and the
// shopper's own coupons.
type couponHandlers struct{ svc *coupon.Service }

// offers: GET /api/v1/coupons?cursor=&limit=
func (h *couponHandlers) offers(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	offers, next, err := h.svc.Offers(c.Request.Context(), shopperID(c), pg)
	reply(c, http.StatusOK, listOf(offers, next, toOffer(httpx.Printer(c))), err)
}

// claim: POST /api/v1/coupons/{id}/claim
func (h *couponHandlers) claim(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	held, err := h.svc.Claim(c.Request.Context(), shopperID(c), id)
	reply(c, http.StatusCreated, toMyCoupon(httpx.Printer(c))(held), err)
}

// mine: GET /api/v1/me/coupons?status=&cursor=&limit=
func (h *couponHandlers) mine(c *gin.Context) {
	pg, err := page.Parse(c.Query("cursor"), c.Query("limit"))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	held, next, err := h.svc.Mine(c.Request.Context(), shopperID(c), coupon.HeldState(c.Query("status")), pg)
	reply(c, http.StatusOK, listOf(held, next, toMyCoupon(httpx.Printer(c))), err)
}

type couponJSON struct {
	ID              int64        `json:"id"`
	Name            string       `json:"name"`
	Kind            coupon.Kind  `json:"kind"`
	Summary         string       `json:"summary"`
	Amount          int64        `json:"amount"`
	PercentOff      int          `json:"percent_off"`
	MaxDiscount     int64        `json:"max_discount"`
	MinAmount       int64        `json:"min_amount"`
	Scope           coupon.Scope `json:"scope"`
	ScopeIDs        []int64      `json:"scope_ids"`
	StartsAt        time.Time    `json:"starts_at"`
	EndsAt          time.Time    `json:"ends_at"`
	ValidDays       int          `json:"valid_days"`
	PerShopperLimit int          `json:"per_shopper_limit"`
	Giftable        bool         `json:"giftable"`
}

type offerJSON struct {
	Coupon    couponJSON `json:"coupon"`
	Remaining int64      `json:"remaining"`
	HeldByMe  int        `json:"held_by_me"`
	CanClaim  bool       `json:"can_claim"`
}

type myCouponJSON struct {
	ID         int64            `json:"id"`
	Status     coupon.HeldState `json:"status"`
	ValidFrom  time.Time        `json:"valid_from"`
	ValidUntil time.Time        `json:"valid_until"`
	ClaimedAt  time.Time        `json:"claimed_at"`
	UsedAt     *time.Time       `json:"used_at"`
	Coupon     couponJSON       `json:"coupon"`
}

// toCoupon is a coupon as the API sends it, its value (summary) in p's
// language.
func toCoupon(p *i18n.Printer, c coupon.Coupon) couponJSON {
	ids := c.ScopeIDs.V
	if ids == nil {
		ids = []int64{}
	}
	return couponJSON{ID: c.ID, Name: c.Name, Kind: c.Kind, Summary: p.Msg(c.Value()), Amount: c.Amount,
		PercentOff: c.PercentOff, MaxDiscount: c.MaxDiscount, MinAmount: c.MinAmount, Scope: c.Scope, ScopeIDs: ids,
		StartsAt: c.StartsAt, EndsAt: c.EndsAt, ValidDays: c.ValidDays, PerShopperLimit: c.PerShopperLimit,
		Giftable: c.Giftable}
}

func toOffer(p *i18n.Printer) func(coupon.Offer) offerJSON {
	return func(o coupon.Offer) offerJSON { return offerFor(p, o) }
}

func offerFor(p *i18n.Printer, o coupon.Offer) offerJSON {
	return offerJSON{Coupon: toCoupon(p, o.Coupon), Remaining: o.Remaining(), HeldByMe: o.HeldByMe, CanClaim: o.CanClaim}
}

func toMyCoupon(p *i18n.Printer) func(coupon.Held) myCouponJSON {
	return func(h coupon.Held) myCouponJSON { return myCouponFor(p, h) }
}

func myCouponFor(p *i18n.Printer, h coupon.Held) myCouponJSON {
	return myCouponJSON{ID: h.ID, Status: h.State, ValidFrom: h.ValidFrom, ValidUntil: h.ValidUntil,
		ClaimedAt: h.ClaimedAt, UsedAt: h.UsedAt, Coupon: toCoupon(p, h.Coupon)}
}
