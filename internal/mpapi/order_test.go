package mpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// shopperWithAddress returns a token and an address id of a fresh shopper.
func shopperWithAddress(t *testing.T, e *apptest.Env, user string) (string, int64) {
	t.Helper()
	tok := e.Token(user)
	r := e.Post("/api/v1/addresses", tok, map[string]any{
		"name": "张三", "phone": "13800138000", "province": "广东省", "city": "深圳市",
		"district": "南山区", "detail": "科技园南区 1 栋 101",
	})
	if r.Status != http.StatusCreated {
		t.Fatalf("create address: %d %s", r.Status, r.Body)
	}
	return tok, int64(r.JSON(t)["id"].(float64))
}

type orderBody struct {
	OrderNo     string `json:"order_no"`
	Status      string `json:"status"`
	PayAmount   int64  `json:"pay_amount"`
	TotalAmount int64  `json:"total_amount"`
	ShippingFee int64  `json:"shipping_fee"`
	Items       []struct {
		SKUID    int64 `json:"sku_id"`
		Quantity int   `json:"quantity"`
	} `json:"items"`
	History []struct{ From, To string } `json:"history"`
}

func skuStock(t *testing.T, e *apptest.Env, skuID int64) (stock, ledger int64) {
	t.Helper()
	db := e.App.DB.Conn(context.Background())
	if err := db.Raw("SELECT stock FROM skus WHERE id = ?", skuID).Scan(&stock).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Raw("SELECT COALESCE(SUM(quantity), 0) FROM inventory_movements WHERE sku_id = ?", skuID).Scan(&ledger).Error; err != nil {
		t.Fatal(err)
	}
	return stock, ledger
}

func countRows(t *testing.T, e *apptest.Env, table string) (n int64) {
	t.Helper()
	if err := e.App.DB.Conn(context.Background()).Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOrderFromCartToCancel(t *testing.T) {
	e := apptest.Start(t)
	p := e.Product(t, apptest.SKU{Price: 3990, Stock: 5}, apptest.SKU{Price: 1990, Stock: 5})
	a, b := p.SKUs[0].ID, p.SKUs[1].ID
	tok, addr := shopperWithAddress(t, e, "alice")

	r := e.Post("/api/v1/cart/items", tok, map[string]any{"sku_id": a, "quantity": 2})
	if r.Status != http.StatusCreated {
		t.Fatalf("add to cart: %d %s", r.Status, r.Body)
	}
	cartItem := int64(r.JSON(t)["id"].(float64))

	r = e.Post("/api/v1/orders/preview", tok, map[string]any{"cart_item_ids": []int64{cartItem}})
	if r.Status != http.StatusOK || r.JSON(t)["pay_amount"].(float64) != 8980 {
		t.Fatalf("preview: %d %s", r.Status, r.Body)
	}

	place := apptest.Request{Method: http.MethodPost, Path: "/api/v1/orders", Token: tok,
		Body:   map[string]any{"cart_item_ids": []int64{cartItem}, "address_id": addr, "remark": "请尽快发货"},
		Header: map[string]string{"Idempotency-Key": "checkout-1"}}
	r = e.Do(place)
	if r.Status != http.StatusCreated {
		t.Fatalf("place: %d %s", r.Status, r.Body)
	}
	var o orderBody
	r.Decode(t, &o)
	if o.Status != "pending_payment" || o.PayAmount != 8980 || o.ShippingFee != 1000 || o.TotalAmount != 8980 {
		t.Fatalf("order %+v", o)
	}
	if r := e.Get("/api/v1/cart", tok); len(r.JSON(t)["items"].([]any)) != 0 {
		t.Fatalf("ordered items still in the cart: %s", r.Body)
	}

	// The same key again (a flaky network's retry) returns the same order.
	r = e.Do(place)
	var again orderBody
	r.Decode(t, &again)
	if r.Status != http.StatusOK || again.OrderNo != o.OrderNo || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", r.Status, r.Body)
	}
	if n := countRows(t, e, "orders"); n != 1 {
		t.Fatalf("%d orders after a replay", n)
	}

	// Buy now, a second order.
	r = e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": b, "quantity": 1}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("buy now: %d %s", r.Status, r.Body)
	}
	r = e.Get("/api/v1/orders?status=pending_payment&limit=1", tok)
	list := r.JSON(t)
	if len(list["items"].([]any)) != 1 || list["next_cursor"] == "" {
		t.Fatalf("list page 1: %s", r.Body)
	}
	r = e.Get("/api/v1/orders?status=pending_payment&limit=1&cursor="+list["next_cursor"].(string), tok)
	if items := r.JSON(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["order_no"] != o.OrderNo {
		t.Fatalf("list page 2: %s", r.Body)
	}

	r = e.Post("/api/v1/orders/"+o.OrderNo+"/cancel", tok, nil)
	var closed orderBody
	r.Decode(t, &closed)
	if r.Status != http.StatusOK || closed.Status != "closed" || len(closed.History) != 2 {
		t.Fatalf("cancel: %d %s", r.Status, r.Body)
	}
	if stock, ledger := skuStock(t, e, a); stock != 5 || ledger != 5 {
		t.Fatalf("stock %d ledger %d after cancel", stock, ledger)
	}
	if r := e.Post("/api/v1/orders/"+o.OrderNo+"/cancel", tok, nil); r.Status != http.StatusConflict || r.ErrorCode() != "invalid_transition" {
		t.Fatalf("second cancel: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/orders/"+o.OrderNo+"/confirm-receipt", tok, nil); r.Status != http.StatusConflict {
		t.Fatalf("confirm a closed order: %d %s", r.Status, r.Body)
	}
}

// Another shopper's order does not exist for them, on every order route.
func TestOrdersAreInvisibleToOtherShoppers(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t, apptest.SKU{Price: 1000, Stock: 10}).SKUs[0].ID
	alice, addr := shopperWithAddress(t, e, "alice")
	bob, bobAddr := shopperWithAddress(t, e, "bob")
	r := e.Post("/api/v1/orders", alice, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("place: %d %s", r.Status, r.Body)
	}
	no := r.JSON(t)["order_no"].(string)
	aliceCart := e.Post("/api/v1/cart/items", alice, map[string]any{"sku_id": sku, "quantity": 1}).JSON(t)["id"]

	for _, req := range []apptest.Request{
		{Method: http.MethodGet, Path: "/api/v1/orders/" + no},
		{Method: http.MethodPost, Path: "/api/v1/orders/" + no + "/cancel"},
		{Method: http.MethodPost, Path: "/api/v1/orders/" + no + "/confirm-receipt"},
		{Method: http.MethodPost, Path: "/api/v1/orders", Body: map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr}},
		{Method: http.MethodPost, Path: "/api/v1/orders", Body: map[string]any{"cart_item_ids": []any{aliceCart}, "address_id": bobAddr}},
		{Method: http.MethodPost, Path: "/api/v1/orders/preview", Body: map[string]any{"cart_item_ids": []any{aliceCart}}},
	} {
		req.Token = bob
		if r := e.Do(req); r.Status != http.StatusNotFound {
			t.Errorf("bob %s %s = %d %s, want 404", req.Method, req.Path, r.Status, r.Body)
		}
	}
	if r := e.Get("/api/v1/orders", bob); len(r.JSON(t)["items"].([]any)) != 0 {
		t.Fatalf("bob lists alice's order: %s", r.Body)
	}
	if r := e.Get("/api/v1/orders/"+no, alice); r.JSON(t)["status"] != "pending_payment" {
		t.Fatalf("alice's order changed: %s", r.Body)
	}
	if n := countRows(t, e, "orders"); n != 1 {
		t.Fatalf("%d orders, want 1", n)
	}
	for _, path := range []string{"/api/v1/orders", "/api/v1/orders/" + no, "/api/v1/orders/preview"} {
		if r := e.Get(path, ""); r.Status != http.StatusUnauthorized && r.Status != http.StatusMethodNotAllowed {
			t.Errorf("GET %s without a token = %d", path, r.Status)
		}
	}
}

func TestPlaceOrderRejectsBadInput(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t, apptest.SKU{Price: 1000, Stock: 10}).SKUs[0].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	line := func(sku, qty any) map[string]any {
		return map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": qty}}, "address_id": addr}
	}
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"malformed json", `{"items": [`, 400, "malformed_json"},
		{"not an object", `[1,2]`, 400, "malformed_json"},
		{"empty body", ``, 400, "malformed_json"},
		{"quantity as string", line(sku, "2"), 400, "invalid_type"},
		{"fractional quantity", line(sku, 1.5), 400, "invalid_type"},
		{"negative quantity", line(sku, -1), 400, "invalid_field"},
		{"zero quantity", line(sku, 0), 400, "invalid_field"},
		{"huge quantity", line(sku, 1000000), 400, "invalid_field"},
		{"quantity overflowing int64", `{"items":[{"sku_id":1,"quantity":1e30}],"address_id":1}`, 400, "invalid_type"},
		{"unknown sku", line(987654, 1), 422, "unknown_sku"},
		{"unknown field", map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr, "price": 1}, 400, "unknown_field"},
		{"no lines", map[string]any{"address_id": addr}, 400, "invalid_field"},
		{"missing address", map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}}, 400, "invalid_field"},
		{"unknown address", line(sku, 1), 0, ""}, // placeholder replaced below
		{"more than stock", line(sku, 11), 409, "out_of_stock"},
		{"oversized body", `{"remark":"` + strings.Repeat("x", 2<<20) + `"}`, 400, "body_too_large"},
		{"remark too long", map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr, "remark": strings.Repeat("好", 201)}, 400, "invalid_field"},
	}
	tests[13] = struct {
		name   string
		body   any
		status int
		code   string
	}{"unknown address", map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": 99999}, 404, "address_not_found"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Post("/api/v1/orders", tok, tt.body)
			if r.Status != tt.status || r.ErrorCode() != tt.code {
				t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, tt.status, tt.code)
			}
		})
	}
	if n := countRows(t, e, "orders"); n != 0 {
		t.Fatalf("%d orders written by bad requests", n)
	}
	if stock, ledger := skuStock(t, e, sku); stock != 10 || ledger != 10 {
		t.Fatalf("stock %d ledger %d changed by bad requests", stock, ledger)
	}
}

// Many shoppers racing for the last units through the HTTP API: exactly the
// stock is sold, it ends at zero, and the ledger sums to it.
func TestLastUnitsRaceOverHTTP(t *testing.T) {
	e := apptest.Start(t)
	const units, buyers = 10, 60
	sku := e.Product(t, apptest.SKU{Price: 100, Stock: units}).SKUs[0].ID
	type buyer struct {
		tok  string
		addr int64
	}
	bs := make([]buyer, buyers)
	for i := range bs {
		bs[i].tok, bs[i].addr = shopperWithAddress(t, e, fmt.Sprint("fan", i))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	start := make(chan struct{})
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := e.Post("/api/v1/orders", b.tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": b.addr})
			mu.Lock()
			statuses[r.Status]++
			mu.Unlock()
			if r.Status == http.StatusConflict && r.ErrorCode() != "out_of_stock" {
				t.Errorf("conflict with code %s", r.ErrorCode())
			}
		}()
	}
	close(start)
	wg.Wait()
	if statuses[http.StatusCreated] != units || statuses[http.StatusConflict] != buyers-units {
		t.Fatalf("statuses %v, want %d created and %d out of stock", statuses, units, buyers-units)
	}
	if stock, ledger := skuStock(t, e, sku); stock != 0 || ledger != 0 {
		t.Fatalf("stock %d ledger %d, want 0", stock, ledger)
	}
	if n := countRows(t, e, "orders"); n != units {
		t.Fatalf("%d orders, want %d", n, units)
	}
	metrics := e.Metrics()
	for _, want := range []string{
		fmt.Sprintf("kaidian_orders_created_total %d", units),
		fmt.Sprintf("kaidian_stock_reservations_failed_total %d", buyers-units),
		`kaidian_http_requests_total{method="POST",route="/api/v1/orders",status="409"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// waitFor polls until cond holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestConfirmReceiptCompletesAShippedOrder(t *testing.T) {
	e := apptest.Start(t)
	sku := e.Product(t).SKUs[0].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	no := e.Post("/api/v1/orders", tok, map[string]any{"items": []map[string]any{{"sku_id": sku, "quantity": 1}}, "address_id": addr}).JSON(t)["order_no"].(string)
	// Paying and shipping are tested with their own packages; move the order there directly.
	if err := e.App.DB.Conn(context.Background()).Exec("UPDATE orders SET status = 'shipped' WHERE order_no = ?", no).Error; err != nil {
		t.Fatal(err)
	}
	if r := e.Post("/api/v1/orders/"+no+"/cancel", tok, nil); r.Status != http.StatusConflict {
		t.Fatalf("cancel a shipped order: %d %s", r.Status, r.Body)
	}
	r := e.Post("/api/v1/orders/"+no+"/confirm-receipt", tok, nil)
	var o orderBody
	r.Decode(t, &o)
	if r.Status != http.StatusOK || o.Status != "completed" || o.History[len(o.History)-1].To != "completed" {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/orders/"+no+"/confirm-receipt", tok, nil); r.Status != http.StatusConflict {
		t.Fatalf("confirm twice: %d %s", r.Status, r.Body)
	}
}
