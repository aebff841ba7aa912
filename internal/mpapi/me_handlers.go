package mpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/httpx"
	"github.com/kaidian/kaidian/internal/report"
	"github.com/kaidian/kaidian/internal/upload"
)

// meHandlers serve the shopper's own page: /me and /me/phone.
type meHandlers struct {
	customers *customer.Service
	reports   *report.Service
	uploads   *upload.Service
	avatar    customer.AvatarCheck
	phone     customer.PhoneExchange
}

type orderCountsJSON struct {
	PendingPayment int64 `json:"pending_payment"`
	Paid           int64 `json:"paid"`
	Shipped        int64 `json:"shipped"`
	AfterSale      int64 `json:"after_sale"`
}

type meJSON struct {
	Nickname    string          `json:"nickname"`
	AvatarURL   string          `json:"avatar_url"`
	Phone       string          `json:"phone"` // masked, always
	OrderCounts orderCountsJSON `json:"order_counts"`
	CouponCount int64           `json:"coupon_count"`
}

// get: GET /api/v1/me
func (h *meHandlers) get(c *gin.Context) {
	m, found, err := h.reports.Me(c.Request.Context(), shopperID(c))
	if err == nil && !found {
		err = customer.ErrNotFound
	}
	reply(c, http.StatusOK, toMe(m), err)
}

// profileJSON is PATCH /me's JSON body; absent fields stay as they are.
type profileJSON struct {
	Nickname  *string `json:"nickname"`
	AvatarURL *string `json:"avatar_url"`
}

// update: PATCH /api/v1/me, with a JSON body {nickname?, avatar_url?}
// (avatar_url: an image the shopper uploaded through POST /uploads), or a
// multipart form with nickname and an avatar file (me_avatar.go).
func (h *meHandlers) update(c *gin.Context) {
	p, err := h.profile(c)
	if err == nil {
		_, err = h.customers.UpdateProfile(c.Request.Context(), shopperID(c), p, h.avatar)
	}
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	h.get(c)
}

// bindPhone: POST /api/v1/me/phone {code}, the code of the getPhoneNumber button.
func (h *meHandlers) bindPhone(c *gin.Context) {
	// Any JSON type is read, so that a code of the wrong type gets the
	// same answer as a malformed one (the generic type error would call
	// the field by the login code's name).
	var in struct {
		Code any `json:"code"`
	}
	err := httpx.BindJSON(c, &in)
	if err == nil {
		code, _ := in.Code.(string)
		_, err = h.customers.BindPhone(c.Request.Context(), shopperID(c), code, h.phone)
	}
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	h.get(c)
}

func toMe(m report.Me) meJSON {
	return meJSON{Nickname: m.Nickname, AvatarURL: m.AvatarURL, Phone: customer.MaskPhone(m.Phone),
		OrderCounts: orderCountsJSON{PendingPayment: m.PendingPayment, Paid: m.Paid, Shipped: m.Shipped, AfterSale: m.AfterSale},
		CouponCount: m.Coupons}
}
