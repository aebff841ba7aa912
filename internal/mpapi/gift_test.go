package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
)

// giftableCoupon is a live, claimable ¥5-off coupon holders may give away.
func giftableCoupon(t *testing.T, e *apptest.Env) coupon.Coupon {
	t.Helper()
	return liveCoupon(t, e, coupon.Draft{Name: "好友券", Kind: coupon.KindFixed, Amount: 500, TotalQuantity: 100,
		Claimable: true, Giftable: true})
}

// claimHeld claims one of the coupon for tok and answers the held coupon's id.
func claimHeld(t *testing.T, e *apptest.Env, tok string, couponID int64) int64 {
	t.Helper()
	r := e.Post(fmt.Sprintf("/api/v1/coupons/%d/claim", couponID), tok, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("claim coupon %d: %d %s", couponID, r.Status, r.Body)
	}
	return int64(r.JSON(t)["id"].(float64))
}

type shareLinkBody struct {
	ShareToken string `json:"share_token"`
	Path       string `json:"path"`
}

func giveHeld(t *testing.T, e *apptest.Env, tok string, heldID int64) shareLinkBody {
	t.Helper()
	r := e.Post(fmt.Sprintf("/api/v1/me/coupons/%d/share", heldID), tok, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("share %d: %d %s", heldID, r.Status, r.Body)
	}
	var b shareLinkBody
	r.Decode(t, &b)
	return b
}

type couponShareBody struct {
	Status string `json:"status"`
	Giver  struct {
		Nickname string `json:"nickname"`
	} `json:"giver"`
	Coupon struct {
		ID      int64  `json:"id"`
		Summary string `json:"summary"`
	} `json:"coupon"`
	ValidUntil  time.Time `json:"valid_until"`
	CanClaim    bool      `json:"can_claim"`
	Reason      *string   `json:"reason"`
	ClaimedByMe bool      `json:"claimed_by_me"`
}

func viewShare(t *testing.T, e *apptest.Env, tok, token, lang string) couponShareBody {
	t.Helper()
	r := e.Do(apptest.Request{Method: http.MethodGet, Path: "/api/v1/coupon-shares/" + token, Token: tok,
		Header: map[string]string{"Accept-Language": lang}})
	if r.Status != http.StatusOK {
		t.Fatalf("view share: %d %s", r.Status, r.Body)
	}
	var b couponShareBody
	r.Decode(t, &b)
	return b
}

func reasonOf(b couponShareBody) string {
	if b.Reason == nil {
		return ""
	}
	return *b.Reason
}

// A shopper gives a giftable coupon to a friend: the link carries their
// reference, sharing twice answers the same token, the coupon is locked at
// checkout while on offer, exactly one friend gets it, the giver can never
// use it afterwards, and the shop's claimed count does not move.
func TestGivingACoupon(t *testing.T) {
	e := apptest.Start(t)
	gift := giftableCoupon(t, e)
	alice, bob, dave := e.Token("alice"), e.Token("bob"), e.Token("dave")
	aliceID := shopperIDOf(t, e, alice)
	if r := e.Patch("/api/v1/me", alice, map[string]any{"nickname": "爱丽丝"}); r.Status != http.StatusOK {
		t.Fatalf("nickname: %d %s", r.Status, r.Body)
	}
	held := claimHeld(t, e, alice, gift.ID)

	link := giveHeld(t, e, alice, held)
	if want := fmt.Sprintf("pages/coupon/gift?token=%s&ref=share:%d", link.ShareToken, aliceID); link.Path != want || len(link.ShareToken) != 16 {
		t.Fatalf("link: %+v, want path %s", link, want)
	}
	if again := giveHeld(t, e, alice, held); again != link {
		t.Fatalf("sharing again: %+v, want the same %+v", again, link)
	}
	if mine := myCoupons(t, e, alice, "?status=gifting"); len(mine.Items) != 1 || mine.Items[0].ID != held || mine.Items[0].Status != "gifting" {
		t.Fatalf("gifting coupons: %+v", mine)
	}
	if mine := myCoupons(t, e, alice, "?status=unused"); len(mine.Items) != 0 {
		t.Fatalf("a coupon on offer is not unused: %+v", mine)
	}

	// While on offer, checkout shows it unusable (gifting) and refuses it.
	p := e.Product(t)
	sku := p.SKUs[0].ID
	lines := []map[string]any{{"sku_id": sku, "quantity": 1}}
	pv := preview(t, e, alice, map[string]any{"items": lines}, "zh-CN")
	if len(pv.Coupons.Usable) != 0 || len(pv.Coupons.Unusable) != 1 || pv.Coupons.Unusable[0].Reason.Code != "coupon_gifting" {
		t.Fatalf("picker while gifting: %+v", pv.Coupons)
	}
	addr := e.Address(t, aliceID)
	order := map[string]any{"items": lines, "address_id": addr, "coupon_id": gift.ID}
	if r := e.Post("/api/v1/orders", alice, order); r.Status != http.StatusConflict || r.ErrorCode() != "coupon_gifting" {
		t.Fatalf("order with a coupon on offer: %d %s", r.Status, r.Body)
	}

	// What a friend sees, logged in or not, in either language.
	anon := viewShare(t, e, "", link.ShareToken, "zh-CN")
	if anon.Status != "open" || anon.CanClaim || reasonOf(anon) != "login_required" || anon.Giver.Nickname != "爱**" ||
		anon.Coupon.ID != gift.ID || anon.Coupon.Summary != "无门槛减5元" {
		t.Fatalf("anonymous view: %+v", anon)
	}
	if en := viewShare(t, e, bob, link.ShareToken, "en"); !en.CanClaim || en.Reason != nil || en.Coupon.Summary != "¥5 off, no minimum" {
		t.Fatalf("bob's view in English: %+v", en)
	}
	if own := viewShare(t, e, alice, link.ShareToken, "zh-CN"); own.CanClaim || reasonOf(own) != "own_share" {
		t.Fatalf("the giver's view: %+v", own)
	}

	claimPath := "/api/v1/coupon-shares/" + link.ShareToken + "/claim"
	if r := e.Post(claimPath, alice, nil); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "coupon_share_own" {
		t.Fatalf("the giver claims: %d %s", r.Status, r.Body)
	}
	r := e.Post(claimPath, bob, nil)
	if r.Status != http.StatusCreated || r.JSON(t)["status"] != "unused" {
		t.Fatalf("bob claims: %d %s", r.Status, r.Body)
	}
	got := r.JSON(t)
	if int64(got["coupon"].(map[string]any)["id"].(float64)) != gift.ID {
		t.Fatalf("bob's coupon: %s", r.Body)
	}
	for _, who := range []string{bob, dave} {
		if r := e.Post(claimPath, who, nil); r.Status != http.StatusConflict || r.ErrorCode() != "coupon_share_claimed" {
			t.Errorf("claiming a claimed share: %d %s", r.Status, r.Body)
		}
	}
	if v := viewShare(t, e, bob, link.ShareToken, "zh-CN"); v.Status != "claimed" || v.CanClaim || !v.ClaimedByMe || reasonOf(v) != "claimed" {
		t.Fatalf("bob's view after claiming: %+v", v)
	}

	// The giver can never use, share or take it back again.
	if mine := myCoupons(t, e, alice, "?status=gifted"); len(mine.Items) != 1 || mine.Items[0].ID != held {
		t.Fatalf("gifted coupons: %+v", mine)
	}
	if r := e.Post("/api/v1/orders", alice, order); r.Status != http.StatusConflict || r.ErrorCode() != "coupon_gifted" {
		t.Fatalf("the giver's order: %d %s", r.Status, r.Body)
	}
	if r := e.Post(fmt.Sprintf("/api/v1/me/coupons/%d/share/cancel", held), alice, nil); r.Status != http.StatusConflict || r.ErrorCode() != "coupon_share_claimed" {
		t.Fatalf("taking back a claimed coupon: %d %s", r.Status, r.Body)
	}
	if r := e.Post(fmt.Sprintf("/api/v1/me/coupons/%d/share", held), alice, nil); r.Status != http.StatusConflict || r.ErrorCode() != "coupon_gifted" {
		t.Fatalf("sharing a gifted coupon: %d %s", r.Status, r.Body)
	}
	// The friend uses it; the shop still counts one coupon claimed.
	bobOrder := map[string]any{"items": lines, "address_id": e.Address(t, shopperIDOf(t, e, bob)), "coupon_id": gift.ID}
	if r := e.Post("/api/v1/orders", bob, bobOrder); r.Status != http.StatusCreated || r.JSON(t)["discount_amount"].(float64) != 500 {
		t.Fatalf("bob's order with the gift: %d %s", r.Status, r.Body)
	}
	if c, _ := e.App.Coupons.Get(context.Background(), gift.ID); c.Claimed != 1 {
		t.Fatalf("claimed count after a gift: %d, want 1", c.Claimed)
	}
}

// The giver takes a coupon back until a friend claims it; the old link then
// answers cancelled, and sharing again makes a new one.
func TestTakingBackAGift(t *testing.T) {
	e := apptest.Start(t)
	gift := giftableCoupon(t, e)
	alice, bob := e.Token("alice"), e.Token("bob")
	held := claimHeld(t, e, alice, gift.ID)
	link := giveHeld(t, e, alice, held)
	cancel := fmt.Sprintf("/api/v1/me/coupons/%d/share/cancel", held)

	if r := e.Post(cancel, bob, nil); r.Status != http.StatusNotFound || r.ErrorCode() != "coupon_not_found" {
		t.Fatalf("bob takes back alice's coupon: %d %s", r.Status, r.Body)
	}
	r := e.Post(cancel, alice, nil)
	if r.Status != http.StatusOK || r.JSON(t)["status"] != "unused" {
		t.Fatalf("take back: %d %s", r.Status, r.Body)
	}
	if r := e.Post(cancel, alice, nil); r.Status != http.StatusNotFound || r.ErrorCode() != "coupon_share_not_found" {
		t.Fatalf("take back twice: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/coupon-shares/"+link.ShareToken+"/claim", bob, nil); r.Status != http.StatusConflict || r.ErrorCode() != "coupon_share_cancelled" {
		t.Fatalf("claim a cancelled share: %d %s", r.Status, r.Body)
	}
	if v := viewShare(t, e, bob, link.ShareToken, "zh-CN"); v.Status != "cancelled" || v.CanClaim {
		t.Fatalf("view of a cancelled share: %+v", v)
	}
	if again := giveHeld(t, e, alice, held); again.ShareToken == link.ShareToken {
		t.Fatalf("sharing after taking back reuses the cancelled token %s", again.ShareToken)
	}
	if mine := myCoupons(t, e, bob, ""); len(mine.Items) != 0 {
		t.Fatalf("bob holds %+v after a cancelled gift", mine)
	}
}

// Bad input changes nothing and answers the documented error.
func TestGiftBadInput(t *testing.T) {
	e := apptest.Start(t)
	gift := giftableCoupon(t, e)
	plain := liveCoupon(t, e, coupon.Draft{Name: "普通券", Kind: coupon.KindFixed, Amount: 300, TotalQuantity: 10, Claimable: true})
	alice, bob, carol := e.Token("alice"), e.Token("bob"), e.Token("carol")
	held, plainHeld := claimHeld(t, e, alice, gift.ID), claimHeld(t, e, alice, plain.ID)
	used, expired := claimHeld(t, e, bob, gift.ID), claimHeld(t, e, carol, gift.ID)
	db := e.App.DB.Conn(context.Background())
	past := time.Now().UTC().Add(-time.Minute)
	if err := db.Exec("UPDATE shopper_coupons SET status = 'used', used_at = ? WHERE id = ?", past, used).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE shopper_coupons SET valid_until = ? WHERE id = ?", past, expired).Error; err != nil {
		t.Fatal(err)
	}
	share := func(id int64) string { return fmt.Sprintf("/api/v1/me/coupons/%d/share", id) }
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "someone else's coupon", Req: apptest.Request{Method: http.MethodPost, Path: share(held), Token: bob}, Status: 404, Code: "coupon_not_found"},
		{Name: "no such coupon", Req: apptest.Request{Method: http.MethodPost, Path: share(987654), Token: alice}, Status: 404, Code: "coupon_not_found"},
		{Name: "not an id", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/me/coupons/abc/share", Token: alice}, Status: 404, Code: "not_found"},
		{Name: "not giftable", Req: apptest.Request{Method: http.MethodPost, Path: share(plainHeld), Token: alice}, Status: 422, Code: "coupon_not_giftable"},
		{Name: "used", Req: apptest.Request{Method: http.MethodPost, Path: share(used), Token: bob}, Status: 409, Code: "coupon_used"},
		{Name: "expired", Req: apptest.Request{Method: http.MethodPost, Path: share(expired), Token: carol}, Status: 422, Code: "coupon_expired"},
		{Name: "no login", Req: apptest.Request{Method: http.MethodPost, Path: share(held)}, Status: 401, Code: "unauthenticated"},
		{Name: "cancel without login", Req: apptest.Request{Method: http.MethodPost, Path: share(held) + "/cancel"}, Status: 401, Code: "unauthenticated"},
		{Name: "unknown token", Req: apptest.Request{Method: http.MethodGet, Path: "/api/v1/coupon-shares/7KQ2M9XHB4TZ8WNP"}, Status: 404, Code: "coupon_share_not_found"},
		{Name: "malformed token", Req: apptest.Request{Method: http.MethodGet, Path: "/api/v1/coupon-shares/x'--"}, Status: 404, Code: "coupon_share_not_found"},
		{Name: "claim unknown token", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/coupon-shares/7KQ2M9XHB4TZ8WNP/claim", Token: bob}, Status: 404, Code: "coupon_share_not_found"},
		{Name: "claim without login", Req: apptest.Request{Method: http.MethodPost, Path: "/api/v1/coupon-shares/7KQ2M9XHB4TZ8WNP/claim"}, Status: 401, Code: "unauthenticated"},
	})
	var shares int64
	if err := db.Raw("SELECT COUNT(*) FROM coupon_shares").Scan(&shares).Error; err != nil || shares != 0 {
		t.Fatalf("shares after bad input: %d %v", shares, err)
	}
	for _, id := range []int64{held, plainHeld} {
		var status string
		db.Raw("SELECT status FROM shopper_coupons WHERE id = ?", id).Scan(&status)
		if status != "unused" {
			t.Errorf("held %d is %s after bad input", id, status)
		}
	}
}

// The receiver's per-shopper limit applies: a friend at the limit is
// refused and the share stays open for another; a coupon that expired while
// on offer cannot be claimed.
func TestGiftLimitsAndExpiry(t *testing.T) {
	e := apptest.Start(t)
	gift := giftableCoupon(t, e)
	alice, bob, carol := e.Token("alice"), e.Token("bob"), e.Token("carol")
	held := claimHeld(t, e, alice, gift.ID)
	claimHeld(t, e, carol, gift.ID) // carol is at the limit of 1
	link := giveHeld(t, e, alice, held)
	claim := "/api/v1/coupon-shares/" + link.ShareToken + "/claim"

	if v := viewShare(t, e, carol, link.ShareToken, "zh-CN"); v.CanClaim || reasonOf(v) != "limit_reached" {
		t.Fatalf("carol's view: %+v", v)
	}
	if r := e.Post(claim, carol, nil); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "coupon_limit_reached" {
		t.Fatalf("carol at the limit: %d %s", r.Status, r.Body)
	}
	if v := viewShare(t, e, bob, link.ShareToken, "zh-CN"); v.Status != "open" || !v.CanClaim {
		t.Fatalf("share after a refused claim: %+v", v)
	}

	db := e.App.DB.Conn(context.Background())
	if err := db.Exec("UPDATE shopper_coupons SET valid_until = ? WHERE id = ?", time.Now().UTC().Add(-time.Minute), held).Error; err != nil {
		t.Fatal(err)
	}
	if v := viewShare(t, e, bob, link.ShareToken, "zh-CN"); v.Status != "expired" || v.CanClaim || reasonOf(v) != "expired" {
		t.Fatalf("view of an expired gift: %+v", v)
	}
	if r := e.Post(claim, bob, nil); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "coupon_expired" {
		t.Fatalf("claim an expired gift: %d %s", r.Status, r.Body)
	}
	if mine := myCoupons(t, e, bob, ""); len(mine.Items) != 0 {
		t.Fatalf("bob holds %+v", mine)
	}
	if mine := myCoupons(t, e, alice, "?status=expired"); len(mine.Items) != 1 || !strings.EqualFold(mine.Items[0].Status, "expired") {
		t.Fatalf("alice's expired gift: %+v", mine)
	}
}
