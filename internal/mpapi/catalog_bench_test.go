package mpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/mpapi"
	"github.com/kaidian/kaidian/internal/seed"
)

// BenchmarkCatalogUncached measures the public catalog routes with the
// cache off on a shop of 10,000 products (30,000 SKUs): the handler, its
// queries and the JSON, without the network. CPU profile:
//
//	go test -run '^$' -bench CatalogUncached -benchmem -cpuprofile cpu.out ./internal/mpapi/
//
// (add KAIDIAN_TEST_DATABASE_URL=… for PostgreSQL).
func BenchmarkCatalogUncached(b *testing.B) {
	db := dbtest.Open(b)
	ctx := context.Background()
	if err := seed.Bulk(ctx, db, seed.Sizes{Products: 10_000}); err != nil {
		b.Fatal(err)
	}
	if err := db.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	cat := catalog.New(db, inventory.New(db, clock.New()), clock.New())
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	mpapi.Mount(r.Group("/api/v1"), mpapi.Deps{Catalog: cat})
	var category, product int64
	db.Conn(ctx).Raw("SELECT MIN(id) FROM categories").Scan(&category)
	db.Conn(ctx).Raw("SELECT MAX(id) FROM products WHERE on_shelf = ?", true).Scan(&product)
	for _, bc := range []struct{ name, path string }{
		{"detail", "/api/v1/products/" + strconv.FormatInt(product, 10)},
		{"list", "/api/v1/products?limit=20"},
		{"category", "/api/v1/products?limit=20&category_id=" + strconv.FormatInt(category, 10)},
		{"search", "/api/v1/products?limit=20&q=" + "%E5%95%86%E5%93%81%200"}, // "商品 0"
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.path, nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				r.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}
