package worker

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
)

// MaintainArgs asks for the hourly housekeeping.
type MaintainArgs struct{}

// Kind names the job in River's table.
func (MaintainArgs) Kind() string { return "maintenance.hourly" }

// Maintain runs housekeeping tasks that keep the database lean and fast:
// expired idempotency keys, ended console sessions and old sign-in attempts
// deleted, the query planner's statistics refreshed. Every task runs even if one fails.
type Maintain struct {
	river.WorkerDefaults[MaintainArgs]
	Tasks   []func(context.Context) error
	Metrics *metrics.Metrics
}

// Work runs the job.
func (w *Maintain) Work(ctx context.Context, job *river.Job[MaintainArgs]) error {
	var errs []error
	for _, task := range w.Tasks {
		errs = append(errs, task(ctx))
	}
	err := errors.Join(errs...)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// MaintainHourly schedules the housekeeping (on the leader only), once at start too.
func MaintainHourly() *river.PeriodicJob {
	return periodic(time.Hour, MaintainArgs{})
}
