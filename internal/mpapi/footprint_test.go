package mpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

type footprintListBody struct {
	Items []struct {
		ProductID int64  `json:"product_id"`
		Day       string `json:"day"`
		ViewedAt  string `json:"viewed_at"`
		Product   struct {
			ID     int64 `json:"id"`
			OnSale bool  `json:"on_sale"`
		} `json:"product"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func footprints(t *testing.T, e *apptest.Env, tok, query string) footprintListBody {
	t.Helper()
	if err := e.App.Views.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := e.Get("/api/v1/me/footprints"+query, tok)
	if r.Status != http.StatusOK {
		t.Fatalf("footprints: %d %s", r.Status, r.Body)
	}
	var l footprintListBody
	r.Decode(t, &l)
	return l
}

func productIDs(l footprintListBody) []int64 {
	out := make([]int64, len(l.Items))
	for i, f := range l.Items {
		out[i] = f.ProductID
	}
	return out
}

// A product page seen with a shopper's token is a footprint: one per product
// per day, latest view first, also when the page comes from the catalog
// cache; without a token, with a bad one, or for a page that is not there,
// nothing is recorded. Another shopper sees none of them.
func TestFootprints(t *testing.T) {
	e := apptest.Start(t, apptest.WithCatalogCache(time.Minute))
	tok, other := e.Token("fp-alice"), e.Token("fp-bob")
	a, b, c := e.Product(t), e.Product(t), e.Product(t)
	view := func(id int64, token string) {
		t.Helper()
		if r := e.Get("/api/v1/products/"+itoa(id), token); r.Status != http.StatusOK {
			t.Fatalf("product %d: %d", id, r.Status)
		}
	}
	view(a.ID, tok)
	view(b.ID, tok)
	view(c.ID, "")                                  // anonymous: nothing
	view(c.ID, "not-a-token")                       // a bad token: still the public page, nothing recorded
	view(a.ID, tok)                                 // from the cache now, and a's second view today
	e.Get("/api/v1/products/"+itoa(c.ID+1000), tok) // 404: nothing

	l := footprints(t, e, tok, "")
	if ids := productIDs(l); len(ids) != 2 || ids[0] != a.ID || ids[1] != b.ID || l.NextCursor != "" {
		t.Fatalf("footprints %v: %+v", ids, l)
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	if l.Items[0].Day != today || !l.Items[0].Product.OnSale {
		t.Fatalf("day %q, want %q; product %+v", l.Items[0].Day, today, l.Items[0].Product)
	}
	if l := footprints(t, e, other, ""); len(l.Items) != 0 {
		t.Fatalf("bob sees alice's footprints: %+v", l)
	}

	// Tomorrow's view of b is an entry of its own, first; paging walks all three.
	e.App.Clock.Set(func() time.Time { return time.Now().UTC().Add(24 * time.Hour) })
	t.Cleanup(func() { e.App.Clock.Set(func() time.Time { return time.Now().UTC() }) })
	tomorrow := e.Token("fp-alice") // a token for the moved clock; same shopper
	view(b.ID, tomorrow)
	p1 := footprints(t, e, tomorrow, "?limit=2")
	p2 := footprints(t, e, tomorrow, "?limit=2&cursor="+p1.NextCursor)
	if ids := append(productIDs(p1), productIDs(p2)...); len(ids) != 3 || ids[0] != b.ID || ids[1] != a.ID || ids[2] != b.ID ||
		p1.NextCursor == "" || p2.NextCursor != "" || p1.Items[0].Day == p1.Items[1].Day {
		t.Fatalf("two days: %v %+v %+v", ids, p1, p2)
	}

	e.RunScenarios(t, []apptest.Scenario{
		{Name: "bad cursor", Req: apptest.Request{Method: "GET", Path: "/api/v1/me/footprints?cursor=garbage", Token: tomorrow}, Status: 400, Code: "invalid_field"},
		{Name: "a favourites cursor", Req: apptest.Request{Method: "GET", Path: "/api/v1/me/footprints?cursor=azE6NQ", Token: tomorrow}, Status: 400, Code: "invalid_field"},
		{Name: "bad limit", Req: apptest.Request{Method: "GET", Path: "/api/v1/me/footprints?limit=0", Token: tomorrow}, Status: 400, Code: "invalid_field"},
		{Name: "no token", Req: apptest.Request{Method: "GET", Path: "/api/v1/me/footprints"}, Status: 401, Code: "unauthenticated"},
		{Name: "clear without a token", Req: apptest.Request{Method: "DELETE", Path: "/api/v1/me/footprints"}, Status: 401, Code: "unauthenticated"},
	})
	bob := e.Token("fp-bob")
	view(a.ID, bob)
	if r := e.Delete("/api/v1/me/footprints", tomorrow); r.Status != http.StatusNoContent {
		t.Fatalf("clear: %d %s", r.Status, r.Body)
	}
	if l := footprints(t, e, tomorrow, ""); len(l.Items) != 0 {
		t.Fatalf("after clearing: %+v", l)
	}
	if l := footprints(t, e, bob, ""); len(l.Items) != 1 {
		t.Fatalf("clearing alice's footprints touched bob's: %+v", l)
	}
}

// Footprints are kept 90 days: older ones are not listed, and the pruning
// job deletes them.
func TestFootprintsKeptNinetyDays(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("fp-old")
	old, recent := e.Product(t), e.Product(t)
	e.Get("/api/v1/products/"+itoa(old.ID), tok)
	if err := e.App.Views.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	later := time.Now().UTC().Add(90*24*time.Hour + time.Minute)
	e.App.Clock.Set(func() time.Time { return later })
	t.Cleanup(func() { e.App.Clock.Set(func() time.Time { return time.Now().UTC() }) })
	tok = e.Token("fp-old")
	e.Get("/api/v1/products/"+itoa(recent.ID), tok)
	if ids := productIDs(footprints(t, e, tok, "")); len(ids) != 1 || ids[0] != recent.ID {
		t.Fatalf("listed past 90 days: %v", ids)
	}
	n, err := e.App.Footprints.Prune(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("pruned %d (%v), want 1", n, err)
	}
	if n, err := e.App.Footprints.Prune(context.Background()); err != nil || n != 0 {
		t.Fatalf("second prune deleted %d (%v)", n, err)
	}
}
