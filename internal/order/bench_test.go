package order_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// BenchmarkFlashStampede measures flash orders placed by 64 shoppers at
// once through the desk (no HTTP): orders/s is the desk's and the
// database's share of a stampede. go test -run '^$' -bench FlashStampede
// ./internal/order/ (KAIDIAN_TEST_DATABASE_URL for PostgreSQL).
func BenchmarkFlashStampede(b *testing.B) {
	w := newWorld(b)
	const buyers, perShopper = 64, 99
	units := int64(b.N) + 1
	sku := w.sku(b, 100, units)
	sale := w.flashSale(b, sku, units, perShopper)
	ids := make([]int64, (b.N/perShopper+1)*buyers/buyers+buyers)
	for i := range ids {
		ids[i] = w.shopper(b, fmt.Sprint("bench", i))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for g := range buyers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := g; ; k += buyers {
				if next.Add(1) > int64(b.N) {
					return
				}
				if _, _, err := w.orders.Place(context.Background(), ids[k/perShopper], flashBuy(sale, sku, 1), ""); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "orders/s")
}
