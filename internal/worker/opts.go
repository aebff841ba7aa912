package worker

import (
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// uniqueWhileQueued is the InsertOpts of a job that stands for one row's
// work: unique by its args while waiting or running, so however often a
// sweep or a request asks for it, one job does it. A completed job does not
// count (River's default would keep it unique for the day completed jobs
// are retained), so work that comes due again gets a job of its own.
func uniqueWhileQueued(maxAttempts int) river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// periodic schedules a job with args every interval, and once at start. River
// enqueues periodic jobs only on its elected leader, so several replicas do
// not multiply them.
func periodic(interval time.Duration, args river.JobArgs) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}
