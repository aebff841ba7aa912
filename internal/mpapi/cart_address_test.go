package mpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

func TestCartMergesFlagsAndLimits(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 3}, apptest.SKU{Price: 500, Stock: 0})
	a, empty := p.SKUs[0].ID, p.SKUs[1].ID
	tok := e.Token("alice")

	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := e.Post("/api/v1/cart/items", tok, map[string]any{"sku_id": a, "quantity": 1}); r.Status != http.StatusCreated {
				t.Errorf("add: %d %s", r.Status, r.Body)
			}
		}()
	}
	wg.Wait()
	e.Post("/api/v1/cart/items", tok, map[string]any{"sku_id": empty, "quantity": 1})
	// The merchant raises the price after the shopper added it.
	e.App.DB.Conn(t.Context()).Exec("UPDATE skus SET price = 1200 WHERE id = ?", a)

	var cart struct {
		TotalQuantity int   `json:"total_quantity"`
		TotalAmount   int64 `json:"total_amount"`
		Items         []any `json:"items"`
	}
	r := e.Get("/api/v1/cart", tok)
	r.Decode(t, &cart)
	body := string(r.Body)
	if len(cart.Items) != 2 || !strings.Contains(body, `"quantity":20`) || !strings.Contains(body, `"price_changed":true`) ||
		!strings.Contains(body, `"out_of_stock":true`) {
		t.Fatalf("cart: %s", body)
	}
	if cart.TotalQuantity != 0 || cart.TotalAmount != 0 {
		t.Fatalf("totals count lines that cannot be bought: %s", body)
	}
	if r := e.Post("/api/v1/cart/items", tok, map[string]any{"sku_id": a, "quantity": 980}); r.Status != 422 || r.ErrorCode() != "quantity_limit" {
		t.Fatalf("over 999: %d %s", r.Status, r.Body)
	}
}

// Someone else's cart items and addresses do not exist for them, on every route,
// and bad input changes nothing.
func TestCartAndAddressesAreOwnedAndValidated(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t).SKUs[0].ID
	alice, aliceAddr := shopperWithAddress(t, e, "alice")
	bob := e.Token("bob")
	item := int64(e.Post("/api/v1/cart/items", alice, map[string]any{"sku_id": sku, "quantity": 2}).JSON(t)["id"].(float64))
	addr := map[string]any{"name": "李四", "phone": "13900139000", "province": "北京市", "city": "北京市", "district": "朝阳区", "detail": "建国路 1 号"}
	itemPath, addrPath := fmt.Sprintf("/api/v1/cart/items/%d", item), fmt.Sprintf("/api/v1/addresses/%d", aliceAddr)

	tests := []struct {
		name   string
		req    apptest.Request
		status int
		code   string
	}{
		{"bob patches alice's item", apptest.Request{Method: "PATCH", Path: itemPath, Token: bob, Body: map[string]any{"quantity": 5}}, 404, "cart_item_not_found"},
		{"bob deletes alice's item", apptest.Request{Method: "DELETE", Path: itemPath, Token: bob}, 404, "cart_item_not_found"},
		{"bob replaces alice's address", apptest.Request{Method: "PUT", Path: addrPath, Token: bob, Body: addr}, 404, "address_not_found"},
		{"bob deletes alice's address", apptest.Request{Method: "DELETE", Path: addrPath, Token: bob}, 404, "address_not_found"},
		{"no token", apptest.Request{Method: "GET", Path: "/api/v1/cart"}, 401, "unauthenticated"},
		{"no token add", apptest.Request{Method: "POST", Path: "/api/v1/cart/items", Body: map[string]any{"sku_id": sku, "quantity": 1}}, 401, "unauthenticated"},
		{"no token addresses", apptest.Request{Method: "GET", Path: "/api/v1/addresses"}, 401, "unauthenticated"},
		{"quantity as string", apptest.Request{Method: "POST", Path: "/api/v1/cart/items", Token: alice, Body: `{"sku_id": 1, "quantity": "2"}`}, 400, "invalid_type"},
		{"negative quantity", apptest.Request{Method: "PATCH", Path: itemPath, Token: alice, Body: map[string]any{"quantity": -3}}, 400, "invalid_field"},
		{"huge quantity", apptest.Request{Method: "PATCH", Path: itemPath, Token: alice, Body: map[string]any{"quantity": 1000000000000}}, 400, "invalid_field"},
		{"unknown sku", apptest.Request{Method: "POST", Path: "/api/v1/cart/items", Token: alice, Body: map[string]any{"sku_id": 424242, "quantity": 1}}, 422, "unknown_sku"},
		{"malformed", apptest.Request{Method: "POST", Path: "/api/v1/addresses", Token: alice, Body: `{"name":`}, 400, "malformed_json"},
		{"bad phone", apptest.Request{Method: "POST", Path: "/api/v1/addresses", Token: alice, Body: map[string]any{"name": "李四", "phone": "12345", "province": "北京市", "city": "北京市", "district": "朝阳区", "detail": "x"}}, 400, "invalid_field"},
		{"missing detail", apptest.Request{Method: "POST", Path: "/api/v1/addresses", Token: alice, Body: map[string]any{"name": "李四", "phone": "13900139000", "province": "北京市", "city": "北京市", "district": "朝阳区"}}, 400, "invalid_field"},
		{"oversized", apptest.Request{Method: "POST", Path: "/api/v1/addresses", Token: alice, Body: `{"name":"` + strings.Repeat("x", 2<<20) + `"}`}, 400, "body_too_large"},
		{"non-numeric id", apptest.Request{Method: "DELETE", Path: "/api/v1/cart/items/abc", Token: alice}, 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Do(tt.req)
			if r.Status != tt.status || r.ErrorCode() != tt.code {
				t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, tt.status, tt.code)
			}
		})
	}
	// Alice's things are as she left them; bob sees none of them.
	if r := e.Get("/api/v1/cart", alice); !strings.Contains(string(r.Body), `"quantity":2`) {
		t.Fatalf("alice's cart changed: %s", r.Body)
	}
	if r := e.Get("/api/v1/addresses", alice); strings.Count(string(r.Body), `"id"`) != 1 || !strings.Contains(string(r.Body), "张三") {
		t.Fatalf("alice's addresses changed: %s", r.Body)
	}
	for _, path := range []string{"/api/v1/cart", "/api/v1/addresses"} {
		if r := e.Get(path, bob); strings.Contains(string(r.Body), `"id"`) {
			t.Fatalf("bob sees alice's %s: %s", path, r.Body)
		}
	}
}

func TestOneDefaultAddress(t *testing.T) {
	e := apptest.Start(t)
	tok, first := shopperWithAddress(t, e, "alice")
	addr := map[string]any{"name": "李四", "phone": "010-12345678", "province": "北京市", "city": "北京市", "district": "朝阳区", "detail": "建国路 1 号", "is_default": true}
	second := int64(e.Post("/api/v1/addresses", tok, addr).JSON(t)["id"].(float64))
	defaults := func() (ids []int64) {
		var list struct {
			Items []struct {
				ID        int64 `json:"id"`
				IsDefault bool  `json:"is_default"`
			} `json:"items"`
		}
		e.Get("/api/v1/addresses", tok).Decode(t, &list)
		for _, a := range list.Items {
			if a.IsDefault {
				ids = append(ids, a.ID)
			}
		}
		return ids
	}
	if d := defaults(); len(d) != 1 || d[0] != second {
		t.Fatalf("defaults %v, want [%d]", d, second)
	}
	if r := e.Delete(fmt.Sprintf("/api/v1/addresses/%d", second), tok); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if d := defaults(); len(d) != 1 || d[0] != first {
		t.Fatalf("after deleting the default: %v, want [%d]", d, first)
	}
}
