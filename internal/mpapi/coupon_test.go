package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
)

// liveCoupon creates a coupon open for claiming now from d's value and scope.
func liveCoupon(t *testing.T, e *apptest.Env, d coupon.Draft) coupon.Coupon {
	t.Helper()
	now := time.Now().UTC()
	d.StartsAt, d.EndsAt = now.Add(-time.Hour), now.Add(24*time.Hour)
	if d.Name == "" {
		d.Name = "测试券"
	}
	if d.Scope == "" {
		d.Scope = coupon.ScopeShop
	}
	if d.PerShopperLimit == 0 {
		d.PerShopperLimit = 1
	}
	c, err := e.App.Coupons.Create(context.Background(), "test", d)
	if err != nil {
		t.Fatalf("fixture coupon: %v", err)
	}
	return c
}

type offerBody struct {
	Items []struct {
		Coupon struct {
			ID      int64  `json:"id"`
			Summary string `json:"summary"`
		} `json:"coupon"`
		Remaining int64 `json:"remaining"`
		HeldByMe  int   `json:"held_by_me"`
		CanClaim  bool  `json:"can_claim"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func TestClaimingCoupons(t *testing.T) {
	e := apptest.Start(t)
	tenOff := liveCoupon(t, e, coupon.Draft{Name: "满100减20", Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000,
		TotalQuantity: 1, Claimable: true})
	liveCoupon(t, e, coupon.Draft{Name: "会员专享", Kind: coupon.KindFixed, Amount: 500, TotalQuantity: 10}) // issued only
	alice, bob := e.Token("alice"), e.Token("bob")

	var offers offerBody
	e.Get("/api/v1/coupons", alice).Decode(t, &offers)
	if len(offers.Items) != 1 || offers.Items[0].Coupon.ID != tenOff.ID || !offers.Items[0].CanClaim ||
		offers.Items[0].Remaining != 1 || offers.Items[0].Coupon.Summary != "满100减20" {
		t.Fatalf("offers: %+v", offers)
	}
	// The value as an English reader's shop writes it.
	var inEnglish offerBody
	e.Do(apptest.Request{Method: http.MethodGet, Path: "/api/v1/coupons", Token: alice,
		Header: map[string]string{"Accept-Language": "en"}}).Decode(t, &inEnglish)
	if len(inEnglish.Items) != 1 || inEnglish.Items[0].Coupon.Summary != "¥20 off ¥100" {
		t.Fatalf("offers in English: %+v", inEnglish)
	}

	r := e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", tenOff.ID), alice, nil)
	if r.Status != http.StatusCreated || r.JSON(t)["status"] != "unused" {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	e.Get("/api/v1/coupons", alice).Decode(t, &offers)
	if o := offers.Items[0]; o.CanClaim || o.HeldByMe != 1 || o.Remaining != 0 {
		t.Fatalf("after claiming: %+v", o)
	}

	for _, tt := range []struct {
		who    string
		path   string
		status int
		code   string
	}{
		{alice, fmt.Sprintf("/api/v1/coupons/%d/claim", tenOff.ID), 422, "coupon_limit_reached"},
		{bob, fmt.Sprintf("/api/v1/coupons/%d/claim", tenOff.ID), 409, "coupon_sold_out"},
		{bob, "/api/v1/coupons/987654/claim", 404, "coupon_not_found"},
		{bob, "/api/v1/coupons/abc/claim", 404, "not_found"},
		{"", fmt.Sprintf("/api/v1/coupons/%d/claim", tenOff.ID), 401, "unauthenticated"},
	} {
		if r := e.Post(tt.path, tt.who, nil); r.Status != tt.status || r.ErrorCode() != tt.code {
			t.Errorf("POST %s: %d %s, want %d %s", tt.path, r.Status, r.Body, tt.status, tt.code)
		}
	}
	if r := e.Get("/api/v1/coupons?limit=0", bob); r.Status != http.StatusBadRequest {
		t.Errorf("bad limit: %d", r.Status)
	}
}

type myCouponsBody struct {
	Items []struct {
		ID         int64     `json:"id"`
		Status     string    `json:"status"`
		ValidUntil time.Time `json:"valid_until"`
		Coupon     struct {
			ID int64 `json:"id"`
		} `json:"coupon"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func myCoupons(t *testing.T, e *apptest.Env, tok, query string) myCouponsBody {
	t.Helper()
	r := e.Get("/api/v1/me/coupons"+query, tok)
	if r.Status != http.StatusOK {
		t.Fatalf("me/coupons%s: %d %s", query, r.Status, r.Body)
	}
	var b myCouponsBody
	r.Decode(t, &b)
	return b
}

// A claimed coupon is used by an order, comes back when the order is
// cancelled, and can be refused at checkout with a reason.
func TestCouponsAtCheckout(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 6000, Stock: 10}, apptest.SKU{Price: 3000, Stock: 10})
	shirt, mug := p.SKUs[0].ID, p.SKUs[1].ID
	c := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000, TotalQuantity: 100, Claimable: true})
	tok, addr := shopperWithAddress(t, e, "alice")
	lines := func(shirts int) []map[string]any {
		return []map[string]any{{"sku_id": shirt, "quantity": shirts}, {"sku_id": mug, "quantity": 1}}
	}

	r := e.Post("/api/v1/orders/preview", tok, map[string]any{"items": lines(1), "coupon_id": c.ID})
	if r.Status != http.StatusNotFound || r.ErrorCode() != "coupon_not_found" {
		t.Fatalf("a coupon not yet claimed: %d %s", r.Status, r.Body)
	}
	e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", c.ID), tok, nil)
	if mine := myCoupons(t, e, tok, "?status=unused"); len(mine.Items) != 1 || mine.Items[0].Coupon.ID != c.ID {
		t.Fatalf("unused coupons: %+v", mine)
	}
	r = e.Post("/api/v1/orders/preview", tok, map[string]any{"items": lines(1), "coupon_id": c.ID})
	if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "coupon_below_threshold" {
		t.Fatalf("90 yuan of goods: %d %s", r.Status, r.Body)
	}
	r = e.Post("/api/v1/orders/preview", tok, map[string]any{"items": lines(2), "coupon_id": c.ID})
	if pv := r.JSON(t); r.Status != http.StatusOK || pv["discount_amount"].(float64) != 2000 || pv["pay_amount"].(float64) != 13000 ||
		pv["coupon_id"].(float64) != float64(c.ID) {
		t.Fatalf("preview: %d %s", r.Status, r.Body)
	}

	r = e.Post("/api/v1/orders", tok, map[string]any{"items": lines(2), "address_id": addr, "coupon_id": c.ID})
	var o struct {
		OrderNo        string `json:"order_no"`
		CouponID       int64  `json:"coupon_id"`
		DiscountAmount int64  `json:"discount_amount"`
		PayAmount      int64  `json:"pay_amount"`
		Items          []struct {
			DiscountAmount int64 `json:"discount_amount"`
		} `json:"items"`
	}
	r.Decode(t, &o)
	if r.Status != http.StatusCreated || o.CouponID != c.ID || o.DiscountAmount != 2000 || o.PayAmount != 13000 ||
		o.Items[0].DiscountAmount+o.Items[1].DiscountAmount != 2000 {
		t.Fatalf("place: %d %s", r.Status, r.Body)
	}
	if used := myCoupons(t, e, tok, "?status=used"); len(used.Items) != 1 {
		t.Fatalf("used coupons: %+v", used)
	}
	r = e.Post("/api/v1/orders", tok, map[string]any{"items": lines(2), "address_id": addr, "coupon_id": c.ID})
	if r.Status != http.StatusConflict || r.ErrorCode() != "coupon_used" {
		t.Fatalf("the same coupon twice: %d %s", r.Status, r.Body)
	}

	e.Post("/api/v1/orders/"+o.OrderNo+"/cancel", tok, nil)
	back := myCoupons(t, e, tok, "?status=unused")
	if len(back.Items) != 1 {
		t.Fatalf("the cancelled order kept the coupon: %+v", back)
	}

	// Past its validity the coupon is expired and refused.
	if err := e.App.DB.Conn(context.Background()).Exec("UPDATE shopper_coupons SET valid_until = ? WHERE id = ?",
		time.Now().UTC().Add(-time.Minute), back.Items[0].ID).Error; err != nil {
		t.Fatal(err)
	}
	if expired := myCoupons(t, e, tok, "?status=expired"); len(expired.Items) != 1 || expired.Items[0].Status != "expired" {
		t.Fatalf("expired coupons: %+v", expired)
	}
	r = e.Post("/api/v1/orders/preview", tok, map[string]any{"items": lines(2), "coupon_id": c.ID})
	if r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "coupon_expired" {
		t.Fatalf("an expired coupon: %d %s", r.Status, r.Body)
	}
	if all := myCoupons(t, e, tok, "?limit=1"); len(all.Items) != 1 || all.NextCursor != "" {
		t.Fatalf("all coupons: %+v", all)
	}
	if r := e.Get("/api/v1/me/coupons?status=lost", tok); r.Status != http.StatusBadRequest {
		t.Fatalf("unknown status: %d", r.Status)
	}
	if other := myCoupons(t, e, e.Token("bob"), ""); len(other.Items) != 0 {
		t.Fatalf("bob sees alice's coupons: %+v", other)
	}
}
