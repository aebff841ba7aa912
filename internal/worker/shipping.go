package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/shipping"
)

// UploadShippingArgs asks for one shipment's information to be sent to WeChat.
type UploadShippingArgs struct {
	ShipmentID int64 `json:"shipment_id"`
}

// Kind names the job in River's table.
func (UploadShippingArgs) Kind() string { return "shipping.upload" }

// InsertOpts: one upload per shipment waiting or running at a time; a
// finished one does not block the next, as a failed upload is tried again.
func (UploadShippingArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(20)
}

// UploadShipping sends a shipment's information to WeChat
// (shipping.Service.Upload), which records the outcome on the shipment.
type UploadShipping struct {
	river.WorkerDefaults[UploadShippingArgs]
	Shipping *shipping.Service
	Metrics  *metrics.Metrics
}

// Work runs the job.
func (w *UploadShipping) Work(ctx context.Context, job *river.Job[UploadShippingArgs]) error {
	err := w.Shipping.Upload(ctx, job.Args.ShipmentID)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepShippingArgs asks for a look for shipments whose upload is due.
type SweepShippingArgs struct{}

// Kind names the job in River's table.
func (SweepShippingArgs) Kind() string { return "shipping.sweep" }

// SweepShipping enqueues an UploadShipping for every shipment whose upload
// is due: new ones whose job was never enqueued (a crash right after the
// commit) and failed attempts whose retry time has come. The schedule lives
// on the shipment rows, so nothing is lost across restarts.
type SweepShipping struct {
	river.WorkerDefaults[SweepShippingArgs]
	Shipping *shipping.Service
	Metrics  *metrics.Metrics
	Enqueue  func(ctx context.Context, params ...river.InsertManyParams) error
}

// Work runs the job.
func (w *SweepShipping) Work(ctx context.Context, job *river.Job[SweepShippingArgs]) error {
	err := enqueueDue(ctx, w.Shipping.DueUploads, uploadShippingJob, w.Enqueue)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// UploadShippingJobs are the upload jobs for these shipments.
func UploadShippingJobs(shipmentIDs []int64) []river.InsertManyParams {
	return jobsFor(shipmentIDs, uploadShippingJob)
}

func uploadShippingJob(id int64) river.JobArgs { return UploadShippingArgs{ShipmentID: id} }

// SweepShippingEvery schedules the upload sweep (on the leader only).
func SweepShippingEvery(interval time.Duration) *river.PeriodicJob {
	return periodic(interval, SweepShippingArgs{})
}
