package catalogio_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkImport measures imports of 3,000 SKUs (1,000 products in three
// sizes), from the upload's check to the end of the job's last batch:
//
//	go test -run '^$' -bench Import -benchtime 5x ./internal/catalogio/
//
// (add KAIDIAN_TEST_DATABASE_URL=… for PostgreSQL). ns/op is the time per
// file. max-wait-ms is the longest a query from elsewhere (a shopper's
// request) waited for the database while the file was written: on SQLite,
// one connection, the longest write transaction.
func BenchmarkImport(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	file := func(prefix string, price, stock int) string {
		var sb strings.Builder
		sb.WriteString(header + "\n")
		for i := range 3000 {
			fmt.Fprintf(&sb, "%s 纯棉T恤 %04d,服装 %d,%s-%04d,颜色:白;尺码:%s,%d.90,,%d,1\n",
				prefix, i/3, i/3%20, prefix, i, []string{"S", "M", "L"}[i%3], price, stock+i%7)
		}
		return sb.String()
	}
	// watch runs SELECTs while fn runs and reports the longest one.
	watch := func(b *testing.B, fn func()) {
		stop := make(chan struct{})
		var longest time.Duration
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				var n int64
				f.db.Conn(ctx).Raw("SELECT COUNT(*) FROM shop_settings").Scan(&n)
				longest = max(longest, time.Since(start))
				time.Sleep(time.Millisecond)
			}
		})
		fn()
		close(stop)
		wg.Wait()
		b.ReportMetric(float64(longest.Microseconds())/1000, "max-wait-ms")
	}
	b.Run("new", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			text := file(fmt.Sprintf("N%d", i), 59, 10)
			watch(b, func() {
				if job := f.mustImport(b, "new.csv", text); job.NewSKUs != 3000 {
					b.Fatalf("job %+v", job)
				}
			})
		}
	})
	b.Run("update", func(b *testing.B) {
		f.mustImport(b, "base.csv", file("U", 59, 10))
		i := 0
		for b.Loop() {
			i++
			text := file("U", 59+i, 10+i)
			watch(b, func() {
				if job := f.mustImport(b, "update.csv", text); job.UpdatedSKUs != 3000 {
					b.Fatalf("job %+v", job)
				}
			})
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		text := file("U", 1, 1)
		f.mustImport(b, "base.csv", text)
		for b.Loop() {
			if job := f.mustImport(b, "same.csv", text); job.UnchangedSKUs != 3000 {
				b.Fatalf("job %+v", job)
			}
		}
	})
}
