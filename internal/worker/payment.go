package worker

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/payment"
)

// ReconcilePaymentArgs asks WeChat Pay about an opened, unpaid payment.
type ReconcilePaymentArgs struct {
	OrderNo string `json:"order_no"`
}

// Kind names the job in River's table.
func (ReconcilePaymentArgs) Kind() string { return "payment.reconcile" }

// InsertOpts: one check per order at a time, however often the shopper taps
// pay. Unlike River's default, a completed check does not block the next
// one: a pay call that reopens WeChat's order after an earlier check ended
// (e.g. one racing a cancel) gets its own check of the order again.
func (ReconcilePaymentArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(20)
}

// ReconcilePayment queries WeChat for a payment whose notification has not
// come, on a back-off schedule (the job snoozes between checks, which River
// does not count as attempts), until the order is paid or due for expiry,
// or it closed and WeChat's order is closed too (payment.Service.Reconcile).
type ReconcilePayment struct {
	river.WorkerDefaults[ReconcilePaymentArgs]
	Payments *payment.Service
	Metrics  *metrics.Metrics
}

// Work runs the job.
func (w *ReconcilePayment) Work(ctx context.Context, job *river.Job[ReconcilePaymentArgs]) error {
	done, retryIn, err := w.Payments.Reconcile(ctx, job.Args.OrderNo, time.Since(job.CreatedAt))
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	if err == nil && !done {
		return river.JobSnooze(retryIn)
	}
	return err
}

// SyncRefundArgs asks for one processing refund to be brought forward.
type SyncRefundArgs struct {
	RefundID int64 `json:"refund_id"`
}

// Kind names the job in River's table.
func (SyncRefundArgs) Kind() string { return "refund.sync" }

// InsertOpts: one sync per refund waiting or running at a time. Unlike
// River's default, a completed sync does not block the next one, as a
// refund is checked again and again until WeChat settles it.
func (SyncRefundArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(20)
}

// SyncRefund submits a refund WeChat has not accepted yet, or queries one
// whose notification has not come (payment.Service.SyncRefund).
type SyncRefund struct {
	river.WorkerDefaults[SyncRefundArgs]
	Payments *payment.Service
	Metrics  *metrics.Metrics
	Log      *slog.Logger
}

// Work runs the job.
func (w *SyncRefund) Work(ctx context.Context, job *river.Job[SyncRefundArgs]) error {
	_, err := w.Payments.SyncRefund(ctx, w.Log, job.Args.RefundID)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepRefundsArgs asks for a look for processing refunds due a check.
type SweepRefundsArgs struct{}

// Kind names the job in River's table.
func (SweepRefundsArgs) Kind() string { return "refund.sweep" }

// SweepRefunds enqueues a SyncRefund for every refund due a check. The
// schedule lives on the refund rows, so a refund committed just before a
// crash is found by the first sweep after the restart.
type SweepRefunds struct {
	river.WorkerDefaults[SweepRefundsArgs]
	Payments *payment.Service
	Metrics  *metrics.Metrics
	Enqueue  func(ctx context.Context, params ...river.InsertManyParams) error
}

// Work runs the job.
func (w *SweepRefunds) Work(ctx context.Context, job *river.Job[SweepRefundsArgs]) error {
	err := enqueueDue(ctx, w.Payments.DueRefunds, func(id int64) river.JobArgs { return SyncRefundArgs{RefundID: id} }, w.Enqueue)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepRefundsEvery schedules the refund sweep (on the leader only).
func SweepRefundsEvery(interval time.Duration) *river.PeriodicJob {
	return periodic(interval, SweepRefundsArgs{})
}
