package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/order"
	"github.com/kaidian/kaidian/internal/setting"
	"github.com/kaidian/kaidian/internal/shipping"
)

// TrackParcelArgs asks for one parcel's path to be read from WeChat.
type TrackParcelArgs struct {
	ShipmentID int64 `json:"shipment_id"`
}

// Kind names the job in River's table.
func (TrackParcelArgs) Kind() string { return "parcel.track" }

// InsertOpts: one lookup per parcel waiting or running at a time.
func (TrackParcelArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(5)
}

// TrackParcel reads a parcel's path (shipping.Service.RefreshTracking,
// which claims the parcel first and records WeChat's failures itself).
type TrackParcel struct {
	river.WorkerDefaults[TrackParcelArgs]
	Shipping *shipping.Service
	Metrics  *metrics.Metrics
}

// Work runs the job.
func (w *TrackParcel) Work(ctx context.Context, job *river.Job[TrackParcelArgs]) error {
	err := w.Shipping.RefreshTracking(ctx, job.Args.ShipmentID)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepParcelsArgs asks for a look for parcels due to be tracked and for
// shipped orders due to complete.
type SweepParcelsArgs struct{}

// Kind names the job in River's table.
func (SweepParcelsArgs) Kind() string { return "parcel.sweep" }

// SweepParcels enqueues a TrackParcel for every parcel in transit whose
// next lookup is due (when the shop uses WeChat's tracking), and completes
// shipped orders the shopper has not confirmed within the shop's
// auto-complete days. Both schedules live on the rows (next_track_at,
// shipped_at), so nothing is lost across restarts, and both steps are
// guarded updates, so a sweep run twice, or on two replicas, does each once.
type SweepParcels struct {
	river.WorkerDefaults[SweepParcelsArgs]
	Shipping *shipping.Service
	Orders   *order.Service
	Settings *setting.Service
	Metrics  *metrics.Metrics
	Enqueue  func(ctx context.Context, params ...river.InsertManyParams) error
	Now      func() time.Time
}

// Work runs the job.
func (w *SweepParcels) Work(ctx context.Context, job *river.Job[SweepParcelsArgs]) error {
	err := enqueueDue(ctx, w.Shipping.DueTracking, func(id int64) river.JobArgs { return TrackParcelArgs{ShipmentID: id} }, w.Enqueue)
	if err == nil {
		_, err = CompleteOverdue(ctx, w.Orders, w.Settings, w.Now())
	}
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// CompleteOverdue completes every shipped order that shipped the shop's
// auto-complete days before now (a batch at a time) and says how many it
// completed.
func CompleteOverdue(ctx context.Context, orders *order.Service, settings *setting.Service, now time.Time) (int, error) {
	sh, err := settings.Get(ctx)
	if err != nil {
		return 0, err
	}
	cutoff := now.Add(-time.Duration(sh.AutoCompleteDays) * 24 * time.Hour)
	nos, err := orders.DueForCompletion(ctx, cutoff, sweepBatch)
	n := 0
	for _, no := range nos {
		if err != nil {
			break
		}
		var done bool
		if done, err = orders.AutoComplete(ctx, no, cutoff); done {
			n++
		}
	}
	return n, err
}

// Timeout keeps a slow database from holding a sweep forever.
func (w *SweepParcels) Timeout(*river.Job[SweepParcelsArgs]) time.Duration { return time.Minute }

// SweepParcelsEvery schedules the parcel sweep (on the leader only).
func SweepParcelsEvery(interval time.Duration) *river.PeriodicJob {
	return periodic(interval, SweepParcelsArgs{})
}
