package apptest

import (
	"context"
	"testing"

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
