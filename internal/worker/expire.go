// Package worker is the background-job face of Kaidian: River workers that
// call domain services, as HTTP handlers do for requests.
package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/order"
)

// ExpireOrderArgs asks for one unpaid order to be closed at its deadline.
type ExpireOrderArgs struct {
	OrderNo string `json:"order_no"`
}

// Kind names the job in River's table.
func (ExpireOrderArgs) Kind() string { return "order.expire" }

// InsertOpts makes the job unique per order while one is waiting or
// running: however often the sweeper sees an order, one job closes it. A
// completed job does not count (River's default would keep it unique for
// the day completed jobs are retained): an expiry that ran early, on a
// replica whose clock was ahead, found the order not yet due and did
// nothing, and must not stop the next sweep's job from closing it.
func (ExpireOrderArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(20)
}

// ExpireOrder closes the order; order.Service.Expire is idempotent, so a
// retried or duplicated job never releases stock twice.
type ExpireOrder struct {
	river.WorkerDefaults[ExpireOrderArgs]
	Orders  *order.Service
	Metrics *metrics.Metrics
}

// Work runs the job.
func (w *ExpireOrder) Work(ctx context.Context, job *river.Job[ExpireOrderArgs]) error {
	_, err := w.Orders.Expire(ctx, job.Args.OrderNo)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepExpiredArgs asks for a look for unpaid orders past their deadline.
type SweepExpiredArgs struct{}

// Kind names the job in River's table.
func (SweepExpiredArgs) Kind() string { return "order.sweep_expired" }

// SweepExpired finds due orders and enqueues one ExpireOrder job for each.
// The deadline lives on the order row itself, so nothing is lost when the
// process restarts: the next sweep after start finds every overdue order.
type SweepExpired struct {
	river.WorkerDefaults[SweepExpiredArgs]
	Orders  *order.Service
	Metrics *metrics.Metrics
	Enqueue func(ctx context.Context, params ...river.InsertManyParams) error
}

// Work runs the job.
func (w *SweepExpired) Work(ctx context.Context, job *river.Job[SweepExpiredArgs]) error {
	err := enqueueDue(ctx, w.Orders.DueForExpiry, func(no string) river.JobArgs { return ExpireOrderArgs{OrderNo: no} }, w.Enqueue)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// Timeout keeps a slow database from holding a sweep forever.
func (w *SweepExpired) Timeout(*river.Job[SweepExpiredArgs]) time.Duration { return 30 * time.Second }

// SweepEvery schedules the sweeper. River enqueues periodic jobs only on its
// elected leader, so several replicas do not multiply sweeps.
func SweepEvery(interval time.Duration) *river.PeriodicJob {
	return periodic(interval, SweepExpiredArgs{})
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}
