package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/catalog"
	"github.com/kaidian/kaidian/internal/metrics"
)

// RefreshSalesArgs asks for products' units sold to be brought up to date.
type RefreshSalesArgs struct{}

// Kind names the job in River's table.
func (RefreshSalesArgs) Kind() string { return "catalog.refresh_sales" }

// RefreshSales copies the SKUs' sold units into products.sales (the
// "sales" sort and the figure shoppers see). Payments and refunds change
// skus.sold in their own transactions; doing the copy here keeps them from
// locking product rows, at the price of the figure lagging by up to the
// job's interval.
type RefreshSales struct {
	river.WorkerDefaults[RefreshSalesArgs]
	Catalog *catalog.Service
	Metrics *metrics.Metrics
}

// Work runs the job.
func (w *RefreshSales) Work(ctx context.Context, job *river.Job[RefreshSalesArgs]) error {
	_, err := w.Catalog.RefreshSales(ctx)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// RefreshSalesEvery schedules the refresh (on the leader only), once at start too.
func RefreshSalesEvery(every time.Duration) *river.PeriodicJob {
	return periodic(every, RefreshSalesArgs{})
}
