package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/commission"
	"github.com/kaidian/kaidian/internal/metrics"
)

// SettleCommissionArgs asks for the commission of orders past their
// after-sale window to be settled.
type SettleCommissionArgs struct{}

// Kind names the job in River's table.
func (SettleCommissionArgs) Kind() string { return "commission.settle" }

// SettleCommission runs commission.Service.SettleDue. A run cut short (a
// crash, a deploy) leaves the rest pending for the next one: each order
// settles in its own transaction, and an order settled is never settled again.
type SettleCommission struct {
	river.WorkerDefaults[SettleCommissionArgs]
	Commission *commission.Service
	Metrics    *metrics.Metrics
}

// Work runs the job.
func (w *SettleCommission) Work(ctx context.Context, job *river.Job[SettleCommissionArgs]) error {
	_, err := w.Commission.SettleDue(ctx)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SettleCommissionEvery schedules settlement (on the leader only), once at
// start too. The window is counted in days, so minutes of lag do not matter.
func SettleCommissionEvery(every time.Duration) *river.PeriodicJob {
	return periodic(every, SettleCommissionArgs{})
}
