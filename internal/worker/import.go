package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/catalogio"
	"github.com/kaidian/kaidian/internal/metrics"
)

// ImportCatalogArgs asks for one uploaded CSV import to be run. Attempts
// is how many runs the import had when the job was enqueued (0 on upload):
// it keeps a job for the next run distinct from one stuck "running" in
// River's table after its process died, which River would otherwise count
// as the same job for an hour.
type ImportCatalogArgs struct {
	ImportID int64 `json:"import_id"`
	Attempts int   `json:"attempts"`
}

// Kind names the job in River's table.
func (ImportCatalogArgs) Kind() string { return "catalog.import" }

// InsertOpts: one job per import and run waiting or running at a time; the
// lease on the import's row keeps two runs from writing at once.
func (ImportCatalogArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(5)
}

// ImportCatalog runs an import (catalogio.Service.RunImport), which keeps
// its state and progress on its own row.
type ImportCatalog struct {
	river.WorkerDefaults[ImportCatalogArgs]
	Imports *catalogio.Service
	Metrics *metrics.Metrics
}

// Work runs the job.
func (w *ImportCatalog) Work(ctx context.Context, job *river.Job[ImportCatalogArgs]) error {
	err := w.Imports.RunImport(ctx, job.Args.ImportID)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// Timeout gives a file of the largest size time to be written on a busy
// database (3,000 rows take seconds).
func (w *ImportCatalog) Timeout(*river.Job[ImportCatalogArgs]) time.Duration { return 10 * time.Minute }

// SweepImportsArgs asks for a look for imports that need a worker.
type SweepImportsArgs struct{}

// Kind names the job in River's table.
func (SweepImportsArgs) Kind() string { return "catalog.import_sweep" }

// SweepImports enqueues an ImportCatalog for every import that is queued
// but whose job was never enqueued (a crash right after the upload) or
// whose run stopped with its process (its lease ran out). The state lives
// on the import rows, so nothing is lost across restarts.
type SweepImports struct {
	river.WorkerDefaults[SweepImportsArgs]
	Imports *catalogio.Service
	Metrics *metrics.Metrics
	Enqueue func(ctx context.Context, params ...river.InsertManyParams) error
}

// Work runs the job.
func (w *SweepImports) Work(ctx context.Context, job *river.Job[SweepImportsArgs]) error {
	err := enqueueDue(ctx, w.Imports.DueImports, func(d catalogio.Due) river.JobArgs {
		return ImportCatalogArgs{ImportID: d.ID, Attempts: d.Attempts}
	}, w.Enqueue)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepImportsEvery schedules the import sweep (on the leader only).
func SweepImportsEvery(interval time.Duration) *river.PeriodicJob {
	return periodic(interval, SweepImportsArgs{})
}
