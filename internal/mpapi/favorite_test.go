package mpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

type favoriteListBody struct {
	Items []struct {
		ProductID   int64  `json:"product_id"`
		FavoritedAt string `json:"favorited_at"`
		Product     struct {
			ID     int64  `json:"id"`
			Title  string `json:"title"`
			Price  int64  `json:"price"`
			OnSale bool   `json:"on_sale"`
		} `json:"product"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func favorites(t *testing.T, e *apptest.Env, tok, query string) favoriteListBody {
	t.Helper()
	r := e.Get("/api/v1/me/favorites"+query, tok)
	if r.Status != http.StatusOK {
		t.Fatalf("favorites: %d %s", r.Status, r.Body)
	}
	var l favoriteListBody
	r.Decode(t, &l)
	return l
}

// Favourites: saving and removing are idempotent, the list is the
// shopper's own, latest first, paged; a product taken off the shelf stays,
// flagged; GET /me/favorites/{id} says whether one is saved.
func TestFavorites(t *testing.T) {
	e := apptest.Start(t)
	tok, other := e.Token("fav-alice"), e.Token("fav-bob")
	a := e.Product(t, apptest.SKU{Price: 1990, Stock: 3})
	b, c := e.Product(t), e.Product(t)
	path := func(id int64) string { return "/api/v1/me/favorites/" + itoa(id) }

	for _, id := range []int64{a.ID, b.ID, c.ID, a.ID} { // a twice: still one favourite
		if r := e.Put(path(id), tok, nil); r.Status != http.StatusNoContent {
			t.Fatalf("PUT %d: %d %s", id, r.Status, r.Body)
		}
	}
	p1 := favorites(t, e, tok, "?limit=2")
	if len(p1.Items) != 2 || p1.Items[0].ProductID != c.ID || p1.Items[1].ProductID != b.ID || p1.NextCursor == "" {
		t.Fatalf("first page: %+v", p1)
	}
	p2 := favorites(t, e, tok, "?limit=2&cursor="+p1.NextCursor)
	if len(p2.Items) != 1 || p2.Items[0].ProductID != a.ID || p2.NextCursor != "" ||
		p2.Items[0].Product.Price != 1990 || !p2.Items[0].Product.OnSale || p2.Items[0].Product.Title != a.Title {
		t.Fatalf("second page: %+v", p2)
	}
	if l := favorites(t, e, other, ""); len(l.Items) != 0 {
		t.Fatalf("bob sees alice's favourites: %+v", l)
	}

	if _, err := e.App.Catalog.SetShelf(context.Background(), []int64{b.ID}, false, "test"); err != nil {
		t.Fatal(err)
	}
	l := favorites(t, e, tok, "")
	if len(l.Items) != 3 || l.Items[1].ProductID != b.ID || l.Items[1].Product.OnSale || !l.Items[0].Product.OnSale {
		t.Fatalf("a product off the shelf should stay, flagged: %+v", l)
	}

	if r := e.Get(path(a.ID), tok); r.Status != http.StatusOK || int64(r.JSON(t)["product_id"].(float64)) != a.ID {
		t.Fatalf("GET saved: %d %s", r.Status, r.Body)
	}
	for _, id := range []int64{a.ID, a.ID} { // removing twice is fine
		if r := e.Delete(path(id), tok); r.Status != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", r.Status, r.Body)
		}
	}
	e.RunScenarios(t, []apptest.Scenario{
		{Name: "removed", Req: apptest.Request{Method: "GET", Path: path(a.ID), Token: tok}, Status: 404, Code: "favorite_not_found"},
		{Name: "someone else's", Req: apptest.Request{Method: "GET", Path: path(c.ID), Token: other}, Status: 404, Code: "favorite_not_found"},
		{Name: "not an id", Req: apptest.Request{Method: "GET", Path: "/api/v1/me/favorites/abc", Token: tok}, Status: 404, Code: "favorite_not_found"},
		{Name: "unknown product", Req: apptest.Request{Method: "PUT", Path: path(c.ID + 1000), Token: tok}, Status: 404, Code: "product_not_found"},
		{Name: "negative id", Req: apptest.Request{Method: "PUT", Path: "/api/v1/me/favorites/-1", Token: tok}, Status: 404, Code: "product_not_found"},
		{Name: "text id", Req: apptest.Request{Method: "PUT", Path: "/api/v1/me/favorites/abc", Token: tok}, Status: 404, Code: "product_not_found"},
		{Name: "huge id", Req: apptest.Request{Method: "PUT", Path: "/api/v1/me/favorites/99999999999999999999", Token: tok}, Status: 404, Code: "product_not_found"},
		{Name: "delete text id", Req: apptest.Request{Method: "DELETE", Path: "/api/v1/me/favorites/abc", Token: tok}, Status: 404, Code: "not_found"},
		{Name: "bad cursor", Req: apptest.Request{Method: "GET", Path: "/api/v1/me/favorites?cursor=garbage!", Token: tok}, Status: 400, Code: "invalid_field"},
		{Name: "bad limit", Req: apptest.Request{Method: "GET", Path: "/api/v1/me/favorites?limit=1000", Token: tok}, Status: 400, Code: "invalid_field"},
		{Name: "no token", Req: apptest.Request{Method: "PUT", Path: path(c.ID)}, Status: 401, Code: "unauthenticated"},
	})
	// Deleting another shopper's favourite is deleting one's own (absent): hers stays.
	if r := e.Delete(path(c.ID), other); r.Status != http.StatusNoContent {
		t.Fatalf("bob's DELETE: %d", r.Status)
	}
	if l := favorites(t, e, tok, ""); len(l.Items) != 2 || l.Items[0].ProductID != c.ID {
		t.Fatalf("after the refusals: %+v", l)
	}
}

// Many taps at once on one product's heart end with one favourite, every
// tap answered 204 (both databases: the insert ignores the duplicate).
func TestFavoriteConcurrentTaps(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("fav-racer")
	p := e.Product(t)
	var wg sync.WaitGroup
	statuses := make([]int, 16)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.Put("/api/v1/me/favorites/"+itoa(p.ID), tok, nil).Status
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusNoContent {
			t.Fatalf("tap %d: %d", i, s)
		}
	}
	if n, err := e.App.Favorites.Count(context.Background(), shopperIDOf(t, e, tok)); err != nil || n != 1 {
		t.Fatalf("%d favourites after 16 taps (%v)", n, err)
	}
}

func shopperIDOf(t *testing.T, e *apptest.Env, tok string) int64 {
	t.Helper()
	id, err := e.App.Tokens.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
