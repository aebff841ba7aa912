package catalog_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/clock"
	"github.com/kaidian/kaidian/internal/database/dbtest"
	"github.com/kaidian/kaidian/internal/inventory"
	"github.com/kaidian/kaidian/internal/page"
	"github.com/kaidian/kaidian/internal/seed"
)

// BenchmarkListProducts measures one page of the demo catalog, the query
// behind GET /api/v1/products: go test -bench ListProducts ./internal/catalog/
func BenchmarkListProducts(b *testing.B) {
	db := dbtest.Open(b)
	cat := catalog.New(db, inventory.New(db, clock.New()), clock.New())
	ctx := context.Background()
	if err := seed.Demo(ctx, cat, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		items, _, err := cat.ListProducts(ctx, catalog.ProductQuery{Page: page.Request{Limit: 20}})
		if err != nil || len(items) != 20 {
			b.Fatal(err, len(items))
		}
	}
}
