package app

import (
	"context"

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
	river.AddWorker(workers, &worker.ReconcilePayment{Payments: a.Payments, Metrics: a.Metrics})
	river.AddWorker(workers, &worker.SyncRefund{Payments: a.Payments, Metrics: a.Metrics, Log: a.Log})
	refundSweep := &worker.SweepRefunds{Payments: a.Payments, Metrics: a.Metrics}
	river.AddWorker(workers, refundSweep)
	river.AddWorker(workers, &worker.Maintain{Metrics: a.Metrics,
		Tasks: []func(context.Context) error{a.pruneKeys, a.Staff.PruneSessions, a.DB.Optimize}})
	runner, err := jobs.New(a.DB, jobs.Config{
		Workers: workers,
		Periodic: []*river.PeriodicJob{worker.SweepEvery(a.Config.ExpirySweep),
			worker.SweepRefundsEvery(a.Config.PayPollAfter), worker.MaintainHourly()},
		Log: a.Log,
	})
	if err != nil {
		return nil, err
	}
	sweep.Enqueue, refundSweep.Enqueue = runner.Enqueue, runner.Enqueue
	return runner, nil
}

// pruneKeys forgets idempotency keys past their retention.
func (a *App) pruneKeys(ctx context.Context) error {
	_, err := a.Orders.PruneKeys(ctx)
	return err
}
