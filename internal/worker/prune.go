package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/order"
)

// PruneKeysArgs asks for expired idempotency keys to be forgotten.
type PruneKeysArgs struct{}

// Kind names the job in River's table.
func (PruneKeysArgs) Kind() string { return "order.prune_idempotency_keys" }

// PruneKeys keeps the idempotency-key table to the last day's keys.
type PruneKeys struct {
	river.WorkerDefaults[PruneKeysArgs]
	Orders  *order.Service
	Metrics *metrics.Metrics
}

// Work runs the job.
func (w *PruneKeys) Work(ctx context.Context, job *river.Job[PruneKeysArgs]) error {
	_, err := w.Orders.PruneKeys(ctx)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// PruneKeysHourly schedules the pruning.
func PruneKeysHourly() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return PruneKeysArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}
