package mpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

const cacheHeader = "X-Cache"

func TestCatalogCacheRepeatsAnswersAndLagsAtMostTheTTL(t *testing.T) {
	e := apptest.Start(t, apptest.WithCatalogCache(time.Hour))
	clothes := e.Category(t, "服饰", nil)
	p := e.ProductIn(t, clothes.ID, "纯棉T恤", apptest.SKU{Price: 5900, Stock: 3})

	for _, path := range []string{
		"/api/v1/categories",
		fmt.Sprintf("/api/v1/products?limit=5&category_id=%d", clothes.ID),
		fmt.Sprintf("/api/v1/products/%d", p.ID),
	} {
		first := e.Get(path, "")
		second := e.Get(path, "")
		if first.Status != 200 || first.Header.Get(cacheHeader) != "miss" ||
			second.Header.Get(cacheHeader) != "hit" || string(second.Body) != string(first.Body) {
			t.Fatalf("%s: first %d %s, second %s; want a miss, then the same answer from the cache",
				path, first.Status, first.Header.Get(cacheHeader), second.Header.Get(cacheHeader))
		}
	}
	// The same parameters in another order are the same page.
	if r := e.Get(fmt.Sprintf("/api/v1/products?category_id=%d&limit=5", clothes.ID), ""); r.Header.Get(cacheHeader) != "hit" {
		t.Fatalf("reordered query = %s", r.Header.Get(cacheHeader))
	}

	// Within the TTL a change is not seen yet: that is the promised lag.
	if _, err := e.App.Catalog.UpdateCategory(context.Background(), clothes.ID, "男装", 0); err != nil {
		t.Fatal(err)
	}
	if r := e.Get("/api/v1/categories", ""); r.Header.Get(cacheHeader) != "hit" || !strings.Contains(string(r.Body), "服饰") {
		t.Fatalf("within the TTL = %s %s", r.Header.Get(cacheHeader), r.Body)
	}

	// Errors are never kept: an unknown product asks the database each time.
	for range 2 {
		if r := e.Get("/api/v1/products/999999", ""); r.Status != 404 || r.Header.Get(cacheHeader) != "miss" {
			t.Fatalf("unknown product = %d %s", r.Status, r.Header.Get(cacheHeader))
		}
	}
}

func TestCatalogCacheShowsChangesOnceTheTTLPassed(t *testing.T) {
	e := apptest.Start(t, apptest.WithCatalogCache(50*time.Millisecond))
	c := e.Category(t, "服饰", nil)
	if r := e.Get("/api/v1/categories", ""); !strings.Contains(string(r.Body), "服饰") {
		t.Fatalf("categories = %s", r.Body)
	}
	if _, err := e.App.Catalog.UpdateCategory(context.Background(), c.ID, "男装", 0); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r := e.Get("/api/v1/categories", "")
		if strings.Contains(string(r.Body), "男装") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the renamed category never showed: %s %s", r.Header.Get(cacheHeader), r.Body)
		}
	}
}

// A shopper's token neither changes nor enters a cached catalog answer, and
// nothing that belongs to a shopper is ever cached.
func TestCatalogCacheIgnoresTokensAndKeepsPrivateAnswersOut(t *testing.T) {
	e := apptest.Start(t, apptest.WithCatalogCache(time.Hour))
	p := e.Product(t, apptest.SKU{Price: 5900, Stock: 30})
	alice, bob := e.Token("alice"), e.Token("bob")
	detail := fmt.Sprintf("/api/v1/products/%d", p.ID)

	anon := e.Get(detail, "")
	for _, tok := range []string{alice, bob} {
		if r := e.Get(detail, tok); r.Header.Get(cacheHeader) != "hit" || string(r.Body) != string(anon.Body) {
			t.Fatalf("with a token = %s %s, want the anonymous answer", r.Header.Get(cacheHeader), r.Body)
		}
	}
	// Filled by a logged-in shopper, the answer an anonymous visitor gets is the same.
	list := "/api/v1/products?limit=3"
	byAlice := e.Get(list, alice)
	if r := e.Get(list, ""); r.Header.Get(cacheHeader) != "hit" || string(r.Body) != string(byAlice.Body) {
		t.Fatalf("filled with a token, read without = %s", r.Header.Get(cacheHeader))
	}

	addItem(t, e, alice, p.SKUs[0].ID, 2)
	for _, path := range []string{"/api/v1/cart", "/api/v1/orders", "/api/v1/addresses", "/api/v1/me/coupons"} {
		for range 2 {
			if r := e.Get(path, alice); r.Status != 200 || r.Header.Get(cacheHeader) != "" {
				t.Fatalf("%s: %d, X-Cache %q: a shopper's own data went through the cache", path, r.Status, r.Header.Get(cacheHeader))
			}
		}
	}
	if a, b := getCart(t, e, "/api/v1/cart", alice), getCart(t, e, "/api/v1/cart", bob); len(a.Items) != 1 || len(b.Items) != 0 {
		t.Fatalf("carts: alice %d lines, bob %d", len(a.Items), len(b.Items))
	}
}

func TestCatalogCacheIsOffInTestsUnlessAsked(t *testing.T) {
	e := apptest.Start(t)
	if r := e.Get("/api/v1/categories", ""); r.Status != 200 || r.Header.Get(cacheHeader) != "" {
		t.Fatalf("categories = %d, X-Cache %q", r.Status, r.Header.Get(cacheHeader))
	}
}
