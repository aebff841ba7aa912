package order_test

import (
	"context"
	"testing"
)

// BenchmarkPlace measures one "buy now" order (reserve, insert, log) through
// the service: go test -bench Place ./internal/order/ (set
// KAIDIAN_TEST_DATABASE_URL for PostgreSQL).
func BenchmarkPlace(b *testing.B) {
	w := newWorld(b)
	sku := w.sku(b, 100, 1_000_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := w.orders.Place(ctx, w.shop, buy(1, line(sku, 1)), ""); err != nil {
			b.Fatal(err)
		}
	}
}
