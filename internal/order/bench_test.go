package order_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
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
//
// Beside the rate, which depends on the machine, it reports what does not:
// orders/batch (requests served per transaction), stmts/batch (statements
// the database ran per batch, BEGIN and COMMIT not counted) and
// roundtrips/batch (with them).
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
	statements := countStatements(b, w)
	batches0, _ := w.flashBatches(b)
	b.ResetTimer()
	start := time.Now()
	statements.Store(0)
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
	b.StopTimer()
	batches, requests := w.flashBatches(b)
	batches -= batches0
	if batches > 0 {
		b.ReportMetric(requests/float64(batches), "orders/batch")
		b.ReportMetric(float64(statements.Load())/float64(batches), "stmts/batch")
		b.ReportMetric(float64(statements.Load()+2*int64(batches))/float64(batches), "roundtrips/batch")
	}
}

// countStatements counts every statement the world's database runs from
// now on (each Create, Find, Update, Delete, Raw, Exec and Row of gorm).
func countStatements(t testing.TB, w *world) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := w.db.Conn(context.Background()).Callback()
	for i, p := range []interface {
		Register(string, func(*gorm.DB)) error
	}{cb.Create().After("*"), cb.Query().After("*"), cb.Update().After("*"), cb.Delete().After("*"), cb.Row().After("*"), cb.Raw().After("*")} {
		must(t, p.Register(fmt.Sprint("bench:count", i), count))
	}
	return &n
}

// flashBatches reads the desk's histogram: transactions served and the
// requests they held.
func (w *world) flashBatches(t testing.TB) (batches uint64, requests float64) {
	t.Helper()
	families, err := w.meters.Registry.Gather()
	must(t, err)
	for _, f := range families {
		if f.GetName() == "kaidian_flash_batch_requests" {
			h := f.GetMetric()[0].GetHistogram()
			return h.GetSampleCount(), h.GetSampleSum()
		}
	}
	return 0, 0
}
