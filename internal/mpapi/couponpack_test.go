package mpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/coupon"
	"github.com/kaidian/kaidian/internal/couponpack"
)

// packCampaign starts a campaign, live from an hour ago for a day, giving a
// pack of total fen in count coupons (each at least least) to every paid order.
func packCampaign(t testing.TB, e *apptest.Env, total int64, count int, least int64) couponpack.Campaign {
	t.Helper()
	now := time.Now().UTC()
	c, err := e.App.Packs.Create(context.Background(), "test", couponpack.Draft{Name: "拼手气券", Total: total, Count: count,
		MinAmount: least, Scope: coupon.ScopeShop, ValidDays: 7, OnPaid: true, PerShopper: 1, PackHours: 24,
		StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatalf("fixture campaign: %v", err)
	}
	return c
}

type packBody struct {
	Token         string
	Path          string
	State         string
	Total         int64
	Count         int
	GrabbedCount  int   `json:"grabbed_count"`
	GrabbedAmount int64 `json:"grabbed_amount"`
	Giver         *struct{ Nickname string }
	Grabs         []packGrabBody
	Luckiest      *packGrabBody
	Mine          *packGrabBody
}

type packGrabBody struct {
	Nickname  string
	Amount    int64
	GrabbedAt time.Time `json:"grabbed_at"`
	Luckiest  bool
}

type grabBody struct {
	Amount int64
	Again  bool
	Coupon struct {
		ID     int64
		Coupon struct {
			ID     int64
			Amount int64
		}
	}
}

type myPacksBody struct {
	Items []struct {
		Token        string
		Path         string
		State        string
		GrabbedCount int `json:"grabbed_count"`
	}
	NextCursor string `json:"next_cursor"`
}

// TestCouponPackOverHTTP walks a pack's life: a paid order gives its buyer
// a pack (one per campaign's per-shopper limit), friends open and grab it,
// a repeat grab answers the same coupon, the last comes too late, the
// luckiest is named once the pack is empty, and a grabbed coupon takes its
// amount off an order at checkout like any other coupon.
func TestCouponPackOverHTTP(t *testing.T) {
	e := apptest.Start(t)
	packCampaign(t, e, 1000, 3, 100)
	p := e.Product(t, apptest.SKU{Price: 5000, Stock: 100})
	alice, _ := e.PaidOrder(t, "alice", p.SKUs[0].ID, 1)
	e.PaidOrder(t, "alice", p.SKUs[0].ID, 1) // over the per-shopper limit: no second pack
	bob, carol, dave := e.Login("bob"), e.Login("carol"), e.Login("dave")

	var mine myPacksBody
	e.Get("/api/v1/me/coupon-packs", alice).Decode(t, &mine)
	if len(mine.Items) != 1 || mine.Items[0].State != "open" || !strings.Contains(mine.Items[0].Path, "token="+mine.Items[0].Token) {
		t.Fatalf("alice's packs: %+v", mine)
	}
	token := mine.Items[0].Token
	var others myPacksBody
	if e.Get("/api/v1/me/coupon-packs", bob).Decode(t, &others); len(others.Items) != 0 {
		t.Fatalf("bob sees packs he was not given: %+v", others)
	}

	var v packBody
	e.Get("/api/v1/coupon-packs/"+token, "").Decode(t, &v)
	if v.State != "open" || v.Total != 1000 || v.Count != 3 || v.GrabbedCount != 0 || v.Giver == nil || v.Luckiest != nil || v.Mine != nil ||
		!strings.Contains(v.Path, "pages/coupon/pack?token="+token+"&ref=share:") {
		t.Fatalf("fresh pack: %+v", v)
	}

	grabs := map[string]grabBody{}
	for _, who := range []struct{ name, tok string }{{"bob", bob}, {"alice", alice}, {"carol", carol}} {
		r := e.Post("/api/v1/coupon-packs/"+token+"/grab", who.tok, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("%s grabs: %d %s", who.name, r.Status, r.Body)
		}
		var g grabBody
		r.Decode(t, &g)
		if g.Amount < 100 || g.Again || g.Coupon.Coupon.Amount != g.Amount {
			t.Fatalf("%s's grab: %+v", who.name, g)
		}
		grabs[who.name] = g
	}
	r := e.Post("/api/v1/coupon-packs/"+token+"/grab", bob, nil)
	var again grabBody
	if r.Decode(t, &again); r.Status != http.StatusOK || !again.Again || again.Coupon.ID != grabs["bob"].Coupon.ID {
		t.Fatalf("bob grabs again: %d %s, first %+v", r.Status, r.Body, grabs["bob"])
	}
	if r := e.Post("/api/v1/coupon-packs/"+token+"/grab", dave, nil); r.Status != http.StatusConflict || r.ErrorCode() != "pack_empty" {
		t.Fatalf("dave, fourth of three: %d %s", r.Status, r.Body)
	}

	e.Get("/api/v1/coupon-packs/"+token, bob).Decode(t, &v)
	var sum, best int64
	for _, g := range v.Grabs {
		sum += g.Amount
		best = max(best, g.Amount)
		if strings.Contains(g.Nickname, "bob") || strings.Contains(g.Nickname, "carol") {
			t.Fatalf("nickname not masked: %+v", g)
		}
	}
	if v.State != "empty" || v.GrabbedCount != 3 || sum != 1000 || v.GrabbedAmount != 1000 || v.Mine == nil ||
		v.Mine.Amount != grabs["bob"].Amount || v.Luckiest == nil || v.Luckiest.Amount != best || !v.Luckiest.Luckiest {
		t.Fatalf("emptied pack: %+v", v)
	}
	if e.Get("/api/v1/me/coupon-packs", alice).Decode(t, &mine); mine.Items[0].State != "empty" || mine.Items[0].GrabbedCount != 3 {
		t.Fatalf("alice's pack after the grabs: %+v", mine)
	}

	// Bob's grabbed coupon is in his wallet and takes its amount off an order.
	var wallet struct {
		Items []struct{ Coupon struct{ ID, Amount int64 } }
	}
	e.Get("/api/v1/me/coupons?status=unused", bob).Decode(t, &wallet)
	if len(wallet.Items) != 1 || wallet.Items[0].Coupon.ID != grabs["bob"].Coupon.Coupon.ID {
		t.Fatalf("bob's wallet: %+v", wallet)
	}
	var preview struct {
		DiscountAmount int64  `json:"discount_amount"`
		CouponID       *int64 `json:"coupon_id"`
	}
	r = e.Post("/api/v1/orders/preview", bob, map[string]any{"items": []map[string]any{{"sku_id": p.SKUs[0].ID, "quantity": 1}},
		"coupon_id": grabs["bob"].Coupon.Coupon.ID})
	if r.Decode(t, &preview); r.Status != http.StatusOK || preview.DiscountAmount != grabs["bob"].Amount {
		t.Fatalf("preview with the grabbed coupon: %d %s", r.Status, r.Body)
	}
}

// TestCouponPackBadInput: unknown and malformed tokens, no login, an
// expired pack, and a page cursor that is not one; each the documented
// error, nothing grabbed.
func TestCouponPackBadInput(t *testing.T) {
	e := apptest.Start(t)
	packCampaign(t, e, 500, 5, 100)
	p := e.Product(t, apptest.SKU{Price: 5000, Stock: 100})
	alice, _ := e.PaidOrder(t, "alice", p.SKUs[0].ID, 1)
	var mine myPacksBody
	e.Get("/api/v1/me/coupon-packs", alice).Decode(t, &mine)
	token := mine.Items[0].Token
	bob := e.Token("bob")

	for _, path := range []string{"/api/v1/coupon-packs/ABCDEFGHJKMN", "/api/v1/coupon-packs/abc", "/api/v1/coupon-packs/" + strings.ToLower(token)} {
		if r := e.Get(path, ""); r.Status != http.StatusNotFound || r.ErrorCode() != "pack_not_found" {
			t.Errorf("GET %s: %d %s", path, r.Status, r.Body)
		}
		if r := e.Post(path+"/grab", bob, nil); r.Status != http.StatusNotFound || r.ErrorCode() != "pack_not_found" {
			t.Errorf("POST %s/grab: %d %s", path, r.Status, r.Body)
		}
	}
	if r := e.Post("/api/v1/coupon-packs/"+token+"/grab", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("grab without login: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/me/coupon-packs", ""); r.Status != http.StatusUnauthorized {
		t.Errorf("my packs without login: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/me/coupon-packs?cursor=x", alice); r.Status != http.StatusBadRequest {
		t.Errorf("my packs with a bad cursor: %d %s", r.Status, r.Body)
	}
	if r := e.Get("/api/v1/coupon-packs/"+token, "not-a-token"); r.Status != http.StatusUnauthorized {
		t.Errorf("open a pack with a bad token: %d %s", r.Status, r.Body)
	}

	if r := e.Post("/api/v1/coupon-packs/"+token+"/grab", bob, nil); r.Status != http.StatusCreated {
		t.Fatalf("bob grabs: %d %s", r.Status, r.Body)
	}
	e.App.Clock.Set(func() time.Time { return time.Now().UTC().Add(25 * time.Hour) })
	carol, bob := e.Token("carol"), e.Token("bob") // tokens from before the move have expired
	r := e.Post("/api/v1/coupon-packs/"+token+"/grab", carol, nil)
	if r.Status != http.StatusConflict || r.ErrorCode() != "pack_expired" {
		t.Fatalf("grab after expiry: %d %s", r.Status, r.Body)
	}
	// Bob's grab is still his to see, and the luckiest is named now.
	if r := e.Post("/api/v1/coupon-packs/"+token+"/grab", bob, nil); r.Status != http.StatusOK {
		t.Fatalf("bob after expiry: %d %s", r.Status, r.Body)
	}
	var v packBody
	e.Get("/api/v1/coupon-packs/"+token, carol).Decode(t, &v)
	if v.State != "expired" || v.GrabbedCount != 1 || v.Luckiest == nil || v.Mine != nil {
		t.Fatalf("expired pack: %+v", v)
	}
	if r := e.Get("/api/v1/coupon-packs/"+token, "").Header.Get("Content-Type"); !strings.HasPrefix(r, "application/json") {
		t.Fatalf("content type %q", r)
	}
}
