package mpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
)

// An order that would cost nothing (a free SKU shipped free) cannot be paid
// through WeChat Pay, which charges at least 1 fen: preview and placement
// both refuse it with 422 amount_too_small, and nothing is reserved.
func TestZeroAmountOrderIsRefused(t *testing.T) {
	e := apptest.Start(t)
	ctx := context.Background()
	shop, err := e.App.Settings.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	shop.ShippingFee = 0
	if _, err := e.App.Settings.Update(ctx, "test", shop); err != nil {
		t.Fatal(err)
	}
	p := e.Product(t, apptest.SKU{Price: 0, Stock: 5}, apptest.SKU{Price: 1, Stock: 5})
	free, cheap := p.SKUs[0].ID, p.SKUs[1].ID
	tok, addr := shopperWithAddress(t, e, "alice")
	body := map[string]any{"items": []map[string]any{{"sku_id": free, "quantity": 2}}, "address_id": addr}

	if r := e.Post("/api/v1/orders/preview", tok, body); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "amount_too_small" {
		t.Fatalf("preview: %d %s", r.Status, r.Body)
	}
	if r := e.Post("/api/v1/orders", tok, body); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "amount_too_small" {
		t.Fatalf("place: %d %s", r.Status, r.Body)
	}
	if n := countRows(t, e, "orders"); n != 0 {
		t.Fatalf("%d orders kept", n)
	}
	if s, l := skuStock(t, e, free); s != 5 || l != 5 {
		t.Fatalf("free SKU: stock %d ledger %d", s, l)
	}
	// One fen is payable: the same free unit with a 1-fen one is accepted.
	body["items"] = []map[string]any{{"sku_id": free, "quantity": 2}, {"sku_id": cheap, "quantity": 1}}
	r := e.Post("/api/v1/orders", tok, body)
	if r.Status != http.StatusCreated || r.JSON(t)["pay_amount"] != float64(1) {
		t.Fatalf("a 1-fen order: %d %s", r.Status, r.Body)
	}
	// A 0-fen order left from before this rule is refused by the pay call
	// too, rather than sent to WeChat Pay.
	no := r.JSON(t)["order_no"].(string)
	if err := e.App.DB.Conn(ctx).Exec("UPDATE orders SET pay_amount = 0 WHERE order_no = ?", no).Error; err != nil {
		t.Fatal(err)
	}
	if r := e.Post("/api/v1/orders/"+no+"/pay", tok, nil); r.Status != http.StatusUnprocessableEntity || r.ErrorCode() != "amount_too_small" {
		t.Fatalf("paying a 0-fen order: %d %s", r.Status, r.Body)
	}
}
