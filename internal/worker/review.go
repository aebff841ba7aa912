package worker

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/kaidian/kaidian/internal/metrics"
	"github.com/kaidian/kaidian/internal/review"
)

// CheckReviewArgs asks for one review's unchecked text (or follow-up) to
// be put through WeChat's content check again.
type CheckReviewArgs struct {
	ReviewID int64 `json:"review_id"`
}

// Kind names the job in River's table.
func (CheckReviewArgs) Kind() string { return "review.check" }

// InsertOpts: one check per review waiting or running at a time, retried
// with River's back-off while WeChat stays unreachable; once the attempts
// run out the sweep starts another. Meanwhile the review is never shown,
// and the merchant may approve or hide it.
func (CheckReviewArgs) InsertOpts() river.InsertOpts {
	return uniqueWhileQueued(12)
}

// CheckReview runs review.Service.Recheck.
type CheckReview struct {
	river.WorkerDefaults[CheckReviewArgs]
	Reviews *review.Service
	Metrics *metrics.Metrics
}

// Work runs the job.
func (w *CheckReview) Work(ctx context.Context, job *river.Job[CheckReviewArgs]) error {
	err := w.Reviews.Recheck(ctx, job.Args.ReviewID)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// CheckReviewJobs are the check jobs for these reviews.
func CheckReviewJobs(ids []int64) []river.InsertManyParams { return jobsFor(ids, checkReviewJob) }

func checkReviewJob(id int64) river.JobArgs { return CheckReviewArgs{ReviewID: id} }

// SweepReviewsArgs asks for a look for reviews still unchecked.
type SweepReviewsArgs struct{}

// Kind names the job in River's table.
func (SweepReviewsArgs) Kind() string { return "review.sweep" }

// SweepReviews enqueues a CheckReview for every review still unchecked: a
// job lost to a crash right after the commit, or one whose attempts ran out
// while WeChat was down (it starts again, unique per review).
type SweepReviews struct {
	river.WorkerDefaults[SweepReviewsArgs]
	Reviews *review.Service
	Metrics *metrics.Metrics
	Enqueue func(ctx context.Context, params ...river.InsertManyParams) error
}

// Work runs the job.
func (w *SweepReviews) Work(ctx context.Context, job *river.Job[SweepReviewsArgs]) error {
	err := enqueueDue(ctx, w.Reviews.DueChecks, checkReviewJob, w.Enqueue)
	w.Metrics.JobsCompleted.WithLabelValues(job.Kind, outcome(err)).Inc()
	return err
}

// SweepReviewsEvery schedules the review sweep (on the leader only).
func SweepReviewsEvery(interval time.Duration) *river.PeriodicJob {
	return periodic(interval, SweepReviewsArgs{})
}
