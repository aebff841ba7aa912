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

type pickerBody struct {
	DiscountAmount int64  `json:"discount_amount"`
	PayAmount      int64  `json:"pay_amount"`
	CouponID       *int64 `json:"coupon_id"`
	Coupons        struct {
		Usable []struct {
			Coupon struct {
				ID int64 `json:"id"`
			} `json:"coupon"`
			Discount int64 `json:"discount"`
			Selected bool  `json:"selected"`
		} `json:"usable"`
		Unusable []struct {
			Coupon struct {
				ID int64 `json:"id"`
			} `json:"coupon"`
			Reason struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"reason"`
		} `json:"unusable"`
	} `json:"coupons"`
}

func preview(t *testing.T, e *apptest.Env, tok string, body map[string]any, lang string) pickerBody {
	t.Helper()
	r := e.Do(apptest.Request{Method: http.MethodPost, Path: "/api/v1/orders/preview", Token: tok, Body: body,
		Header: map[string]string{"Accept-Language": lang}})
	if r.Status != http.StatusOK {
		t.Fatalf("preview %v: %d %s", body, r.Status, r.Body)
	}
	var b pickerBody
	r.Decode(t, &b)
	return b
}

// The preview lists the shopper's coupons for the order, usable ones best
// first, picks the best unless told otherwise, and placing with the picked
// coupon charges what the preview showed.
func TestPreviewPicksTheBestCoupon(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 6000, Stock: 10})
	other := e.Product(t)
	sku := p.SKUs[0].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	claim := func(d coupon.Draft) coupon.Coupon {
		d.TotalQuantity, d.Claimable = 100, true
		c := liveCoupon(t, e, d)
		if r := e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", c.ID), tok, nil); r.Status != http.StatusCreated {
			t.Fatalf("claim: %d %s", r.Status, r.Body)
		}
		return c
	}
	five := claim(coupon.Draft{Kind: coupon.KindFixed, Amount: 500})
	twentyA := claim(coupon.Draft{Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000})
	twentyB := claim(coupon.Draft{Kind: coupon.KindThreshold, MinAmount: 10000, Amount: 2000})
	tooHigh := claim(coupon.Draft{Kind: coupon.KindThreshold, MinAmount: 50000, Amount: 9000})
	elsewhere := claim(coupon.Draft{Kind: coupon.KindFixed, Amount: 800, Scope: coupon.ScopeProducts, ScopeIDs: []int64{other.ID}})
	// twentyA expires sooner than twentyB: between equal discounts it goes first.
	db := e.App.DB.Conn(context.Background())
	if err := db.Exec("UPDATE shopper_coupons SET valid_until = ? WHERE coupon_id = ?", time.Now().UTC().Add(2*time.Hour), twentyA.ID).Error; err != nil {
		t.Fatal(err)
	}
	later := claim(coupon.Draft{Kind: coupon.KindFixed, Amount: 9900})
	if err := db.Exec("UPDATE shopper_coupons SET valid_from = ? WHERE coupon_id = ?", time.Now().UTC().Add(time.Hour), later.ID).Error; err != nil {
		t.Fatal(err)
	}

	lines := []map[string]any{{"sku_id": sku, "quantity": 2}} // ¥120
	pv := preview(t, e, tok, map[string]any{"items": lines}, "zh-CN")
	if pv.CouponID == nil || *pv.CouponID != twentyA.ID || pv.DiscountAmount != 2000 || pv.PayAmount != 10000 {
		t.Fatalf("picked %v, discount %d, pay %d", pv.CouponID, pv.DiscountAmount, pv.PayAmount)
	}
	var usable []int64
	for _, u := range pv.Coupons.Usable {
		usable = append(usable, u.Coupon.ID)
		if u.Selected != (u.Coupon.ID == twentyA.ID) {
			t.Errorf("coupon %d selected=%v", u.Coupon.ID, u.Selected)
		}
	}
	if fmt.Sprint(usable) != fmt.Sprint([]int64{twentyA.ID, twentyB.ID, five.ID}) {
		t.Fatalf("usable %v, want %v", usable, []int64{twentyA.ID, twentyB.ID, five.ID})
	}
	why := map[int64]string{}
	for _, u := range pv.Coupons.Unusable {
		why[u.Coupon.ID] = u.Reason.Code
		if u.Reason.Message == "" {
			t.Errorf("coupon %d: no message", u.Coupon.ID)
		}
	}
	if len(why) != 3 || why[tooHigh.ID] != "coupon_below_threshold" || why[elsewhere.ID] != "coupon_not_applicable" ||
		why[later.ID] != "coupon_not_yet_valid" {
		t.Fatalf("unusable: %+v", pv.Coupons.Unusable)
	}
	if en := preview(t, e, tok, map[string]any{"items": lines}, "en"); en.Coupons.Unusable[0].Reason.Message == pv.Coupons.Unusable[0].Reason.Message {
		t.Errorf("the reason is not written in English: %q", en.Coupons.Unusable[0].Reason.Message)
	}

	// coupon_id 0: none, with the same lists; a named one: that one.
	none := preview(t, e, tok, map[string]any{"items": lines, "coupon_id": 0}, "zh-CN")
	if none.CouponID != nil || none.DiscountAmount != 0 || len(none.Coupons.Usable) != 3 || none.Coupons.Usable[0].Selected {
		t.Fatalf("coupon_id 0: %+v", none)
	}
	named := preview(t, e, tok, map[string]any{"items": lines, "coupon_id": five.ID}, "zh-CN")
	if named.CouponID == nil || *named.CouponID != five.ID || named.DiscountAmount != 500 {
		t.Fatalf("coupon_id %d: %+v", five.ID, named)
	}
	if r := e.Post("/api/v1/orders/preview", tok, map[string]any{"items": lines, "coupon_id": tooHigh.ID}); r.Status != http.StatusUnprocessableEntity ||
		r.ErrorCode() != "coupon_below_threshold" {
		t.Fatalf("a named coupon that does not apply: %d %s", r.Status, r.Body)
	}

	// Placing with the picked coupon charges the previewed amount and uses it.
	r := e.Post("/api/v1/orders", tok, map[string]any{"items": lines, "address_id": addr, "coupon_id": *pv.CouponID})
	if o := r.JSON(t); r.Status != http.StatusCreated || o["pay_amount"].(float64) != float64(pv.PayAmount) ||
		o["discount_amount"].(float64) != float64(pv.DiscountAmount) {
		t.Fatalf("place with the picked coupon: %d %s", r.Status, r.Body)
	}
	// Placing without coupon_id uses none, as it always did; 0 says the same.
	for _, body := range []map[string]any{{"items": lines, "address_id": addr}, {"items": lines, "address_id": addr, "coupon_id": 0}} {
		if r := e.Post("/api/v1/orders", tok, body); r.Status != http.StatusCreated || r.JSON(t)["discount_amount"].(float64) != 0 {
			t.Fatalf("place without a coupon %v: %d %s", body, r.Status, r.Body)
		}
	}
	// The used coupon is gone from the picker; the next best is picked.
	if again := preview(t, e, tok, map[string]any{"items": lines}, "zh-CN"); again.CouponID == nil || *again.CouponID != twentyB.ID {
		t.Fatalf("after using %d the pick is %v", twentyA.ID, again.CouponID)
	}
	// A shopper without coupons gets empty lists and no discount.
	bob, _ := shopperWithAddress(t, e, "bob")
	if b := preview(t, e, bob, map[string]any{"items": lines}, "zh-CN"); b.CouponID != nil || len(b.Coupons.Usable)+len(b.Coupons.Unusable) != 0 {
		t.Fatalf("bob: %+v", b)
	}
}

func TestPreviewCouponBadInput(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t).SKUs[0].ID
	alice, _ := shopperWithAddress(t, e, "alice")
	bob := e.Token("bob")
	c := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 500, TotalQuantity: 10, Claimable: true})
	e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", c.ID), alice, nil)
	lines := []map[string]any{{"sku_id": sku, "quantity": 1}}
	for _, tt := range []struct {
		name   string
		tok    string
		body   any
		status int
		code   string
	}{
		{"negative", alice, map[string]any{"items": lines, "coupon_id": -1}, 400, "invalid_field"},
		{"a string", alice, map[string]any{"items": lines, "coupon_id": "best"}, 400, ""},
		{"a fraction", alice, map[string]any{"items": lines, "coupon_id": 1.5}, 400, ""},
		{"unknown", alice, map[string]any{"items": lines, "coupon_id": 987654}, 404, "coupon_not_found"},
		{"someone else's", bob, map[string]any{"items": lines, "coupon_id": c.ID}, 404, "coupon_not_found"},
	} {
		r := e.Post("/api/v1/orders/preview", tt.tok, tt.body)
		if r.Status != tt.status || (tt.code != "" && r.ErrorCode() != tt.code) {
			t.Errorf("%s: %d %s, want %d %s", tt.name, r.Status, r.Body, tt.status, tt.code)
		}
	}
	// Bob's own preview does not list Alice's coupon.
	if b := preview(t, e, bob, map[string]any{"items": lines}, "zh-CN"); len(b.Coupons.Usable) != 0 {
		t.Fatalf("bob sees alice's coupon: %+v", b)
	}
}

// GET /products/{id}/coupons lists the claimable coupons covering the
// product, with the shopper's own count when logged in.
func TestProductCoupons(t *testing.T) {
	e := apptest.Start(t)
	parent := e.Category(t, "服装", nil)
	shirts := e.Category(t, "T恤", &parent.ID)
	shirt := e.ProductIn(t, shirts.ID, "纯棉圆领短袖T恤")
	mug := e.Product(t)
	shop := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 500, TotalQuantity: 10, Claimable: true})
	onClothes := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 300, TotalQuantity: 10, Claimable: true,
		Scope: coupon.ScopeCategories, ScopeIDs: []int64{parent.ID}})
	onMug := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 200, TotalQuantity: 10, Claimable: true,
		Scope: coupon.ScopeProducts, ScopeIDs: []int64{mug.ID}})
	liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 100, TotalQuantity: 10}) // issued only
	soldOut := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 100, TotalQuantity: 1, Claimable: true})
	e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", soldOut.ID), e.Token("carol"), nil)

	type body struct {
		Items []struct {
			Coupon struct {
				ID int64 `json:"id"`
			} `json:"coupon"`
			HeldByMe     int  `json:"held_by_me"`
			CanClaim     bool `json:"can_claim"`
			LimitReached bool `json:"limit_reached"`
		} `json:"items"`
	}
	list := func(productID int64, tok string) body {
		t.Helper()
		r := e.Get(fmt.Sprintf("/api/v1/products/%d/coupons", productID), tok)
		if r.Status != http.StatusOK {
			t.Fatalf("product %d coupons: %d %s", productID, r.Status, r.Body)
		}
		var b body
		r.Decode(t, &b)
		return b
	}
	ids := func(b body) []int64 {
		var out []int64
		for _, it := range b.Items {
			out = append(out, it.Coupon.ID)
		}
		return out
	}
	if got := ids(list(shirt.ID, "")); fmt.Sprint(got) != fmt.Sprint([]int64{onClothes.ID, shop.ID}) {
		t.Fatalf("the shirt's coupons: %v", got)
	}
	if got := ids(list(mug.ID, "")); fmt.Sprint(got) != fmt.Sprint([]int64{onMug.ID, shop.ID}) {
		t.Fatalf("the mug's coupons: %v", got)
	}
	alice := e.Token("alice")
	e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", shop.ID), alice, nil)
	for _, it := range list(shirt.ID, alice).Items {
		mine := it.Coupon.ID == shop.ID
		if it.LimitReached != mine || it.CanClaim == mine || (it.HeldByMe == 1) != mine {
			t.Errorf("alice's view of coupon %d: %+v", it.Coupon.ID, it)
		}
	}
	for _, it := range list(shirt.ID, "").Items {
		if it.LimitReached || !it.CanClaim || it.HeldByMe != 0 {
			t.Errorf("anonymous view of coupon %d: %+v", it.Coupon.ID, it)
		}
	}

	if _, err := e.App.Catalog.SetShelf(context.Background(), []int64{mug.ID}, false, "test"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, tok string
		status    int
		code      string
	}{
		{fmt.Sprintf("/api/v1/products/%d/coupons", mug.ID), "", 404, "product_not_found"},
		{"/api/v1/products/987654/coupons", "", 404, "product_not_found"},
		{"/api/v1/products/abc/coupons", "", 404, "product_not_found"},
		{"/api/v1/products/-3/coupons", "", 404, "product_not_found"},
		{fmt.Sprintf("/api/v1/products/%d/coupons", shirt.ID), "not-a-token", 401, "unauthenticated"},
	} {
		if r := e.Get(tt.path, tt.tok); r.Status != tt.status || r.ErrorCode() != tt.code {
			t.Errorf("GET %s: %d %s, want %d %s", tt.path, r.Status, r.Body, tt.status, tt.code)
		}
	}
}
