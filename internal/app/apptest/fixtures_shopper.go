package apptest

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/address"
)

// Address gives the shopper a default shipping address and returns its id.
func (e *Env) Address(t testing.TB, shopperID int64) int64 {
	t.Helper()
	a, err := e.App.Addresses.Create(context.Background(), shopperID, address.Input{
		Name: "张三", Phone: "13800138000", Province: "广东省", City: "深圳市", District: "南山区", Detail: "科技园南区 1 栋 101",
	})
	if err != nil {
		t.Fatalf("fixture address: %v", err)
	}
	return a.ID
}

// PaidOrder logs the user in through the sandbox, orders qty of the SKU,
// pays through the sandbox as the shopper's phone would, and waits for
// WeChat Pay's notification to mark the order paid. It returns the
// shopper's token and the order number.
func (e *Env) PaidOrder(t testing.TB, user string, skuID int64, qty int) (token, orderNo string) {
	t.Helper()
	token = e.Login(user)
	addr := e.Post("/api/v1/addresses", token, map[string]any{"name": "张三", "phone": "13800138000",
		"province": "广东省", "city": "深圳市", "district": "南山区", "detail": "科技园 1 号"}).JSON(t)["id"]
	r := e.Post("/api/v1/orders", token, map[string]any{"items": []map[string]any{{"sku_id": skuID, "quantity": qty}}, "address_id": addr})
	if r.Status != http.StatusCreated {
		t.Fatalf("fixture order: %d %s", r.Status, r.Body)
	}
	orderNo = r.JSON(t)["order_no"].(string)
	e.Pay(t, token, orderNo)
	return token, orderNo
}

// Pay pays the shopper's order through the sandbox as their phone would
// and waits for WeChat Pay's notification to mark it paid.
func (e *Env) Pay(t testing.TB, token, orderNo string) {
	t.Helper()
	pkg, _ := e.Post("/api/v1/orders/"+orderNo+"/pay", token, nil).JSON(t)["package"].(string)
	r := e.Post("/sandbox/wxpay/pay", "", map[string]any{"prepay_id": strings.TrimPrefix(pkg, "prepay_id="), "result": "success"})
	if r.Status != http.StatusOK {
		t.Fatalf("sandbox pay of %s: %d %s", orderNo, r.Status, r.Body)
	}
	for deadline := time.Now().Add(20 * time.Second); e.Get("/api/v1/orders/"+orderNo, token).JSON(t)["status"] != "paid"; {
		if time.Now().After(deadline) {
			t.Fatalf("order %s never became paid", orderNo)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
