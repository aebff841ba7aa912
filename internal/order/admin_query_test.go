package order_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/customer"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/seed"
)

// Both ways of finding orders by product title — through a rare title's
// few products, and order by order for words most products share — give
// the orders whose lines are of those products.
func TestSearchByProductTitle(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	// 1,200 products titled "商品 00001 纯棉T恤" …, 60 orders of one line each,
	// order i of product i, in the five statuses in turn.
	if err := seed.Bulk(ctx, db, seed.Sizes{Products: 1200, Shoppers: 3, Orders: 60}); err != nil {
		t.Fatal(err)
	}
	clk := clock.New()
	orders := order.New(order.Deps{DB: db, Catalog: catalog.New(db, inventory.New(db, clk), clk), Customers: customer.New(db, clk), Clock: clk})
	all := page.Request{Limit: 100}
	count := func(q order.AdminQuery) int {
		t.Helper()
		q.Page = all
		got, _, err := orders.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range got {
			if len(o.Items) != 1 {
				t.Fatalf("order %s has %d lines loaded", o.OrderNo, len(o.Items))
			}
		}
		return len(got)
	}
	var product7 int64
	db.Conn(ctx).Raw("SELECT product_id FROM order_items WHERE title = ?", "商品 00007 纯棉T恤").Scan(&product7)
	var buyer struct {
		OpenID string `gorm:"column:openid"`
		Orders int
	}
	db.Conn(ctx).Raw(`SELECT s.openid, COUNT(*) AS orders FROM orders o JOIN shoppers s ON s.id = o.shopper_id
		GROUP BY s.openid ORDER BY s.openid LIMIT 1`).Scan(&buyer)
	if buyer.Orders == 0 || buyer.Orders == 60 {
		t.Fatalf("seeded orders are not spread over shoppers: %+v", buyer)
	}
	for _, tc := range []struct {
		q    order.AdminQuery
		want int
	}{
		{order.AdminQuery{Product: "纯棉t恤"}, 60}, // every product: checked order by order
		{order.AdminQuery{Product: "纯棉T恤", Status: order.StatusPaid}, 12},
		{order.AdminQuery{Product: "商品 00007"}, 1}, // one product: through its lines
		{order.AdminQuery{Product: "商品 0120"}, 0},  // products 1200…: none ordered
		{order.AdminQuery{Product: strconv.FormatInt(product7, 10)}, 1},
		{order.AdminQuery{Product: "毛衣"}, 0},
		{order.AdminQuery{Product: "纯棉T恤", From: time.Now().Add(time.Hour)}, 0},
		{order.AdminQuery{Shopper: buyer.OpenID}, buyer.Orders},
		{order.AdminQuery{Shopper: "no-such-openid"}, 0},
	} {
		if got := count(tc.q); got != tc.want {
			t.Errorf("%+v: %d orders, want %d", tc.q, got, tc.want)
		}
	}
	var exported []string
	err := orders.Export(ctx, order.AdminQuery{Product: "纯棉T恤", From: time.Now().AddDate(0, 0, -90), To: time.Now()},
		func(batch []order.Order) error {
			for _, o := range batch {
				exported = append(exported, o.OrderNo)
			}
			return nil
		})
	if err != nil || len(exported) != 60 || exported[0] != "B000000000000001" || exported[59] != "B000000000000060" {
		t.Fatalf("export: %v %d %v", err, len(exported), exported)
	}
}
