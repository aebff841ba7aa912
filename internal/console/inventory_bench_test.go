package console_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kaidian/kaidian/internal/seed"
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
	e, c := largeShop(b, seed.Sizes{Products: 10_000}, nil)
	ctx := context.Background()
	var sku int64
	e.App.DB.Conn(ctx).Raw("SELECT MIN(id) FROM skus").Scan(&sku)
	for range 60 { // a ledger longer than a page
		if _, err := e.App.CatalogIO.Adjust(ctx, sku, 1, "count", "bench"); err != nil {
			b.Fatal(err)
		}
	}
	measurePages(b, c, []string{
		"/console/inventory",
		"/console/inventory?low=1",
		"/console/inventory?q=" + "%E5%95%86%E5%93%81+01234", // 商品 01234
		"/console/inventory?q=BULK-04321-M",
		"/console/inventory?q=no-such-thing",
		fmt.Sprintf("/console/inventory/%d", sku),
		"/console/inventory/import",
		"/console/inventory/export.csv",
	})
}
