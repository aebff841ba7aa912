package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/flashsale"
	"github.com/kaidian/kaidian/internal/metrics"
)

// EndFlashSalesArgs asks for the flash sales past their end time to be ended.
type EndFlashSalesArgs struct{}

// Kind names the job in River's table.
func (EndFlashSalesArgs) Kind() string { return "flashsale.end" }

// EndFlashSales ends every sale whose time is up, giving its unsold units
// back to the SKUs' stock. Ending is idempotent and locks the sale's rows,
// so a run that overlaps another replica's changes nothing twice.
type EndFlashSales struct {
	river.WorkerDefaults[EndFlashSalesArgs]
	Sales   *flashsale.Service
	Metrics *metrics.Metrics
}

// Work runs the job.
func (w *EndFlashSales) Work(ctx context.Context, job *river.Job[EndFlashSalesArgs]) error {
	_, err := w.Sales.EndDue(ctx)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// EndFlashSalesEvery schedules the check (on the leader only).
func EndFlashSalesEvery(d time.Duration) *river.PeriodicJob {
	return periodic(d, EndFlashSalesArgs{})
}
