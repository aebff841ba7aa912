package console_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kaidian/kaidian/internal/seed"
)

// BenchmarkProductPages measures the catalog pages, as a signed-in
// merchant's browser gets them over loopback HTTP, on a shop of 10,000
// products (30,000 SKUs):
//
//	go test -run '^$' -bench ProductPages -benchtime 50x ./internal/console/
//
// (add KAIDIAN_TEST_DATABASE_URL=… for PostgreSQL). ns/op is the time per page.
func BenchmarkProductPages(b *testing.B) {
	e, c := largeShop(b, seed.Sizes{Products: 10_000}, nil)
	ctx := context.Background()
	var category, product int64
	e.App.DB.Conn(ctx).Raw("SELECT MIN(id) FROM categories").Scan(&category)
	e.App.DB.Conn(ctx).Raw("SELECT MAX(id) FROM products").Scan(&product)
	measurePages(b, c, []string{
		"/console/products",
		fmt.Sprintf("/console/products?category_id=%d", category),
		"/console/products?shelf=off",
		"/console/products?low=1",
		fmt.Sprintf("/console/products?category_id=%d&shelf=on&low=1", category),
		"/console/products?q=" + "%E5%95%86%E5%93%81+01234", // 商品 01234
		"/console/products?q=BULK-04321-M",
		fmt.Sprintf("/console/products/%d", product),
		"/console/categories",
	})
}
