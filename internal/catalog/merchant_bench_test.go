package catalog_test

import (
	"context"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/seed"
)

// BenchmarkMerchantProducts measures the query behind the console's product
// list on a shop of 10,000 products (30,000 SKUs), one page of 50:
//
//	go test -run '^$' -bench MerchantProducts ./internal/catalog/
//
// (add KAIDIAN_TEST_DATABASE_URL=… for PostgreSQL).
func BenchmarkMerchantProducts(b *testing.B) {
	db := dbtest.Open(b)
	ctx := context.Background()
	if err := seed.Bulk(ctx, db, seed.Sizes{Products: 10_000}); err != nil {
		b.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	cat := catalog.New(db, inventory.New(db, clock.New()), clock.New())
	var category int64
	db.Conn(ctx).Raw("SELECT MIN(id) FROM categories").Scan(&category)
	pg := page.Request{Limit: 50}
	for _, bc := range []struct {
		name string
		q    catalog.MerchantQuery
		rows int // a page's rows: proof the query found what it should
	}{
		{"first page", catalog.MerchantQuery{Page: pg}, 50},
		{"category", catalog.MerchantQuery{CategoryID: category, Page: pg}, 50},
		{"off shelf", catalog.MerchantQuery{Shelf: catalog.ShelfOff, Page: pg}, 50},
		{"low stock", catalog.MerchantQuery{LowStock: true, Threshold: 5, Page: pg}, 50},
		{"all filters", catalog.MerchantQuery{CategoryID: category, Shelf: catalog.ShelfOn, LowStock: true, Threshold: 5, Page: pg}, 50},
		{"search a title", catalog.MerchantQuery{Q: "商品 01234", Page: pg}, 1},
		{"search a SKU code", catalog.MerchantQuery{Q: "BULK-04321-M", Page: pg}, 1},
		{"search, no match", catalog.MerchantQuery{Q: "没有这个", Page: pg}, 0},
	} {
		bc.q.Threshold = max(bc.q.Threshold, 5)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rows, _, err := cat.MerchantProducts(ctx, bc.q)
				if err != nil || len(rows) != bc.rows {
					b.Fatal(err, len(rows))
				}
			}
		})
	}
}
