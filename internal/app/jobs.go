package app

import (
	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/jobs"
	"github.com/kaidian/kaidian/internal/worker"
)

// newJobs registers every background worker and periodic job.
func (a *App) newJobs() (*jobs.Runner, error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &worker.ExpireOrder{Orders: a.Orders, Metrics: a.Metrics})
	sweep := &worker.SweepExpired{Orders: a.Orders, Metrics: a.Metrics}
	river.AddWorker(workers, sweep)
	river.AddWorker(workers, &worker.PruneKeys{Orders: a.Orders, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.ReconcilePayment{Payments: a.Payments, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SyncRefund{Payments: a.Payments, Metrics: a.Metrics, Log: a.Log})
	refundSweep := &worker.SweepRefunds{Payments: a.Payments, Metrics: a.Metrics}
	river.AddWorker(workers, refundSweep)
	runner, err := jobs.New(a.DB, jobs.Config{
		Workers: workers,
		Periodic: []*river.PeriodicJob{worker.SweepEvery(a.Config.ExpirySweep), worker.PruneKeysHourly(),
			worker.SweepRefundsEvery(a.Config.PayPollAfter)},
		Log: a.Log,
	})
	if err != nil {
		return nil, err
	}
	sweep.Enqueue, refundSweep.Enqueue = runner.Enqueue, runner.Enqueue
	return runner, nil
}
