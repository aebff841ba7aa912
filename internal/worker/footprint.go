package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/footprint"
	"github.com/kaidian/kaidian/internal/metrics"
)

// PruneFootprintsArgs asks for the footprints past their 90 days to be deleted.
type PruneFootprintsArgs struct{}

// Kind names the job in River's table.
func (PruneFootprintsArgs) Kind() string { return "footprint.prune" }

// PruneFootprints deletes footprints older than footprint.Retention, in
// batches (footprint.PruneBatch rows a statement), so a shop with millions
// of them never holds a long lock. The list already hides what is past
// retention, so a run that fails or is late shows nothing stale; the next
// run finishes the work.
type PruneFootprints struct {
	river.WorkerDefaults[PruneFootprintsArgs]
	Footprints *footprint.Store
	Metrics    *metrics.Metrics
}

// Work runs the job.
func (w *PruneFootprints) Work(ctx context.Context, job *river.Job[PruneFootprintsArgs]) error {
	_, err := w.Footprints.Prune(ctx)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// PruneFootprintsHourly schedules the pruning (on the leader only), once at
// start too: footprints age by the hour, and each run deletes only what
// turned 90 days old since the last.
func PruneFootprintsHourly() *river.PeriodicJob {
	return periodic(time.Hour, PruneFootprintsArgs{})
}
