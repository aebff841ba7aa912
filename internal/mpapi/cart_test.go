package mpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/catalog"
)

// snapshot is what the shopper sees at path, to prove a request changed nothing.
func snapshot(t *testing.T, e *apptest.Env, path, tok string) string {
	t.Helper()
	r := e.Get(path, tok)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	return string(r.Body)
}

type cartBody struct {
	Items []struct {
		ID           int64 `json:"id"`
		SKUID        int64 `json:"sku_id"`
		Quantity     int   `json:"quantity"`
		Price        int64 `json:"price"`
		AddedPrice   int64 `json:"added_price"`
		PriceChanged bool  `json:"price_changed"`
		OutOfStock   bool  `json:"out_of_stock"`
		Available    bool  `json:"available"`
	} `json:"items"`
	NextCursor    string `json:"next_cursor"`
	TotalQuantity int    `json:"total_quantity"`
	TotalAmount   int64  `json:"total_amount"`
}

func getCart(t *testing.T, e *apptest.Env, path, tok string) cartBody {
	t.Helper()
	var c cartBody
	e.Get(path, tok).Decode(t, &c)
	return c
}

func addItem(t *testing.T, e *apptest.Env, tok string, sku int64, qty int) int64 {
	t.Helper()
	r := e.Post("/api/v1/cart/items", tok, map[string]any{"sku_id": sku, "quantity": qty})
	if r.Status != http.StatusCreated {
		t.Fatalf("add: %d %s", r.Status, r.Body)
	}
	return int64(r.JSON(t)["id"].(float64))
}

func TestCartAPIAddUpdateListRemove(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("alice")
	p := e.Product(t, apptest.SKU{Price: 1000, Stock: 10}, apptest.SKU{Price: 2500, Stock: 10}, apptest.SKU{Price: 300, Stock: 10})
	a, b, c := p.SKUs[0].ID, p.SKUs[1].ID, p.SKUs[2].ID
	off := e.CreateProduct(t, catalog.NewProduct{CategoryID: p.CategoryID, Title: "下架 SKU",
		SKUs: []catalog.NewSKU{{Code: "OFF-1", Price: 100, Stock: 5, OffSale: true}}}).SKUs[0].ID

	item := addItem(t, e, tok, a, 2)
	r := e.Post("/api/v1/cart/items", tok, map[string]any{"sku_id": a, "quantity": 3})
	if m := r.JSON(t); r.Status != http.StatusCreated || int64(m["id"].(float64)) != item || m["quantity"].(float64) != 5 {
		t.Fatalf("merge: %d %s", r.Status, r.Body)
	}
	addItem(t, e, tok, b, 1)
	third := addItem(t, e, tok, c, 4)
	itemPath := fmt.Sprintf("/api/v1/cart/items/%d", item)

	e.RunScenarios(t, []apptest.Scenario{
		{Name: "patch quantity", Req: apptest.Request{Method: "PATCH", Path: itemPath, Token: tok, Body: map[string]any{"quantity": 7}}, Status: 200, Code: ""},
		{Name: "merge past 999", Req: apptest.Request{Method: "POST", Path: "/api/v1/cart/items", Token: tok, Body: map[string]any{"sku_id": a, "quantity": 993}}, Status: 422, Code: "quantity_limit"},
		{Name: "off-sale sku", Req: apptest.Request{Method: "POST", Path: "/api/v1/cart/items", Token: tok, Body: map[string]any{"sku_id": off, "quantity": 1}}, Status: 422, Code: "sku_unavailable"},
		{Name: "remove", Req: apptest.Request{Method: "DELETE", Path: fmt.Sprintf("/api/v1/cart/items/%d", third), Token: tok}, Status: 204, Code: ""},
		{Name: "remove again", Req: apptest.Request{Method: "DELETE", Path: fmt.Sprintf("/api/v1/cart/items/%d", third), Token: tok}, Status: 404, Code: "cart_item_not_found"},
		{Name: "patch removed", Req: apptest.Request{Method: "PATCH", Path: fmt.Sprintf("/api/v1/cart/items/%d", third), Token: tok, Body: map[string]any{"quantity": 1}}, Status: 404, Code: "cart_item_not_found"},
		{Name: "bad cursor", Req: apptest.Request{Method: "GET", Path: "/api/v1/cart?cursor=nope", Token: tok}, Status: 400, Code: "invalid_field"},
		{Name: "bad limit", Req: apptest.Request{Method: "GET", Path: "/api/v1/cart?limit=0", Token: tok}, Status: 400, Code: "invalid_field"},
	})

	// The merchant changes prices after the shopper added the SKUs.
	e.App.DB.Conn(t.Context()).Exec("UPDATE skus SET price = 900 WHERE id = ?", a)
	e.App.DB.Conn(t.Context()).Exec("UPDATE skus SET stock = 0 WHERE id = ?", b)
	page1 := getCart(t, e, "/api/v1/cart?limit=1", tok)
	page2 := getCart(t, e, "/api/v1/cart?limit=1&cursor="+page1.NextCursor, tok)
	if len(page1.Items) != 1 || page1.NextCursor == "" || len(page2.Items) != 1 || page2.NextCursor != "" {
		t.Fatalf("pages: %+v %+v", page1, page2)
	}
	l1, l2 := page1.Items[0], page2.Items[0]
	if l1.SKUID != a || l1.Quantity != 7 || l1.Price != 900 || l1.AddedPrice != 1000 || !l1.PriceChanged || l1.OutOfStock || !l1.Available {
		t.Fatalf("price-changed line: %+v", l1)
	}
	if l2.SKUID != b || !l2.OutOfStock || l2.PriceChanged {
		t.Fatalf("out-of-stock line: %+v", l2)
	}
	// Totals cover the whole cart on every page, without the line that cannot be bought.
	for _, pg := range []cartBody{page1, page2} {
		if pg.TotalQuantity != 7 || pg.TotalAmount != 7*900 {
			t.Fatalf("totals: %d %d", pg.TotalQuantity, pg.TotalAmount)
		}
	}
}

// Every cart route answers 404 for someone else's item and changes nothing.
func TestCartAPIOtherShoppersItems(t *testing.T) {
	e := apptest.Start(t)
	alice, bob := e.Token("alice"), e.Token("bob")
	sku := e.Product(t).SKUs[0].ID
	item := addItem(t, e, alice, sku, 2)
	path := fmt.Sprintf("/api/v1/cart/items/%d", item)
	before := snapshot(t, e, "/api/v1/cart", alice)

	e.RunScenarios(t, []apptest.Scenario{
		{Name: "patch", Req: apptest.Request{Method: "PATCH", Path: path, Token: bob, Body: map[string]any{"quantity": 5}}, Status: 404, Code: "cart_item_not_found"},
		{Name: "delete", Req: apptest.Request{Method: "DELETE", Path: path, Token: bob}, Status: 404, Code: "cart_item_not_found"},
		{Name: "patch unknown id", Req: apptest.Request{Method: "PATCH", Path: "/api/v1/cart/items/999999", Token: bob, Body: map[string]any{"quantity": 5}}, Status: 404, Code: "cart_item_not_found"},
		{Name: "non-numeric id", Req: apptest.Request{Method: "DELETE", Path: "/api/v1/cart/items/abc", Token: bob}, Status: 404, Code: "not_found"},
	})
	if got := getCart(t, e, "/api/v1/cart", bob); len(got.Items) != 0 || got.TotalQuantity != 0 {
		t.Fatalf("bob sees alice's cart: %+v", got)
	}
	// Bob adding the same SKU makes his own line, not a merge into alice's.
	if id := addItem(t, e, bob, sku, 1); id == item {
		t.Fatal("bob merged into alice's line")
	}
	if after := snapshot(t, e, "/api/v1/cart", alice); after != before {
		t.Fatalf("alice's cart changed:\n%s\n%s", before, after)
	}
}

func TestCartAPIRequiresToken(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t).SKUs[0].ID
	item := addItem(t, e, e.Token("alice"), sku, 1)
	path := fmt.Sprintf("/api/v1/cart/items/%d", item)
	var tests []apptest.Scenario
	for _, tok := range []string{"", "not-a-token", e.Token("alice") + "x"} {
		tests = append(tests,
			apptest.Scenario{Name: "list " + tok, Req: apptest.Request{Method: "GET", Path: "/api/v1/cart", Token: tok}, Status: 401, Code: "unauthenticated"},
			apptest.Scenario{Name: "add " + tok, Req: apptest.Request{Method: "POST", Path: "/api/v1/cart/items", Token: tok, Body: map[string]any{"sku_id": sku, "quantity": 1}}, Status: 401, Code: "unauthenticated"},
			apptest.Scenario{Name: "patch " + tok, Req: apptest.Request{Method: "PATCH", Path: path, Token: tok, Body: map[string]any{"quantity": 3}}, Status: 401, Code: "unauthenticated"},
			apptest.Scenario{Name: "delete " + tok, Req: apptest.Request{Method: "DELETE", Path: path, Token: tok}, Status: 401, Code: "unauthenticated"},
		)
	}
	e.RunScenarios(t, tests)
	if c := getCart(t, e, "/api/v1/cart", e.Token("alice")); len(c.Items) != 1 || c.Items[0].Quantity != 1 {
		t.Fatalf("cart changed without a token: %+v", c)
	}
}

// Bad input gets 400 (or 422 for a business rule) and changes nothing.
func TestCartAPIBadInput(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("alice")
	sku := e.Product(t).SKUs[0].ID
	item := addItem(t, e, tok, sku, 2)
	path := fmt.Sprintf("/api/v1/cart/items/%d", item)
	before := snapshot(t, e, "/api/v1/cart", tok)
	add := func(body any) apptest.Request {
		return apptest.Request{Method: "POST", Path: "/api/v1/cart/items", Token: tok, Body: body}
	}
	patch := func(body any) apptest.Request {
		return apptest.Request{Method: "PATCH", Path: path, Token: tok, Body: body}
	}
	huge := `{"sku_id": 1, "quantity": 1, "pad": "` + strings.Repeat("x", 2<<20) + `"}`

	e.RunScenarios(t, []apptest.Scenario{
		{Name: "malformed", Req: add(`{"sku_id": 1,`), Status: 400, Code: "malformed_json"},
		{Name: "not an object", Req: add(`[1, 2]`), Status: 400, Code: "malformed_json"},
		{Name: "empty body", Req: add(``), Status: 400, Code: "malformed_json"},
		{Name: "two values", Req: add(fmt.Sprintf(`{"sku_id": %d, "quantity": 1} {}`, sku)), Status: 400, Code: "malformed_json"},
		{Name: "quantity as string", Req: add(fmt.Sprintf(`{"sku_id": %d, "quantity": "2"}`, sku)), Status: 400, Code: "invalid_type"},
		{Name: "sku_id as string", Req: add(`{"sku_id": "1", "quantity": 2}`), Status: 400, Code: "invalid_type"},
		{Name: "fractional quantity", Req: add(fmt.Sprintf(`{"sku_id": %d, "quantity": 1.5}`, sku)), Status: 400, Code: "invalid_type"},
		{Name: "quantity 1e12", Req: add(fmt.Sprintf(`{"sku_id": %d, "quantity": 1e12}`, sku)), Status: 400, Code: "invalid_type"},
		{Name: "quantity 0", Req: add(map[string]any{"sku_id": sku, "quantity": 0}), Status: 400, Code: "invalid_field"},
		{Name: "negative quantity", Req: add(map[string]any{"sku_id": sku, "quantity": -1}), Status: 400, Code: "invalid_field"},
		{Name: "quantity 1000", Req: add(map[string]any{"sku_id": sku, "quantity": 1000}), Status: 400, Code: "invalid_field"},
		{Name: "huge quantity", Req: add(map[string]any{"sku_id": sku, "quantity": int64(1) << 40}), Status: 400, Code: "invalid_field"},
		{Name: "missing quantity", Req: add(map[string]any{"sku_id": sku}), Status: 400, Code: "invalid_field"},
		{Name: "missing sku", Req: add(map[string]any{"quantity": 1}), Status: 400, Code: "invalid_field"},
		{Name: "negative sku", Req: add(map[string]any{"sku_id": -5, "quantity": 1}), Status: 400, Code: "invalid_field"},
		{Name: "unknown sku", Req: add(map[string]any{"sku_id": 424242, "quantity": 1}), Status: 422, Code: "unknown_sku"},
		{Name: "unknown field", Req: add(map[string]any{"sku_id": sku, "quantity": 1, "price": 1}), Status: 400, Code: "unknown_field"},
		{Name: "oversized", Req: add(huge), Status: 400, Code: "body_too_large"},
		{Name: "patch malformed", Req: patch(`{"quantity":`), Status: 400, Code: "malformed_json"},
		{Name: "patch quantity as string", Req: patch(`{"quantity": "2"}`), Status: 400, Code: "invalid_type"},
		{Name: "patch 0", Req: patch(map[string]any{"quantity": 0}), Status: 400, Code: "invalid_field"},
		{Name: "patch negative", Req: patch(map[string]any{"quantity": -3}), Status: 400, Code: "invalid_field"},
		{Name: "patch 1000", Req: patch(map[string]any{"quantity": 1000}), Status: 400, Code: "invalid_field"},
		{Name: "patch 1e12", Req: patch(`{"quantity": 1e12}`), Status: 400, Code: "invalid_type"},
		{Name: "patch missing quantity", Req: patch(`{}`), Status: 400, Code: "invalid_field"},
		{Name: "patch unknown field", Req: patch(map[string]any{"quantity": 3, "sku_id": sku}), Status: 400, Code: "unknown_field"},
		{Name: "patch oversized", Req: patch(huge), Status: 400, Code: "body_too_large"},
	})
	if after := snapshot(t, e, "/api/v1/cart", tok); after != before {
		t.Fatalf("bad input changed the cart:\n%s\n%s", before, after)
	}
}

// Twenty adds of one SKU to one cart at once land in one line holding the sum.
func TestCartAPIConcurrentAdds(t *testing.T) {
	e := apptest.Start(t)
	tok := e.Token("alice")
	sku := e.Product(t, apptest.SKU{Price: 1000, Stock: 100}).SKUs[0].ID
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			r := e.Post("/api/v1/cart/items", tok, map[string]any{"sku_id": sku, "quantity": 2})
			if r.Status != http.StatusCreated {
				t.Errorf("add: %d %s", r.Status, r.Body)
			}
		})
	}
	wg.Wait()
	c := getCart(t, e, "/api/v1/cart", tok)
	if len(c.Items) != 1 || c.Items[0].Quantity != 40 || c.TotalQuantity != 40 || c.TotalAmount != 40*1000 {
		t.Fatalf("after 20 concurrent adds of 2: %+v", c)
	}
}
