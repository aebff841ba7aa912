package console_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/seed"
)

// BenchmarkOrderPages measures the order and refund pages, as a signed-in
// merchant's browser gets them over loopback HTTP, on a shop of 10,000
// products, 20,000 shoppers and 100,000 orders spread over 60 days:
//
//	go test -run '^$' -bench OrderPages -benchtime 20x ./internal/console/
//
// (add KAIDIAN_TEST_DATABASE_URL=… for PostgreSQL). ns/op is the time per
// page; the CSV export streams one day, about 1,700 orders.
func BenchmarkOrderPages(b *testing.B) {
	e, c := largeShop(b, seed.Sizes{Products: 10_000, Shoppers: 20_000, Orders: 100_000},
		func(e *apptest.Env) { spreadOrders(b, e, 60*24) })
	ctx := context.Background()
	var product int64
	e.App.DB.Conn(ctx).Raw("SELECT MIN(id) + 1233 FROM products").Scan(&product)
	day := func(daysAgo int) string { return shopDay(time.Now().AddDate(0, 0, -daysAgo)) }
	measurePages(b, c, []string{
		"/console/orders",
		"/console/orders?status=paid",
		"/console/orders?from=" + day(7) + "&to=" + day(0),
		"/console/orders?from=" + day(50) + "&to=" + day(45),
		"/console/orders?order_no=B000000000054321",
		"/console/orders?shopper=o-bulk-000123",
		fmt.Sprintf("/console/orders?product=%d", product),
		"/console/orders?product=" + url.QueryEscape("01234 纯棉"),
		"/console/orders?status=shipped&from=" + day(30) + "&to=" + day(0) + "&product=" + url.QueryEscape("纯棉T恤"),
		"/console/orders/B000000000054321",
		"/console/refunds",
		"/console/orders/export.csv?from=" + day(3) + "&to=" + day(3),
	})
}

// spreadOrders places the orders evenly over the last hours, oldest id
// first, an hour's worth per statement, so the date filters meet a shop's
// real spread whatever the seeder wrote.
func spreadOrders(b testing.TB, e *apptest.Env, hours int) {
	ctx := context.Background()
	var lo, hi int64
	if err := e.App.DB.Conn(ctx).Raw("SELECT MIN(id), MAX(id) FROM orders").Row().Scan(&lo, &hi); err != nil {
		b.Fatal(err)
	}
	per := (hi - lo + 1 + int64(hours) - 1) / int64(hours)
	now := time.Now().UTC()
	err := e.App.DB.Tx(ctx, func(ctx context.Context) error {
		for h := range int64(hours) {
			at := now.Add(-time.Duration(int64(hours)-h) * time.Hour)
			if err := e.App.DB.Conn(ctx).Exec("UPDATE orders SET created_at = ?, updated_at = ? WHERE id BETWEEN ? AND ?",
				at, at, lo+h*per, lo+(h+1)*per-1).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
