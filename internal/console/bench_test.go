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
	e := apptest.Start(b)
	if err := seed.Bulk(context.Background(), e.App.DB, seed.Sizes{Products: 10_000, Shoppers: 20_000, Orders: 100_000}); err != nil {
		b.Fatal(err)
	}
	if err := e.App.DB.Optimize(context.Background()); err != nil { // as after any bulk load; Kaidian also runs it hourly
		b.Fatal(err)
	}
	c := e.SignIn(b, "boss", staff.RoleOwner)
	// The dashboard page is cached; this is the computation behind it.
	b.Run("dashboard computation", func(b *testing.B) {
		for range b.N {
			if _, err := e.App.Reports.Dashboard(context.Background(), 5); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, path := range benchPages {
		b.Run(path, func(b *testing.B) {
			if p := c.Get(path); p.Status != http.StatusOK {
				b.Fatalf("%s: %d", path, p.Status)
			}
			b.ResetTimer()
			for range b.N {
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
