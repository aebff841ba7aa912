package console_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/staff"
)

func TestCustomersShowWhatEachShopperBought(t *testing.T) {
	e := apptest.Start(t)
	c := e.SignIn(t, "lily", staff.RoleStaff)
	if p := c.Get("/console/customers"); p.Status != http.StatusOK || !p.Has("暂无客户") || !p.Has(zh.T("console.customers.none_yet")) {
		t.Fatalf("empty list: %d %s", p.Status, p.Body)
	}
	sku := e.Product(t, apptest.SKU{Price: 5000, Stock: 10}).SKUs[0].ID
	_, first := e.PaidOrder(t, "alice", sku, 1)
	_, second := e.PaidOrder(t, "alice", sku, 2)
	e.Login("bob") // a shopper who never ordered

	var openids []string
	e.App.DB.Conn(context.Background()).Raw("SELECT openid FROM shoppers ORDER BY id").Scan(&openids)
	aliceID, bobID := openids[0], openids[1]
	p := c.Get("/console/customers")
	if p.Status != http.StatusOK || !p.Has(aliceID) || !p.Has(bobID) || !p.Has("¥160.00") {
		t.Fatalf("list: %s", p.Body)
	}
	if p := c.Get("/console/customers?q=" + bobID); p.Has(aliceID) || !p.Has(bobID) || !p.Has(`placeholder="客户 ID、openid 或昵称"`) {
		t.Fatalf("search: %s", p.Body)
	}
	page := c.Get("/console/customers/1")
	if page.Status != http.StatusOK || !page.Has(first) || !page.Has(second) || !page.Has("¥160.00") || !page.Has("<h1>客户 #1") ||
		!page.Has(zh.Enum("order.status", "paid")) {
		t.Fatalf("alice's page: %d %s", page.Status, page.Body)
	}
	if p := c.Get("/console/customers/999999"); p.Status != http.StatusNotFound {
		t.Fatalf("unknown shopper: %d", p.Status)
	}
}
