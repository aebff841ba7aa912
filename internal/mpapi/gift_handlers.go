package mpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/couponshare"
	"github.com/kaidian/kaidian/internal/httpx"
)

// giftHandlers serve coupons shoppers give friends: offering one, taking it
// back, a friend's view of it, and claiming it.
type giftHandlers struct{ svc *couponshare.Service }

type shareLinkJSON struct {
	ShareToken string `json:"share_token"`
	Path       string `json:"path"`
}

type giverJSON struct {
	Nickname  string `json:"nickname"`
	AvatarURL string `json:"avatar_url"`
}

type couponShareJSON struct {
	Status      couponshare.Status `json:"status"`
	Giver       giverJSON          `json:"giver"`
	Coupon      couponJSON         `json:"coupon"`
	ValidFrom   time.Time          `json:"valid_from"`
	ValidUntil  time.Time          `json:"valid_until"`
	CanClaim    bool               `json:"can_claim"`
	Reason      *string            `json:"reason"`
	CreatedAt   time.Time          `json:"created_at"`
	ClaimedByMe bool               `json:"claimed_by_me"`
}

// give: POST /api/v1/me/coupons/{id}/share
func (h *giftHandlers) give(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	link, err := h.svc.Give(c.Request.Context(), shopperID(c), id)
	reply(c, http.StatusOK, shareLinkJSON{ShareToken: link.Token, Path: link.Path}, err)
}

// cancel: POST /api/v1/me/coupons/{id}/share/cancel
func (h *giftHandlers) cancel(c *gin.Context) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	held, err := h.svc.Cancel(c.Request.Context(), shopperID(c), id)
	reply(c, http.StatusOK, myCouponFor(httpx.Printer(c), held), err)
}

// view: GET /api/v1/coupon-shares/{token} (login optional)
func (h *giftHandlers) view(c *gin.Context) {
	g, err := h.svc.View(c.Request.Context(), c.Param("token"), shopperID(c))
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	var reason *string
	if g.Reason != "" {
		reason = &g.Reason
	}
	me := shopperID(c)
	c.JSON(http.StatusOK, couponShareJSON{Status: g.Status, Giver: giverJSON{Nickname: g.GiverName, AvatarURL: g.GiverAvatar},
		Coupon: toCoupon(httpx.Printer(c), g.Coupon.Coupon), ValidFrom: g.Coupon.ValidFrom, ValidUntil: g.Coupon.ValidUntil,
		CanClaim: g.CanClaim, Reason: reason, CreatedAt: g.CreatedAt, ClaimedByMe: me != 0 && g.ReceiverID != nil && *g.ReceiverID == me})
}

// claim: POST /api/v1/coupon-shares/{token}/claim
func (h *giftHandlers) claim(c *gin.Context) {
	held, err := h.svc.Claim(c.Request.Context(), c.Param("token"), shopperID(c))
	reply(c, http.StatusCreated, myCouponFor(httpx.Printer(c), held), err)
}
