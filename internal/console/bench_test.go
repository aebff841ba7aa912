package console_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/seed"
	"github.com/kaidian/kaidian/internal/staff"
)

// BenchmarkConsoleListsLargeShop measures the console's pages, as a signed-in
// merchant's browser gets them over loopback HTTP, on a shop of 10,000
// products (30,000 SKUs), 20,000 shoppers and 100,000 orders:
//
//	go test -run '^$' -bench ConsoleLists -benchtime 20x ./internal/console/
//
// (add KAIDIAN_TEST_DATABASE_URL=… for PostgreSQL). ns/op is the time per page.
func BenchmarkConsoleListsLargeShop(b *testing.B) {
	e, c := largeShop(b, seed.Sizes{Products: 10_000, Shoppers: 20_000, Orders: 100_000}, nil)
	// The dashboard page is cached; this is the computation behind it.
	b.Run("dashboard computation", func(b *testing.B) {
		for range b.N {
			if _, err := e.App.Reports.Dashboard(context.Background(), 5); err != nil {
				b.Fatal(err)
			}
		}
	})
	measurePages(b, c, benchPages)
}

// largeShop boots Kaidian on a bulk-seeded shop, lets prepare reshape the
// data, refreshes the planner's statistics (as after any bulk load; Kaidian
// also does it hourly) and signs an owner in.
func largeShop(b *testing.B, sizes seed.Sizes, prepare func(*apptest.Env)) (*apptest.Env, *apptest.Console) {
	e := apptest.Start(b)
	ctx := context.Background()
	if err := seed.Bulk(ctx, e.App.DB, sizes); err != nil {
		b.Fatal(err)
	}
	if prepare != nil {
		prepare(e)
	}
	if err := e.App.DB.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	return e, e.SignIn(b, "boss", staff.RoleOwner)
}

// measurePages times each page as the signed-in browser gets it, after
// checking that it answers 200.
func measurePages(b *testing.B, c *apptest.Console, paths []string) {
	for _, path := range paths {
		b.Run(path, func(b *testing.B) {
			if p := c.Get(path); p.Status != http.StatusOK {
				b.Fatalf("%s: %d %.300s", path, p.Status, p.Body)
			}
			for b.Loop() {
				c.Get(path)
			}
		})
	}
}

// benchPages are the list pages measured on the large shop.
var benchPages = []string{
	"/console", // cached for 30 s after the first computation
	"/console/products",
	"/console/products?low=1",
	"/console/inventory",
	"/console/inventory?low=1",
	"/console/orders",
	"/console/orders?status=paid",
	"/console/coupons",
	"/console/refunds",
	"/console/customers",
	"/console/customers?q=o-bulk-000123",
	"/console/customers/5",
	"/console/audit",
}
