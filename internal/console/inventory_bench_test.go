package console_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/kaidian/kaidian/internal/app/apptest"
	"github.com/kaidian/kaidian/internal/seed"
	"github.com/kaidian/kaidian/internal/staff"
)

// BenchmarkInventoryPages measures the inventory pages, as a signed-in
// merchant's browser gets them over loopback HTTP, on a shop of 30,000 SKUs
// (10,000 products in three sizes):
//
//	go test -run '^$' -bench InventoryPages -benchtime 50x ./internal/console/
//
// (add KAIDIAN_TEST_DATABASE_URL=… for PostgreSQL). ns/op is the time per
// page; the export streams all 30,000 rows.
func BenchmarkInventoryPages(b *testing.B) {
	e := apptest.Start(b)
	ctx := context.Background()
	if err := seed.Bulk(ctx, e.App.DB, seed.Sizes{Products: 10_000}); err != nil {
		b.Fatal(err)
	}
	if err := e.App.DB.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	var sku int64
	e.App.DB.Conn(ctx).Raw("SELECT MIN(id) FROM skus").Scan(&sku)
	for range 60 { // a ledger longer than a page
		if _, err := e.App.CatalogIO.Adjust(ctx, sku, 1, "count", "bench"); err != nil {
			b.Fatal(err)
		}
	}
	c := e.SignIn(b, "boss", staff.RoleOwner)
	for _, path := range []string{
		"/console/inventory",
		"/console/inventory?low=1",
		"/console/inventory?q=" + "%E5%95%86%E5%93%81+01234", // 商品 01234
		"/console/inventory?q=BULK-04321-M",
		"/console/inventory?q=no-such-thing",
		fmt.Sprintf("/console/inventory/%d", sku),
		"/console/inventory/import",
		"/console/inventory/export.csv",
	} {
		b.Run(path, func(b *testing.B) {
			if p := c.Get(path); p.Status != http.StatusOK {
				b.Fatalf("%s: %d", path, p.Status)
			}
			for b.Loop() {
				c.Get(path)
			}
		})
	}
}
