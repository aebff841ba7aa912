package mpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
)

type meBody struct {
	Nickname    string `json:"nickname"`
	AvatarURL   string `json:"avatar_url"`
	Phone       string `json:"phone"`
	OrderCounts struct {
		PendingPayment int64 `json:"pending_payment"`
		Paid           int64 `json:"paid"`
		Shipped        int64 `json:"shipped"`
		AfterSale      int64 `json:"after_sale"`
	} `json:"order_counts"`
	CouponCount int64 `json:"coupon_count"`
}

func getMe(t *testing.T, e *apptest.Env, tok string) meBody {
	t.Helper()
	r := e.Get("/api/v1/me", tok)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /me: %d %s", r.Status, r.Body)
	}
	var m meBody
	r.Decode(t, &m)
	return m
}

// The "me" page counts the shopper's own orders by state, the orders with a
// refund request open, and the coupons usable now; another shopper's orders
// count for nothing.
func TestMeCounts(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 50})
	sku := p.SKUs[0].ID

	tok, paidNo := e.PaidOrder(t, "me-counts", sku, 1)
	if m := getMe(t, e, tok); m.OrderCounts.Paid != 1 || m.OrderCounts.PendingPayment != 0 || m.OrderCounts.AfterSale != 0 || m.CouponCount != 0 {
		t.Fatalf("after one paid order: %+v", m)
	}
	_, otherNo := e.PaidOrder(t, "me-counts", sku, 2)
	if r := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}},
		"address_id": e.Get("/api/v1/addresses", tok).JSON(t)["items"].([]any)[0].(map[string]any)["id"]}); r.Status != http.StatusCreated {
		t.Fatalf("unpaid order: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/orders/"+paidNo+"/refund-requests", tok, map[string]any{"reason": "不想要了"}); r.Status != http.StatusCreated {
		t.Fatalf("refund request: %d %s", r.Status, r.Body)
	}
	c := liveCoupon(t, e, coupon.Draft{Kind: coupon.KindFixed, Amount: 100, TotalQuantity: 10, Claimable: true})
	if r := e.Post("/api/v1/coupons/"+itoa(c.ID)+"/claim", tok, nil); r.Status != http.StatusCreated && r.Status != http.StatusOK {
		t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	someoneElse, _ := e.PaidOrder(t, "me-counts-other", sku, 1)

	m := getMe(t, e, tok)
	if m.OrderCounts.PendingPayment != 1 || m.OrderCounts.Paid != 2 || m.OrderCounts.Shipped != 0 || m.OrderCounts.AfterSale != 1 || m.CouponCount != 1 {
		t.Fatalf("counts: %+v (orders %s, %s)", m, paidNo, otherNo)
	}
	if o := getMe(t, e, someoneElse); o.OrderCounts.Paid != 1 || o.OrderCounts.AfterSale != 0 || o.CouponCount != 0 || o.OrderCounts.PendingPayment != 0 {
		t.Fatalf("the other shopper's page: %+v", o)
	}
	// A coupon past its validity is not usable, so not counted.
	e.App.Clock.Set(func() time.Time { return time.Now().UTC().Add(72 * time.Hour) })
	t.Cleanup(func() { e.App.Clock.Set(func() time.Time { return time.Now().UTC() }) })
	if m := getMe(t, e, e.Login("me-counts")); m.CouponCount != 0 {
		t.Fatalf("an expired coupon counted: %+v", m)
	}
	if r := e.Get("/api/v1/me", ""); r.Status != http.StatusUnauthorized {
		t.Fatalf("GET /me without a token: %d", r.Status)
	}
}

// PATCH /me changes the nickname (trimmed) and nothing on bad input: a
// 10,000-character nickname, control characters, wrong types, unknown
// fields, an avatar that is not one of the shopper's uploads, an empty body.
func TestMeProfile(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Login("me-profile")

	r := e.Patch("/api/v1/me", tok, map[string]any{"nickname": "  小明 Ming  "})
	var m meBody
	r.Decode(t, &m)
	if r.Status != http.StatusOK || m.Nickname != "小明 Ming" || m.AvatarURL != "" {
		t.Fatalf("patch nickname: %d %s", r.Status, r.Body)
	}
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "10,000 characters", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"nickname": strings.Repeat("长", 10000)}}, Status: 400, Code: "invalid_field"},
		{Name: "33 characters", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"nickname": strings.Repeat("a", 33)}}, Status: 400, Code: "invalid_field"},
		{Name: "only spaces", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"nickname": "   "}}, Status: 400, Code: "invalid_field"},
		{Name: "a line break", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"nickname": "小\n明"}}, Status: 400, Code: "invalid_field"},
		{Name: "a right-to-left override", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"nickname": "小\u202e明"}}, Status: 400, Code: "invalid_field"},
		{Name: "a number", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"nickname": 12}}, Status: 400, Code: "invalid_type"},
		{Name: "an unknown field", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"phone": "13800138000"}}, Status: 400, Code: "unknown_field"},
		{Name: "nothing", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{}}, Status: 400, Code: "nothing_to_change"},
		{Name: "not JSON", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: "nickname=x"}, Status: 400, Code: "malformed_json"},
		{Name: "someone's picture", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"avatar_url": "https://example.com/a.png"}}, Status: 400, Code: "invalid_field"},
		{Name: "a nickname beside a bad avatar", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Token: tok, Body: map[string]any{"nickname": "新名字", "avatar_url": "/uploads/not-mine.png"}}, Status: 400, Code: "invalid_field"},
		{Name: "no token", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/me", Body: map[string]any{"nickname": "x"}}, Status: 401, Code: "unauthenticated"},
	})
	if m := getMe(t, e, tok); m.Nickname != "小明 Ming" || m.AvatarURL != "" {
		t.Fatalf("bad input changed the profile: %+v", m)
	}
}

// The phone number comes from a getPhoneNumber code exchanged through
// WeChat (the sandbox here); it is stored whole and shown masked. A code
// works once and for five minutes; garbage never reaches WeChat.
func TestMePhone(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Login("me-phone")
	phoneCode := func(phone string) string {
		t.Helper()
		r := e.Post("/sandbox/wx/phone-code", "", map[string]any{"user": "me-phone", "phone": phone})
		if r.Status != http.StatusOK {
			t.Fatalf("sandbox phone code: %d %s", r.Status, r.Body)
		}
		return r.JSON(t)["code"].(string)
	}

	code := phoneCode("13812345678")
	r := e.Post("/api/v1/me/phone", tok, map[string]any{"code": code})
	var m meBody
	r.Decode(t, &m)
	if r.Status != http.StatusOK || m.Phone != "138****5678" || strings.Contains(string(r.Body), "13812345678") {
		t.Fatalf("bind phone: %d %s", r.Status, r.Body)
	}
	if got := getMe(t, e, tok); got.Phone != "138****5678" {
		t.Fatalf("GET /me phone %q", got.Phone)
	}
	stored := shopperByToken(t, e, tok)
	if stored.Phone != "13812345678" || stored.PhoneRegion != "86" {
		t.Fatalf("stored %q +%q", stored.Phone, stored.PhoneRegion)
	}

	expired := phoneCode("13900001111")
	e.App.Sandbox.SetClock(func() time.Time { return time.Now().Add(5*time.Minute + time.Second) })
	t.Cleanup(func() { e.App.Sandbox.SetClock(time.Now) })
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "the same code again", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Token: tok, Body: map[string]any{"code": code}}, Status: 400, Code: "invalid_phone_code"},
		{Name: "an expired code", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Token: tok, Body: map[string]any{"code": expired}}, Status: 400, Code: "invalid_phone_code"},
		{Name: "an unknown code", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Token: tok, Body: map[string]any{"code": "0123456789abcdef"}}, Status: 400, Code: "invalid_phone_code"},
		{Name: "not a code", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Token: tok, Body: map[string]any{"code": "a b/c"}}, Status: 400, Code: "invalid_phone_code"},
		{Name: "10,000 characters", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Token: tok, Body: map[string]any{"code": strings.Repeat("a", 10000)}}, Status: 400, Code: "invalid_phone_code"},
		{Name: "empty", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Token: tok, Body: map[string]any{"code": ""}}, Status: 400, Code: "invalid_phone_code"},
		{Name: "a number", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Token: tok, Body: map[string]any{"code": 42}}, Status: 400, Code: "invalid_phone_code"},
		{Name: "no token", Req: apptest.Request{Method: "POST", Path: "/api/v1/me/phone", Body: map[string]any{"code": code}}, Status: 401, Code: "unauthenticated"},
	})
	if got := shopperByToken(t, e, tok); got.Phone != "13812345678" {
		t.Fatalf("a refused code changed the phone to %q", got.Phone)
	}
}

// itoa formats an id for a path.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func shopperByToken(t *testing.T, e *apptest.Env, tok string) (sh struct{ Phone, PhoneRegion string }) {
	t.Helper()
	id, err := e.App.Tokens.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.App.Customers.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	sh.Phone, sh.PhoneRegion = got.Phone, got.PhoneRegion
	return sh
}
