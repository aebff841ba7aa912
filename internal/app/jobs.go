package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/jobs"
	"github.com/kaidian/kaidian/internal/worker"
)

// newJobs registers every background worker and periodic job, once the
// services they work on exist, and attaches the River client to a.queue.
func (a *App) newJobs() (*jobs.Runner, error) {
	enqueue := a.queue.Enqueue
	workers := river.NewWorkers()
	river.AddWorker(workers, &worker.ExpireOrder{Orders: a.Orders, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SweepExpired{Orders: a.Orders, Metrics: a.Metrics, Enqueue: enqueue})
	river.AddWorker(workers, &worker.ReconcilePayment{Payments: a.Payments, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SyncRefund{Payments: a.Payments, Metrics: a.Metrics, Log: a.Log})
	river.AddWorker(workers, &worker.SweepRefunds{Payments: a.Payments, Metrics: a.Metrics, Enqueue: enqueue})
	river.AddWorker(workers, &worker.UploadShipping{Shipping: a.Shipping, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SweepShipping{Shipping: a.Shipping, Metrics: a.Metrics, Enqueue: enqueue})
	river.AddWorker(workers, &worker.ImportCatalog{Imports: a.CatalogIO, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SweepImports{Imports: a.CatalogIO, Metrics: a.Metrics, Enqueue: enqueue})
	river.AddWorker(workers, &worker.EndFlashSales{Sales: a.Flash, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.TrackParcel{Shipping: a.Shipping, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SweepParcels{Shipping: a.Shipping, Orders: a.Orders, Settings: a.Settings,
		Metrics: a.Metrics, Enqueue: enqueue, Now: a.Clock.Now})
	river.AddWorker(workers, &worker.CheckReview{Reviews: a.Reviews, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SweepReviews{Reviews: a.Reviews, Metrics: a.Metrics, Enqueue: enqueue})
	river.AddWorker(workers, &worker.PruneFootprints{Footprints: a.Footprints, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SendMessage{Messages: a.Messages, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SweepMessages{Messages: a.Messages, Metrics: a.Metrics, Enqueue: enqueue})
	river.AddWorker(workers, &worker.Maintain{Metrics: a.Metrics,
		Tasks: []func(context.Context) error{a.pruneKeys, a.Staff.PruneSessions, a.DB.Optimize,
			a.Catalog.RefreshSearchText, a.Search.PruneCounts}})
	river.AddWorker(workers, &worker.RefreshSales{Catalog: a.Catalog, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SettleCommission{Commission: a.Commission, Metrics: a.Metrics})
	return jobs.New(a.DB, jobs.Config{
		Queue:   a.queue,
		Workers: workers,
		Periodic: []*river.PeriodicJob{
			worker.SweepEvery(a.Config.ExpirySweep),
			worker.SweepRefundsEvery(a.Config.PayPollAfter),
			worker.MaintainHourly(),
			worker.SweepShippingEvery(a.Config.PayPollAfter),
			worker.SweepImportsEvery(time.Minute),
			worker.EndFlashSalesEvery(a.Config.ExpirySweep),
			worker.PruneFootprintsHourly(),
			worker.SweepMessagesEvery(time.Minute),
			worker.RefreshSalesEvery(time.Minute),
			worker.SweepParcelsEvery(a.Config.ExpirySweep),
			worker.SweepReviewsEvery(time.Minute),
			worker.SettleCommissionEvery(10 * time.Minute),
		},
		Log: a.Log,
	})
}

// scheduleImport starts an import just accepted; if that fails the import
// sweep finds it, as its row says it is queued.
func (a *App) scheduleImport(ctx context.Context, importID int64) {
	if err := a.queue.Enqueue(ctx, river.InsertManyParams{Args: worker.ImportCatalogArgs{ImportID: importID}}); err != nil {
		a.Log.Error("import not enqueued; the import sweep will start it", "import", importID, "error", err.Error())
	}
}

// pruneKeys forgets idempotency keys past their retention.
func (a *App) pruneKeys(ctx context.Context) error {
	_, err := a.Orders.PruneKeys(ctx)
	return err
}
