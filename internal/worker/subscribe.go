package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/subscribe"
)

// SendMessageArgs asks for one subscribe-message event to be sent.
type SendMessageArgs struct {
	EventID int64 `json:"event_id"`
}

// Kind names the job in River's table.
func (SendMessageArgs) Kind() string { return "subscribe.send" }

// sendMessageAttempts bounds the retries of one message: River waits
// attempt⁴ seconds between them, so eight attempts span about an hour and
// a half, after which a notice about an order is stale anyway.
const sendMessageAttempts = 8

// InsertOpts: one send per event waiting or running at a time, so the
// sweep never doubles a job still in the queue.
func (SendMessageArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(sendMessageAttempts)
}

// SendMessage sends one event (subscribe.Service.Send). An error is a
// failure worth retrying; River retries it with back-off, and the last
// attempt records the event as failed.
type SendMessage struct {
	river.WorkerDefaults[SendMessageArgs]
	Messages *subscribe.Service
	Metrics  *metrics.Metrics
}

// Work runs the job.
func (w *SendMessage) Work(ctx context.Context, job *river.Job[SendMessageArgs]) error {
	err := w.Messages.Send(ctx, job.Args.EventID, job.Attempt >= job.MaxAttempts)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepMessagesArgs asks for a look for events whose job was lost.
type SweepMessagesArgs struct{}

// Kind names the job in River's table.
func (SweepMessagesArgs) Kind() string { return "subscribe.sweep" }

// SweepMessages enqueues a send for every event still open a minute after
// it was recorded with no runner holding it: a crash between the commit
// and the enqueue, or a job that died. The outbox rows are the schedule.
type SweepMessages struct {
	river.WorkerDefaults[SweepMessagesArgs]
	Messages *subscribe.Service
	Metrics  *metrics.Metrics
	Enqueue  func(ctx context.Context, params ...river.InsertManyParams) error
}

// Work runs the job.
func (w *SweepMessages) Work(ctx context.Context, job *river.Job[SweepMessagesArgs]) error {
	err := enqueueDue(ctx, w.Messages.Due, sendMessageJob, w.Enqueue)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SendMessageJobs are the send jobs for these events.
func SendMessageJobs(eventIDs []int64) []river.InsertManyParams {
	return jobsFor(eventIDs, sendMessageJob)
}

func sendMessageJob(id int64) river.JobArgs { return SendMessageArgs{EventID: id} }

// SweepMessagesEvery schedules the sweep (on the leader only).
func SweepMessagesEvery(interval time.Duration) *river.PeriodicJob {
	return periodic(interval, SweepMessagesArgs{})
}
