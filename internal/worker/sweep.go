package worker

import (
	"context"

	"github.com/riverqueue/river"
)

// sweepBatch bounds one sweep; a backlog is worked off over several sweeps.
const sweepBatch = 500

// enqueueDue is what every sweep that hands work to jobs does: ask due for
// up to sweepBatch rows whose work is due (their schedule lives on the rows,
// so nothing is lost across restarts) and enqueue one job for each, its
// args made by job. The jobs are unique per row while waiting or running,
// so a sweep that sees a row again, or runs on two replicas, adds nothing.
func enqueueDue[K any](ctx context.Context, due func(context.Context, int) ([]K, error), job func(K) river.JobArgs,
	enqueue func(context.Context, ...river.InsertManyParams) error) error {
	keys, err := due(ctx, sweepBatch)
	if err != nil || len(keys) == 0 {
		return err
	}
	return enqueue(ctx, jobsFor(keys, job)...)
}

// jobsFor is one insert for each key, its args made by job.
func jobsFor[K any](keys []K, job func(K) river.JobArgs) []river.InsertManyParams {
	params := make([]river.InsertManyParams, len(keys))
	for i, k := range keys {
		params[i] = river.InsertManyParams{Args: job(k)}
	}
	return params
}
